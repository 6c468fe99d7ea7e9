"""The domain's errors: one small hierarchy, each carrying what it is about."""

from __future__ import annotations


class CustomerError(Exception):
    """Raised when a rule of the customer domain is broken."""


class InvalidValueError(CustomerError):
    """Raised when a value breaks the rule of its field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class CustomerNotFoundError(CustomerError):
    """Raised when no customer has the given id."""

    def __init__(self, customer_id: object) -> None:
        super().__init__(f"customer {customer_id} not found")
        self.customer_id = customer_id


class MalformedCommandError(CustomerError):
    """Raised when a command envelope does not have the shape of a command.

    ``errors`` maps a position (or key) to messages, as marshmallow does.
    """

    def __init__(self, errors: dict) -> None:
        super().__init__(f"malformed command: {errors}")
        self.errors = errors


class VersionMismatchError(CustomerError):
    """Raised when a command required the customer to be at another version."""

    def __init__(self, customer_id: object, current_version: int) -> None:
        super().__init__(f"customer {customer_id} is at version {current_version}")
        self.customer_id = customer_id
        self.current_version = current_version


class ConflictNotFoundError(CustomerError):
    """Raised when no customer has a conflict with the given id."""

    def __init__(self, conflict_id: object) -> None:
        super().__init__(f"conflict {conflict_id} not found")
        self.conflict_id = conflict_id

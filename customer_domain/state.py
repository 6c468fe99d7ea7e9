"""The small, constant-size summaries a customer keeps to decide a command."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, NamedTuple
from uuid import UUID

from customer_domain.stamps import Stamp


class FieldValue(NamedTuple):
    """A field's current value and who set it, when, by which command.

    Immutable and built for each change, as ``ChangeMarks`` are: a named tuple
    is built three times faster than a frozen dataclass."""

    value: Any
    version: int
    changed_by: str
    client_id: str
    command_id: str
    issued_at: datetime
    changed_at: datetime

    @property
    def stamp(self) -> Stamp:
        return Stamp(self.changed_at, self.client_id, self.command_id)

    def as_dict(self) -> dict[str, Any]:
        """The value with its provenance, as events and views carry it."""
        return {
            "value": self.value,
            "version": self.version,
            "author": self.changed_by,
            "client_id": self.client_id,
            "command_id": self.command_id,
            "issued_at": self.issued_at,
            "changed_at": self.changed_at,
        }


class ChangeMarks(NamedTuple):
    """Where a field (or any field) last changed, and last changed by another client.

    Enough to tell, in constant time, whether some client other than a given
    one changed the value after a given version.
    """

    latest_version: int = -1
    latest_client: str | None = None
    other_version: int = -1

    def changed(self, version: int, client_id: str) -> ChangeMarks:
        if client_id == self.latest_client:
            return ChangeMarks(version, client_id, self.other_version)
        return ChangeMarks(version, client_id, self.latest_version)

    def latest_not_by(self, client_id: str) -> int:
        """The latest version changed by a client other than ``client_id``."""
        if client_id == self.latest_client:
            return self.other_version
        return self.latest_version


@dataclass(frozen=True, slots=True)
class Receipt:
    """The verdict first recorded for a command id, for answering re-sends."""

    version: int
    fingerprint: str
    status: str
    reason: str | None
    detail: str | None
    conflict_id: UUID | None


@dataclass(frozen=True, slots=True)
class Conflict:
    """Competing values of one field, kept as data until someone resolves them."""

    conflict_id: UUID
    field: str
    base_value: Any
    current: dict[str, Any]
    candidates: tuple[dict[str, Any], ...]
    opened_at: datetime
    resolution: dict[str, Any] | None = None

    @property
    def is_open(self) -> bool:
        return self.resolution is None

    def candidate(self, command_id: str) -> dict[str, Any] | None:
        return next((c for c in self.candidates if c["command_id"] == command_id), None)

    def with_candidate(self, candidate: dict[str, Any]) -> Conflict:
        return replace(self, candidates=(*self.candidates, candidate))

    def resolved(self, resolution: dict[str, Any]) -> Conflict:
        return replace(self, resolution=resolution)

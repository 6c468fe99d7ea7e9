"""The customer domain: the aggregate, its rules, and the merge engine."""

from customer_domain.commands import COMMAND_TYPES, Command, Sender
from customer_domain.customer import Customer
from customer_domain.errors import (
    CustomerError,
    CustomerNotFoundError,
    InvalidValueError,
    MalformedCommandError,
    VersionMismatchError,
)
from customer_domain.merge import Decision, History, Policy, decide

__all__ = [
    "COMMAND_TYPES",
    "Command",
    "Customer",
    "CustomerError",
    "CustomerNotFoundError",
    "Decision",
    "History",
    "InvalidValueError",
    "MalformedCommandError",
    "Policy",
    "Sender",
    "VersionMismatchError",
    "decide",
]

"""The fine-grained commands an offline client queues, as typed envelopes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from datetime import datetime, timezone
from typing import Any
from uuid import UUID

FIELD_OF_COMMAND = {
    "ChangeName": "name",
    "ChangeEmail": "email",
    "ChangePhone": "phone",
    "ChangeAddress": "address",
    "ChangeSupplier": "supplier",
    "ChangeDescription": "description",
    "ChangeStatus": "status",
}
REGISTER = "RegisterCustomer"
RESOLVE = "ResolveConflict"
COMMAND_TYPES = (REGISTER, *FIELD_OF_COMMAND, RESOLVE)
CHOICES = ("current", "candidate", "value")


@dataclass(frozen=True)
class Command:
    """A command envelope: what the client sent, with its idempotency key."""

    command_id: UUID
    type: str
    customer_id: UUID
    base_version: int | None
    issued_at: datetime
    payload: Mapping[str, Any]
    issued_at_defaulted: bool = False  # the client sent none: the server's clock

    @property
    def field(self) -> str | None:
        """The field a Change command sets (None for the others)."""
        return FIELD_OF_COMMAND.get(self.type)

    @property
    def value(self) -> Any:
        return self.payload[FIELD_OF_COMMAND[self.type]]

    @cached_property
    def fingerprint(self) -> str:
        """Identifies the envelope as compared for idempotency: not its base, nor
        a time the server supplied (a re-send would get another)."""
        issued = None if self.issued_at_defaulted else (
            self.issued_at.astimezone(timezone.utc).isoformat())
        content = [self.type, str(self.customer_id), self.payload, issued]
        encoded = json.dumps(content, sort_keys=True, default=str).encode()
        return hashlib.sha256(encoded).hexdigest()[:32]


@dataclass(frozen=True)
class Sender:
    """Who sent a batch, from where, and when the server received it."""

    client_id: str
    author: str
    received_at: datetime

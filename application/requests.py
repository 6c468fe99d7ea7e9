"""What callers of the use cases send, before the application fills in what
they left out: the ids, the time it was sent, the version it was based on."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from customer_domain.commands import Command
from customer_domain.vocabulary import FIELDS, REGISTER, RESOLVE

# The namespace of the customer ids derived from a registration's command id.
REGISTRATIONS_NAMESPACE = uuid.UUID("8f4b9a52-5f0e-4f61-9a57-2f1c1b7e1d00")


class Sent(enum.Enum):
    NOTHING = "nothing"  # a value left out, as opposed to one sent as null


NOT_SENT = Sent.NOTHING


@dataclass(frozen=True)
class Registration:
    """A new customer's values (only those sent), with optional ids and time."""

    client_id: str
    values: Mapping[str, Any]
    command_id: UUID | None = None
    customer_id: UUID | None = None
    issued_at: datetime | None = None

    @classmethod
    def of(cls, sent: Mapping[str, Any]) -> Registration:
        """From one flat mapping: the fields' values beside the command's keys."""
        return cls(
            client_id=sent["client_id"],
            values={field: sent[field] for field in FIELDS if field in sent},
            command_id=sent.get("command_id"),
            customer_id=sent.get("customer_id"),
            issued_at=sent.get("issued_at"),
        )

    def command(self, now: datetime) -> Command:
        command_id = self.command_id or uuid.uuid4()
        # Without a customer_id, re-sending the same command_id must name the same customer.
        customer_id = self.customer_id or uuid.uuid5(
            REGISTRATIONS_NAMESPACE, str(command_id)
        )
        return Command(
            command_id=command_id,
            type=REGISTER,
            customer_id=customer_id,
            base_version=None,
            issued_at=self.issued_at or now,
            payload=dict(self.values),
            issued_at_defaulted=self.issued_at is None,
        )


@dataclass(frozen=True)
class Resolution:
    """How one conflict is resolved: the current value, a candidate, or a new value."""

    client_id: str
    conflict_id: UUID
    command_id: UUID
    choice: str
    candidate_command_id: UUID | None = None
    value: Any = NOT_SENT
    base_version: int | None = None  # None: the customer's version when received
    issued_at: datetime | None = None

    def command(self, customer_id: UUID, base_version: int, now: datetime) -> Command:
        payload: dict[str, Any] = {
            "conflict_id": str(self.conflict_id),
            "choice": self.choice,
        }
        if self.candidate_command_id is not None:
            payload["candidate_command_id"] = str(self.candidate_command_id)
        if self.value is not NOT_SENT:
            payload["value"] = self.value
        return Command(
            command_id=self.command_id,
            type=RESOLVE,
            customer_id=customer_id,
            base_version=base_version,
            issued_at=self.issued_at or now,
            payload=payload,
            issued_at_defaulted=self.issued_at is None,
        )

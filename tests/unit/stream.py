"""A customer stream driven by the merge engine alone, in memory (no I/O)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from customer_domain.commands import Command, Sender
from customer_domain.customer import Customer
from customer_domain.merge import Decision, carry_out, decide
from customer_domain.policy import Policy
from customer_domain.state import Receipt

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


class Stream:
    """Sends commands through ``decide`` and records the events it returns;
    also serves as the engine's History."""

    def __init__(self, policy: Policy | None = None) -> None:
        self.policy = policy or Policy()
        self.customer_id = uuid.uuid4()
        self.customer: Customer | None = None
        self.events: list[Customer.Recorded] = []
        self.clock = T0

    def send(
        self,
        client_id: str,
        kind: str,
        payload: dict[str, Any],
        base: int | None = None,
        *,
        command_id: uuid.UUID | None = None,
        issued_at: datetime | None = None,
        author: str | None = None,
        customer_id: uuid.UUID | None = None,
    ) -> Decision:
        self.clock += timedelta(seconds=1)
        command = Command(
            command_id=command_id or uuid.uuid4(),
            type=kind,
            customer_id=customer_id or self.customer_id,
            base_version=base,
            issued_at=issued_at or self.clock,
            payload=payload,
        )
        self.command = command  # the last one sent
        sender = Sender(client_id, author or client_id, received_at=self.clock)
        decision = decide(
            command, sender, self.customer, self if self.customer else None, self.policy
        )
        self.customer = carry_out(decision, command, self.customer)
        if decision.records:
            self.events.append(self.customer.collect_events()[-1])
        return decision

    @property
    def version(self) -> int:
        return self.customer.version

    def value(self, field: str) -> Any:
        return self.customer.value(field)

    # History
    def latest_effective_at(self, version: int) -> datetime:
        return self.events[version].latest_effective_at

    def value_at(self, field: str, version: int) -> Any:
        customer = None
        for event in self.events[: version + 1]:
            customer = event.mutate(customer)
        return customer.value(field)

    def receipt(self, command_id: uuid.UUID) -> Receipt | None:
        for version in self.customer.commands.versions_of(command_id):
            if self.events[version].command_id == command_id:
                return self.events[version].receipt()
        return None

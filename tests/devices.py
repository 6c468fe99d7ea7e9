"""Test helpers: offline devices that queue commands as a real client would."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from application import Customers, Result
from customer_domain.vocabulary import COMMAND_OF_FIELD, REGISTER, RESOLVE, Verdict


class Device:
    """One laptop: a client id, its employee, a clock that never goes back
    (optionally running behind), and the commands it queues."""

    def __init__(
        self, app: Customers, client_id: str, author: str, lag: timedelta = timedelta(0)
    ) -> None:
        self.app = app
        self.client_id = client_id
        self.author = author
        self.lag = lag
        self.last_issued: datetime | None = None

    def now(self) -> datetime:
        now = datetime.now(UTC) - self.lag
        if self.last_issued is not None:
            now = max(now, self.last_issued + timedelta(microseconds=1))
        self.last_issued = now
        return now

    def command(
        self, kind: str, customer_id: uuid.UUID, payload: dict[str, Any], base: int | None
    ) -> dict[str, Any]:
        return {
            "command_id": str(uuid.uuid4()),
            "type": kind,
            "customer_id": str(customer_id),
            "base_version": base,
            "issued_at": self.now().isoformat(),
            "payload": payload,
        }

    def edit(self, customer_id: uuid.UUID, base: int, **values: Any) -> list[dict]:
        """One fine-grained command per changed field, all from the same base."""
        return [
            self.command(COMMAND_OF_FIELD[field], customer_id, {field: value}, base)
            for field, value in values.items()
        ]

    def resolve(
        self,
        customer_id: uuid.UUID,
        conflict_id: uuid.UUID,
        base: int,
        choice: str,
        **extra: Any,
    ) -> dict[str, Any]:
        payload = {"conflict_id": str(conflict_id), "choice": choice, **extra}
        return self.command(RESOLVE, customer_id, payload, base)

    def sync(self, commands: list[dict]) -> list[Result]:
        return self.app.submit(self.client_id, self.author, commands)

    def register(self, name: str = "Acme", **values: Any) -> uuid.UUID:
        customer_id = uuid.uuid4()
        command = self.command(REGISTER, customer_id, {"name": name, **values}, None)
        [result] = self.sync([command])
        assert result.status == Verdict.APPLIED, result
        return customer_id


def customer_at_version_20(office: Device) -> uuid.UUID:
    """The seed's customer #123: registered, then edited until version 20."""
    customer_id = office.register("Acme", supplier="Initial Supplies")
    for version in range(20):
        field, value = [
            ("description", f"note {version}"),
            ("phone", f"+1 555 {version:04}"),
        ][version % 2]
        [result] = office.sync(office.edit(customer_id, version, **{field: value}))
        assert result.version == version + 1
    return customer_id

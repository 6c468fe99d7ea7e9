"""The benchmark workload: a team's offline edits reaching the server in batches.

Batches of mixed commands over a set of customers, each batch from one of
several clients; a tenth of the commands come from stale bases (merges and
conflicts). Deterministic for a given seed.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from customer_domain.vocabulary import COMMAND_OF_FIELD, REGISTER

FIELDS = {
    "name": lambda n: f"Customer {n}",
    "email": lambda n: f"desk{n}@example.com",
    "phone": lambda n: f"+1 555 {n % 10000:04}",
    "supplier": lambda n: f"Supplier {n % 50}",
    "description": lambda n: f"call notes {n}",
}


def registrations(customer_ids: list[uuid.UUID]) -> list[dict]:
    issued = datetime.now(UTC).isoformat()
    return [
        {
            "command_id": str(uuid.uuid4()),
            "type": REGISTER,
            "customer_id": str(cid),
            "base_version": None,
            "issued_at": issued,
            "payload": {"name": f"Customer {n}"},
        }
        for n, cid in enumerate(customer_ids)
    ]


@dataclass
class Workload:
    """Generates batches; ``seen`` tracks the versions clients know of (updated
    from the verdicts, as a client's pull would)."""

    customer_ids: list[uuid.UUID]
    clients: int = 10
    stale_share: float = 0.1
    seed: int = 1
    seen: dict[uuid.UUID, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.random = random.Random(self.seed)
        self.counter = 0
        self.seen = {cid: 0 for cid in self.customer_ids}

    def batches(self, commands: int, size: int = 500) -> Iterator[tuple[str, list[dict]]]:
        for start in range(0, commands, size):
            client = f"laptop-{self.random.randrange(self.clients)}"
            yield client, [self.command() for _ in range(min(size, commands - start))]

    def command(self) -> dict:
        self.counter += 1
        customer_id = self.random.choice(self.customer_ids)
        name = self.random.choice(list(FIELDS))
        base = self.seen[customer_id]
        if self.random.random() < self.stale_share:
            base = max(0, base - self.random.randint(1, 5))
        issued = datetime.now(UTC) - timedelta(seconds=self.random.randint(0, 3600))
        return {
            "command_id": str(uuid.uuid4()),
            "type": COMMAND_OF_FIELD[name],
            "customer_id": str(customer_id),
            "base_version": base,
            "issued_at": issued.isoformat(),
            "payload": {name: FIELDS[name](self.counter)},
        }

    def saw(self, results: list) -> None:
        for result in results:
            version = result["version"] if isinstance(result, dict) else result.version
            customer = (
                result["customer_id"] if isinstance(result, dict) else result.customer_id
            )
            if version is not None:
                customer = uuid.UUID(str(customer))
                self.seen[customer] = max(self.seen[customer], version)

"""B7: the design the product replaces. Load the latest, apply, save, per
command, with no conflict detection: a stale edit silently overwrites."""

from __future__ import annotations

import time
import uuid

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from application import Customers
from bench.measures import registered
from bench.stores import fresh_store
from bench.workload import Workload


class NaiveCustomer(Aggregate):
    INITIAL_VERSION = 0

    def __init__(self, name: str) -> None:
        self.values = {"name": name}

    @classmethod
    def register(cls, customer_id: uuid.UUID, name: str) -> NaiveCustomer:
        return cls._create(cls.Created, id=customer_id, name=name)

    @event("Changed")
    def change(self, field: str, value: object) -> None:
        self.values[field] = value


def naive(commands: int, customers: int) -> dict:
    """Rate, and edits silently lost: a command applied from a base older than
    another client's change of the same field erases that change unseen."""
    with fresh_store("sqlite") as env:
        app = Application(env=env)
        try:
            ids = [uuid.uuid4() for _ in range(customers)]
            for start in range(0, customers, 500):
                app.save(
                    *(
                        NaiveCustomer.register(cid, name=f"Customer {n}")
                        for n, cid in enumerate(ids[start : start + 500], start)
                    )
                )
            workload = Workload(ids)
            last_change: dict[tuple, tuple[int, str]] = {}
            lost, spent = 0, 0.0
            for client, batch in workload.batches(commands):  # made untimed, as in B1
                started = time.perf_counter()
                for command in batch:
                    customer_id = uuid.UUID(command["customer_id"])
                    [(field, value)] = command["payload"].items()
                    customer = app.repository.get(customer_id)
                    previous = last_change.get((customer_id, field))
                    if (
                        previous
                        and previous[0] > command["base_version"]
                        and previous[1] != client
                    ):
                        lost += 1
                    customer.change(field=field, value=value)
                    app.save(customer)
                    last_change[(customer_id, field)] = (customer.version, client)
                    workload.seen[customer_id] = customer.version
                spent += time.perf_counter() - started
            rate = commands / spent
        finally:
            app.close()
    return {"naive": rate, "naive_lost_edits": lost}


def ours_lost(commands: int, customers: int) -> int:
    """Commands of the same workload with no verdict recorded anywhere."""
    with fresh_store("sqlite") as env:
        app = Customers(env=env)
        try:
            workload = Workload(registered(app, customers))
            sent = set()
            for client, batch in workload.batches(commands):
                sent |= {c["command_id"] for c in batch}
                workload.saw(app.submit(client, "employee", batch))
            recorded = {
                str(e.command_id)
                for cid in workload.customer_ids
                for e in app.history(cid)
            }
            return len(sent - recorded)
        finally:
            app.close()

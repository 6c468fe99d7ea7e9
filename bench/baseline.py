"""The raw library on the same kind of store: what a save costs with no product."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from application.event_format import STORED_FORMAT
from customer_domain.customer import Customer
from customer_domain.vocabulary import ACTIVE, Verdict


class Note(Aggregate):
    INITIAL_VERSION = 0

    def __init__(self, text: str) -> None:
        self.text = text

    @event("Changed")
    def change(self, text: str) -> None:
        self.text = text


def raw_rate(
    env: dict[str, str], events: int, per_save: int, aggregates: int = 1000
) -> float:
    """Events per second saving ``per_save`` events of ``aggregates`` per save()."""
    notes = [Note(text="first") for _ in range(aggregates)]
    return _saving_rate(
        env, notes, events, per_save, lambda note, n: note.change(text=f"text {n}")
    )


def provenance(n: int, at: datetime, command_id: uuid.UUID) -> dict[str, Any]:
    """What a recorded command carries: who, when, from which base, with what verdict."""
    return {
        "command_id": command_id,
        "client_id": f"laptop-{n % 10}",
        "author": "employee",
        "issued_at": at,
        "effective_at": at,
        "received_at": at,
        "base_version": n,
        "verdict": Verdict.APPLIED,
        "reason": None,
        "detail": None,
        "conflict_id": None,
        "fingerprint": f"{n:032x}",
        "latest_effective_at": at,
    }


def registered(name: str, at: datetime) -> Customer:
    """A new customer, as a registration with its provenance records it."""
    return Customer.register(
        uuid.uuid4(),
        **provenance(0, at, uuid.uuid4()),
        name=name,
        email=None,
        phone=None,
        address=None,
        supplier=None,
        description=None,
        status=ACTIVE,
    )


def product_event_rate(
    env: dict[str, str], events: int, per_save: int = 500, aggregates: int = 1000
) -> float:
    """(c): events per second recording this product's own events with the raw
    library, ``per_save`` per save(): a field change with its provenance and
    the value it replaced, applied to the customer, with no decision made;
    stored in the product's own format (set on this application alone, so the
    raw baselines keep the library's defaults)."""
    start_at = datetime.now(UTC)
    customers = [registered(f"Customer {n}", start_at) for n in range(aggregates)]

    # the commands' ids are the clients' (made before the clock, as B1's commands are)
    command_ids = [uuid.uuid4() for _ in range(events)]

    def change(customer: Customer, n: int) -> None:
        at = start_at + timedelta(microseconds=n + 1)
        previous = customer.fields["supplier"].as_dict()
        customer.record(
            Customer.SupplierChanged,
            **provenance(customer.version, at, command_ids[n]),
            value=f"Supplier {n}",
            previous=previous,
        )

    return _saving_rate({**env, **STORED_FORMAT}, customers, events, per_save, change)


def _saving_rate(
    env: dict[str, str],
    aggregates: list[Aggregate],
    events: int,
    per_save: int,
    change: Callable[[Any, int], None],
) -> float:
    """Save ``aggregates``, then time ``events`` changes, ``change(aggregate, n)``
    round the aggregates, ``per_save`` per save(): events per second."""
    app = Application(env=env)
    try:
        for start in range(0, len(aggregates), 500):
            app.save(*aggregates[start : start + 500])
        started = time.perf_counter()
        for start in range(0, events, per_save):
            batch = []
            for n in range(start, min(start + per_save, events)):
                aggregate = aggregates[n % len(aggregates)]
                change(aggregate, n)
                batch.append(aggregate)
            app.save(*batch)
        return events / (time.perf_counter() - started)
    finally:
        app.close()

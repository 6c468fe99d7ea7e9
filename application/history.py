"""The merge engine's view of a customer's recorded events."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import EventStore

from customer_domain.customer import Customer
from customer_domain.state import Receipt


class StoredHistory:
    """Reads the event store (and the customer's unsaved events) lazily:
    one event for the time the author had seen, and only the events after
    the base version to find a field's value there."""

    def __init__(self, events: EventStore, customer: Customer) -> None:
        self.events = events
        self.customer = customer
        # Times read from the store, by version: a client long offline sends
        # every command of a batch on the same old version, read once.
        self._effective_at_read: dict[int, datetime] = {}

    @property
    def saved_version(self) -> int:
        return self.customer.version - len(self.customer.pending_events)

    def latest_effective_at(self, version: int) -> datetime:
        recent = self.customer.recent_latest_effective_at
        back = self.customer.version - version
        if back < len(recent):
            return recent[-1 - back]
        read = self._effective_at_read.get(version)
        if read is None:
            event = next(self._events_after(version - 1, page_size=1))
            read = self._effective_at_read[version] = event.latest_effective_at
        return read

    def value_at(self, field: str, version: int) -> Any:
        if self.customer.fields[field].version <= version:  # not set since
            return self.customer.value(field)
        prior = self.customer.prior_values.get(field)
        if prior is not None and prior.version <= version:  # set once since
            return prior.value
        for event in self._events_after(version, page_size=4):
            if field in event.changes():
                return event.previous["value"]
        return self.customer.value(field)

    def receipt(self, command_id: UUID) -> Receipt | None:
        """Confirmed against the event at each version the customer's index
        names for the id: one event read for a re-send, none for a new id but
        about once in 2**32."""
        for version in self.customer.commands.versions_of(command_id):
            event = next(self._events_after(version - 1, page_size=1))
            if event.command_id == command_id:
                return event.receipt()
        return None

    def _events_after(self, version: int, page_size: int) -> Iterator[Customer.Recorded]:
        """Events after ``version``, read in pages that grow from ``page_size``."""
        saved = self.saved_version
        while version < saved:
            page = list(
                self.events.get(self.customer.id, gt=version, lte=saved, limit=page_size)
            )
            yield from page
            version = page[-1].originator_version
            page_size = min(page_size * 4, 256)
        for event in self.customer.pending_events:
            if event.originator_version > version:
                yield event

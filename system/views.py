"""The read model: customer views and the conflict inbox, as JSON documents.

Pure functions of a customer event and the documents it changes; the
recorders run them inside the transaction that records the tracking position.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from customer_domain.customer import Customer
from customer_domain.vocabulary import CONFLICT_OPEN, CONFLICT_RESOLVED, FIELDS


class DocumentStore(Protocol):
    """The read model's tables, inside the transaction of one page."""

    def customers_many(self, ids: set[str]) -> dict[str, dict[str, Any]]: ...

    def conflicts_many(self, ids: set[str]) -> dict[str, dict[str, Any]]: ...

    def put_customers(self, views: list[dict[str, Any]]) -> None: ...

    def put_conflicts(self, conflicts: list[dict[str, Any]]) -> None: ...


class ViewStore(Protocol):
    """The documents one projection step reads and writes."""

    def customer(self, customer_id: str) -> dict[str, Any] | None: ...

    def put_customer(self, view: dict[str, Any]) -> None: ...

    def conflict(self, conflict_id: str) -> dict[str, Any] | None: ...

    def put_conflict(self, conflict: dict[str, Any]) -> None: ...


class PageViews:
    """The documents of one page of events: read once (in two queries), changed
    in memory event by event, written once each when the page is done."""

    def __init__(
        self, store: DocumentStore, customer_ids: set[str], conflict_ids: set[str]
    ) -> None:
        self.store = store
        self.customers = store.customers_many(customer_ids)
        self.conflicts = store.conflicts_many(conflict_ids)
        self.changed_customers: set[str] = set()
        self.changed_conflicts: set[str] = set()

    def customer(self, customer_id: str) -> dict[str, Any] | None:
        return self.customers.get(customer_id)

    def put_customer(self, view: dict[str, Any]) -> None:
        self.customers[view["customer_id"]] = view
        self.changed_customers.add(view["customer_id"])

    def conflict(self, conflict_id: str) -> dict[str, Any] | None:
        return self.conflicts.get(conflict_id)

    def put_conflict(self, conflict: dict[str, Any]) -> None:
        self.conflicts[conflict["conflict_id"]] = conflict
        self.changed_conflicts.add(conflict["conflict_id"])

    def write(self) -> None:
        self.store.put_customers([self.customers[k] for k in self.changed_customers])
        self.store.put_conflicts([self.conflicts[k] for k in self.changed_conflicts])


def project_page(
    events: list[tuple[Customer.Recorded, int]], store: DocumentStore
) -> None:
    """Apply a page of events, each at its position, through ``store``."""
    customer_ids = [str(event.originator_id) for event, _ in events]
    conflict_ids = {str(e.conflict_id) for e, _ in events if e.conflict_id is not None}
    page = PageViews(store, set(customer_ids), conflict_ids)
    for (event, position), customer_id in zip(events, customer_ids):
        project(event, position, page, customer_id)
    page.write()


def jsonable(value: Any) -> Any:
    """The value as JSON would carry it (UUIDs and times as strings)."""
    if value is None or value.__class__ is str:
        return value
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return value


def project(
    event: Customer.Recorded,
    position: int,
    store: ViewStore,
    customer_id: str | None = None,
) -> None:
    """Apply one customer event, at ``position`` in the customers' log
    (``customer_id``: its customer's id as text, if already at hand)."""
    customer_id = customer_id or str(event.originator_id)
    if isinstance(event, Customer.Registered):
        view = {"customer_id": customer_id, "fields": {}, "conflicts": []}
    else:
        view = store.customer(customer_id)
        if view is None:
            msg = f"event {event.originator_version} of unknown customer {customer_id}"
            raise LookupError(msg)
    view["version"] = event.originator_version
    view["position"] = position
    for field, value in event.changes().items():
        view[field] = jsonable(value)
        view["fields"][field] = _provenance(event)
    if isinstance(event, Customer.ChangeUnchanged) and event.restamped:
        view["fields"][event.field] = _provenance(event)
    conflict = _project_conflict(event, store)
    if conflict is not None:
        store.put_conflict(conflict)
        others = [
            c for c in view["conflicts"] if c["conflict_id"] != conflict["conflict_id"]
        ]
        view["conflicts"] = (
            others + [conflict] if conflict["status"] == CONFLICT_OPEN else others
        )
    store.put_customer(view)


def _provenance(event: Customer.Recorded) -> dict[str, Any]:
    return {
        "version": event.originator_version,
        "changed_by": event.author,
        "changed_at": event.effective_at.isoformat(),
    }


def _project_conflict(event: Customer.Recorded, store: ViewStore) -> dict | None:
    if isinstance(event, Customer.ConflictOpened):
        return {
            "conflict_id": str(event.conflict_id),
            "customer_id": str(event.originator_id),
            "field": event.field,
            "status": CONFLICT_OPEN,
            "base_value": jsonable(event.base_value),
            "current": jsonable(event.current),
            "candidates": [jsonable(event.candidate)],
            "opened_at": event.effective_at.isoformat(),
            "resolution": None,
        }
    if isinstance(event, Customer.ConflictCandidateAdded | Customer.ConflictResolved):
        conflict = store.conflict(str(event.conflict_id))
        if conflict is None:
            msg = f"event {event.originator_version} of unknown conflict {event.conflict_id}"
            raise LookupError(msg)
        if isinstance(event, Customer.ConflictCandidateAdded):
            conflict["candidates"].append(jsonable(event.candidate))
        else:
            conflict["status"] = CONFLICT_RESOLVED
            conflict["resolution"] = jsonable(event.resolution())
        return conflict
    return None


def history_event(event: Customer.Recorded) -> dict[str, Any]:
    """One recorded command as the history shows it: provenance, verdict, changes,
    then whatever else the event carries (an overwritten value, a conflict)."""
    common = {
        "version": event.originator_version,
        "type": type(event).__name__,
        "recorded_at": event.timestamp,
        "command_id": event.command_id,
        "client_id": event.client_id,
        "author": event.author,
        "issued_at": event.issued_at,
        "effective_at": event.effective_at,
        "received_at": event.received_at,
        "base_version": event.base_version,
        "status": event.verdict,
        "reason": event.reason,
        "detail": event.detail,
        "conflict_id": event.conflict_id,
        "changes": event.changes(),
    }
    skip = {
        "originator_id",
        "originator_version",
        "timestamp",
        "fingerprint",
        "verdict",
        "latest_effective_at",
        "originator_topic",
        *FIELDS,
    }
    extra = {k: v for k, v in vars(event).items() if k not in common and k not in skip}
    return jsonable({**common, **extra})

"""The read model: customer views and the conflict inbox, as JSON documents.

Pure functions of a customer event and the documents it changes; the
recorders run them inside the transaction that records the tracking position.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from customer_domain import Customer
from customer_domain.fields import FIELDS


class ViewStore(Protocol):
    """The documents one projection step reads and writes (inside its transaction)."""

    def customer(self, customer_id: str) -> dict[str, Any] | None: ...

    def put_customer(self, view: dict[str, Any]) -> None: ...

    def conflict(self, conflict_id: str) -> dict[str, Any] | None: ...

    def put_conflict(self, conflict: dict[str, Any]) -> None: ...


def jsonable(value: Any) -> Any:
    """The value as JSON would carry it (UUIDs and times as strings)."""
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return value


def project(event: Customer.Recorded, position: int, store: ViewStore) -> None:
    """Apply one customer event, at ``position`` in the customers' log."""
    customer_id = str(event.originator_id)
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
        others = [c for c in view["conflicts"] if c["conflict_id"] != conflict["conflict_id"]]
        view["conflicts"] = others + [conflict] if conflict["status"] == "open" else others
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
            "status": "open",
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
            conflict["status"] = "resolved"
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
    skip = {"originator_id", "originator_version", "timestamp", "fingerprint", "verdict",
            "latest_effective_at", "originator_topic", *FIELDS}
    extra = {k: v for k, v in vars(event).items() if k not in common and k not in skip}
    return jsonable({**common, **extra})

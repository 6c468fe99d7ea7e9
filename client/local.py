"""The employee's view: the local copy with queued edits laid over it."""

from __future__ import annotations

import uuid
from typing import Any

from client.resolutions import chosen_value
from client.store import Store
from customer_domain.fields import check_value
from customer_domain.vocabulary import (
    ACTIVE,
    COMMAND_OF_FIELD,
    FIELD_OF_COMMAND,
    FIELDS,
    REGISTER,
    RESOLVE,
)


class UnknownCustomer(LookupError):
    """Raised when a customer is neither in the local copy nor queued."""


def overlaid(store: Store, customer_id: str) -> dict[str, Any]:
    """The customer as the employee sees it: its pulled view, then every queued
    command on it applied in order; ``pending`` names the fields they change,
    and a conflict with a queued resolution carries it as ``queued_resolution``."""
    return _overlay(customer_id, store.view(customer_id), store.pending(customer_id))


def all_overlaid(store: Store) -> list[dict[str, Any]]:
    """Every customer as the employee sees it, by name (the store read once)."""
    views = {v["customer_id"]: v for v in store.views()}
    queued: dict[str, list[dict[str, Any]]] = {}
    for envelope in store.pending():
        queued.setdefault(envelope["customer_id"], []).append(envelope)
    ids = set(views) | {
        cid
        for cid, envelopes in queued.items()
        if any(e["type"] == REGISTER for e in envelopes)
    }
    return sorted(
        (_overlay(cid, views.get(cid), queued.get(cid, [])) for cid in ids),
        key=lambda c: (str(c.get("name") or "").lower(), c["customer_id"]),
    )


def _overlay(
    customer_id: str, view: dict[str, Any] | None, queued: list[dict[str, Any]]
) -> dict[str, Any]:
    customer = dict(view) if view else None
    pending: list[str] = []
    for envelope in queued:
        payload = envelope["payload"]
        if envelope["type"] == REGISTER and customer is None:
            customer = {
                "customer_id": customer_id,
                "version": None,
                "conflicts": [],
                **{f: payload.get(f) for f in FIELDS},
                "status": ACTIVE,
            }
            pending.extend(FIELDS)
        elif envelope["type"] in FIELD_OF_COMMAND and customer is not None:
            field = FIELD_OF_COMMAND[envelope["type"]]
            customer[field] = payload[field]
            pending.append(field)
        elif envelope["type"] == RESOLVE and customer is not None:
            customer["conflicts"] = [
                _resolving(customer, conflict, payload, pending)
                for conflict in customer["conflicts"]
            ]
    if customer is None:
        raise UnknownCustomer(customer_id)
    customer["pending"] = sorted(set(pending), key=FIELDS.index)
    return customer


def _resolving(
    customer: dict[str, Any],
    conflict: dict[str, Any],
    resolution: dict[str, Any],
    pending: list[str],
) -> dict[str, Any]:
    """The conflict, with the resolution laid over it if it is this one's (the
    first one queued: the server rejects the later ones)."""
    if conflict["conflict_id"] != resolution["conflict_id"] or (
        "queued_resolution" in conflict
    ):
        return conflict
    customer[conflict["field"]] = chosen_value(conflict, resolution)
    pending.append(conflict["field"])
    return {**conflict, "queued_resolution": resolution}


def base_version(store: Store, customer_id: str) -> int:
    """The server version of the local copy (0 for a customer still only queued)."""
    view = store.view(customer_id)
    if view is not None:
        return view["version"]
    if any(e["type"] == REGISTER for e in store.pending(customer_id)):
        return 0
    raise UnknownCustomer(customer_id)


def envelope(
    kind: str, customer_id: str, payload: dict[str, Any], base: int | None
) -> dict[str, Any]:
    """A new command (``issued_at`` is stamped when it is queued)."""
    return {
        "command_id": str(uuid.uuid4()),
        "type": kind,
        "customer_id": customer_id,
        "base_version": base,
        "payload": payload,
    }


def edits(
    store: Store, customer_id: str, changes: dict[str, Any]
) -> list[dict[str, Any]]:
    """One fine-grained command per changed field, all from the local copy's
    version; raises InvalidValueError for a value that breaks its rule."""
    base = base_version(store, customer_id)
    return [
        envelope(
            COMMAND_OF_FIELD[field], customer_id, {field: check_value(field, value)}, base
        )
        for field, value in changes.items()
    ]


def registration(values: dict[str, Any]) -> dict[str, Any]:
    checked = {field: check_value(field, value) for field, value in values.items()}
    return envelope(REGISTER, str(uuid.uuid4()), checked, None)

"""The read model as the spec defines it, folded from the history API's events
by test code alone (nothing of system/ or customer_domain/ is used): the oracle
the live read model is held to.

Values come from the commands as sent; provenance, a re-assertion's stamp, a
conflict's base value and current value are worked out from the fold itself and
checked against what each event says, so an event that carries a wrong detail
is caught as well as a projection that shows one."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

FIELDS = ("name", "email", "phone", "address", "supplier", "description", "status")
FIELD_OF = {
    "ChangeName": "name",
    "ChangeEmail": "email",
    "ChangePhone": "phone",
    "ChangeAddress": "address",
    "ChangeSupplier": "supplier",
    "ChangeDescription": "description",
    "ChangeStatus": "status",
}


def stamp(event: dict[str, Any]) -> tuple:
    """A command's last-writer-wins stamp: (effective_at, client_id, command_id)."""
    return (
        datetime.fromisoformat(event["effective_at"]),
        event["client_id"],
        event["command_id"],
    )


class CustomerOracle:
    """One customer's view and conflicts, event after event."""

    def __init__(self, customer_id: str, sent: dict[str, dict]) -> None:
        self.customer_id = customer_id
        self.sent = sent  # command_id -> the envelope sent
        self.version = -1
        self.values: dict[str, Any] = {}
        self.provenance: dict[str, dict[str, Any]] = {}  # field -> value with provenance
        self.stamps: dict[str, tuple] = {}  # field -> the stamp of its provenance
        self.values_at: list[dict[str, Any]] = []  # by version
        self.conflicts: dict[str, dict[str, Any]] = {}
        self.open_by_field: dict[str, str] = {}

    def fold(self, events: list[dict[str, Any]]) -> None:
        for event in events:
            self.version += 1
            assert event["version"] == self.version, event
            self.apply(event, self.sent[event["command_id"]])
            self.values_at.append(dict(self.values))

    def apply(self, event: dict[str, Any], envelope: dict[str, Any]) -> None:
        kind, status, payload = envelope["type"], event["status"], envelope["payload"]
        changes: dict[str, Any] = {}
        if kind == "RegisterCustomer":
            changes = {f: payload.get(f) for f in FIELDS if f != "status"}
            changes["status"] = "active"
        elif kind in FIELD_OF:
            field, value = FIELD_OF[kind], payload[FIELD_OF[kind]]
            if status in ("applied", "merged"):
                changes = {field: value}
            elif status == "unchanged":
                self.reasserted(event, field, value)
            elif status == "conflict":
                self.conflicted(event, field, value)
        elif status == "applied":  # a resolution
            changes = self.resolved(event, payload)
        assert event["changes"] == changes, (event, changes)
        for field, value in changes.items():
            self.set(field, value, event)

    def set(self, field: str, value: Any, event: dict[str, Any]) -> None:
        self.values[field] = value
        self.provenance[field] = {
            "value": value,
            "version": event["version"],
            "author": event["author"],
            "client_id": event["client_id"],
            "command_id": event["command_id"],
            "issued_at": event["issued_at"],
            "changed_at": event["effective_at"],
        }
        self.stamps[field] = stamp(event)

    def reasserted(self, event: dict[str, Any], field: str, value: Any) -> None:
        """The same value again: the field keeps the greater stamp and its provenance."""
        assert self.values[field] == value, event
        greater = stamp(event) > self.stamps[field]
        assert event["restamped"] == greater, event
        if greater:
            self.set(field, value, event)

    def candidate(self, event: dict[str, Any], value: Any) -> dict[str, Any]:
        return {
            "value": value,
            "command_id": event["command_id"],
            "author": event["author"],
            "client_id": event["client_id"],
            "issued_at": event["issued_at"],
            "effective_at": event["effective_at"],
        }

    def conflicted(self, event: dict[str, Any], field: str, value: Any) -> None:
        conflict_id = event["conflict_id"]
        if field in self.open_by_field:  # joins the field's open conflict
            assert conflict_id == self.open_by_field[field], event
            self.conflicts[conflict_id]["candidates"].append(self.candidate(event, value))
            return
        assert conflict_id not in self.conflicts, event
        base_value = self.values_at[event["base_version"]][field]
        current = copy.deepcopy(self.provenance[field])
        assert (event["base_value"], event["current"]) == (base_value, current), event
        self.conflicts[conflict_id] = {
            "conflict_id": conflict_id,
            "customer_id": self.customer_id,
            "field": field,
            "status": "open",
            "base_value": base_value,
            "current": current,
            "candidates": [self.candidate(event, value)],
            "opened_at": event["effective_at"],
            "resolution": None,
        }
        self.open_by_field[field] = conflict_id

    def resolved(self, event: dict[str, Any], payload: dict[str, Any]) -> dict[str, Any]:
        conflict = self.conflicts[payload["conflict_id"]]
        field = conflict["field"]
        assert self.open_by_field.pop(field) == conflict["conflict_id"], event
        if payload["choice"] == "current":
            chosen = copy.deepcopy(self.provenance[field])
        elif payload["choice"] == "candidate":
            [chosen] = [
                c
                for c in conflict["candidates"]
                if c["command_id"] == payload["candidate_command_id"]
            ]
        else:
            chosen = self.candidate(event, payload["value"])
        conflict["status"] = "resolved"
        conflict["resolution"] = {
            "choice": payload["choice"],
            "value": chosen["value"],
            "chosen": chosen,
            "resolved_by": event["author"],
            "resolved_at": event["effective_at"],
            "version": event["version"],
        }
        return {field: chosen["value"]}

    def view(self) -> dict[str, Any]:
        """The customer's view, but its position (which the history does not hold)."""
        return {
            "customer_id": self.customer_id,
            "version": self.version,
            **self.values,
            "fields": {
                f: {
                    "version": p["version"],
                    "changed_by": p["author"],
                    "changed_at": p["changed_at"],
                }
                for f, p in self.provenance.items()
            },
            "conflicts": sorted(
                (c for c in self.conflicts.values() if c["status"] == "open"),
                key=lambda c: c["conflict_id"],
            ),
        }

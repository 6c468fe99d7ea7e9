"""A customer's state at one version, as the library's snapshot store keeps it.

Every attribute of the aggregate is written as plain data (lists, dicts,
strings, numbers, times, ids and bytes), which any transcoder of the event
store can hold, and read back into the same objects. A transcoder may give
back an id nested in that data as text: ids are made UUIDs again on reading.
"""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from eventsourcing.domain import Snapshot
from eventsourcing.utils import get_topic

from customer_domain.command_index import CommandIndex
from customer_domain.customer import Customer
from customer_domain.state import ChangeMarks, Conflict, FieldValue


class CustomerSnapshot(Snapshot):
    """Takes and restores every attribute of a Customer (``ATTRIBUTES``)."""

    # The aggregate's own attributes, besides the library's id, version and times.
    ATTRIBUTES = (
        "fields",
        "prior_values",
        "field_marks",
        "any_field_marks",
        "conflicts",
        "open_conflicts",
        "commands",
        "client_clocks",
        "recent_latest_effective_at",
    )

    @classmethod
    def take(cls, aggregate: Any) -> CustomerSnapshot:
        customer = cast(Customer, aggregate)
        state = dict(vars(customer))
        for private in ("_id", "_version", "_pending_events"):
            state.pop(private)
        unknown = set(state) - set(cls.ATTRIBUTES) - {"_created_on", "_modified_on"}
        if unknown:
            msg = f"the snapshot does not know how to keep {sorted(unknown)}"
            raise TypeError(msg)
        state.update(_plain(customer))
        return cls(
            originator_id=customer.id,
            originator_version=customer.version,
            timestamp=cls.create_timestamp(),
            topic=get_topic(type(customer)),
            state=state,
        )

    def mutate(self, _: None) -> Customer:
        customer = cast(Customer, super().mutate(None))
        vars(customer).update(_objects(self.state))
        return customer


def _plain(customer: Customer) -> dict[str, Any]:
    digests, slots = customer.commands.as_bytes()
    return {
        # values and marks as the lists of their fields, in order
        "fields": {name: list(v) for name, v in customer.fields.items()},
        "prior_values": {name: list(v) for name, v in customer.prior_values.items()},
        "field_marks": {name: list(m) for name, m in customer.field_marks.items()},
        "any_field_marks": list(customer.any_field_marks),
        "conflicts": [
            [
                c.conflict_id,
                c.field,
                c.base_value,
                c.current,
                list(c.candidates),
                c.opened_at,
                c.resolution,
            ]
            for c in customer.conflicts.values()
        ],
        "open_conflicts": dict(customer.open_conflicts),
        "commands": [digests, slots],
        "client_clocks": dict(customer.client_clocks),
        "recent_latest_effective_at": list(customer.recent_latest_effective_at),
    }


def _objects(state: dict[str, Any]) -> dict[str, Any]:
    conflicts = [
        Conflict(
            _uuid(conflict_id),
            field,
            base_value,
            current,
            tuple(candidates),
            opened_at,
            resolution,
        )
        for conflict_id, field, base_value, current, candidates, opened_at, resolution in state[
            "conflicts"
        ]
    ]
    return {
        "fields": {name: FieldValue(*value) for name, value in state["fields"].items()},
        # (snapshots taken before prior values were kept have none: the
        # history is read for them instead)
        "prior_values": {
            name: FieldValue(*value)
            for name, value in state.get("prior_values", {}).items()
        },
        "field_marks": {
            name: ChangeMarks(*m) for name, m in state["field_marks"].items()
        },
        "any_field_marks": ChangeMarks(*state["any_field_marks"]),
        "conflicts": {conflict.conflict_id: conflict for conflict in conflicts},
        "open_conflicts": {
            field: _uuid(conflict_id)
            for field, conflict_id in state["open_conflicts"].items()
        },
        "commands": CommandIndex.from_bytes(*state["commands"]),
        "client_clocks": dict(state["client_clocks"]),
        "recent_latest_effective_at": list(state["recent_latest_effective_at"]),
    }


def _uuid(value: UUID | str) -> UUID:
    return value if isinstance(value, UUID) else UUID(value)

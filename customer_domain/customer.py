"""The Customer aggregate: one stream per customer, one event per recorded command."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from functools import cache
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from customer_domain.command_index import CommandIndex
from customer_domain.state import ChangeMarks, Conflict, FieldValue, Receipt
from customer_domain.vocabulary import CLOSED, FIELDS

RECENT = 64  # versions whose latest effective time a customer keeps at hand
NOT_CHANGED = ChangeMarks()


class Customer(Aggregate):
    """A customer, and the audit of everything anyone tried to change on it."""

    INITIAL_VERSION = 0

    class Recorded(Aggregate.Event):
        """A command, its provenance and its verdict. Every event is one of these."""

        command_id: UUID
        client_id: str
        author: str
        issued_at: datetime
        effective_at: datetime
        received_at: datetime
        base_version: int | None
        verdict: str
        reason: str | None
        detail: str | None
        conflict_id: UUID | None
        fingerprint: str
        latest_effective_at: datetime

        def apply(self, customer: Customer) -> None:
            customer.commands.add(self.command_id, self.originator_version)
            customer.client_clocks[self.client_id] = self.effective_at
            recent = customer.recent_latest_effective_at
            recent.append(self.latest_effective_at)
            if len(recent) > RECENT:
                del recent[0]

        def receipt(self) -> Receipt:
            """The verdict this event recorded, as a re-send is answered."""
            return Receipt(
                self.originator_version,
                self.fingerprint,
                self.verdict,
                self.reason,
                self.detail,
                self.conflict_id,
            )

        def provenance(self, value: Any) -> FieldValue:
            return FieldValue(
                value,
                self.originator_version,
                self.author,
                self.client_id,
                str(self.command_id),
                self.issued_at,
                self.effective_at,
            )

        def changes(self) -> dict[str, Any]:
            """The fields this event set, with their new values."""
            return {}

    class Registered(Recorded, Aggregate.Created):
        name: str
        email: str | None
        phone: str | None
        address: dict[str, str] | None
        supplier: str | None
        description: str | None
        status: str

        def apply(self, customer: Customer) -> None:
            super().apply(customer)
            for field, value in self.changes().items():
                customer.set_value(field, self.provenance(value))

        def changes(self) -> dict[str, Any]:
            return {field: getattr(self, field) for field in FIELDS}

    class FieldChanged(Recorded):
        """A field set by its fine-grained command (applied or merged)."""

        field: ClassVar[str]  # set by each field's own subclass
        value: Any
        previous: dict[str, Any]

        def apply(self, customer: Customer) -> None:
            super().apply(customer)
            customer.set_value(self.field, self.provenance(self.value))

        def changes(self) -> dict[str, Any]:
            return {self.field: self.value}

    class NameChanged(FieldChanged):
        field = "name"

    class EmailChanged(FieldChanged):
        field = "email"

    class PhoneChanged(FieldChanged):
        field = "phone"

    class AddressChanged(FieldChanged):
        field = "address"

    class SupplierChanged(FieldChanged):
        field = "supplier"

    class DescriptionChanged(FieldChanged):
        field = "description"

    class StatusChanged(FieldChanged):
        field = "status"

    class ChangeUnchanged(Recorded):
        """The value sent was already the field's; the greater stamp is kept."""

        field: str
        restamped: bool

        def apply(self, customer: Customer) -> None:
            super().apply(customer)
            if self.restamped:
                value = customer.fields[self.field].value
                customer.replace_value(self.field, self.provenance(value))

    class ChangeSuperseded(Recorded):
        """Under last-writer-wins, a value with a greater stamp already stands."""

        field: str
        value: Any
        winner: dict[str, Any]

    class CommandRejected(Recorded):
        """Refused by a rule; ``current`` is the value that stands, if relevant."""

        field: str | None
        value: Any
        current: dict[str, Any] | None

    class ConflictOpened(Recorded):
        field: str
        base_value: Any
        current: dict[str, Any]
        candidate: dict[str, Any]

        def apply(self, customer: Customer) -> None:
            super().apply(customer)
            assert self.conflict_id is not None
            customer.conflicts[self.conflict_id] = Conflict(
                conflict_id=self.conflict_id,
                field=self.field,
                base_value=self.base_value,
                current=self.current,
                candidates=(self.candidate,),
                opened_at=self.effective_at,
            )
            customer.open_conflicts[self.field] = self.conflict_id

    class ConflictCandidateAdded(Recorded):
        field: str
        candidate: dict[str, Any]

        def apply(self, customer: Customer) -> None:
            super().apply(customer)
            assert self.conflict_id is not None
            conflict = customer.conflicts[self.conflict_id]
            customer.conflicts[self.conflict_id] = conflict.with_candidate(self.candidate)

    class ConflictResolved(Recorded):
        """The field set by a resolver; ``chosen`` says whose value it was."""

        field: str
        value: Any
        choice: str
        chosen: dict[str, Any]
        previous: dict[str, Any]

        def apply(self, customer: Customer) -> None:
            super().apply(customer)
            assert self.conflict_id is not None
            conflict = customer.conflicts[self.conflict_id]
            customer.conflicts[self.conflict_id] = conflict.resolved(self.resolution())
            del customer.open_conflicts[self.field]
            customer.set_value(self.field, self.provenance(self.value))

        def resolution(self) -> dict[str, Any]:
            return {
                "choice": self.choice,
                "value": self.value,
                "chosen": self.chosen,
                "resolved_by": self.author,
                "resolved_at": self.effective_at,
                "version": self.originator_version,
            }

        def changes(self) -> dict[str, Any]:
            return {self.field: self.value}

    def __init__(self) -> None:
        self.fields: dict[str, FieldValue] = {}
        # The value each field held before its current one: the value at any
        # version from that one's to the current one's, with no event read.
        self.prior_values: dict[str, FieldValue] = {}
        self.field_marks: dict[str, ChangeMarks] = {}
        self.any_field_marks = NOT_CHANGED
        self.conflicts: dict[UUID, Conflict] = {}
        self.open_conflicts: dict[str, UUID] = {}
        # Which command each version recorded, to answer re-sends (the
        # events themselves hold the verdicts).
        self.commands = CommandIndex()
        self.client_clocks: dict[str, datetime] = {}
        # The latest effective time at each of the last RECENT versions, oldest first.
        self.recent_latest_effective_at: list[datetime] = []

    def fork(self) -> Customer:
        """A copy to decide on, leaving this customer as it is until the copy is
        saved in its place: a decision that loses a race to another writer is
        then dropped with its copy. Containers (whatever has ``copy``) are
        copied; the values in them never change once made, and are shared."""
        if self.pending_events:
            msg = f"customer {self.id} has unsaved events: fork it before deciding"
            raise ValueError(msg)
        fork = object.__new__(Customer)
        for name, value in vars(self).items():
            copy = getattr(value, "copy", None)
            setattr(fork, name, value if copy is None else copy())
        return fork

    def set_value(self, field: str, value: FieldValue) -> None:
        """A field changed: its new value, and where it changed."""
        self.replace_value(field, value)
        client = value.client_id
        self.field_marks[field] = self.field_marks.get(field, NOT_CHANGED).changed(
            value.version, client
        )
        self.any_field_marks = self.any_field_marks.changed(value.version, client)

    def replace_value(self, field: str, value: FieldValue) -> None:
        """A field's value (or its provenance) replaced; the one before kept."""
        before = self.fields.get(field)
        if before is not None:
            self.prior_values[field] = before
        self.fields[field] = value

    def value(self, field: str) -> Any:
        return self.fields[field].value

    @property
    def latest_effective_at(self) -> datetime:
        """The latest effective time of all the customer's events."""
        return self.recent_latest_effective_at[-1]

    @property
    def is_closed(self) -> bool:
        return self.value("status") == CLOSED

    def changed_by_others_after(
        self, version: int, client_id: str, field: str | None = None
    ) -> bool:
        """Whether a client other than ``client_id`` set ``field`` (or any
        field) at a version later than ``version``."""
        marks = self.any_field_marks if field is None else self.field_marks[field]
        return marks.latest_not_by(client_id) > version

    @staticmethod
    def changed_event(field: str) -> type[FieldChanged]:
        """The event class of a field's own change (``NameChanged`` for name)."""
        return _CHANGED_EVENTS[field]

    @classmethod
    def register(cls, customer_id: UUID, **attributes: Any) -> Customer:
        """A new customer, its Registered event recording the registration."""
        return cls._create(cls.Registered, id=customer_id, **attributes)

    def record(self, event_class: type[Recorded], **attributes: Any) -> None:
        """Record the one event a command causes.

        As ``trigger_event`` does, but the event is built as the library's
        mapper rebuilds a stored one, its attributes set directly: the
        dataclass constructor's per-attribute frozen assignment cost a third
        of recording. The attributes are checked against the class's all the
        same (``TypeError``, as the constructor would raise)."""
        if attributes.keys() != _attributes_of(event_class):
            msg = (
                f"{event_class.__qualname__} records "
                f"{sorted(_attributes_of(event_class))}, not {sorted(attributes)}"
            )
            raise TypeError(msg)
        event = object.__new__(event_class)
        event.__dict__.update(
            attributes,
            originator_id=self.id,
            originator_version=self.version + 1,
            timestamp=event_class.create_timestamp(),
        )
        event.mutate(self)
        self._pending_events.append(event)  # the library's list of unsaved events


_CHANGED_EVENTS = {
    field: getattr(Customer, f"{field.title()}Changed") for field in FIELDS
}


@cache
def _attributes_of(event_class: type[Customer.Recorded]) -> frozenset[str]:
    """The attributes an event of this class records, beyond its customer id,
    version and timestamp."""
    return frozenset(field.name for field in fields(event_class)) - {
        "originator_id",
        "originator_version",
        "timestamp",
    }

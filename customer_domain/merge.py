"""The merge engine: the verdict of one command, and the one event to record.

A pure function of the command, who sent it, the customer's state and the
configured policy. What it needs of older events (the effective time the
author had seen, a field's value at the base version, the verdict first
recorded for a re-sent command id) it asks of a ``History``, which reads at
most the events after the base version, or the one event of a re-sent id.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any, NamedTuple, Protocol
from uuid import NAMESPACE_URL, UUID, uuid5

from customer_domain.commands import Command, Sender
from customer_domain.customer import Customer
from customer_domain.errors import InvalidValueError
from customer_domain.fields import check_value
from customer_domain.policy import Policy
from customer_domain.stamps import Stamp, effective_time
from customer_domain.state import FieldValue, Receipt
from customer_domain.vocabulary import (
    ACTIVE,
    CHOICE_CANDIDATE,
    CHOICE_CURRENT,
    DETECT_AGGREGATE,
    FIELDS,
    LAST_WRITER_WINS,
    MANUAL,
    REGISTER,
    RESOLVE,
    Reason,
    Verdict,
)

CONFLICTS_NAMESPACE = uuid5(NAMESPACE_URL, "customers:conflicts")
NO_ATTRIBUTES: Mapping[str, Any] = MappingProxyType({})


class History(Protocol):
    """What the engine may ask of a customer's recorded events."""

    def latest_effective_at(self, version: int) -> datetime:
        """The latest effective time among the events up to ``version``."""

    def value_at(self, field: str, version: int) -> Any:
        """The value ``field`` had at ``version``."""

    def receipt(self, command_id: UUID) -> Receipt | None:
        """The verdict first recorded for ``command_id``, if it was recorded."""


class Decision(NamedTuple):
    """A verdict, and the event that records it (None: nothing recorded)."""

    status: str
    reason: str | None = None
    detail: str | None = None
    conflict_id: UUID | None = None
    event_class: type[Customer.Recorded] | None = None
    attributes: Mapping[str, Any] = NO_ATTRIBUTES
    duplicate: bool = False
    version: int | None = None  # what to report when nothing is recorded

    @property
    def records(self) -> bool:
        """Whether the decision records an event."""
        return self.event_class is not None


def carry_out(
    decision: Decision, command: Command, customer: Customer | None
) -> Customer | None:
    """The customer once the decision's event is recorded on it (a registration
    creates it); the one step from a decision to an event, wherever decisions
    are made."""
    if decision.event_class is None:
        return customer
    if decision.event_class is Customer.Registered:
        return Customer.register(command.customer_id, **decision.attributes)
    assert customer is not None
    customer.record(decision.event_class, **decision.attributes)
    return customer


def decide(
    command: Command,
    sender: Sender,
    customer: Customer | None,
    history: History | None,
    policy: Policy,
) -> Decision:
    """The verdict of ``command`` on ``customer`` (None: no such customer yet).

    ``history`` is needed only when the customer exists.
    """
    if customer is None:
        if command.type == REGISTER:
            return _register(command, sender)
        return Decision(
            Verdict.REJECTED, Reason.CUSTOMER_NOT_FOUND, "no customer has this id"
        )
    assert history is not None
    receipt = history.receipt(command.command_id)
    if receipt is not None:
        if not command.has_fingerprint(receipt.fingerprint):
            return _refused(
                customer,
                Reason.COMMAND_ID_REUSED,
                "this command_id was already used for a different command",
            )
        return Decision(
            receipt.status,
            receipt.reason,
            receipt.detail,
            receipt.conflict_id,
            duplicate=True,
            version=receipt.version,
        )
    if command.type == REGISTER:
        return _refused(
            customer, Reason.CUSTOMER_EXISTS, "a customer with this id exists"
        )
    assert command.base_version is not None
    if command.base_version > customer.version:
        return _refused(
            customer,
            Reason.BASE_VERSION_AHEAD,
            f"the customer is only at version {customer.version}",
        )
    seen_until = history.latest_effective_at(command.base_version)
    record = _Recorder(command, sender, customer, seen_until)
    if command.type == RESOLVE:
        return _resolve(record, customer)
    return _change(record, customer, history, policy)


def _refused(customer: Customer, reason: str, detail: str) -> Decision:
    """A rejection that is not recorded, reporting the current version."""
    return Decision(Verdict.REJECTED, reason, detail, version=customer.version)


def _register(command: Command, sender: Sender) -> Decision:
    try:
        values = {
            f: check_value(f, command.payload.get(f)) for f in FIELDS if f != "status"
        }
    except InvalidValueError as error:
        return Decision(Verdict.REJECTED, Reason.INVALID_VALUE, str(error))
    effective_at = min(command.issued_at, sender.received_at)
    attributes = _recorded(command, sender, effective_at, effective_at, Verdict.APPLIED)
    attributes.update(values, status=ACTIVE)
    return Decision(
        Verdict.APPLIED, event_class=Customer.Registered, attributes=attributes
    )


class _Recorder:
    """Builds recorded decisions with the command's provenance."""

    def __init__(
        self, command: Command, sender: Sender, customer: Customer, seen_until: datetime
    ) -> None:
        self.command = command
        self.sender = sender
        self.effective_at = effective_time(
            command.issued_at,
            sender.received_at,
            seen_until,
            customer.client_clocks.get(sender.client_id),
        )
        self.latest_effective_at = max(customer.latest_effective_at, self.effective_at)

    @property
    def stamp(self) -> Stamp:
        """The command's stamp, ordering it among competing values."""
        return Stamp(self.effective_at, self.sender.client_id, self.command.key)

    def __call__(
        self,
        event_class: type[Customer.Recorded],
        status: str,
        reason: str | None = None,
        detail: str | None = None,
        conflict_id: UUID | None = None,
        **specific: Any,
    ) -> Decision:
        attributes = _recorded(
            self.command,
            self.sender,
            self.effective_at,
            self.latest_effective_at,
            status,
            reason,
            detail,
            conflict_id,
        )
        attributes.update(specific)
        return Decision(status, reason, detail, conflict_id, event_class, attributes)

    def candidate(self, value: Any) -> dict[str, Any]:
        return {
            "value": value,
            "command_id": self.command.key,
            "author": self.sender.author,
            "client_id": self.sender.client_id,
            "issued_at": self.command.issued_at,
            "effective_at": self.effective_at,
        }


def _recorded(
    command: Command,
    sender: Sender,
    effective_at: datetime,
    latest_effective_at: datetime,
    status: str,
    reason: str | None = None,
    detail: str | None = None,
    conflict_id: UUID | None = None,
) -> dict[str, Any]:
    """What every recorded event holds: the command's provenance and its verdict."""
    return {
        "command_id": command.command_id,
        "client_id": sender.client_id,
        "author": sender.author,
        "issued_at": command.issued_at,
        "effective_at": effective_at,
        "received_at": sender.received_at,
        "base_version": command.base_version,
        "fingerprint": command.fingerprint,
        "latest_effective_at": latest_effective_at,
        "verdict": status,
        "reason": reason,
        "detail": detail,
        "conflict_id": conflict_id,
    }


def _change(
    record: _Recorder, customer: Customer, history: History, policy: Policy
) -> Decision:
    command = record.command
    name = command.field
    assert name is not None and command.base_version is not None
    try:
        value = check_value(name, command.value)
    except InvalidValueError as error:
        return record(
            Customer.CommandRejected,
            Verdict.REJECTED,
            Reason.INVALID_VALUE,
            str(error),
            field=name,
            value=command.value,
            current=None,
        )
    if customer.is_closed and name != "status":
        return record(
            Customer.CommandRejected,
            Verdict.REJECTED,
            Reason.CUSTOMER_CLOSED,
            "the customer is closed",
            field=name,
            value=value,
            current=None,
        )
    current = customer.fields[name]
    conflict_id = customer.open_conflicts.get(name)
    if value == current.value:
        return record(
            Customer.ChangeUnchanged,
            Verdict.UNCHANGED,
            field=name,
            restamped=record.stamp > current.stamp,
        )
    if conflict_id is not None:
        return record(
            Customer.ConflictCandidateAdded,
            Verdict.CONFLICT,
            None,
            f"{name} is in an open conflict; this value joins it",
            conflict_id,
            field=name,
            candidate=record.candidate(value),
        )
    base = command.base_version
    client = record.sender.client_id
    concurrent_field = customer.changed_by_others_after(base, client, name)
    concurrent_any = customer.changed_by_others_after(base, client)
    changed = customer.changed_event(name)
    if policy.for_field(name) == LAST_WRITER_WINS:
        if record.stamp < current.stamp:
            return record(
                Customer.ChangeSuperseded,
                Verdict.SUPERSEDED,
                None,
                f"a later edit wins: {_who_set(current, name)}",
                field=name,
                value=value,
                winner=current.as_dict(),
            )
        if concurrent_field:
            return record(
                changed,
                Verdict.APPLIED,
                Reason.OVERWROTE_CONCURRENT_EDIT,
                f"overwrote a concurrent edit: {_who_set(current, name)}",
                value=value,
                previous=current.as_dict(),
            )
    elif concurrent_any if policy.detection == DETECT_AGGREGATE else concurrent_field:
        if policy.for_field(name) == MANUAL:
            conflict_id = uuid5(
                CONFLICTS_NAMESPACE, f"{customer.id}/{command.command_id}"
            )
            return record(
                Customer.ConflictOpened,
                Verdict.CONFLICT,
                None,
                f"concurrent edit: {_who_set(current, name)}; both values are kept",
                conflict_id,
                field=name,
                current=current.as_dict(),
                base_value=history.value_at(name, base),
                candidate=record.candidate(value),
            )
        return record(
            Customer.CommandRejected,
            Verdict.REJECTED,
            Reason.CONCURRENT_EDIT,
            f"first sync wins: {_who_set(current, name)} since version {base}",
            field=name,
            value=value,
            current=current.as_dict(),
        )
    status = Verdict.MERGED if concurrent_any else Verdict.APPLIED
    return record(changed, status, value=value, previous=current.as_dict())


def _who_set(current: FieldValue, name: str) -> str:
    """Who set the value that stands, for a verdict's detail."""
    return f"{current.changed_by} set {name} to {current.value!r}"


def _resolve(record: _Recorder, customer: Customer) -> Decision:
    payload = record.command.payload
    conflict = customer.conflicts.get(UUID(str(payload["conflict_id"])))
    if conflict is None:
        return _refused(
            customer, Reason.CONFLICT_NOT_FOUND, "no such conflict on this customer"
        )
    name = conflict.field
    current = customer.fields[name]

    def rejected(reason: str, detail: str) -> Decision:
        return record(
            Customer.CommandRejected,
            Verdict.REJECTED,
            reason,
            detail,
            conflict.conflict_id,
            field=name,
            value=payload.get("value"),
            current=current.as_dict(),
        )

    if not conflict.is_open:
        return rejected(
            Reason.CONFLICT_ALREADY_RESOLVED, "the conflict is already resolved"
        )
    choice = payload["choice"]
    chosen: dict[str, Any] | None
    if choice == CHOICE_CURRENT:
        value, chosen = current.value, current.as_dict()
    elif choice == CHOICE_CANDIDATE:
        chosen = conflict.candidate(str(payload.get("candidate_command_id")))
        if chosen is None:
            return rejected(
                Reason.INVALID_VALUE, "candidate_command_id names no candidate"
            )
        value = chosen["value"]
    else:
        try:
            value = check_value(name, payload.get("value"))
        except InvalidValueError as error:
            return rejected(Reason.INVALID_VALUE, str(error))
        chosen = record.candidate(value)
    return record(
        Customer.ConflictResolved,
        Verdict.APPLIED,
        None,
        f"{name} resolved",
        conflict.conflict_id,
        field=name,
        value=value,
        choice=choice,
        chosen=chosen,
        previous=current.as_dict(),
    )

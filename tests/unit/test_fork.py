"""A fork is decided on in place of its customer, which stays as it was: a
decision that loses a race to another writer is dropped with its fork."""

from __future__ import annotations

import uuid
from copy import deepcopy

import pytest

from tests.unit.stream import Stream
from tests.unit.test_engine import CASES, conflicted, registered, resolve


def decided_on_a_fork(stream: Stream, decide) -> tuple[dict, dict]:
    """The customer's state before, and after ``decide`` ran on a fork of it."""
    original = stream.customer
    before = deepcopy(vars(original))
    stream.customer = original.fork()
    decide()
    assert stream.customer.version >= original.version
    return before, vars(original)


@pytest.mark.parametrize("case", CASES)
def test_a_decision_on_a_fork_leaves_its_customer_as_it_was(case):
    policy, before_steps, command, status, reason, event_class = CASES[case]
    stream = registered(policy)
    for step in before_steps:
        stream.send(*step)
    original = stream.customer

    before, after = decided_on_a_fork(stream, lambda: stream.send(*command))

    assert after == before
    assert stream.customer is not original
    assert stream.customer.version == original.version + (event_class is not None)


@pytest.mark.parametrize("choice", ["current", "candidate"])
def test_resolving_a_conflict_on_a_fork_leaves_its_customer_as_it_was(choice):
    stream, conflict_id, candidate = conflicted()
    extra = {"candidate_command_id": str(candidate)} if choice == "candidate" else {}

    before, after = decided_on_a_fork(
        stream, lambda: resolve(stream, conflict_id, choice, **extra)
    )

    assert after == before
    assert stream.customer.conflicts[conflict_id].resolution is not None
    assert before["conflicts"][conflict_id].resolution is None


def test_a_fork_decides_as_its_customer_would():
    plain = registered()
    forked = Stream()
    forked.customer_id, forked.events = plain.customer_id, list(plain.events)
    forked.clock = plain.clock
    forked.customer = plain.customer.fork()
    commands = [
        ("b", "ChangeName", {"name": "Gamma"}, 0),
        ("a", "ChangeName", {"name": "Beta"}, 0),
        ("a", "ChangeSupplier", {"supplier": "New Co"}, 1),
    ]
    for client, kind, payload, base in commands:
        command_id = uuid.uuid4()
        for stream in (forked, plain):
            stream.send(client, kind, payload, base, command_id=command_id)

    def state(customer):  # but the time the library stamped on the last event
        return {k: v for k, v in vars(customer).items() if k != "_modified_on"}

    assert state(forked.customer) == state(plain.customer)


def test_a_customer_with_unsaved_events_is_not_forked():
    stream = registered()
    stream.send("a", "ChangeName", {"name": "Beta"}, 0)
    stream.customer.record(
        type(stream.events[-1]), **_attributes_of(stream.events[-1], name="Gamma")
    )

    with pytest.raises(ValueError, match="unsaved events"):
        stream.customer.fork()


def _attributes_of(event, **changed) -> dict:
    attributes = {
        k: v
        for k, v in vars(event).items()
        if k not in ("originator_id", "originator_version", "timestamp")
    }
    attributes.update(value=changed.get("name", attributes["value"]))
    return attributes

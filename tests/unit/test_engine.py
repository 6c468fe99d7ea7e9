"""One case for every verdict and reason of the spec, on the engine alone."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from customer_domain import commands
from customer_domain.customer import Customer
from customer_domain.policy import Policy
from customer_domain.vocabulary import FIRST_SYNC_WINS, LAST_WRITER_WINS
from tests.unit.stream import T0, Stream


def registered(policy: Policy | None = None) -> Stream:
    stream = Stream(policy)
    stream.send("office", "RegisterCustomer", {"name": "Acme", "supplier": "Old Co"})
    return stream


def name(value):
    return {"name": value}


CASES = {
    # case: (policy, steps before, the command, expected status, reason, event)
    "first edit applies": (
        Policy(),
        [],
        ("a", "ChangeName", name("Beta"), 0),
        "applied",
        None,
        Customer.NameChanged,
    ),
    "edits of other fields merge": (
        Policy(),
        [("b", "ChangeSupplier", {"supplier": "New Co"}, 0)],
        ("a", "ChangeName", name("Beta"), 0),
        "merged",
        None,
        Customer.NameChanged,
    ),
    "same value is unchanged": (
        Policy(),
        [],
        ("a", "ChangeName", name("Acme"), 0),
        "unchanged",
        None,
        Customer.ChangeUnchanged,
    ),
    "same field from a stale base opens a conflict under manual": (
        Policy(),
        [("b", "ChangeName", name("Gamma"), 0)],
        ("a", "ChangeName", name("Beta"), 0),
        "conflict",
        None,
        Customer.ConflictOpened,
    ),
    "an open conflict collects further values": (
        Policy(),
        [("b", "ChangeName", name("Gamma"), 0), ("c", "ChangeName", name("Delta"), 0)],
        ("a", "ChangeName", name("Beta"), 2),
        "conflict",
        None,
        Customer.ConflictCandidateAdded,
    ),
    "an open conflict: the current value is unchanged": (
        Policy(),
        [("b", "ChangeName", name("Gamma"), 0), ("c", "ChangeName", name("Delta"), 0)],
        ("a", "ChangeName", name("Gamma"), 2),
        "unchanged",
        None,
        Customer.ChangeUnchanged,
    ),
    "aggregate detection: any concurrent change is a conflict": (
        Policy(detection="aggregate"),
        [("b", "ChangeSupplier", {"supplier": "New Co"}, 0)],
        ("a", "ChangeName", name("Beta"), 0),
        "conflict",
        None,
        Customer.ConflictOpened,
    ),
    "first-sync-wins rejects the second": (
        Policy(FIRST_SYNC_WINS),
        [("b", "ChangeName", name("Gamma"), 0)],
        ("a", "ChangeName", name("Beta"), 0),
        "rejected",
        "concurrent_edit",
        Customer.CommandRejected,
    ),
    "last-writer-wins: a later stamp overwrites": (
        Policy(LAST_WRITER_WINS),
        [("b", "ChangeName", name("Gamma"), 0)],
        ("a", "ChangeName", name("Beta"), 0),
        "applied",
        "overwrote_concurrent_edit",
        Customer.NameChanged,
    ),
    "last-writer-wins: merges other fields": (
        Policy(LAST_WRITER_WINS),
        [("b", "ChangeSupplier", {"supplier": "New Co"}, 0)],
        ("a", "ChangeName", name("Beta"), 0),
        "merged",
        None,
        Customer.NameChanged,
    ),
    "same client never conflicts with itself": (
        Policy(),
        [("a", "ChangeName", name("Gamma"), 0)],
        ("a", "ChangeName", name("Beta"), 0),
        "applied",
        None,
        Customer.NameChanged,
    ),
    "invalid value is rejected and recorded": (
        Policy(),
        [],
        ("a", "ChangeName", name(" " * 3), 0),
        "rejected",
        "invalid_value",
        Customer.CommandRejected,
    ),
    "invalid email": (
        Policy(),
        [],
        ("a", "ChangeEmail", {"email": "not an address"}, 0),
        "rejected",
        "invalid_value",
        Customer.CommandRejected,
    ),
    "invalid country": (
        Policy(),
        [],
        (
            "a",
            "ChangeAddress",
            {
                "address": {
                    "street": "1 Main St",
                    "city": "Springfield",
                    "postal_code": "12345",
                    "country": "XX",
                }
            },
            0,
        ),
        "rejected",
        "invalid_value",
        Customer.CommandRejected,
    ),
    "closed customer refuses edits": (
        Policy(),
        [("b", "ChangeStatus", {"status": "closed"}, 0)],
        ("a", "ChangeName", name("Beta"), 1),
        "rejected",
        "customer_closed",
        Customer.CommandRejected,
    ),
    "closed customer can be reopened": (
        Policy(),
        [("b", "ChangeStatus", {"status": "closed"}, 0)],
        ("a", "ChangeStatus", {"status": "active"}, 1),
        "applied",
        None,
        Customer.StatusChanged,
    ),
    "base version ahead is refused, not recorded": (
        Policy(),
        [],
        ("a", "ChangeName", name("Beta"), 5),
        "rejected",
        "base_version_ahead",
        None,
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_verdict(case):
    policy, before, (client, kind, payload, base), status, reason, event_class = CASES[
        case
    ]
    stream = registered(policy)
    for step in before:
        stream.send(*step)
    version = stream.version
    decision = stream.send(client, kind, payload, base)
    assert (decision.status, decision.reason, decision.event_class) == (
        status,
        reason,
        event_class,
    )
    assert stream.version == version + (event_class is not None)


def test_unknown_customer_is_refused_and_not_recorded():
    stream = Stream()
    decision = stream.send("a", "ChangeName", name("Beta"), 0)
    assert (decision.status, decision.reason, decision.event_class) == (
        "rejected",
        "customer_not_found",
        None,
    )


def test_registering_an_existing_id_with_another_command_is_refused():
    stream = registered()
    decision = stream.send("a", "RegisterCustomer", name("Other"))
    assert (decision.status, decision.reason, decision.version) == (
        "rejected",
        "customer_exists",
        0,
    )


def test_invalid_registration_is_refused_and_not_recorded():
    stream = Stream()
    decision = stream.send("a", "RegisterCustomer", {"name": "x" * 201})
    assert (decision.status, decision.reason, decision.event_class) == (
        "rejected",
        "invalid_value",
        None,
    )
    assert decision.detail == "name: must be 1 to 200 characters long"
    assert stream.customer is None


def test_resent_command_answers_its_first_verdict_even_from_a_newer_base():
    stream = registered()
    command_id = uuid.uuid4()
    first = stream.send(
        "a", "ChangeName", name("Beta"), 0, command_id=command_id, issued_at=T0
    )
    stream.send("b", "ChangeSupplier", {"supplier": "New Co"}, 1)
    again = stream.send(
        "a", "ChangeName", name("Beta"), 2, command_id=command_id, issued_at=T0
    )
    assert (again.status, again.duplicate, again.version, again.event_class) == (
        first.status,
        True,
        1,
        None,
    )


def test_command_id_reused_for_another_command_is_refused():
    stream = registered()
    command_id = uuid.uuid4()
    stream.send("a", "ChangeName", name("Beta"), 0, command_id=command_id, issued_at=T0)
    again = stream.send(
        "a", "ChangeName", name("Other"), 1, command_id=command_id, issued_at=T0
    )
    assert (again.status, again.reason, again.event_class) == (
        "rejected",
        "command_id_reused",
        None,
    )


def test_a_command_recorded_with_a_fingerprint_taken_before_is_a_duplicate(
    monkeypatch,
):
    stream = registered()
    command_id = uuid.uuid4()
    with monkeypatch.context() as before:  # fingerprinted over JSON, as before
        before.setattr("customer_domain.commands._digest", commands._json_digest)
        first = stream.send(
            "a", "ChangeName", name("Beta"), 0, command_id=command_id, issued_at=T0
        )
    recorded = stream.events[-1].fingerprint
    assert (
        recorded == stream.command._json_digest() != stream.command._replace().fingerprint
    )
    again = stream.send(
        "a", "ChangeName", name("Beta"), 1, command_id=command_id, issued_at=T0
    )
    reused = stream.send(
        "a", "ChangeName", name("Other"), 1, command_id=command_id, issued_at=T0
    )
    assert (again.status, again.duplicate, again.version) == (first.status, True, 1)
    assert (reused.status, reused.reason) == ("rejected", "command_id_reused")


def test_command_id_reused_with_another_issued_at_is_refused():
    stream = registered()
    command_id = uuid.uuid4()
    stream.send("a", "ChangeName", name("Beta"), 0, command_id=command_id, issued_at=T0)
    again = stream.send(
        "a",
        "ChangeName",
        name("Beta"),
        0,
        command_id=command_id,
        issued_at=T0 + timedelta(seconds=1),
    )
    assert (again.status, again.reason) == ("rejected", "command_id_reused")


def conflicted() -> tuple[Stream, uuid.UUID, uuid.UUID]:
    stream = registered()
    stream.send("b", "ChangeName", name("Gamma"), 0)
    candidate_id = uuid.uuid4()
    opened = stream.send("a", "ChangeName", name("Beta"), 0, command_id=candidate_id)
    return stream, opened.conflict_id, candidate_id


def resolve(stream, conflict_id, choice, **extra):
    payload = {"conflict_id": conflict_id, "choice": choice, **extra}
    return stream.send("r", "ResolveConflict", payload, stream.version)


def test_conflict_keeps_base_current_and_candidate():
    stream, conflict_id, candidate_id = conflicted()
    conflict = stream.customer.conflicts[conflict_id]
    assert conflict.base_value == "Acme"
    assert conflict.current["value"] == "Gamma"
    assert conflict.current["author"] == "b"
    assert [(c["value"], c["command_id"]) for c in conflict.candidates] == [
        ("Beta", str(candidate_id))
    ]
    assert stream.value("name") == "Gamma"


@pytest.mark.parametrize(
    ("choice", "extra", "value"),
    [
        ("current", {}, "Gamma"),
        ("candidate", {"candidate_command_id": "CANDIDATE"}, "Beta"),
        ("value", {"value": "Omega"}, "Omega"),
    ],
)
def test_resolving_a_conflict_sets_the_field(choice, extra, value):
    stream, conflict_id, candidate_id = conflicted()
    extra = {k: str(candidate_id) if v == "CANDIDATE" else v for k, v in extra.items()}
    decision = resolve(stream, conflict_id, choice, **extra)
    assert (decision.status, decision.event_class) == (
        "applied",
        Customer.ConflictResolved,
    )
    assert stream.value("name") == value
    assert stream.customer.fields["name"].changed_by == "r"
    assert not stream.customer.conflicts[conflict_id].is_open
    assert "name" not in stream.customer.open_conflicts


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        (
            {"choice": "candidate", "candidate_command_id": str(uuid.uuid4())},
            "invalid_value",
        ),
        ({"choice": "value", "value": ""}, "invalid_value"),
    ],
)
def test_resolution_with_a_bad_choice_is_rejected_and_recorded(extra, reason):
    stream, conflict_id, _ = conflicted()
    decision = resolve(stream, conflict_id, **extra)
    assert (decision.status, decision.reason, decision.event_class) == (
        "rejected",
        reason,
        Customer.CommandRejected,
    )
    assert stream.customer.conflicts[conflict_id].is_open


def test_resolving_twice_is_rejected_and_recorded():
    stream, conflict_id, _ = conflicted()
    resolve(stream, conflict_id, "current")
    decision = resolve(stream, conflict_id, "value", value="Other")
    assert (decision.status, decision.reason, decision.event_class) == (
        "rejected",
        "conflict_already_resolved",
        Customer.CommandRejected,
    )
    assert stream.value("name") == "Gamma"


def test_resolving_an_unknown_conflict_is_refused_and_not_recorded():
    stream = registered()
    decision = resolve(stream, uuid.uuid4(), "current")
    assert (decision.status, decision.reason, decision.event_class) == (
        "rejected",
        "conflict_not_found",
        None,
    )


def test_last_writer_wins_supersedes_an_older_stamp():
    stream = registered(Policy(LAST_WRITER_WINS))
    stream.send("b", "ChangeName", name("Gamma"), 0)
    late = stream.send("a", "ChangeName", name("Beta"), 0, issued_at=T0)
    assert (late.status, late.event_class) == ("superseded", Customer.ChangeSuperseded)
    assert stream.value("name") == "Gamma"


def test_per_field_policy_overrides_the_default():
    stream = registered(Policy(per_field={"name": LAST_WRITER_WINS}))
    stream.send("b", "ChangeName", name("Gamma"), 0)
    stream.send("b", "ChangeSupplier", {"supplier": "B Co"}, 0)
    assert (
        stream.send("a", "ChangeName", name("Beta"), 0).reason
        == "overwrote_concurrent_edit"
    )
    assert (
        stream.send("a", "ChangeSupplier", {"supplier": "A Co"}, 0).status == "conflict"
    )


def test_unchanged_keeps_the_greater_stamp():
    stream = registered(Policy(LAST_WRITER_WINS))
    stream.send("b", "ChangeName", name("Gamma"), 0)
    stream.send("a", "ChangeName", name("Gamma"), 0, issued_at=T0 + timedelta(hours=-1))
    assert stream.customer.fields["name"].changed_by == "b"
    stream.send("c", "ChangeName", name("Gamma"), 1)
    assert stream.customer.fields["name"].changed_by == "c"


def test_effective_time_is_later_than_what_the_author_saw():
    stream = registered()
    seen = stream.customer.latest_effective_at
    stream.send("a", "ChangeName", name("Beta"), 0, issued_at=T0 - timedelta(days=30))
    assert stream.events[-1].effective_at == seen + timedelta(microseconds=1)


def test_a_time_equal_to_what_the_author_saw_moves_past_it():
    stream = registered()
    seen = stream.customer.latest_effective_at
    stream.send("a", "ChangeName", name("Beta"), 0, issued_at=seen)
    assert stream.events[-1].effective_at == seen + timedelta(microseconds=1)


def test_effective_time_never_runs_ahead_of_the_server():
    stream = registered()
    stream.send("a", "ChangeName", name("Beta"), 0, issued_at=T0 + timedelta(days=30))
    event = stream.events[-1]
    assert event.effective_at == event.received_at


def test_a_clients_commands_are_ordered_by_its_queue():
    stream = registered()
    stream.send("a", "ChangeName", name("Beta"), 0, issued_at=T0 - timedelta(days=1))
    first = stream.events[-1].effective_at
    stream.send(
        "a", "ChangeSupplier", {"supplier": "X"}, 0, issued_at=T0 - timedelta(days=2)
    )
    assert stream.events[-1].effective_at == first + timedelta(microseconds=1)


def test_resent_registration_answers_applied_as_a_duplicate():
    stream = Stream()
    command_id = uuid.uuid4()
    stream.send(
        "a", "RegisterCustomer", name("Acme"), command_id=command_id, issued_at=T0
    )
    again = stream.send(
        "a", "RegisterCustomer", name("Acme"), command_id=command_id, issued_at=T0
    )
    assert (again.status, again.duplicate, again.version) == ("applied", True, 0)
    assert stream.value("status") == "active"

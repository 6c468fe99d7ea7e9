"""The application's use cases: what they fill in, derive and check for a caller."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from application import Customers, Registration, Resolution
from application.envelopes import as_command
from application.requests import REGISTRATIONS_NAMESPACE
from customer_domain.errors import (
    ConflictNotFoundError,
    CustomerNotFoundError,
    MalformedCommandError,
    VersionMismatchError,
)
from customer_domain.vocabulary import CHOICE_VALUE, Reason, Verdict
from tests.devices import Device

NOON = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.fixture
def app():
    app = Customers(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=lambda: NOON)
    yield app
    app.close()


def test_a_registration_without_ids_derives_them_and_a_resend_names_the_same(app):
    command_id = uuid.uuid4()
    sent = Registration.of(
        {
            "client_id": "laptop",
            "command_id": command_id,
            "name": "Acme",
            "supplier": None,
        }
    )
    first, again = app.register("carol", sent), app.register("carol", sent)
    assert first.customer_id == uuid.uuid5(REGISTRATIONS_NAMESPACE, str(command_id))
    assert (again.customer_id, again.duplicate) == (first.customer_id, True)
    [event] = app.history(first.customer_id)
    assert (event.issued_at, event.name, event.supplier, event.email) == (
        NOON,
        "Acme",
        None,
        None,
    )


def test_a_registration_without_a_command_id_gets_a_new_customer(app):
    sent = Registration.of({"client_id": "laptop", "name": "Acme"})
    first, second = app.register("carol", sent), app.register("carol", sent)
    assert first.customer_id != second.customer_id
    assert first.status == second.status == Verdict.APPLIED


def test_a_registration_breaking_a_rule_is_rejected(app):
    result = app.register("carol", Registration.of({"client_id": "laptop", "name": " "}))
    assert (result.status, result.reason) == (Verdict.REJECTED, Reason.INVALID_VALUE)


def test_the_envelope_of_a_customer_command_takes_the_path_and_if_match(app):
    customer_id = Device(app, "office", "carol").register()
    envelope = app.command_envelope(
        customer_id, {"type": "ChangeName"}, expected_version=0
    )
    assert envelope == {
        "type": "ChangeName",
        "base_version": 0,
        "customer_id": str(customer_id),
    }


def test_if_match_is_checked_before_the_body_unless_it_is_a_resend(app):
    office = Device(app, "office", "carol")
    customer_id = office.register()
    [edit] = office.edit(customer_id, 0, name="Beta")
    with pytest.raises(VersionMismatchError) as raised:
        app.command_envelope(customer_id, {"not": "a command"}, expected_version=3)
    assert raised.value.current_version == 0
    office.sync([edit])
    assert (
        app.command_envelope(customer_id, edit, expected_version=0)["base_version"] == 0
    )
    with pytest.raises(CustomerNotFoundError):
        app.command_envelope(uuid.uuid4(), edit, expected_version=0)


def test_a_change_must_be_for_the_customer_named(app):
    office = Device(app, "office", "carol")
    customer_id, other = office.register(), office.register()
    [edit] = office.edit(other, 0, name="Beta")
    command = as_command(app.command_envelope(other, edit))
    with pytest.raises(MalformedCommandError):
        app.change("carol", "office", customer_id, command)
    nobody = uuid.uuid4()
    [missing] = office.edit(nobody, 0, name="Beta")
    with pytest.raises(CustomerNotFoundError):
        app.change("carol", "office", nobody, as_command(missing))
    assert app.change("carol", "office", other, command).version == 1


def conflicted(app: Customers) -> tuple[uuid.UUID, uuid.UUID]:
    """A customer with an open conflict on its name, and the conflict."""
    alice, bob = Device(app, "alice-laptop", "alice"), Device(app, "bob-laptop", "bob")
    customer_id = alice.register()
    alice.sync(alice.edit(customer_id, 0, name="Alice's"))
    [result] = bob.sync(bob.edit(customer_id, 0, name="Bob's"))
    assert result.status == Verdict.CONFLICT
    return customer_id, result.conflict_id


def test_a_resolution_defaults_its_base_to_the_customers_version(app):
    customer_id, conflict_id = conflicted(app)
    resolution = Resolution(
        client_id="office",
        conflict_id=conflict_id,
        command_id=uuid.uuid4(),
        choice=CHOICE_VALUE,
        value="Both",
    )
    result = app.resolve("carol", resolution, {conflict_id: customer_id}.get)
    assert (result.status, result.version) == (Verdict.APPLIED, 3)
    event = app.history(customer_id)[-1]
    assert (event.base_version, event.value, event.issued_at) == (2, "Both", NOON)


def test_a_conflict_no_customer_has_is_not_found(app):
    customer_id, conflict_id = conflicted(app)
    stranger = Resolution(
        client_id="office",
        conflict_id=uuid.uuid4(),
        command_id=uuid.uuid4(),
        choice="current",
    )
    with pytest.raises(ConflictNotFoundError):
        app.resolve("carol", stranger, lambda _: None)
    with pytest.raises(ConflictNotFoundError):  # the inbox named a customer without it
        app.resolve("carol", stranger, lambda _: customer_id)


def test_sync_is_one_verdict_per_command(app):
    office = Device(app, "office", "carol")
    customer_id = office.register()
    results = app.sync(
        "carol", "office", office.edit(customer_id, 0, name="B", phone="1 2 3")
    )
    assert [r.status for r in results] == [Verdict.APPLIED, Verdict.APPLIED]

"""Bad input at library level: a clear result or a clear error, nothing recorded
that should not be."""

from __future__ import annotations

import uuid

import pytest

from customer_domain.errors import MalformedCommandError
from tests.devices import Device


@pytest.fixture
def office(customers):
    return Device(customers, "office", "carol")


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"type": "ChangeNickname"}, "type"),
        ({"payload": {"name": 42}}, "payload"),
        ({"payload": {"name": "A", "colour": "red"}}, "payload"),
        ({"payload": {"email": "a@b.co"}}, "payload"),
        ({"base_version": -1}, "base_version"),
        ({"base_version": None}, "base_version"),
        ({"base_version": "3"}, "base_version"),
        ({"issued_at": "2026-11-26T09:15:00"}, "issued_at"),  # no offset
        ({"command_id": "not-a-uuid"}, "command_id"),
        ({"customer_id": None}, "customer_id"),
    ],
)
def test_malformed_envelopes_are_refused_whole(customers, office, change, where):
    customer_id = office.register()
    good = office.edit(customer_id, 0, supplier="Fine Co")
    bad = {**office.edit(customer_id, 0, name="Beta")[0], **change}
    with pytest.raises(MalformedCommandError) as raised:
        office.sync(good + [bad])
    assert where in raised.value.errors[1]
    assert len(customers.history(customer_id)) == 1  # the good one was not applied either


def test_base_version_ahead_is_refused_and_not_recorded(customers, office):
    customer_id = office.register()
    [result] = office.sync(office.edit(customer_id, 7, name="Beta"))
    assert (result.status, result.reason, result.version) == (
        "rejected",
        "base_version_ahead",
        0,
    )
    assert len(customers.history(customer_id)) == 1


def test_a_closed_customer_refuses_edits_but_records_them(customers, office):
    customer_id = office.register()
    office.sync(office.edit(customer_id, 0, status="closed"))
    [result] = office.sync(office.edit(customer_id, 1, name="Beta"))
    assert (result.status, result.reason, result.version) == (
        "rejected",
        "customer_closed",
        2,
    )
    assert customers.history(customer_id)[2].reason == "customer_closed"


def test_one_bad_value_does_not_throw_away_the_rest(customers, office):
    customer_id = office.register()
    results = office.sync(
        office.edit(customer_id, 0, name="x" * 201, supplier="Fine Co", email="nope")
    )
    assert [(r.status, r.reason) for r in results] == [
        ("rejected", "invalid_value"),
        ("applied", None),
        ("rejected", "invalid_value"),
    ]
    assert customers.get_customer(customer_id).value("supplier") == "Fine Co"


def test_unknown_customer_is_refused_and_nothing_recorded(customers, office):
    [result] = office.sync(office.edit(uuid.uuid4(), 0, name="Beta"))
    assert (result.status, result.reason, result.version) == (
        "rejected",
        "customer_not_found",
        None,
    )

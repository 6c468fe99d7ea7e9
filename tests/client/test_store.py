"""The outbox and the local view model, offline."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from client import local
from client.store import Store
from customer_domain.errors import InvalidValueError


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "customers.sqlite")
    yield store
    store.close()


def pulled(store, name="Acme", version=20, **values):
    customer_id = str(uuid.uuid4())
    view = {
        "customer_id": customer_id,
        "version": version,
        "position": 7,
        "name": name,
        "email": None,
        "phone": None,
        "address": None,
        "supplier": "Old Co",
        "description": None,
        "status": "active",
        "fields": {},
        "conflicts": [],
        **values,
    }
    store.save_views([view], cursor=7)
    return customer_id


def test_offline_edits_carry_the_local_copys_version(store):
    customer_id = pulled(store)
    store.queue(local.edits(store, customer_id, {"name": "John Doe"}))
    store.queue(local.edits(store, customer_id, {"supplier": "New Co"}))
    assert [(e["type"], e["base_version"]) for e in store.pending()] == [
        ("ChangeName", 20),
        ("ChangeSupplier", 20),
    ]


def test_queued_edits_are_laid_over_the_view_and_marked(store):
    customer_id = pulled(store)
    store.queue(local.edits(store, customer_id, {"name": "John Doe", "email": None}))
    customer = local.overlaid(store, customer_id)
    assert (customer["name"], customer["supplier"], customer["pending"]) == (
        "John Doe",
        "Old Co",
        ["name", "email"],
    )
    assert store.view(customer_id)["name"] == "Acme"  # the server's copy is untouched


def test_a_customer_added_offline_is_listed_and_edited_from_version_0(store):
    envelope = local.registration({"name": "New Customer"})
    store.queue([envelope])
    customer_id = envelope["customer_id"]
    store.queue(local.edits(store, customer_id, {"phone": "+44 20 7946 0000"}))
    [customer] = local.all_overlaid(store)
    assert (customer["name"], customer["phone"], customer["version"]) == (
        "New Customer",
        "+44 20 7946 0000",
        None,
    )
    assert store.pending()[1]["base_version"] == 0


def test_issued_at_never_goes_backwards(store, monkeypatch):
    customer_id = pulled(store)
    store.queue(local.edits(store, customer_id, {"name": "A"}))
    future = datetime.now(UTC) + timedelta(hours=1)
    store.put(last_issued=future.isoformat())  # as if the clock was set back since
    store.queue(local.edits(store, customer_id, {"name": "B"}))
    first, second = (datetime.fromisoformat(e["issued_at"]) for e in store.pending())
    assert second == future + timedelta(microseconds=1) > first


def test_a_verdict_and_the_outbox_change_together(store):
    customer_id = pulled(store)
    store.queue(local.edits(store, customer_id, {"name": "A", "supplier": "B"}))
    first, second = store.pending()
    result = {
        "status": "applied",
        "reason": None,
        "detail": None,
        "version": 21,
        "conflict_id": None,
        "duplicate": False,
    }
    store.record_verdicts([first], [result])
    assert [e["command_id"] for e in store.pending()] == [second["command_id"]]
    assert [v["command_id"] for v in store.verdicts()] == [first["command_id"]]
    with pytest.raises(sqlite3.IntegrityError):  # a failed write changes nothing
        store.record_verdicts([second, first], [result, {**result, "status": None}])
    assert [e["command_id"] for e in store.pending()] == [second["command_id"]]


def test_values_are_checked_before_they_are_queued(store):
    customer_id = pulled(store)
    with pytest.raises(InvalidValueError):
        local.edits(store, customer_id, {"email": "not an address"})
    with pytest.raises(local.UnknownCustomer):
        local.edits(store, str(uuid.uuid4()), {"name": "X"})
    assert store.pending() == []

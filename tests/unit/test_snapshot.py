"""A customer's snapshot, taken and restored in memory (no store between:
ids stay UUIDs); tests/integration/test_snapshots.py takes them through stores."""

from __future__ import annotations

import uuid

import pytest

from customer_domain.snapshot import CustomerSnapshot
from tests.unit.stream import Stream


def a_customer_with_conflicts() -> Stream:
    stream = Stream()
    stream.send("office", "RegisterCustomer", {"name": "Acme", "supplier": "Old Co"})
    stream.send("b", "ChangeName", {"name": "Gamma"}, 0)
    opened = stream.send("a", "ChangeName", {"name": "Beta"}, 0)
    stream.send("b", "ChangeSupplier", {"supplier": "New Co"}, 0)
    stream.send("a", "ChangeSupplier", {"supplier": "Other Co"}, 0)
    payload = {"conflict_id": opened.conflict_id, "choice": "current"}
    stream.send("r", "ResolveConflict", payload, stream.version)
    return stream


def test_a_snapshot_restores_every_attribute_of_a_customer():
    customer = a_customer_with_conflicts().customer
    assert {c.is_open for c in customer.conflicts.values()} == {True, False}
    restored = CustomerSnapshot.take(customer).mutate(None)
    assert type(restored) is type(customer)
    assert vars(restored) == vars(customer)
    assert all(isinstance(key, uuid.UUID) for key in restored.conflicts)
    assert all(isinstance(cid, uuid.UUID) for cid in restored.open_conflicts.values())


def test_a_snapshot_refuses_an_attribute_it_does_not_know_how_to_keep():
    customer = a_customer_with_conflicts().customer
    customer.nickname = "Ace"  # as a new attribute of the aggregate would be
    with pytest.raises(TypeError, match=r"does not know how to keep \['nickname'\]"):
        CustomerSnapshot.take(customer)


def test_a_snapshot_taken_before_prior_values_were_kept_restores_without_them():
    customer = a_customer_with_conflicts().customer
    snapshot = CustomerSnapshot.take(customer)
    del snapshot.state["prior_values"]  # as snapshots stored before hold them
    restored = snapshot.mutate(None)
    assert restored.prior_values == {}
    assert restored.fields == customer.fields

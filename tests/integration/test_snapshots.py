"""Snapshots of customers and bounded idempotency, on every store."""

from __future__ import annotations

import uuid
from datetime import timedelta

from application.snapshots import SNAPSHOT_EVERY
from customer_domain.snapshot import CustomerSnapshot
from customer_domain.vocabulary import CHOICE_CANDIDATE, Reason, Verdict
from tests.devices import Device


def a_customer_with_everything(customers) -> uuid.UUID:
    """Conflicts open and resolved, restamped and rejected commands, three clients."""
    office = Device(customers, "office", "carol")
    alice = Device(customers, "alice-laptop", "alice", lag=timedelta(minutes=5))
    bob = Device(customers, "bob-laptop", "bob")
    customer_id = office.register(
        "Acme",
        supplier="Old Co",
        address={
            "street": "1 Way",
            "city": "Oslo",
            "postal_code": "0150",
            "country": "NO",
        },
    )
    office.sync(office.edit(customer_id, 0, name="Acme Ltd", description="first"))
    alice.sync(alice.edit(customer_id, 0, name="Acme AS", supplier="Old Co"))
    bob.sync(bob.edit(customer_id, 0, name="Acme Inc", phone="+47 123"))
    bob.sync(bob.edit(customer_id, 0, description="other"))
    [conflict] = [
        c
        for c in customers.get_customer(customer_id).conflicts.values()
        if c.field == "name"
    ]
    version = customers.version_of(customer_id)
    office.sync(
        [
            office.resolve(
                customer_id,
                conflict.conflict_id,
                version,
                CHOICE_CANDIDATE,
                candidate_command_id=conflict.candidates[0]["command_id"],
            )
        ]
    )
    office.sync(office.edit(customer_id, customers.version_of(customer_id), name=""))
    return customer_id


def test_a_snapshot_keeps_every_attribute_of_a_customer(customers):
    customer_id = a_customer_with_everything(customers)
    customer = customers.get_customer(customer_id)
    assert any(c.is_open for c in customer.conflicts.values())
    assert any(not c.is_open for c in customer.conflicts.values())
    customers.snapshots.put([CustomerSnapshot.take(customer)])
    [stored] = customers.snapshots.get(customer_id, desc=True, limit=1)
    restored = stored.mutate(None)
    assert set(vars(restored)) == set(vars(customer))
    for attribute in vars(customer):
        assert getattr(restored, attribute) == getattr(customer, attribute), attribute
    assert (restored.id, restored.version) == (customer.id, customer.version)
    assert set(CustomerSnapshot.ATTRIBUTES) <= set(vars(customer))


def test_a_cold_customer_loads_from_its_snapshot_and_still_answers_its_first_command(
    customers,
):
    office = Device(customers, "office", "carol")
    laptop = Device(customers, "laptop", "dave")
    customer_id = uuid.uuid4()
    register = office.command(
        "RegisterCustomer", customer_id, {"name": "Acme", "description": "at first"}, None
    )
    [first] = office.sync([register])
    stale = laptop.edit(customer_id, 0, description="from the laptop")  # queued at 0
    for start in range(0, SNAPSHOT_EVERY + 30, 40):
        office.sync(
            [
                c
                for v in range(start, start + 40)
                for c in office.edit(customer_id, v, supplier=f"supplier {v}")
            ]
        )
    office.sync(office.edit(customer_id, customers.version_of(customer_id), phone="123"))
    customers.snapshot_writer.wait()
    [snapshot] = customers.snapshots.get(customer_id, desc=True, limit=1)
    # taken at the end of the batch that passed SNAPSHOT_EVERY
    assert (
        SNAPSHOT_EVERY <= snapshot.originator_version < customers.version_of(customer_id)
    )

    customers.forget([customer_id])  # cold: the next command loads it
    [again] = office.sync([register])
    assert (again.status, again.version, again.duplicate) == (first.status, 0, True)
    changed = {**register, "payload": {"name": "Other"}}
    [reused] = office.sync([changed])
    assert (reused.status, reused.reason) == (Verdict.REJECTED, Reason.COMMAND_ID_REUSED)
    office.sync(
        office.edit(
            customer_id, customers.version_of(customer_id), description="office's"
        )
    )
    [conflicted] = laptop.sync(stale)  # its base value is read from before the snapshot
    assert conflicted.status == Verdict.CONFLICT
    conflict = customers.get_customer(customer_id).conflicts[conflicted.conflict_id]
    assert conflict.base_value == "at first"

    replayed = None
    for event in customers.events.get(customer_id):
        replayed = event.mutate(replayed)
    customers.forget([customer_id])
    assert vars(customers.get_customer(customer_id)) == vars(replayed)


def test_a_resend_in_the_batch_that_recorded_it_is_a_duplicate(customers):
    office = Device(customers, "office", "carol")
    customer_id = office.register()
    [edit] = office.edit(customer_id, 0, name="Acme AS")
    first, again = office.sync([edit, edit])
    assert (again.status, again.version, again.duplicate) == (first.status, 1, True)
    assert customers.version_of(customer_id) == 1


def test_a_resend_of_a_later_command_in_the_batch_that_recorded_it_is_its_duplicate(
    customers,
):
    office = Device(customers, "office", "carol")
    customer_id = office.register()
    [name] = office.edit(customer_id, 0, name="Acme AS")
    [phone] = office.edit(customer_id, 0, phone="+47 1")
    first, second, again = office.sync([name, phone, phone])
    assert (second.version, again.status, again.version, again.duplicate) == (
        2,
        second.status,
        2,
        True,
    )
    assert customers.version_of(customer_id) == 2

"""What a command's base version tells, on every store: a conflict's base
value (the field's value there, taken from the value the field held before its
current one when the base is in its span, and read from the history
otherwise), and the time the author had seen."""

from __future__ import annotations

from datetime import timedelta

import pytest

from customer_domain.customer import RECENT
from customer_domain.vocabulary import Verdict
from tests.devices import Device


@pytest.fixture
def reads(customers, monkeypatch):
    """The event reads the customers' store is asked for."""
    asked: list[dict] = []
    get = customers.events.get

    def counted(originator_id, **kwargs):
        asked.append(kwargs)
        return get(originator_id, **kwargs)

    monkeypatch.setattr(customers.events, "get", counted)
    return asked


def conflict_of(customers, customer_id, result):
    assert result.status == Verdict.CONFLICT, result
    return customers.get_customer(customer_id).conflicts[result.conflict_id]


def test_a_base_in_the_span_of_the_value_before_the_current_one_reads_no_event(
    customers, reads
):
    office = Device(customers, "office", "carol")
    laptop = Device(customers, "laptop", "dave")
    customer_id = office.register("Acme", description="first")  # version 0
    office.sync(office.edit(customer_id, 0, supplier="Old Co"))  # 1
    office.sync(office.edit(customer_id, 1, description="second"))  # 2
    office.sync(office.edit(customer_id, 2, phone="+47 1"))  # 3
    office.sync(office.edit(customer_id, 3, description="third"))  # 4
    stale = laptop.edit(customer_id, 3, description="the laptop's")
    reads.clear()
    [result] = laptop.sync(stale)
    assert reads == []
    assert conflict_of(customers, customer_id, result).base_value == "second"


def test_a_base_before_that_span_is_read_from_the_history(customers, reads):
    office = Device(customers, "office", "carol")
    laptop = Device(customers, "laptop", "dave")
    customer_id = office.register("Acme", description="first")  # version 0
    office.sync(office.edit(customer_id, 0, description="second"))  # 1
    office.sync(office.edit(customer_id, 1, description="third"))  # 2
    stale = laptop.edit(customer_id, 0, description="the laptop's")
    reads.clear()
    [result] = laptop.sync(stale)
    assert reads  # the value at version 0 is two changes back
    assert conflict_of(customers, customer_id, result).base_value == "first"


def test_a_restamped_value_keeps_its_span(make_customers):
    """An unchanged value with a later stamp moves the field's version on
    without changing its value: a base between the two still sees that value
    (a conflict there opens when another field changed: aggregate detection)."""
    customers = make_customers(CONFLICT_DETECTION="aggregate")
    office = Device(customers, "office", "carol")
    late = Device(customers, "late", "erin", lag=timedelta(hours=-1))  # clock ahead
    laptop = Device(customers, "laptop", "dave")
    customer_id = office.register("Acme", description="first")  # version 0
    office.sync(office.edit(customer_id, 0, description="second"))  # 1
    office.sync(office.edit(customer_id, 1, phone="+47 1"))  # 2
    [restamped] = late.sync(late.edit(customer_id, 2, description="second"))  # 3
    assert restamped.status == Verdict.UNCHANGED
    office.sync(office.edit(customer_id, 3, phone="+47 2"))  # 4
    [result] = laptop.sync(laptop.edit(customer_id, 2, description="the laptop's"))
    assert conflict_of(customers, customer_id, result).base_value == "second"


def test_the_time_seen_at_a_base_just_out_of_the_recent_ones_is_read(customers):
    office = Device(customers, "office", "carol")
    laptop = Device(customers, "laptop", "dave", lag=timedelta(hours=1))  # behind
    customer_id = office.register("Acme")
    for version in range(RECENT + 6):
        office.sync(office.edit(customer_id, version, phone=f"+47 {version}"))
    current = customers.version_of(customer_id)
    base = current - RECENT  # the oldest time not kept at hand
    [result] = laptop.sync(laptop.edit(customer_id, base, supplier="Laptop Co"))
    recorded = customers.history(customer_id)
    assert result.status == Verdict.MERGED
    # later than everything the author had seen at the base, whatever its clock
    assert recorded[-1].effective_at > recorded[base].latest_effective_at


def test_a_batch_on_one_old_base_reads_the_time_seen_there_once(customers, reads):
    """A client long offline sends its whole batch on the version it last saw:
    the time seen there is read from the store once, not once a command."""
    office = Device(customers, "office", "carol")
    laptop = Device(customers, "laptop", "dave", lag=timedelta(hours=1))  # behind
    customer_id = office.register("Acme")
    for version in range(RECENT + 6):
        office.sync(office.edit(customer_id, version, phone=f"+47 {version}"))
    base = customers.version_of(customer_id) - RECENT - 3
    batch = [
        command
        for n in range(5)
        for command in laptop.edit(customer_id, base, supplier=f"Laptop Co {n}")
    ]
    reads.clear()
    results = laptop.sync(batch)
    assert [r.status for r in results] == [Verdict.MERGED] * 5
    assert len(reads) == 1
    recorded = customers.history(customer_id)
    assert all(
        event.effective_at > recorded[base].latest_effective_at for event in recorded[-5:]
    )

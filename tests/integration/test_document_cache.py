"""A projector keeps the documents it wrote for its next pages
(system/recorders/caching.py), and only while the read model is as it left it."""

from __future__ import annotations

import sqlite3
import sys
import threading
import uuid

import pytest
from eventsourcing.persistence import IntegrityError, OperationalError

from customer_domain.customer import Customer
from system import maintenance, views
from system.directory import CustomerDirectory
from system.recorders.caching import DocumentCache
from system.runtime import Deployment
from tests.backends import backend_env
from tests.devices import Device


@pytest.fixture
def writer(sql_store_env):
    with Deployment(sql_store_env, projection="off") as deployment:
        yield deployment


def documents_read(directory: CustomerDirectory, monkeypatch) -> list[int]:
    """How many documents each page reads from the store, page after page."""
    module = sys.modules[type(directory.recorder).__module__]
    reads: list[int] = []
    real_load = module.load_document

    def counted(text):
        reads.append(1)
        return real_load(text)

    monkeypatch.setattr(module, "load_document", counted)
    return reads


def test_a_projector_reads_back_none_of_the_documents_it_wrote(
    writer, sql_store_env, monkeypatch
):
    office = Device(writer.customers, "office", "carol")
    customer_ids = [office.register(f"Customer {n}") for n in range(5)]
    directory = maintenance.follower(writer.customers, sql_store_env)
    directory.catch_up()
    office.sync([c for cid in customer_ids for c in office.edit(cid, 0, phone="+47 1")])
    reads = documents_read(directory, monkeypatch)

    directory.catch_up()

    assert reads == []
    assert directory.customer_view(customer_ids[0])["phone"] == "+47 1"
    assert maintenance.differences(writer.customers, directory) == []
    directory.close()


def test_after_another_projectors_page_the_documents_are_read_again(
    writer, sql_store_env, monkeypatch
):
    office = Device(writer.customers, "office", "carol")
    customer_id = office.register()
    first = maintenance.follower(writer.customers, sql_store_env)
    first.catch_up()
    office.sync(office.edit(customer_id, 0, description="seen by the second only"))
    second = maintenance.follower(writer.customers, sql_store_env)
    second.catch_up()
    office.sync(office.edit(customer_id, 1, phone="+47 2"))
    reads = documents_read(first, monkeypatch)

    first.catch_up()  # its cache is from before the second projector's page

    assert reads != []
    view = first.customer_view(customer_id)
    assert (view["description"], view["phone"]) == ("seen by the second only", "+47 2")
    assert maintenance.differences(writer.customers, first) == []
    first.close()
    second.close()


@pytest.mark.parametrize(
    "failure",
    [
        RuntimeError("projection interrupted"),  # the page fails
        OperationalError("connection lost"),  # tried again at once, on PostgreSQL
    ],
)
def test_a_page_that_failed_leaves_no_document_changed_in_the_cache(
    writer, sql_store_env, monkeypatch, failure
):
    customer_id = a_conflict_with_three_candidates(writer.customers)
    office = Device(writer.customers, "office", "carol")
    office.sync(office.edit(customer_id, 4, description="last"))
    history = writer.customers.history(customer_id)
    assert isinstance(history[4], Customer.ConflictCandidateAdded)
    monkeypatch.setattr(CustomerDirectory, "pull_section_size", 2)  # [4, 5] a page
    directory = maintenance.follower(writer.customers, sql_store_env)
    directory.catch_up(stop=4)  # pages [0, 1] and [2, 3]: the conflict cached
    real_project, failures = views.project, [failure]

    def failing_project(event, position, store, *given):
        real_project(event, position, store, *given)  # version 4 adds a candidate ...
        if event.originator_version == 5 and failures:
            raise failures.pop()  # ... then the page fails, once

    monkeypatch.setattr(views, "project", failing_project)
    try:
        directory.catch_up()  # PostgreSQL's recorder tries a lost connection again
    except (RuntimeError, OperationalError):
        directory.catch_up()

    assert failures == []
    [conflict] = directory.conflicts(None, str(customer_id))
    assert len(conflict["candidates"]) == 3  # alice's, bob's and dave's, once each
    assert maintenance.differences(writer.customers, directory) == []
    directory.close()


def test_a_page_another_projector_recorded_meanwhile_is_not_projected_twice(
    writer, sql_store_env, monkeypatch
):
    customer_id = a_conflict_with_three_candidates(writer.customers)
    first = maintenance.follower(writer.customers, sql_store_env)
    second = maintenance.follower(writer.customers, sql_store_env)
    first.catch_up(stop=3)  # versions 0 to 2: the conflict opened
    real_process_page, overtaken = CustomerDirectory.process_page, []

    def overtaken_once(self, *page):  # the first's next page pulled, not yet recorded
        if self is first and not overtaken:
            overtaken.append(second.catch_up(stop=4))  # version 3: a candidate
        real_process_page(self, *page)

    monkeypatch.setattr(CustomerDirectory, "process_page", overtaken_once)
    with pytest.raises(IntegrityError):
        first.catch_up()  # its page of versions 3 and 4 starts below the position
    first.catch_up()  # from the position recorded: version 4

    assert overtaken == [4]
    [conflict] = first.conflicts(None, str(customer_id))
    assert len(conflict["candidates"]) == 3  # alice's, bob's and dave's, once each
    assert maintenance.differences(writer.customers, first) == []
    first.close()
    second.close()


def a_conflict_with_three_candidates(customers) -> uuid.UUID:
    """A customer whose name three laptops changed from version 0 after the
    office did: versions 2 to 4 open the conflict and add two candidates."""
    office = Device(customers, "office", "carol")
    customer_id = office.register()
    office.sync(office.edit(customer_id, 0, name="Office's"))
    for client in ("alice", "bob", "dave"):  # the same field, from the same base
        laptop = Device(customers, f"laptop-{client}", client)
        laptop.sync(laptop.edit(customer_id, 0, name=f"{client}'s"))
    return customer_id


def test_the_cache_keeps_the_documents_used_last():
    cache = DocumentCache(size=2)
    store = cache.over(NoDocuments(), position=0)
    for n in range(3):
        store.put_customers([{"customer_id": str(n)}])
    store.customers_many({"1"})  # used again: the last to go

    store.put_customers([{"customer_id": "3"}])

    assert list(cache.customers) == ["1", "3"]


class NoDocuments:
    def customers_many(self, ids):
        return {}

    def conflicts_many(self, ids):
        return {}

    def put_customers(self, views):
        pass

    def put_conflicts(self, conflicts):
        pass


def test_a_page_on_sqlite_waits_for_another_writer_of_the_read_model(tmp_path):
    with backend_env("sqlite", tmp_path) as env, Deployment(env, "off") as writer:
        office = Device(writer.customers, "office", "carol")
        customer_id = office.register()
        directory = maintenance.follower(writer.customers, env)
        directory.catch_up()
        office.sync(office.edit(customer_id, 0, phone="+47 3"))
        other = sqlite3.connect(
            env["CUSTOMERDIRECTORY_SQLITE_DBNAME"], check_same_thread=False
        )
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO tracking VALUES ('another application', 1)")
        threading.Timer(0.3, other.commit).start()  # commits while the page waits

        directory.catch_up()

        assert directory.customer_view(customer_id)["phone"] == "+47 3"
        other.close()
        directory.close()

"""A batch reads the customers it has not cached, and those that recently lost
a race, in one query (application.read_ahead), on PostgreSQL and SQLite, and
finds them as loading them one at a time would."""

from __future__ import annotations

import uuid

import pytest

from application import Customers
from application.snapshots import SNAPSHOT_EVERY
from tests.backends import backend_env
from tests.devices import Device


@pytest.fixture
def make_app(sql_store_env):
    apps = []

    def make(**settings: str) -> Customers:
        apps.append(Customers(env={**sql_store_env, **settings}))
        return apps[-1]

    yield make
    for app in apps:
        app.close()


def one_at_a_time(app: Customers, customer_id: uuid.UUID):
    """The customer as the library loads it: its latest snapshot, then its events."""
    return app.repository.get(customer_id, deepcopy_from_cache=False)


def count_reads(app: Customers, monkeypatch) -> dict[str, int]:
    """How the application reads customers: one at a time (each such load
    reads the customer's latest snapshot first), caught up one at a time, or
    many in one query."""
    counts = {"one at a time": 0, "caught up one at a time": 0, "many at once": 0}

    def counted(kind, read):
        def wrapper(*args, **kwargs):
            counts[kind] += 1
            return read(*args, **kwargs)

        return wrapper

    snapshots = app.snapshots.recorder
    monkeypatch.setattr(
        snapshots, "select_events", counted("one at a time", snapshots.select_events)
    )
    monkeypatch.setattr(app, "catch_up", counted("caught up one at a time", app.catch_up))
    reader = app.stream_reader
    monkeypatch.setattr(reader, "read", counted("many at once", reader.read))
    return counts


def test_customers_read_ahead_are_those_loaded_one_at_a_time(make_app):
    writer = make_app()
    office = Device(writer, "office", "carol")
    plain = office.register("Plain Ltd")
    office.sync(office.edit(plain, 0, supplier="Old Co", phone="+47 1"))
    snapshotted = office.register("Long History AS")
    for version in range(0, SNAPSHOT_EVERY + 5, 10):
        office.sync(
            [
                command
                for v in range(version, version + 10)
                for command in office.edit(snapshotted, v, description=f"v{v}")
            ]
        )
    writer.snapshot_writer.wait()
    [snapshot] = writer.snapshots.get(snapshotted, desc=True, limit=1)
    assert snapshot.originator_version < writer.version_of(snapshotted)
    unknown = uuid.uuid4()

    cold = make_app()
    loaded = cold.read_ahead([plain, snapshotted, unknown])

    assert loaded[unknown] is None
    for customer_id in (plain, snapshotted):
        assert vars(loaded[customer_id]) == vars(one_at_a_time(writer, customer_id))
        # cached from now on: the same object is decided on next
        assert cold.load_for_update(customer_id) is loaded[customer_id]
    assert cold.load_for_update(unknown) is None


def test_a_contended_customer_is_caught_up_and_a_calm_one_taken_as_cached(make_app):
    first, second = make_app(), make_app()
    office = Device(first, "office", "carol")
    contended, calm = office.register("Key Account"), office.register("Calm Ltd")
    for customer_id in (contended, calm):
        second.load_for_update(customer_id)  # cached by the second application
    for customer_id in (contended, calm):
        office.sync(office.edit(customer_id, 0, name="Renamed", phone="+47 2"))
    second.contention.lost([contended])

    loaded = second.read_ahead([contended, calm])

    assert loaded[contended] is second.load_for_update(contended)
    assert vars(loaded[contended]) == vars(one_at_a_time(first, contended))
    assert loaded[contended].value("name") == "Renamed"
    # trusted as cached: a save on it would lose, and it would be decided again
    assert loaded[calm] is second.load_for_update(calm)
    assert loaded[calm].version == 0


def test_a_cache_set_to_fast_forward_has_every_cached_customer_caught_up(make_app):
    first, second = make_app(), make_app(AGGREGATE_CACHE_FASTFORWARD="y")
    office = Device(first, "office", "carol")
    customer_id = office.register()
    second.load_for_update(customer_id)  # cached by the second application
    office.sync(office.edit(customer_id, 0, name="Renamed"))

    loaded = second.read_ahead([customer_id])

    assert vars(loaded[customer_id]) == vars(one_at_a_time(first, customer_id))


def test_a_batch_on_a_cold_server_reads_its_customers_in_one_query(make_app, monkeypatch):
    writer = make_app()
    office = Device(writer, "office", "carol")
    customer_ids = [office.register(f"Customer {n}") for n in range(20)]
    new_customer = uuid.uuid4()
    cold = make_app()
    reads = count_reads(cold, monkeypatch)
    laptop = Device(cold, "laptop", "dave")

    results = laptop.sync(
        [
            c
            for cid in customer_ids
            for c in laptop.edit(cid, 0, phone=f"+47 {cid.int % 97}")
        ]
        + [laptop.command("RegisterCustomer", new_customer, {"name": "New AS"}, None)]
    )

    assert {r.status for r in results} == {"applied"}
    assert reads == {"one at a time": 0, "caught up one at a time": 0, "many at once": 1}
    assert cold.get_customer(new_customer).value("name") == "New AS"
    for customer_id in customer_ids:
        assert vars(cold.get_customer(customer_id)) == vars(
            writer.get_customer(customer_id)
        )


def test_customers_that_lost_a_race_are_read_again_together(make_app, monkeypatch):
    first, second = make_app(), make_app()
    office = Device(first, "office", "carol")
    customer_ids = [office.register(f"Key Account {n}") for n in range(3)]
    laptop = Device(second, "laptop", "dave")
    laptop.sync([c for cid in customer_ids for c in laptop.edit(cid, 0, phone="+47 3")])
    # the first application changes them all behind the second one's cache
    office.sync([c for cid in customer_ids for c in office.edit(cid, 0, supplier="X")])
    reads = count_reads(second, monkeypatch)

    results = laptop.sync(
        [c for cid in customer_ids for c in laptop.edit(cid, 1, description="later")]
    )

    assert [r.version for r in results] == [3, 3, 3]
    assert {r.status for r in results} == {"merged"}
    # one read of the three after their save lost, none one customer at a time
    assert reads == {"one at a time": 0, "caught up one at a time": 0, "many at once": 1}
    assert all(cid in second.contention for cid in customer_ids)


def test_the_stored_versions_of_many_customers_are_read_together(make_app):
    app = make_app()
    office = Device(app, "office", "carol")
    customer_ids = [office.register(f"Customer {n}") for n in range(3)]
    office.sync(office.edit(customer_ids[1], 0, name="Renamed", phone="+47 2"))
    unknown = uuid.uuid4()

    assert app.stored_versions([*customer_ids, unknown]) == {
        customer_ids[0]: 0,
        customer_ids[1]: 2,
        customer_ids[2]: 0,
    }


def test_sqlite_reads_many_customers_in_chunks_of_parameters(tmp_path, monkeypatch):
    from application.read_ahead import SQLiteStreamReader

    with backend_env("sqlite", tmp_path) as env:
        writer, cold = Customers(env=env), Customers(env=env)
        try:
            office = Device(writer, "office", "carol")
            customer_ids = [office.register(f"Customer {n}") for n in range(10)]
            monkeypatch.setattr(SQLiteStreamReader, "CHUNK", 3)

            loaded = cold.read_ahead(customer_ids)

            assert list(loaded) == customer_ids
            assert cold.stored_versions(customer_ids) == dict.fromkeys(customer_ids, 0)
            for customer_id in customer_ids:
                assert vars(loaded[customer_id]) == vars(
                    one_at_a_time(writer, customer_id)
                )
        finally:
            writer.close()
            cold.close()

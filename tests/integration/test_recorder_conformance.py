"""The library's own recorder test cases, run against the read model's recorders
(which must stay process recorders that the library can rely on) and the
customers' recorder on PostgreSQL (its rows in binary)."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

import pytest
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.tests.persistence import (
    AggregateRecorderTestCase,
    ApplicationRecorderTestCase,
    ProcessRecorderTestCase,
    TrackingRecorderTestCase,
)
from eventsourcing.utils import Environment
from eventsourcing_eventstoredb.factory import EventStoreDBFactory

from system.recorders.popo import Recorder as POPODirectoryRecorder
from system.recorders.postgres import Recorder as PostgresDirectoryRecorder
from system.recorders.sqlite import Recorder as SQLiteDirectoryRecorder
from tests.backends import POSTGRES, eventstoredb_uri, needs_empty_store, postgres_schema

# The library's concurrency and throughput cases are measurements, not rules.
SKIPPED = ("test_performance", "test_concurrent_throughput")


def _skipped(reason: str):
    """A test method that skips (the inherited one stays as it is for other stores)."""

    def skipped(self):
        pytest.skip(reason)

    return skipped


def _without_measurements(cls):
    for name in SKIPPED:
        if hasattr(cls, name):
            setattr(cls, name, _skipped("a measurement"))
    return cls


def _join_stray_threads() -> None:
    """The library's concurrency case stops its reader threads without joining
    them: wait for them before the datastore closes under them (on SQLite a
    query on a closed connection crashes the interpreter)."""
    for thread in threading.enumerate():
        if "read_continuously" in thread.name:
            thread.join(timeout=10)


class POPOCase:
    def create_recorder(self):
        return POPODirectoryRecorder()


class SQLiteCase:
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.datastore = SQLiteDatastore(str(Path(self.folder.name) / "directory.db"))

    def tearDown(self):
        _join_stray_threads()
        self.datastore.close()
        self.folder.cleanup()

    def create_recorder(self):
        recorder = SQLiteDirectoryRecorder(self.datastore)
        recorder.create_table()
        return recorder


class PostgresCase:
    def setUp(self):
        self.schema = postgres_schema()
        env = self.schema.__enter__()
        self.datastore = PostgresDatastore(
            dbname=POSTGRES["POSTGRES_DBNAME"],
            host=POSTGRES["POSTGRES_HOST"],
            port=POSTGRES["POSTGRES_PORT"],
            user=POSTGRES["POSTGRES_USER"],
            password=POSTGRES["POSTGRES_PASSWORD"],
            schema=env["POSTGRES_SCHEMA"],
        )

    def tearDown(self):
        _join_stray_threads()
        self.datastore.close()
        self.schema.__exit__(None, None, None)

    def create_recorder(self):
        recorder = PostgresDirectoryRecorder(
            self.datastore,
            events_table_name="customerdirectory_events",
            tracking_table_name="customerdirectory_tracking",
        )
        recorder.create_table()
        return recorder


class BinaryRowsCase(PostgresCase):
    def create_recorder(self):
        from application.binary_rows import BinaryRowsRecorder

        recorder = BinaryRowsRecorder(
            self.datastore, events_table_name="customers_events"
        )
        recorder.create_table()
        return recorder


@pytest.mark.postgres
class TestBinaryRowsApplicationRecorder(BinaryRowsCase, ApplicationRecorderTestCase):
    pass


_without_measurements(TestBinaryRowsApplicationRecorder)


class EventStoreDBCase:
    """The adapter that holds the customers' events, on the stand-in (or a real
    server); the read model's recorders are not for this store."""

    INITIAL_VERSION = 0  # EventStoreDB's numbering: the first event is revision 0

    def setUp(self):
        self.server = eventstoredb_uri()
        self.factory = EventStoreDBFactory(
            Environment(env={"EVENTSTOREDB_URI": self.server.__enter__()})
        )

    def tearDown(self):
        _join_stray_threads()
        self.factory.close()
        self.server.__exit__(None, None, None)

    def create_recorder(self):
        return self.factory.application_recorder()


@needs_empty_store
class TestEventStoreDBAggregateRecorder(EventStoreDBCase, AggregateRecorderTestCase):
    def create_recorder(self):
        return self.factory.aggregate_recorder()


@needs_empty_store
class TestEventStoreDBApplicationRecorder(EventStoreDBCase, ApplicationRecorderTestCase):
    test_insert_select = _skipped(
        "assumes notification ids 1, 2, 3 and None on an empty store; the "
        "adapter's ids are commit positions, its empty store answers 0"
    )


_without_measurements(TestEventStoreDBAggregateRecorder)
_without_measurements(TestEventStoreDBApplicationRecorder)

cases = {}
for store in (POPOCase, SQLiteCase, PostgresCase):
    for case in (
        ApplicationRecorderTestCase,
        TrackingRecorderTestCase,
        ProcessRecorderTestCase,
    ):
        name = f"Test{store.__name__.removesuffix('Case')}{case.__name__.removesuffix('TestCase')}"
        marks = [pytest.mark.postgres] if store is PostgresCase else []
        cls = _without_measurements(type(name, (store, case), {}))
        for mark in marks:
            cls = mark(cls)
        cases[name] = cls
globals().update(cases)

"""The library's own recorder test cases, run against the read model's recorders
(which must stay process recorders that the library can rely on)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.tests.persistence import (
    ApplicationRecorderTestCase,
    ProcessRecorderTestCase,
    TrackingRecorderTestCase,
)

from system.recorders import (
    POPODirectoryRecorder,
    PostgresDirectoryRecorder,
    SQLiteDirectoryRecorder,
)
from tests.backends import POSTGRES, postgres_schema

# The library's concurrency and throughput cases are measurements, not rules.
SKIPPED = ("test_performance", "test_concurrent_throughput")


def _without_measurements(cls):
    for name in SKIPPED:
        if hasattr(cls, name):
            setattr(cls, name, pytest.mark.skip(reason="a measurement")(getattr(cls, name)))
    return cls


class POPOCase:
    def create_recorder(self):
        return POPODirectoryRecorder()


class SQLiteCase:
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.datastore = SQLiteDatastore(str(Path(self.folder.name) / "directory.db"))

    def tearDown(self):
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
            dbname=POSTGRES["POSTGRES_DBNAME"], host=POSTGRES["POSTGRES_HOST"],
            port=POSTGRES["POSTGRES_PORT"], user=POSTGRES["POSTGRES_USER"],
            password=POSTGRES["POSTGRES_PASSWORD"], schema=env["POSTGRES_SCHEMA"])

    def tearDown(self):
        self.datastore.close()
        self.schema.__exit__(None, None, None)

    def create_recorder(self):
        recorder = PostgresDirectoryRecorder(
            self.datastore, events_table_name="customerdirectory_events",
            tracking_table_name="customerdirectory_tracking")
        recorder.create_table()
        return recorder


cases = {}
for store in (POPOCase, SQLiteCase, PostgresCase):
    for case in (ApplicationRecorderTestCase, TrackingRecorderTestCase,
                 ProcessRecorderTestCase):
        name = f"Test{store.__name__.removesuffix('Case')}{case.__name__.removesuffix('TestCase')}"
        marks = [pytest.mark.postgres] if store is PostgresCase else []
        cls = _without_measurements(type(name, (store, case), {}))
        for mark in marks:
            cls = mark(cls)
        cases[name] = cls
globals().update(cases)

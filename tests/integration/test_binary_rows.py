"""On PostgreSQL, the customers' events are sent to the server, and pages of
the log read back, as binary rows (application.binary_rows): every byte of a
state arrives as it was sent, and a page holds what the library's would."""

from __future__ import annotations

import uuid

import pytest
from eventsourcing.persistence import StoredEvent

from application import Customers
from tests.backends import postgres_schema

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres_env():
    with postgres_schema() as env:
        yield env


def test_the_customers_save_their_rows_in_binary(postgres_env):
    from application.binary_rows import BinaryRowsRecorder

    app = Customers(env=postgres_env)
    try:
        assert type(app.recorder) is BinaryRowsRecorder
        originator_id = uuid.uuid4()
        # every byte value, and what text escaping treats specially
        states = [bytes(range(256)), b'"\\(),{} \x00', b"", b"\\x00ff"]
        rows = [
            StoredEvent(originator_id, version, "some:Topic", state)
            for version, state in enumerate(states)
        ]
        ids = app.recorder.insert_events(rows)
        assert ids is not None and len(ids) == len(rows)
        assert list(app.recorder.select_events(originator_id)) == rows
    finally:
        app.close()


def test_a_page_of_the_log_read_in_binary_is_the_librarys_page(postgres_env):
    from eventsourcing.postgres import PostgresApplicationRecorder

    app = Customers(env=postgres_env)
    try:
        states = [bytes(range(256)), b'"\\(),{} \x00', b"", b"\\x00ff"]
        rows = [
            StoredEvent(uuid.uuid4(), 0, f"some:Topic{n % 2}", state)
            for n, state in enumerate(states * 3)
        ]
        ids = app.recorder.insert_events(rows)
        assert ids is not None
        library = PostgresApplicationRecorder.select_notifications
        pages = [
            {"start": None, "limit": 100},
            {"start": ids[2], "limit": 4},
            {"start": ids[2], "limit": 4, "inclusive_of_start": False},
            {"start": ids[1], "limit": 100, "stop": ids[6]},
            {"start": None, "limit": 3, "stop": ids[1]},
            {"start": ids[-1], "limit": 10, "inclusive_of_start": False},
            {"start": ids[0], "limit": 100, "topics": ["some:Topic1"]},
        ]
        for page in pages:
            read = app.recorder.select_notifications(**page)
            assert read == library(app.recorder, **page), page
            assert all(type(n.state) is bytes for n in read)
        assert [n.state for n in app.recorder.select_notifications(None, 100)] == [
            row.state for row in rows
        ]
    finally:
        app.close()


def test_a_recorder_named_by_the_library_setting_is_kept(postgres_env):
    from eventsourcing.postgres import PostgresApplicationRecorder

    topic = "eventsourcing.postgres:PostgresApplicationRecorder"
    app = Customers(env={**postgres_env, "APPLICATION_RECORDER_TOPIC": topic})
    try:
        assert type(app.recorder) is PostgresApplicationRecorder
    finally:
        app.close()

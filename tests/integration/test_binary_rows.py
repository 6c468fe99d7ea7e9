"""On PostgreSQL, the customers' events are sent to the server as binary rows
(application.binary_rows): every byte of a state arrives as it was sent."""

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


def test_a_recorder_named_by_the_library_setting_is_kept(postgres_env):
    from eventsourcing.postgres import PostgresApplicationRecorder

    topic = "eventsourcing.postgres:PostgresApplicationRecorder"
    app = Customers(env={**postgres_env, "APPLICATION_RECORDER_TOPIC": topic})
    try:
        assert type(app.recorder) is PostgresApplicationRecorder
    finally:
        app.close()

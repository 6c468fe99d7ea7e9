"""Saving events on PostgreSQL with their rows sent in binary.

The library's PostgreSQL recorder sends a save's rows as one array of its
``stored_event`` composite type, with the parameter's format left to psycopg,
which chooses text: every row's bytes are then escaped twice (bytea as hex,
then composite quoting) by Python code whose cost grows with each byte, and
parsed back by the server. A customer's event is a few hundred bytes of
MessagePack, so this was the largest single cost of a save. This recorder
sends the same array in psycopg's binary format (``%b``); the statement is
otherwise the library's own (eventsourcing 9.5), and everything else is
inherited. Imported only when PostgreSQL is chosen.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from psycopg.sql import SQL, Identifier


class BinaryRowsRecorder(PostgresApplicationRecorder):
    def __init__(
        self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self.insert_events_statement = SQL(
            "INSERT INTO {schema}.{table} AS t ("
            "originator_id, originator_version, topic, state) "
            "SELECT originator_id, originator_version, topic, state "
            "FROM unnest(%b::{schema}.{stored_event_type}[]) "
            "RETURNING notification_id"
        ).format(
            schema=Identifier(self.datastore.schema),
            table=Identifier(self.events_table_name),
            stored_event_type=Identifier(self.stored_event_type_name),
        )


def send_rows_in_binary(factory: Any) -> None:
    """Make a PostgreSQL factory's application recorder a ``BinaryRowsRecorder``,
    unless the library's ``APPLICATION_RECORDER_TOPIC`` names another."""
    if not factory.env.get(factory.APPLICATION_RECORDER_TOPIC):
        factory.env[factory.APPLICATION_RECORDER_TOPIC] = (
            f"{__name__}:{BinaryRowsRecorder.__qualname__}"
        )

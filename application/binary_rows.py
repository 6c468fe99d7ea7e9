"""Saving and reading events on PostgreSQL with their rows in binary.

The library's PostgreSQL recorder sends a save's rows as one array of its
``stored_event`` composite type, with the parameter's format left to psycopg,
which chooses text: every row's bytes are then escaped twice (bytea as hex,
then composite quoting) by Python code whose cost grows with each byte, and
parsed back by the server. A customer's event is a few hundred bytes of
MessagePack, so this was the largest single cost of a save. This recorder
sends the same array in psycopg's binary format (``%b``); the statement is
otherwise the library's own (eventsourcing 9.5), and everything else is
inherited. Imported only when PostgreSQL is chosen.

Reading the log is the same the other way: as text, each state comes back as
hex, encoded by the server and decoded by libpq, a row at a time. The
projection reads every event so; this recorder asks for the rows of a log page
in binary, in one prepared statement (pages filtered by topic are left to the
library).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import InterfaceError, Notification, OperationalError
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import retry
from psycopg.sql import SQL, Identifier

LAST_POSITION = 2**63 - 1  # PostgreSQL's largest bigint


class BinaryRowsRecorder(PostgresApplicationRecorder):
    def __init__(
        self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        names = {
            "schema": Identifier(self.datastore.schema),
            "table": Identifier(self.events_table_name),
            "stored_event_type": Identifier(self.stored_event_type_name),
        }
        self.insert_events_statement = SQL(
            "INSERT INTO {schema}.{table} AS t ("
            "originator_id, originator_version, topic, state) "
            "SELECT originator_id, originator_version, topic, state "
            "FROM unnest(%b::{schema}.{stored_event_type}[]) "
            "RETURNING notification_id"
        ).format(**names)
        self.select_page_statement = SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state "
            "FROM {schema}.{table} WHERE notification_id BETWEEN %s AND %s "
            "ORDER BY notification_id LIMIT %s"
        ).format(**names)

    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Sequence[Notification]:
        if topics:  # the library's own, with its own retries
            return super().select_notifications(
                start, limit, stop, topics, inclusive_of_start=inclusive_of_start
            )
        first = 1 if start is None else start if inclusive_of_start else start + 1
        return self._select_page(first, LAST_POSITION if stop is None else stop, limit)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def _select_page(self, first: int, last: int, limit: int) -> list[Notification]:
        with self.datastore.get_connection() as conn, conn.cursor(binary=True) as curs:
            curs.execute(self.select_page_statement, (first, last, limit), prepare=True)
            return [
                Notification(
                    id=row["notification_id"],
                    originator_id=row["originator_id"],
                    originator_version=row["originator_version"],
                    topic=row["topic"],
                    state=row["state"],
                )
                for row in curs.fetchall()
            ]


def send_rows_in_binary(factory: Any) -> None:
    """Make a PostgreSQL factory's application recorder a ``BinaryRowsRecorder``,
    unless the library's ``APPLICATION_RECORDER_TOPIC`` names another."""
    if not factory.env.get(factory.APPLICATION_RECORDER_TOPIC):
        factory.env[factory.APPLICATION_RECORDER_TOPIC] = (
            f"{__name__}:{BinaryRowsRecorder.__qualname__}"
        )

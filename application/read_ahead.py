"""Reading many customers' streams in one round trip, on PostgreSQL.

A batch names up to hundreds of customers. Loading each one the library's way
takes two queries (its latest snapshot, then the events after it), and
catching up a cached one takes another: a server that has just started, or
that shares customers with other servers, then spends most of a batch waiting
on round trips. ``StreamReader.read`` asks for all of them in one statement
over the same tables; the events and snapshots it returns are decoded by the
application's own mappers, as any other read. Imported only when PostgreSQL
is chosen.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresAggregateRecorder
from psycopg.sql import SQL, Identifier

# Rows of both tables, each customer's latest snapshot (of those asked for from
# their start, ``after`` null) and the events after it or after ``after``.
_STATEMENT = SQL(
    "WITH wanted (id, after) AS ("
    " SELECT * FROM unnest(%s::{id_type}[], %s::bigint[])), "
    "latest AS ("
    " SELECT DISTINCT ON (s.originator_id)"
    " s.originator_id, s.originator_version, s.topic, s.state"
    " FROM {schema}.{snapshots} s JOIN wanted w ON s.originator_id = w.id"
    " WHERE w.after IS NULL"
    " ORDER BY s.originator_id, s.originator_version DESC) "
    "SELECT true AS is_snapshot, originator_id, originator_version, topic, state"
    " FROM latest "
    "UNION ALL "
    "SELECT false, e.originator_id, e.originator_version, e.topic, e.state"
    " FROM wanted w JOIN {schema}.{events} e ON e.originator_id = w.id"
    " LEFT JOIN latest l ON l.originator_id = w.id"
    " WHERE coalesce(w.after, l.originator_version) IS NULL"
    " OR e.originator_version > coalesce(w.after, l.originator_version) "
    "ORDER BY is_snapshot DESC, originator_version"
)


class StreamReader:
    """Reads the streams of many customers, and their latest snapshots, at once."""

    def __init__(
        self, events: PostgresAggregateRecorder, snapshots: PostgresAggregateRecorder
    ) -> None:
        self.datastore = events.datastore
        self.statement = _STATEMENT.format(
            schema=Identifier(self.datastore.schema),
            id_type=Identifier(self.datastore.originator_id_type),
            events=Identifier(events.events_table_name),
            snapshots=Identifier(snapshots.events_table_name),
        )

    def read(
        self, after: Mapping[UUID, int | None]
    ) -> dict[UUID, tuple[StoredEvent | None, list[StoredEvent]]]:
        """For each customer, its latest snapshot and the events after it
        (``after`` None), or the events after version ``after`` (no snapshot);
        customers with neither are left out."""
        ids, versions = list(after), list(after.values())
        with self.datastore.get_connection() as connection, connection.cursor() as cursor:
            cursor.execute(self.statement, (ids, versions), prepare=True)
            rows: list[dict[str, Any]] = cursor.fetchall()
        streams: dict[UUID, tuple[StoredEvent | None, list[StoredEvent]]] = {}
        for row in rows:
            stored = StoredEvent(
                originator_id=row["originator_id"],
                originator_version=row["originator_version"],
                topic=row["topic"],
                state=bytes(row["state"]),
            )
            if row["is_snapshot"]:
                streams[stored.originator_id] = (stored, [])
            else:
                streams.setdefault(stored.originator_id, (None, []))[1].append(stored)
        return streams

"""Reading many customers' streams in one query, on PostgreSQL and SQLite.

A batch names up to hundreds of customers. Loading each one the library's way
takes two queries (its latest snapshot, then the events after it), and
catching up a cached one takes another: a server that has just started, or
that shares customers with other servers, then spends most of a batch waiting
on the store. A stream reader asks for all of them in one statement over the
library's own tables; the events and snapshots it returns are decoded by the
application's own mappers, as any other read. Other stores (EventStoreDB, in
memory) load customers one at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.persistence import (
    AggregateRecorder,
    InterfaceError,
    OperationalError,
    StoredEvent,
)
from eventsourcing.utils import retry

# For each customer, its latest snapshot and the events after it, or, given a
# version, the events after that version (no snapshot).
Streams = dict[UUID, tuple[StoredEvent | None, list[StoredEvent]]]


class StreamReader(Protocol):
    def read(self, after: Mapping[UUID, int | None]) -> Streams:
        """Each customer's latest snapshot and the events after it (``after``
        None), or the events after version ``after``; customers with neither
        are left out."""
        ...

    def versions(self, customer_ids: list[UUID]) -> dict[UUID, int]:
        """Each customer's latest stored version; customers with no event are
        left out."""
        ...


def stream_reader(
    persistence_module: str, events: AggregateRecorder, snapshots: AggregateRecorder
) -> StreamReader | None:
    """The reader for the store the recorders keep, if it has one."""
    if persistence_module == "eventsourcing.postgres":
        return PostgresStreamReader(events, snapshots)
    if persistence_module == "eventsourcing.sqlite":
        return SQLiteStreamReader(events, snapshots)
    return None


# The same statement in both dialects: the customers wanted, with the version
# to read after (null: from the latest snapshot), their latest snapshots, then
# the snapshots and the events after them, snapshots first (versions are never
# negative: after -1 is from the start).
_SELECT = (
    "SELECT {true} AS is_snapshot, s.originator_id AS originator_id,"
    " s.originator_version AS originator_version, s.topic AS topic,"
    " s.state AS state FROM {snapshots} s JOIN latest l ON s.originator_id = l.originator_id"
    " AND s.originator_version = l.originator_version "
    "UNION ALL "
    "SELECT {false}, e.originator_id, e.originator_version, e.topic, e.state"
    " FROM wanted w LEFT JOIN latest l ON l.originator_id = w.id"
    " JOIN {events} e ON e.originator_id = w.id"
    " AND e.originator_version > coalesce(w.after, l.originator_version, -1) "
    "ORDER BY is_snapshot DESC, originator_version"
)
# Each customer's latest version, looked up in the index on its own: a
# grouped max over all of them would read every event of every customer.
_VERSIONS = (
    "WITH wanted (id) AS ({wanted}) SELECT w.id AS originator_id,"
    " (SELECT max(e.originator_version) FROM {events} e"
    " WHERE e.originator_id = w.id) AS version FROM wanted w"
)
_LATEST = (
    "latest AS (SELECT s.originator_id, max(s.originator_version) AS originator_version"
    " FROM {snapshots} s JOIN wanted w ON s.originator_id = w.id"
    " WHERE w.after IS NULL GROUP BY s.originator_id) "
)


def _streams(rows: Iterable[Any], customer_id: Any = lambda value: value) -> Streams:
    streams: Streams = {}
    for row in rows:
        stored = StoredEvent(
            originator_id=customer_id(row["originator_id"]),
            originator_version=row["originator_version"],
            topic=row["topic"],
            state=bytes(row["state"]),
        )
        if row["is_snapshot"]:
            streams[stored.originator_id] = (stored, [])
        else:
            streams.setdefault(stored.originator_id, (None, []))[1].append(stored)
    return streams


class PostgresStreamReader:
    """Tries again, as the library's own reads do, when a pooled connection
    turns out to be broken."""

    def __init__(self, events: Any, snapshots: Any) -> None:
        from psycopg.sql import SQL, Identifier  # only when PostgreSQL is chosen

        self.datastore = events.datastore
        schema = self.datastore.schema
        self.statement = SQL(
            "WITH wanted (id, after) AS (SELECT * FROM "
            "unnest(%s::{id_type}[], %s::bigint[])), " + _LATEST + _SELECT
        ).format(
            id_type=Identifier(self.datastore.originator_id_type),
            events=Identifier(schema, events.events_table_name),
            snapshots=Identifier(schema, snapshots.events_table_name),
            true=SQL("true"),
            false=SQL("false"),
        )

        self.versions_statement = SQL(
            _VERSIONS.format(
                events="{events}", wanted="SELECT * FROM unnest(%s::{id_type}[])"
            )
        ).format(
            id_type=Identifier(self.datastore.originator_id_type),
            events=Identifier(schema, events.events_table_name),
        )

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def read(self, after: Mapping[UUID, int | None]) -> Streams:
        with self.datastore.get_connection() as connection, connection.cursor() as cursor:
            cursor.execute(
                self.statement, (list(after), list(after.values())), prepare=True
            )
            return _streams(cursor.fetchall())

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def versions(self, customer_ids: list[UUID]) -> dict[UUID, int]:
        with self.datastore.get_connection() as connection, connection.cursor() as cursor:
            cursor.execute(self.versions_statement, (customer_ids,), prepare=True)
            return {
                row["originator_id"]: row["version"]
                for row in cursor.fetchall()
                if row["version"] is not None
            }


class SQLiteStreamReader:
    def __init__(self, events: Any, snapshots: Any) -> None:
        self.datastore = events.datastore
        self.recorder = events
        self.template = (
            "WITH wanted (id, after) AS (VALUES {wanted}), " + _LATEST + _SELECT
        ).format(
            wanted="{wanted}",
            events=events.events_table_name,
            snapshots=snapshots.events_table_name,
            true=1,
            false=0,
        )
        self.versions_template = _VERSIONS.format(
            events=events.events_table_name, wanted="{wanted}"
        )

    CHUNK = 400  # customers a statement: two parameters each, under SQLite's oldest limit (999)

    def versions(self, customer_ids: list[UUID]) -> dict[UUID, int]:
        versions: dict[UUID, int] = {}
        with self.datastore.transaction(commit=False) as cursor:
            for start in range(0, len(customer_ids), 2 * self.CHUNK):
                chunk = customer_ids[start : start + 2 * self.CHUNK]
                cursor.execute(
                    self.versions_template.format(
                        wanted=f"VALUES {', '.join(['(?)'] * len(chunk))}"
                    ),
                    [customer_id.hex for customer_id in chunk],
                )
                for row in cursor.fetchall():
                    if row["version"] is None:
                        continue
                    customer_id = self.recorder.convert_originator_id(
                        row["originator_id"]
                    )
                    versions[customer_id] = row["version"]
        return versions

    def read(self, after: Mapping[UUID, int | None]) -> Streams:
        wanted = list(after.items())
        streams: Streams = {}
        with self.datastore.transaction(commit=False) as cursor:
            for start in range(0, len(wanted), self.CHUNK):
                chunk = wanted[start : start + self.CHUNK]
                statement = self.template.format(
                    wanted=", ".join(["(?, ?)"] * len(chunk))
                )
                params = [
                    value
                    for customer_id, version in chunk
                    for value in (customer_id.hex, version)
                ]
                cursor.execute(statement, params)
                streams.update(
                    _streams(cursor.fetchall(), self.recorder.convert_originator_id)
                )
        return streams

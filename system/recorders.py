"""Process recorders that write the read model in the transaction that records
the tracking position, so each customer event is projected exactly once.

``insert_events(..., tracking=..., customer_events=[(event, position), ...])``
projects the events (the tracking record names the last one's position);
without ``customer_events`` they behave as the library's process recorders.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent, Tracking
from eventsourcing.popo import POPOProcessRecorder
from eventsourcing.postgres import PostgresDatastore, PostgresProcessRecorder
from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore, SQLiteProcessRecorder
from psycopg.sql import SQL, Identifier

from system.views import project_page

UPSTREAM = "Customers"


def _project(kwargs: dict[str, Any], store: Any) -> None:
    events = kwargs.get("customer_events", ())
    if events:
        assert isinstance(kwargs.get("tracking"), Tracking)
        project_page(events, store)


class DirectoryQueries:
    """Reads of the read model, the same on every store."""

    def customer_view(self, customer_id: str) -> dict[str, Any] | None:
        raise NotImplementedError

    def customer_views_since(self, position: int, limit: int) -> list[dict[str, Any]]:
        raise NotImplementedError

    def conflicts(self, status: str | None, customer_id: str | None) -> list[dict]:
        raise NotImplementedError

    def conflict(self, conflict_id: str) -> dict[str, Any] | None:
        raise NotImplementedError

    def position(self) -> int:
        """The position of the last customer event projected (0: none)."""
        return self.max_tracking_id(UPSTREAM) or 0  # type: ignore[attr-defined]


def _copy(document: Any) -> Any:
    return json.loads(json.dumps(document))


class _StagedViews:
    """Documents changed by one projection step, kept aside until it commits."""

    def __init__(self, recorder: POPODirectoryRecorder) -> None:
        self.recorder = recorder
        self.views: dict[str, dict] = {}
        self.conflict_docs: dict[str, dict] = {}

    def customers_many(self, ids: set[str]) -> dict[str, dict]:
        return {k: _copy(self.recorder.views[k]) for k in ids if k in self.recorder.views}

    def conflicts_many(self, ids: set[str]) -> dict[str, dict]:
        docs = self.recorder.conflict_docs
        return {k: _copy(docs[k]) for k in ids if k in docs}

    def put_customers(self, views: list[dict]) -> None:
        self.views.update((view["customer_id"], view) for view in views)

    def put_conflicts(self, conflicts: list[dict]) -> None:
        self.conflict_docs.update((c["conflict_id"], c) for c in conflicts)


class POPODirectoryRecorder(POPOProcessRecorder, DirectoryQueries):
    def __init__(self) -> None:
        super().__init__()
        self.views: dict[str, dict] = {}
        self.conflict_docs: dict[str, dict] = {}

    def _update_table(self, stored_events: Sequence[StoredEvent], **kwargs: Any):
        staged = _StagedViews(self)
        _project(kwargs, staged)  # if this fails, nothing has changed
        notification_ids = super()._update_table(stored_events, **kwargs)
        self.views.update(staged.views)
        self.conflict_docs.update(staged.conflict_docs)
        return notification_ids

    def customer_view(self, customer_id: str) -> dict | None:
        with self._database_lock:
            return _copy(self.views.get(customer_id))

    def conflict(self, conflict_id: str) -> dict | None:
        with self._database_lock:
            return _copy(self.conflict_docs.get(conflict_id))

    def customer_views_since(self, position: int, limit: int) -> list[dict]:
        with self._database_lock:
            views = sorted((v for v in self.views.values() if v["position"] > position),
                           key=lambda v: v["position"])
            return _copy(views[:limit])

    def conflicts(self, status: str | None, customer_id: str | None) -> list[dict]:
        with self._database_lock:
            found = [c for c in self.conflict_docs.values()
                     if status in (None, c["status"])
                     and customer_id in (None, c["customer_id"])]
            return _copy(sorted(found, key=lambda c: c["opened_at"]))

    def clear(self) -> None:
        with self._database_lock:
            self.views.clear()
            self.conflict_docs.clear()
            self._max_tracking_ids.pop(UPSTREAM, None)


class _SQLiteViewStore:
    def __init__(self, cursor: SQLiteCursor) -> None:
        self.cursor = cursor

    def _many(self, table: str, key: str, ids: set[str]) -> dict[str, dict]:
        found, ids = {}, sorted(ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            self.cursor.execute(f"SELECT {key}, doc FROM {table} WHERE {key} IN "  # noqa: S608
                                f"({', '.join('?' * len(chunk))})", chunk)
            found.update((row[0], json.loads(row[1])) for row in self.cursor.fetchall())
        return found

    def customers_many(self, ids: set[str]) -> dict[str, dict]:
        return self._many("customer_views", "customer_id", ids)

    def conflicts_many(self, ids: set[str]) -> dict[str, dict]:
        return self._many("customer_conflicts", "conflict_id", ids)

    def customer(self, customer_id: str) -> dict | None:
        return self.customers_many({customer_id}).get(customer_id)

    def conflict(self, conflict_id: str) -> dict | None:
        return self.conflicts_many({conflict_id}).get(conflict_id)

    def put_customers(self, views: list[dict]) -> None:
        self.cursor.executemany("INSERT OR REPLACE INTO customer_views VALUES (?, ?, ?)", [
            (v["customer_id"], v["position"], json.dumps(v)) for v in views])

    def put_conflicts(self, conflicts: list[dict]) -> None:
        self.cursor.executemany(
            "INSERT OR REPLACE INTO customer_conflicts VALUES (?, ?, ?, ?, ?)", [
                (c["conflict_id"], c["customer_id"], c["status"], c["opened_at"],
                 json.dumps(c)) for c in conflicts])


class SQLiteDirectoryRecorder(SQLiteProcessRecorder, DirectoryQueries):
    def __init__(self, datastore: SQLiteDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            "CREATE TABLE IF NOT EXISTS customer_views (customer_id TEXT PRIMARY KEY, "
            "position INTEGER NOT NULL, doc TEXT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS customer_views_position "
            "ON customer_views (position)",
            "CREATE TABLE IF NOT EXISTS customer_conflicts (conflict_id TEXT PRIMARY KEY, "
            "customer_id TEXT NOT NULL, status TEXT NOT NULL, opened_at TEXT NOT NULL, "
            "doc TEXT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS customer_conflicts_customer "
            "ON customer_conflicts (customer_id, status)",
        ]

    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent],
                       **kwargs: Any) -> Sequence[int] | None:
        notification_ids = super()._insert_events(c, stored_events, **kwargs)
        _project(kwargs, _SQLiteViewStore(c))
        return notification_ids

    def customer_view(self, customer_id: str) -> dict | None:
        with self.datastore.transaction(commit=False) as c:
            return _SQLiteViewStore(c).customer(customer_id)

    def customer_views_since(self, position: int, limit: int) -> list[dict]:
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT doc FROM customer_views WHERE position > ? "
                      "ORDER BY position LIMIT ?", (position, limit))
            return [json.loads(row[0]) for row in c.fetchall()]

    def conflicts(self, status: str | None, customer_id: str | None) -> list[dict]:
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT doc FROM customer_conflicts WHERE (? IS NULL OR status = ?) "
                      "AND (? IS NULL OR customer_id = ?) ORDER BY opened_at",
                      (status, status, customer_id, customer_id))
            return [json.loads(row[0]) for row in c.fetchall()]

    def conflict(self, conflict_id: str) -> dict | None:
        with self.datastore.transaction(commit=False) as c:
            return _SQLiteViewStore(c).conflict(conflict_id)

    def clear(self) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute("DELETE FROM customer_views")
            c.execute("DELETE FROM customer_conflicts")
            c.execute("DELETE FROM tracking WHERE application_name = ?", (UPSTREAM,))


class _PostgresViewStore:
    def __init__(self, recorder: PostgresDirectoryRecorder, cursor: Any) -> None:
        self.sql = recorder.statements
        self.cursor = cursor

    def _many(self, statement: str, ids: set[str]) -> dict[str, dict]:
        if not ids:
            return {}
        self.cursor.execute(self.sql[statement], (sorted(ids),))
        return {row["key"]: json.loads(row["doc"]) for row in self.cursor.fetchall()}

    def customers_many(self, ids: set[str]) -> dict[str, dict]:
        return self._many("select_views", ids)

    def conflicts_many(self, ids: set[str]) -> dict[str, dict]:
        return self._many("select_conflicts", ids)

    def customer(self, customer_id: str) -> dict | None:
        return self.customers_many({customer_id}).get(customer_id)

    def conflict(self, conflict_id: str) -> dict | None:
        return self.conflicts_many({conflict_id}).get(conflict_id)

    def put_customers(self, views: list[dict]) -> None:
        if views:
            self.cursor.executemany(self.sql["upsert_view"], [
                (v["customer_id"], v["position"], json.dumps(v)) for v in views])

    def put_conflicts(self, conflicts: list[dict]) -> None:
        if conflicts:
            self.cursor.executemany(self.sql["upsert_conflict"], [
                (c["conflict_id"], c["customer_id"], c["status"], c["opened_at"],
                 json.dumps(c)) for c in conflicts])


class PostgresDirectoryRecorder(PostgresProcessRecorder, DirectoryQueries):
    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str,
                 tracking_table_name: str) -> None:
        super().__init__(datastore, events_table_name=events_table_name,
                         tracking_table_name=tracking_table_name)
        prefix = tracking_table_name.removesuffix("_tracking")
        names = {"schema": Identifier(datastore.schema),
                 "views": Identifier(f"{prefix}_views"),
                 "conflicts": Identifier(f"{prefix}_conflicts"),
                 "views_position": Identifier(f"{prefix}_views_position"),
                 "conflicts_customer": Identifier(f"{prefix}_conflicts_customer"),
                 "tracking": Identifier(tracking_table_name)}
        self.sql_create_statements += [SQL(s).format(**names) for s in (
            "CREATE TABLE IF NOT EXISTS {schema}.{views} (customer_id text PRIMARY KEY, "
            "position bigint NOT NULL, doc text NOT NULL)",
            "CREATE INDEX IF NOT EXISTS {views_position} ON {schema}.{views} (position)",
            "CREATE TABLE IF NOT EXISTS {schema}.{conflicts} (conflict_id text PRIMARY "
            "KEY, customer_id text NOT NULL, status text NOT NULL, opened_at text NOT "
            "NULL, doc text NOT NULL)",
            "CREATE INDEX IF NOT EXISTS {conflicts_customer} ON {schema}.{conflicts} "
            "(customer_id, status)",
        )]
        self.statements = {name: SQL(s).format(**names) for name, s in {
            "select_views": "SELECT customer_id AS key, doc FROM {schema}.{views} "
                            "WHERE customer_id = ANY(%s)",
            "upsert_view": "INSERT INTO {schema}.{views} VALUES (%s, %s, %s) ON CONFLICT "
                           "(customer_id) DO UPDATE SET position = EXCLUDED.position, "
                           "doc = EXCLUDED.doc",
            "views_since": "SELECT doc FROM {schema}.{views} WHERE position > %s "
                           "ORDER BY position LIMIT %s",
            "select_conflicts": "SELECT conflict_id AS key, doc FROM {schema}.{conflicts} "
                                "WHERE conflict_id = ANY(%s)",
            "upsert_conflict": "INSERT INTO {schema}.{conflicts} VALUES (%s, %s, %s, %s, "
                               "%s) ON CONFLICT (conflict_id) DO UPDATE SET "
                               "status = EXCLUDED.status, doc = EXCLUDED.doc",
            "conflicts": "SELECT doc FROM {schema}.{conflicts} WHERE "
                         "(%s::text IS NULL OR status = %s) AND "
                         "(%s::text IS NULL OR customer_id = %s) ORDER BY opened_at",
            "clear_views": "DELETE FROM {schema}.{views}",
            "clear_conflicts": "DELETE FROM {schema}.{conflicts}",
            "clear_tracking": "DELETE FROM {schema}.{tracking} "
                              "WHERE application_name = %s",
        }.items()}

    def _insert_events(self, curs: Any, stored_events: Sequence[StoredEvent],
                       **kwargs: Any) -> None:
        super()._insert_events(curs, stored_events, **kwargs)
        _project(kwargs, _PostgresViewStore(self, curs))

    def customer_view(self, customer_id: str) -> dict | None:
        with self.datastore.transaction(commit=False) as curs:
            return _PostgresViewStore(self, curs).customer(customer_id)

    def customer_views_since(self, position: int, limit: int) -> list[dict]:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(self.statements["views_since"], (position, limit))
            return [json.loads(row["doc"]) for row in curs.fetchall()]

    def conflicts(self, status: str | None, customer_id: str | None) -> list[dict]:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(self.statements["conflicts"],
                         (status, status, customer_id, customer_id))
            return [json.loads(row["doc"]) for row in curs.fetchall()]

    def conflict(self, conflict_id: str) -> dict | None:
        with self.datastore.transaction(commit=False) as curs:
            return _PostgresViewStore(self, curs).conflict(conflict_id)

    def clear(self) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(self.statements["clear_views"])
            curs.execute(self.statements["clear_conflicts"])
            curs.execute(self.statements["clear_tracking"], (UPSTREAM,))

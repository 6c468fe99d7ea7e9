"""The read model in SQLite, in the tables beside the tracking table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteCursor, SQLiteProcessRecorder

from system.recorders import (
    UPSTREAM,
    DirectoryRecorder,
    check_unprojected,
    dump_document,
    load_document,
    project_into,
)
from system.recorders.caching import CachingDocuments


class _SQLiteViewStore:
    def __init__(self, cursor: SQLiteCursor) -> None:
        self.cursor = cursor

    def _many(self, table: str, key: str, ids: set[str]) -> dict[str, dict]:
        found, ids = {}, sorted(ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            self.cursor.execute(
                f"SELECT {key}, doc FROM {table} WHERE {key} IN "  # noqa: S608
                f"({', '.join('?' * len(chunk))})",
                chunk,
            )
            found.update(
                (row[0], load_document(row[1])) for row in self.cursor.fetchall()
            )
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
        self.cursor.executemany(
            "INSERT OR REPLACE INTO customer_views VALUES (?, ?, ?)",
            [(v["customer_id"], v["position"], dump_document(v)) for v in views],
        )

    def put_conflicts(self, conflicts: list[dict]) -> None:
        self.cursor.executemany(
            "INSERT OR REPLACE INTO customer_conflicts VALUES (?, ?, ?, ?, ?)",
            [
                (
                    c["conflict_id"],
                    c["customer_id"],
                    c["status"],
                    c["opened_at"],
                    dump_document(c),
                )
                for c in conflicts
            ],
        )


class Recorder(CachingDocuments, DirectoryRecorder, SQLiteProcessRecorder):
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

    # The library's hook inside the transaction of insert_events (its own
    # searchable-content example extends it so): there is no public one.
    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        # A write first: SQLite then waits for another writer to finish, where a
        # transaction that had read first would fail once that writer commits.
        c.execute(
            "UPDATE tracking SET notification_id = notification_id "
            "WHERE application_name = ?",
            (UPSTREAM,),
        )
        c.execute(self.select_max_tracking_id_statement, (UPSTREAM,))
        position = c.fetchone()[0] or 0  # before this page's own tracking record
        check_unprojected(position, kwargs)
        notification_ids = super()._insert_events(c, stored_events, **kwargs)
        project_into(self.documents.over(_SQLiteViewStore(c), position), kwargs)
        return notification_ids

    def customer_view(self, customer_id: str) -> dict | None:
        with self.datastore.transaction(commit=False) as c:
            return _SQLiteViewStore(c).customer(customer_id)

    def customer_views_since(self, position: int, limit: int) -> list[dict]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT doc FROM customer_views WHERE position > ? "
                "ORDER BY position LIMIT ?",
                (position, limit),
            )
            return [load_document(row[0]) for row in c.fetchall()]

    def conflicts(self, status: str | None, customer_id: str | None) -> list[dict]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT doc FROM customer_conflicts WHERE (? IS NULL OR status = ?) "
                "AND (? IS NULL OR customer_id = ?) ORDER BY opened_at",
                (status, status, customer_id, customer_id),
            )
            return [load_document(row[0]) for row in c.fetchall()]

    def conflict(self, conflict_id: str) -> dict | None:
        with self.datastore.transaction(commit=False) as c:
            return _SQLiteViewStore(c).conflict(conflict_id)

    def clear(self) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute("DELETE FROM customer_views")
            c.execute("DELETE FROM customer_conflicts")
            c.execute("DELETE FROM tracking WHERE application_name = ?", (UPSTREAM,))

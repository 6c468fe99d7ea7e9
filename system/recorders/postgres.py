"""The read model in PostgreSQL, in tables beside the tracking table (this
module, and psycopg, are imported only when PostgreSQL is chosen)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import OperationalError, ProgrammingError, StoredEvent
from eventsourcing.postgres import PostgresDatastore, PostgresProcessRecorder
from psycopg.sql import SQL, Identifier

from system.recorders import (
    UPSTREAM,
    DirectoryRecorder,
    check_unprojected,
    dump_document,
    load_document,
    project_into,
)
from system.recorders.caching import CachingDocuments

logger = logging.getLogger("customers.read_model")


class _PostgresViewStore:
    def __init__(self, recorder: Recorder, cursor: Any) -> None:
        self.sql = recorder.statements
        self.cursor = cursor

    def _many(self, statement: str, ids: set[str]) -> dict[str, dict]:
        if not ids:
            return {}
        self.cursor.execute(self.sql[statement], (sorted(ids),))
        return {row["key"]: load_document(row["doc"]) for row in self.cursor.fetchall()}

    def customers_many(self, ids: set[str]) -> dict[str, dict]:
        return self._many("select_views", ids)

    def conflicts_many(self, ids: set[str]) -> dict[str, dict]:
        return self._many("select_conflicts", ids)

    def customer(self, customer_id: str) -> dict | None:
        return self.customers_many({customer_id}).get(customer_id)

    def conflict(self, conflict_id: str) -> dict | None:
        return self.conflicts_many({conflict_id}).get(conflict_id)

    # Each page's documents go in one statement per table, as arrays sent in
    # binary (as text, each document's quotes would be escaped one by one).

    def put_customers(self, views: list[dict]) -> None:
        if views:
            self.cursor.execute(
                self.sql["upsert_views"],
                (
                    [v["customer_id"] for v in views],
                    [v["position"] for v in views],
                    [dump_document(v) for v in views],
                ),
            )

    def put_conflicts(self, conflicts: list[dict]) -> None:
        if conflicts:
            self.cursor.execute(
                self.sql["upsert_conflicts"],
                (
                    [c["conflict_id"] for c in conflicts],
                    [c["customer_id"] for c in conflicts],
                    [c["status"] for c in conflicts],
                    [c["opened_at"] for c in conflicts],
                    [dump_document(c) for c in conflicts],
                ),
            )


class Recorder(CachingDocuments, DirectoryRecorder, PostgresProcessRecorder):
    def __init__(
        self,
        datastore: PostgresDatastore,
        *,
        events_table_name: str,
        tracking_table_name: str,
    ) -> None:
        super().__init__(
            datastore,
            events_table_name=events_table_name,
            tracking_table_name=tracking_table_name,
        )
        prefix = tracking_table_name.removesuffix("_tracking")
        views, conflicts = f"{prefix}_views", f"{prefix}_conflicts"
        self.compress_with_lz4 = {
            table: SQL("ALTER TABLE {} ALTER COLUMN doc SET COMPRESSION lz4").format(
                Identifier(datastore.schema, table)
            )
            for table in (views, conflicts)
        }
        self.page_lock_key = f"{datastore.schema}.{tracking_table_name}"
        names = {
            "schema": Identifier(datastore.schema),
            "views": Identifier(views),
            "conflicts": Identifier(conflicts),
            "views_position": Identifier(f"{prefix}_views_position"),
            "conflicts_customer": Identifier(f"{prefix}_conflicts_customer"),
            "tracking": Identifier(tracking_table_name),
        }
        self.sql_create_statements += [
            SQL(s).format(**names)
            for s in (
                "CREATE TABLE IF NOT EXISTS {schema}.{views} (customer_id text PRIMARY KEY, "
                "position bigint NOT NULL, doc text NOT NULL)",
                "CREATE INDEX IF NOT EXISTS {views_position} ON {schema}.{views} (position)",
                "CREATE TABLE IF NOT EXISTS {schema}.{conflicts} (conflict_id text PRIMARY "
                "KEY, customer_id text NOT NULL, status text NOT NULL, opened_at text NOT "
                "NULL, doc text NOT NULL)",
                "CREATE INDEX IF NOT EXISTS {conflicts_customer} ON {schema}.{conflicts} "
                "(customer_id, status)",
            )
        ]
        self.statements = {
            name: SQL(s).format(**names)
            for name, s in {
                "select_views": "SELECT customer_id AS key, doc FROM {schema}.{views} "
                "WHERE customer_id = ANY(%s)",
                "upsert_views": "INSERT INTO {schema}.{views} SELECT * FROM "
                "unnest(%b::text[], %b::bigint[], %b::text[]) ON CONFLICT "
                "(customer_id) DO UPDATE SET position = EXCLUDED.position, "
                "doc = EXCLUDED.doc",
                "views_since": "SELECT doc FROM {schema}.{views} WHERE position > %s "
                "ORDER BY position LIMIT %s",
                "select_conflicts": "SELECT conflict_id AS key, doc FROM {schema}.{conflicts} "
                "WHERE conflict_id = ANY(%s)",
                "upsert_conflicts": "INSERT INTO {schema}.{conflicts} SELECT * FROM "
                "unnest(%b::text[], %b::text[], %b::text[], %b::text[], %b::text[]) "
                "ON CONFLICT (conflict_id) DO UPDATE SET "
                "status = EXCLUDED.status, doc = EXCLUDED.doc",
                "conflicts": "SELECT doc FROM {schema}.{conflicts} WHERE "
                "(%s::text IS NULL OR status = %s) AND "
                "(%s::text IS NULL OR customer_id = %s) ORDER BY opened_at",
                "page_lock": "SELECT pg_advisory_xact_lock(hashtext(%s))",
                "lz4_available": "SELECT 'lz4' = ANY(enumvals) AS yes FROM pg_settings "
                "WHERE name = 'default_toast_compression'",
                "not_lz4": "SELECT c.relname AS name FROM pg_attribute a JOIN pg_class c "
                "ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND c.relname = ANY(%s) AND a.attname = 'doc' "
                "AND a.attcompression <> 'l'",
                "clear_views": "DELETE FROM {schema}.{views}",
                "clear_conflicts": "DELETE FROM {schema}.{conflicts}",
                "clear_tracking": "DELETE FROM {schema}.{tracking} "
                "WHERE application_name = %s",
            }.items()
        }

    def create_table(self) -> None:
        """The library's tables, and the read model's. A document over about 2 KB
        (a key account's view, with every open conflict in it) is compressed as
        each page writes it: with lz4 where the server has it (PostgreSQL 14 and
        later, built with it), at a fraction of the CPU of the default pglz. Set
        once per table, by a role that owns it; otherwise left as it is."""
        super().create_table()
        try:
            self._compress_documents_with_lz4()
        except (ProgrammingError, OperationalError) as error:
            logger.warning("read model documents left compressed as they are: %s", error)

    def _compress_documents_with_lz4(self) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(self.statements["lz4_available"])
            available = curs.fetchone()
            if not (available and available["yes"]):
                return
            tables = list(self.compress_with_lz4)
            curs.execute(self.statements["not_lz4"], (self.datastore.schema, tables))
            unset = [row["name"] for row in curs.fetchall()]
            curs.execute("SET LOCAL lock_timeout = '2s'")  # a moment's lock, or none
            for table in unset:
                curs.execute(self.compress_with_lz4[table])

    # The library's hook inside the transaction of insert_events (its own
    # searchable-content example extends it so): there is no public one.
    def _insert_events(
        self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        if kwargs.get("customer_events"):
            # one page at a time, whichever projector, so that the position
            # checked is the one the page's documents are read at
            curs.execute(self.statements["page_lock"], (self.page_lock_key,))
        # the position before this page's own tracking record
        position = self._max_tracking_id(UPSTREAM, curs) or 0
        check_unprojected(position, kwargs)
        super()._insert_events(curs, stored_events, **kwargs)
        project_into(
            self.documents.over(_PostgresViewStore(self, curs), position), kwargs
        )

    def customer_view(self, customer_id: str) -> dict | None:
        with self.datastore.transaction(commit=False) as curs:
            return _PostgresViewStore(self, curs).customer(customer_id)

    def customer_views_since(self, position: int, limit: int) -> list[dict]:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(self.statements["views_since"], (position, limit))
            return [load_document(row["doc"]) for row in curs.fetchall()]

    def conflicts(self, status: str | None, customer_id: str | None) -> list[dict]:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                self.statements["conflicts"], (status, status, customer_id, customer_id)
            )
            return [load_document(row["doc"]) for row in curs.fetchall()]

    def conflict(self, conflict_id: str) -> dict | None:
        with self.datastore.transaction(commit=False) as curs:
            return _PostgresViewStore(self, curs).conflict(conflict_id)

    def clear(self) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(self.statements["page_lock"], (self.page_lock_key,))
            curs.execute(self.statements["clear_views"])
            curs.execute(self.statements["clear_conflicts"])
            curs.execute(self.statements["clear_tracking"], (UPSTREAM,))

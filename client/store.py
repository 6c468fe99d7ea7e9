"""The client's state: one SQLite file per data directory.

Settings (server, token, client id, clock), the outbox of queued commands,
the local copy of the view model with its pull cursor, and the log of
verdicts. Every change is one transaction, so a killed process never loses
a queued edit.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    command_id TEXT NOT NULL UNIQUE,
    customer_id TEXT NOT NULL,
    envelope TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS views (customer_id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS verdicts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    command_id TEXT NOT NULL UNIQUE,
    customer_id TEXT NOT NULL,
    type TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    detail TEXT,
    version INTEGER,
    conflict_id TEXT,
    duplicate INTEGER NOT NULL,
    envelope TEXT NOT NULL
);
"""


class Store:
    """The client's SQLite file."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.connection = sqlite3.connect(path, isolation_level=None, timeout=30)
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.executescript(SCHEMA)
        path.chmod(0o600)  # it holds the token

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield self.connection
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")

    def close(self) -> None:
        self.connection.close()

    # settings
    def get(self, key: str, default: str | None = None) -> str | None:
        row = self.connection.execute(
            "SELECT value FROM settings WHERE key = ?", (key,)
        ).fetchone()
        return default if row is None else row[0]

    def put(self, **values: str) -> None:
        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO settings VALUES (?, ?)", values.items()
            )

    # the outbox
    def queue(self, envelopes: Iterable[dict[str, Any]]) -> None:
        """Queue commands, stamping ``issued_at`` with a clock that never goes back."""
        with self.transaction() as db:
            row = db.execute(
                "SELECT value FROM settings WHERE key = 'last_issued'"
            ).fetchone()
            last = datetime.fromisoformat(row[0]) if row else None
            for envelope in envelopes:
                now = datetime.now(UTC)
                last = now if last is None else max(now, last + timedelta(microseconds=1))
                envelope = {**envelope, "issued_at": last.isoformat()}
                db.execute(
                    "INSERT INTO outbox (command_id, customer_id, envelope) "
                    "VALUES (?, ?, ?)",
                    (
                        envelope["command_id"],
                        envelope["customer_id"],
                        json.dumps(envelope),
                    ),
                )
            if last is not None:
                db.execute(
                    "INSERT OR REPLACE INTO settings VALUES ('last_issued', ?)",
                    (last.isoformat(),),
                )

    def pending(
        self, customer_id: str | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Queued commands, oldest first (of one customer, if given)."""
        rows = self.connection.execute(
            "SELECT envelope FROM outbox WHERE ? IS NULL OR customer_id = ? ORDER BY seq "
            "LIMIT ?",
            (customer_id, customer_id, -1 if limit is None else limit),
        ).fetchall()
        return [json.loads(row[0]) for row in rows]

    def record_verdicts(self, envelopes: list[dict], results: list[dict]) -> None:
        """Store each verdict and take its command out of the outbox, together."""
        with self.transaction() as db:
            for envelope, result in zip(envelopes, results, strict=True):
                db.execute(
                    "INSERT OR REPLACE INTO verdicts (command_id, customer_id, type, status,"
                    " reason, detail, version, conflict_id, duplicate, envelope) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        envelope["command_id"],
                        envelope["customer_id"],
                        envelope["type"],
                        result["status"],
                        result["reason"],
                        result["detail"],
                        result["version"],
                        result["conflict_id"],
                        int(result["duplicate"]),
                        json.dumps(envelope),
                    ),
                )
                db.execute(
                    "DELETE FROM outbox WHERE command_id = ?", (envelope["command_id"],)
                )

    def verdicts(self, limit: int | None = None) -> list[dict[str, Any]]:
        rows = self.connection.execute(
            "SELECT command_id, customer_id, type, status, reason, detail, version, "
            "conflict_id, duplicate, envelope FROM verdicts ORDER BY seq DESC LIMIT ?",
            (-1 if limit is None else limit,),
        ).fetchall()
        keys = (
            "command_id",
            "customer_id",
            "type",
            "status",
            "reason",
            "detail",
            "version",
            "conflict_id",
            "duplicate",
            "envelope",
        )
        found = [dict(zip(keys, row, strict=True)) for row in rows]
        for verdict in found:
            verdict["duplicate"] = bool(verdict["duplicate"])
            verdict["envelope"] = json.loads(verdict["envelope"])
        return found

    # the local copy of the view model
    @property
    def cursor(self) -> int:
        return int(self.get("cursor") or 0)

    def save_views(self, views: list[dict[str, Any]], cursor: int) -> None:
        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO views VALUES (?, ?)",
                [(v["customer_id"], json.dumps(v)) for v in views],
            )
            db.execute(
                "INSERT OR REPLACE INTO settings VALUES ('cursor', ?)", (str(cursor),)
            )

    def view(self, customer_id: str) -> dict[str, Any] | None:
        row = self.connection.execute(
            "SELECT doc FROM views WHERE customer_id = ?", (customer_id,)
        ).fetchone()
        return None if row is None else json.loads(row[0])

    def views(self) -> list[dict[str, Any]]:
        rows = self.connection.execute("SELECT doc FROM views").fetchall()
        return [json.loads(row[0]) for row in rows]

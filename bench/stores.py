"""Fresh stores for one measurement: SQLite files in a temporary folder, or a
PostgreSQL schema of their own."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from harness.postgres import connect, postgres_schema


@contextmanager
def fresh_store(kind: str) -> Iterator[dict[str, str]]:
    """The environment of an empty store of ``kind`` (sqlite or postgres)."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="bench-") as folder:
            yield {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(Path(folder) / "events.db"),
                "CUSTOMERDIRECTORY_SQLITE_DBNAME": str(Path(folder) / "directory.db"),
                "SQLITE_LOCK_TIMEOUT": "10",
            }
        return
    with postgres_schema(connect(), "bench") as env:
        yield env

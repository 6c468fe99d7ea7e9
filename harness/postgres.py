"""The PostgreSQL server the suites, benchmarks and campaigns use, and a schema
of their own on it for each run."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

POSTGRES = {
    "POSTGRES_HOST": os.environ.get("POSTGRES_HOST", "127.0.0.1"),
    "POSTGRES_PORT": os.environ.get("POSTGRES_PORT", "5432"),
    "POSTGRES_DBNAME": os.environ.get("POSTGRES_DBNAME", "test"),
    "POSTGRES_USER": os.environ.get("POSTGRES_USER", "postgres"),
    "POSTGRES_PASSWORD": os.environ.get("POSTGRES_PASSWORD", ""),
}


def connect() -> Any:
    import psycopg

    return psycopg.connect(
        host=POSTGRES["POSTGRES_HOST"],
        port=POSTGRES["POSTGRES_PORT"],
        dbname=POSTGRES["POSTGRES_DBNAME"],
        user=POSTGRES["POSTGRES_USER"],
        password=POSTGRES["POSTGRES_PASSWORD"] or None,
        autocommit=True,
        connect_timeout=3,
    )


def postgres_reachable() -> bool:
    try:
        connect().close()
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False
    return True


@contextmanager
def postgres_schema(connection: Any, prefix: str) -> Iterator[dict[str, str]]:
    """A schema of its own on ``connection``'s server, dropped afterwards."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with connection:
        connection.execute(f"CREATE SCHEMA {schema}")
        try:
            yield {
                "PERSISTENCE_MODULE": "eventsourcing.postgres",
                **POSTGRES,
                "POSTGRES_SCHEMA": schema,
            }
        finally:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")

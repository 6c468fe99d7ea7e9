"""The stores the suites run on, as the environment a deployment would set."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from harness import postgres
from harness.postgres import POSTGRES  # the server the suites and benchmarks use


def postgres_connection():
    """A connection to the test server, or a skip (a failure when CI requires it)."""
    try:
        return postgres.connect()
    except Exception as error:  # noqa: BLE001 - any failure means "not reachable"
        reason = f"PostgreSQL not reachable at {POSTGRES['POSTGRES_HOST']}: {error}"
        if os.environ.get("REQUIRE_POSTGRES"):
            pytest.fail(f"{reason} (REQUIRE_POSTGRES is set)")
        pytest.skip(reason)


def postgres_schema():
    """A schema of its own for one test, dropped afterwards."""
    return postgres.postgres_schema(postgres_connection(), "test")


REAL_EVENTSTOREDB = os.environ.get("EVENTSTOREDB_URI")


@contextmanager
def eventstoredb_uri() -> Iterator[str]:
    """A real server's URI when EVENTSTOREDB_URI is set, else a fresh stand-in's
    (a protocol-level stand-in, not EventStoreDB: see tests/esdb_standin)."""
    if REAL_EVENTSTOREDB:
        yield REAL_EVENTSTOREDB
        return
    from tests.esdb_standin import StandInServer

    with StandInServer() as server:
        yield server.uri


needs_empty_store = pytest.mark.skipif(
    bool(REAL_EVENTSTOREDB), reason="a long-lived EventStoreDB holds earlier runs' events"
)


@contextmanager
def backend_env(name: str, tmp_path) -> Iterator[dict[str, str]]:
    """The environment for one named backend."""
    if name == "popo":
        yield {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    elif name == "sqlite":
        yield {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(tmp_path / "customers.db"),
            "CUSTOMERDIRECTORY_SQLITE_DBNAME": str(tmp_path / "directory.db"),
            "SQLITE_LOCK_TIMEOUT": "10",
        }
    elif name == "postgres":
        with postgres_schema() as env:
            yield env
    elif name == "esdb":
        with eventstoredb_uri() as uri:
            yield {
                "CUSTOMERS_PERSISTENCE_MODULE": "eventsourcing_eventstoredb",
                "EVENTSTOREDB_URI": uri,
                "CUSTOMERDIRECTORY_PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "CUSTOMERDIRECTORY_SQLITE_DBNAME": str(tmp_path / "directory.db"),
            }
    else:  # pragma: no cover - a typo in a parametrization
        raise ValueError(name)

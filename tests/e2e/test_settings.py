"""Starting the server: anywhere, without the PostgreSQL extra; every bad
setting one line that names its variable, before any store is created."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from harness.postgres import POSTGRES
from harness.server import ServerProcess
from tests.backends import postgres_connection
from tests.e2e.server import TOKENS

SERVER = Path(sys.executable).with_name("customers-server")
# The server's entry point with psycopg made unimportable, as in an install
# without the postgres extra.
WITHOUT_PSYCOPG = (
    "import sys\n"
    "for name in ('psycopg', 'psycopg_pool', 'psycopg_binary', 'psycopg_c'):\n"
    "    sys.modules[name] = None\n"
    "from web.server import main\n"
    "sys.argv[0] = 'customers-server'\n"
    "main()\n"
)


def refused(tmp_path: Path, command: list[str], **env: str) -> str:
    """What the server says when it refuses to start (it must exit 1)."""
    data_dir = tmp_path / "var"
    done = subprocess.run(
        [*command, "--port", "0", "--data-dir", str(data_dir)],
        env={**os.environ, "AUTH_TOKENS": TOKENS, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert not data_dir.exists()  # no store was created
    return done.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("AUTH_TOKENS", "alice-token"),
        ("READ_WAIT_SECONDS", "soon"),
        ("READ_WAIT_SECONDS", "-1"),
        ("READ_WAIT_SECONDS", "nan"),
        ("CONFLICT_POLICY", "coin-toss"),
        ("CONFLICT_POLICY_NAME", "coin-toss"),
        ("CONFLICT_POLICY_NICKNAME", "manual"),
        ("CUSTOMERS_CONFLICT_POLICY", "coin-toss"),
        ("CONFLICT_DETECTION", "customer"),
        ("PROJECTION", "later"),
        ("PERSISTENCE_MODULE", "eventsourcing.nowhere"),
        ("PERSISTENCE_MODULE", "nowhere"),
        ("CUSTOMERDIRECTORY_PERSISTENCE_MODULE", "eventsourcing_eventstoredb"),
        ("SQLITE_LOCK_TIMEOUT", "long"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it(tmp_path, variable, value):
    said = refused(tmp_path, [str(SERVER)], **{variable: value})
    assert said.count("\n") == 1 and said.startswith(f"customers-server: {variable}:"), (
        said
    )


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"PERSISTENCE_MODULE": "eventsourcing.sqlite"}, "SQLITE_DBNAME"),
        (
            {
                "PERSISTENCE_MODULE": "eventsourcing.postgres",
                "POSTGRES_HOST": "127.0.0.1",
                "POSTGRES_USER": "postgres",
                "POSTGRES_PASSWORD": "",
            },
            "POSTGRES_DBNAME",
        ),
        (
            {
                "PERSISTENCE_MODULE": "eventsourcing.postgres",
                "POSTGRES_DBNAME": "test",
                "POSTGRES_HOST": "127.0.0.1",
                "POSTGRES_USER": "postgres",
                "POSTGRES_PASSWORD": "",
                "POSTGRES_PORT": "fifty",
            },
            "POSTGRES_PORT",
        ),
        (
            {"CUSTOMERS_PERSISTENCE_MODULE": "eventsourcing_eventstoredb"},
            "EVENTSTOREDB_URI",
        ),
    ],
)
def test_a_store_without_what_it_needs_is_one_line_naming_it(tmp_path, env, variable):
    clean = {key: "" for key in os.environ if key.startswith(("POSTGRES_", "SQLITE_"))}
    said = refused(tmp_path, [str(SERVER)], **{**clean, **env})
    assert said.count("\n") == 1 and f": {variable}:" in said, said


def test_the_demo_starts_without_psycopg(tmp_path):
    server = ServerProcess(tmp_path / "var", tokens="", env={"AUTH_TOKENS": ""})
    server.command = [sys.executable, "-c", WITHOUT_PSYCOPG, "--demo"]
    with server:
        session = server.session("alice-token")
        assert session.get(f"{server.url}/health", timeout=30).status_code == 200
        created = session.post(
            f"{server.url}/customers",
            timeout=30,
            json={"client_id": "laptop", "name": "Acme"},
        )
        assert created.status_code == 201, created.text


def test_postgres_without_psycopg_is_one_line_naming_the_extra(tmp_path):
    said = refused(
        tmp_path,
        [sys.executable, "-c", WITHOUT_PSYCOPG],
        PERSISTENCE_MODULE="eventsourcing.postgres",
        POSTGRES_DBNAME="test",
        POSTGRES_HOST="127.0.0.1",
        POSTGRES_USER="postgres",
        POSTGRES_PASSWORD="",
    )
    assert said.count("\n") == 1, said
    assert "PERSISTENCE_MODULE:" in said and "postgres extra" in said


@pytest.fixture
def postgres_env():
    """PostgreSQL settings naming a schema that does not exist yet; dropped after."""
    connection = postgres_connection()
    schema = f"missing_{uuid.uuid4().hex[:12]}"
    yield (
        connection,
        schema,
        {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            **POSTGRES,
            "POSTGRES_SCHEMA": schema,
        },
    )
    connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    connection.close()


@pytest.mark.postgres
def test_a_missing_postgres_schema_is_created(tmp_path, postgres_env):
    connection, schema, env = postgres_env
    with ServerProcess(tmp_path / "var", tokens=TOKENS, env=env) as server:
        session = server.session("alice-token")
        created = session.post(
            f"{server.url}/customers",
            timeout=30,
            json={"client_id": "laptop", "name": "Acme"},
        )
        assert created.status_code == 201, created.text
    tables = connection.execute(
        "SELECT count(*) FROM pg_tables WHERE schemaname = %s", (schema,)
    ).fetchone()[0]
    assert tables >= 4  # the events, the tracking and the read model's tables


@pytest.mark.postgres
def test_a_schema_that_may_not_be_created_is_one_line_naming_it(tmp_path, postgres_env):
    connection, schema, env = postgres_env
    role = f"no_create_{uuid.uuid4().hex[:8]}"
    connection.execute(f"CREATE ROLE {role} LOGIN")
    try:
        said = refused(tmp_path, [str(SERVER)], **{**env, "POSTGRES_USER": role})
    finally:
        connection.execute(f"DROP ROLE {role}")
    assert said.count("\n") == 1 and said.startswith("customers-server: POSTGRES_SCHEMA:")


def test_the_projector_checks_the_stores_too(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "system", "check-read-model"],
        env={**os.environ, "PERSISTENCE_MODULE": "nowhere"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr == "Error: PERSISTENCE_MODULE: there is no module 'nowhere'\n"

"""On PostgreSQL, the read model's documents are compressed with lz4 where the
server has it (system.recorders.postgres), rather than with pglz."""

from __future__ import annotations

import pytest

from tests.backends import postgres_schema

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres_env():
    with postgres_schema() as env:
        yield env


def _compression_of_documents(directory) -> dict[str, str]:
    with directory.recorder.datastore.transaction(commit=False) as curs:
        curs.execute(
            "SELECT c.relname AS name, a.attcompression AS method FROM pg_attribute a"
            " JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n"
            " ON n.oid = c.relnamespace WHERE n.nspname = %s AND a.attname = 'doc'",
            (directory.recorder.datastore.schema,),
        )
        return {row["name"]: row["method"] for row in curs.fetchall()}


def test_the_read_models_documents_are_compressed_with_lz4(postgres_env):
    from system.directory import CustomerDirectory

    directory = CustomerDirectory(env=postgres_env)
    try:
        with directory.recorder.datastore.transaction(commit=False) as curs:
            curs.execute(directory.recorder.statements["lz4_available"])
            available = curs.fetchone()
            if not (available and available["yes"]):
                pytest.skip("this PostgreSQL server has no lz4")
        assert set(_compression_of_documents(directory).values()) == {"l"}
        # tables made before: set when the read model next starts
        with directory.recorder.datastore.transaction(commit=True) as curs:
            for statement in directory.recorder.compress_with_lz4.values():
                curs.execute(statement.as_string(curs).replace("lz4", "pglz"))
        assert set(_compression_of_documents(directory).values()) == {"p"}
    finally:
        directory.close()

    directory = CustomerDirectory(env=postgres_env)
    try:
        assert set(_compression_of_documents(directory).values()) == {"l"}
        assert len(_compression_of_documents(directory)) == 2
    finally:
        directory.close()


def test_a_role_that_cannot_set_it_still_starts_the_read_model(
    postgres_env, monkeypatch, caplog
):
    from eventsourcing.persistence import ProgrammingError

    from system.directory import CustomerDirectory
    from system.recorders.postgres import Recorder

    def not_the_owner(self):
        raise ProgrammingError("must be owner of table customerdirectory_views")

    monkeypatch.setattr(Recorder, "_compress_documents_with_lz4", not_the_owner)

    directory = CustomerDirectory(env=postgres_env)
    try:
        assert directory.position() == 0
        assert "must be owner" in caplog.text
    finally:
        directory.close()

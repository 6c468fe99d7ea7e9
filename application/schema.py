"""Preparing a store: the PostgreSQL schema it lives in, and creating tables
when several processes start on one database at once."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

from eventsourcing.persistence import (
    InfrastructureFactory,
    IntegrityError,
    InternalError,
    OperationalError,
    ProgrammingError,
)
from eventsourcing.utils import strtobool

T = TypeVar("T")


def prepare_store(factory: InfrastructureFactory[Any]) -> None:
    """Create the schema ``POSTGRES_SCHEMA`` names when it is missing (only on
    PostgreSQL, and only where tables are created). Raises ValueError naming
    the variable where the database refuses."""
    if type(factory).__module__ != "eventsourcing.postgres" or not strtobool(
        factory.env.get("CREATE_TABLE") or "yes"
    ):  # the library's own variable
        return
    datastore = factory.datastore  # type: ignore[attr-defined]
    if datastore.schema == "public":
        return
    from psycopg.sql import SQL, Identifier  # PostgreSQL is chosen: psycopg is there

    try:
        with datastore.transaction(commit=True) as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_namespace WHERE nspname = %s", (datastore.schema,)
            )
            if cursor.fetchone() is None:
                cursor.execute(
                    SQL("CREATE SCHEMA {}").format(Identifier(datastore.schema))
                )
    except IntegrityError:
        return  # another process created it at the same moment
    except ProgrammingError as error:
        msg = (
            f"POSTGRES_SCHEMA: schema {datastore.schema!r} does not exist and cannot "
            f"be created ({str(error).strip()}); create it, or name another"
        )
        raise ValueError(msg) from None


def with_schema_retries(construct: Callable[[], T], attempts: int = 8) -> T:
    """Run ``construct`` (which may create tables), again if another process
    creating the same tables made it fail ("tuple concurrently updated")."""
    for attempt in range(1, attempts + 1):
        try:
            return construct()
        except (InternalError, OperationalError):
            if attempt == attempts:
                raise
            time.sleep(random.uniform(0.05, 0.2) * attempt)
    raise AssertionError("unreachable")

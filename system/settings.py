"""The server's settings: every environment variable it reads, read here and
checked before any store is created. A bad one is a SettingError, whose
message is one line that names the variable."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

from eventsourcing.utils import Environment

from application import Customers
from application.config import policy_from_env
from system.directory import CustomerDirectory
from system.projector import shares_store
from system.recorders import MODULES as READ_MODEL_STORES

PROJECTIONS = ("sync", "threads", "process", "off")
EMBEDDED = "eventsourcing.sqlite"
POSTGRES = "eventsourcing.postgres"
EVENTSTOREDB = "eventsourcing_eventstoredb"
REQUIRED = {  # what each store cannot do without
    EMBEDDED: ("SQLITE_DBNAME",),
    POSTGRES: ("POSTGRES_DBNAME", "POSTGRES_HOST", "POSTGRES_USER"),
    EVENTSTOREDB: ("EVENTSTOREDB_URI",),
}
NUMBERS = {  # integers, but for those that may have a fraction
    EMBEDDED: ("SQLITE_LOCK_TIMEOUT",),
    POSTGRES: (
        "POSTGRES_PORT",
        "POSTGRES_CONNECT_TIMEOUT",
        "POSTGRES_POOL_SIZE",
        "POSTGRES_MAX_OVERFLOW",
        "POSTGRES_MAX_WAITING",
        "POSTGRES_LOCK_TIMEOUT",
        "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT",
        "POSTGRES_CONN_MAX_AGE",
    ),
}
FRACTIONAL = ("POSTGRES_CONN_MAX_AGE",)


class SettingError(ValueError):
    """A setting that cannot be used; its message names the variable."""

    def __init__(self, variable: str, message: str) -> None:
        super().__init__(f"{variable}: {message}")
        self.variable = variable


@dataclass(frozen=True)
class Settings:
    auth_tokens: dict[str, str]
    read_wait_seconds: float = 5.0
    projection: str = "process"
    persistence: dict[str, str] = field(default_factory=dict)  # the deployment's env


def read(
    environ: Mapping[str, str], data_dir: Path, tokens: str | None = None
) -> Settings:
    """Every setting of the server, from ``environ`` (``tokens`` in place of
    AUTH_TOKENS, as in demo mode). Raises SettingError."""
    persistence = embedded_default(environ, data_dir)
    check_stores({**environ, **persistence})
    try:
        policy_from_env(Environment(Customers.name, {**environ, **persistence}))
    except ValueError as error:
        raise SettingError(*str(error).split(": ", 1)) from None
    return Settings(
        auth_tokens=parse_tokens(
            environ.get("AUTH_TOKENS", "") if tokens is None else tokens
        ),
        read_wait_seconds=read_wait_seconds(environ),
        projection=projection(environ, {**environ, **persistence}),
        persistence=persistence,
    )


def auth_tokens(environ: Mapping[str, str]) -> dict[str, str]:
    return parse_tokens(environ.get("AUTH_TOKENS", ""))


def parse_tokens(spec: str) -> dict[str, str]:
    """``"tokenA=alice,tokenB=bob"`` -> {token: employee} (AUTH_TOKENS)."""
    tokens = {}
    for number, item in enumerate(filter(None, (p.strip() for p in spec.split(","))), 1):
        token, sep, employee = item.partition("=")
        if not sep or not token.strip() or not employee.strip():  # the token is not shown
            raise SettingError("AUTH_TOKENS", f"entry {number} is not token=employee")
        tokens[token.strip()] = employee.strip()
    return tokens


def read_wait_seconds(environ: Mapping[str, str]) -> float:
    """How long a read waits for the read model to reach ``min_position``."""
    text = environ.get("READ_WAIT_SECONDS") or "5"
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not 0 <= seconds <= 3600:
        raise SettingError(
            "READ_WAIT_SECONDS", f"{text!r} is not a number of seconds from 0 to 3600"
        )
    return seconds


def projection(
    environ: Mapping[str, str], stores: Mapping[str, str] | None = None
) -> str:
    """How the server projects (``PROJECTION``): by default in a process of its
    own, or in a thread on an in-memory store, which no other process can open."""
    default = (
        "process"
        if shares_store(stores if stores is not None else environ)
        else "threads"
    )
    chosen = environ.get("PROJECTION") or default
    if chosen not in PROJECTIONS:
        raise SettingError(
            "PROJECTION", f"{chosen!r} is not one of {', '.join(PROJECTIONS)}"
        )
    if chosen == "process" and default != "process":
        raise SettingError(
            "PROJECTION",
            "'process' needs a store other processes can open, not an in-memory one",
        )
    return chosen


def embedded_default(environ: Mapping[str, str], data_dir: Path) -> dict[str, str]:
    """SQLite files in ``data_dir`` for each application whose store the
    environment does not choose."""
    env: dict[str, str] = {}
    for app, file in (
        (Customers.name, "customers.db"),
        (CustomerDirectory.name, "directory.db"),
    ):
        if not Environment(app, dict(environ)).get("PERSISTENCE_MODULE"):
            env[f"{app.upper()}_PERSISTENCE_MODULE"] = EMBEDDED
            env[f"{app.upper()}_SQLITE_DBNAME"] = str(data_dir / file)
            env.setdefault("SQLITE_LOCK_TIMEOUT", environ.get("SQLITE_LOCK_TIMEOUT", "5"))
    return env


def check_stores(environ: Mapping[str, str]) -> None:
    """Each application's store: a module there is, with what it needs."""
    for app in (Customers.name, CustomerDirectory.name):
        env = Environment(app, dict(environ))
        variable, module = _lookup(env, "PERSISTENCE_MODULE")
        module = (module or "eventsourcing.popo").strip()
        if app == CustomerDirectory.name and module not in READ_MODEL_STORES:
            raise SettingError(
                variable,
                f"the read model cannot live in {module!r}: use "
                f"{', '.join(READ_MODEL_STORES)}",
            )
        if _missing(module):
            raise SettingError(variable, f"there is no module {module!r}")
        if module == POSTGRES and _missing("psycopg"):
            raise SettingError(
                variable,
                "eventsourcing.postgres needs psycopg: install "
                "the postgres extra (pip install '.[postgres]')",
            )
        for key in REQUIRED.get(module, ()):
            if not _lookup(env, key)[1]:
                raise SettingError(env.create_keys(key)[-1], f"required by {module}")
        if (
            module == POSTGRES
            and _lookup(env, "POSTGRES_PASSWORD")[1] is None
            and not _lookup(env, "POSTGRES_GET_PASSWORD_TOPIC")[1]
        ):
            raise SettingError(
                "POSTGRES_PASSWORD",
                "required by eventsourcing.postgres (it may be empty)",
            )
        for key in NUMBERS.get(module, ()):
            name, text = _lookup(env, key)
            if text and not _is_number(text, fraction=key in FRACTIONAL):
                raise SettingError(name, f"{text!r} is not a number")


def _lookup(env: Environment, key: str) -> tuple[str, str | None]:
    """The variable that sets ``key`` for the application, and its value."""
    for name in env.create_keys(key):
        if dict.get(env, name) is not None:
            return name, dict.get(env, name)
    return key, None


def _missing(module: str) -> bool:
    try:
        return find_spec(module) is None
    except (ImportError, ValueError):  # a parent package that is not there
        return True


def _is_number(text: str, fraction: bool) -> bool:
    try:
        float(text) if fraction else int(text)
    except ValueError:
        return False
    return True

"""The CLI's options made values, and its errors told in the options' names."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import click

from client import local
from client.api import Unreachable
from client.store import Store
from customer_domain.errors import InvalidValueError

NULLABLE = ("email", "phone", "supplier", "description")


def as_id(text: str, flag: str | None = None) -> str:
    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise click.BadParameter(f"{text!r} is not an id", param_hint=flag) from None


def flag(field: str) -> str:
    """The option that sets a field: ``address.postal_code`` -> ``--postal-code``."""
    return "--" + field.rsplit(".", 1)[-1].replace("_", "-")


@contextmanager
def flags_named() -> Iterator[None]:
    """A value that breaks its field's rule, told as the option that gave it."""
    try:
        yield
    except InvalidValueError as error:
        raise click.BadParameter(error.message, param_hint=flag(error.field)) from None


@contextmanager
def outbox_kept() -> Iterator[None]:
    try:
        yield
    except Unreachable as error:
        raise Unreachable(f"{error}; queued commands stay in the outbox") from None


def address_json(text: str) -> dict:
    try:
        return json.loads(text)
    except ValueError:
        raise click.BadParameter(
            'an address is JSON: {"street": ..., "city": ..., '
            '"postal_code": ..., "country": ...}',
            param_hint="--value",
        ) from None


def field_values(store: Store, customer_id: str | None, options: dict) -> dict:
    """Field values from the options: "" clears a field, address parts fill in
    from the current address."""
    parts = {k: options.pop(k) for k in ("street", "city", "postal_code", "country")}
    values = {
        k: (None if v == "" and k in NULLABLE else v)
        for k, v in options.items()
        if v is not None
    }
    if any(v is not None for v in parts.values()):
        current = (
            local.overlaid(store, customer_id).get("address") if customer_id else None
        )
        address = {**(current or {}), **{k: v for k, v in parts.items() if v is not None}}
        missing = [flag(k) for k in parts if not address.get(k)]
        if missing:
            raise click.UsageError(f"an address needs {', '.join(missing)} too")
        values["address"] = address
    return values

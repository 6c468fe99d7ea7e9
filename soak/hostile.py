"""Hand-written hostile requests, each with the answer it must get."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from customer_domain.vocabulary import COMMAND_OF_FIELD, Verdict

NOW = datetime.now(UTC).isoformat()


def command(customer_id: str, **change) -> dict:
    return {
        "command_id": str(uuid.uuid4()),
        "type": COMMAND_OF_FIELD["name"],
        "customer_id": customer_id,
        "base_version": 0,
        "issued_at": NOW,
        "payload": {"name": "Beta"},
        **change,
    }


def sync_body(*commands: dict) -> bytes:
    return json.dumps({"client_id": "laptop-h", "commands": list(commands)}).encode()


def cases(customer_id: str) -> list[tuple[str, str, bytes, int, list[str] | None]]:
    """(what, path, body, expected status, expected verdict of every result: a
    re-sent command's as "<status> duplicate", answered with its first version)."""
    twice = command(customer_id)
    return [
        ("deeply nested JSON", "/sync", b"[" * 200_000 + b"]" * 200_000, 400, None),
        (
            "a huge string in a value",
            "/sync",
            sync_body(command(customer_id, payload={"name": "x" * 900_000})),
            200,
            [Verdict.REJECTED],
        ),
        (
            "a body over 1 MiB",
            "/sync",
            b'{"client_id": "' + b"x" * (1 << 20) + b'"}',
            413,
            None,
        ),
        ("invalid UTF-8", "/sync", b'{"client_id": "\xff\xfe"}', 400, None),
        (
            "a lone surrogate",
            "/sync",
            b'{"client_id": "\\udc00", "commands": []}',
            400,
            None,
        ),
        ("NaN", "/sync", b'{"client_id": "a", "commands": [], "x": NaN}', 400, None),
        (
            "Infinity as a base version",
            "/sync",
            sync_body(command(customer_id)).replace(
                b'"base_version": 0', b'"base_version": Infinity'
            ),
            400,
            None,
        ),
        (
            "the same command id twice in a batch",
            "/sync",
            sync_body(twice, twice),
            200,
            [Verdict.APPLIED, f"{Verdict.APPLIED} duplicate"],
        ),
        (
            "a timestamp in the year 1",
            "/sync",
            sync_body(
                command(
                    customer_id,
                    issued_at="0001-01-01T00:00:00+00:00",
                    payload={"name": "Ancient"},
                )
            ),
            200,
            [Verdict.APPLIED],
        ),
        (
            "a timestamp in the year 9999",
            "/sync",
            sync_body(
                command(
                    customer_id,
                    issued_at="9999-12-31T23:59:59+00:00",
                    payload={"name": "Future"},
                )
            ),
            200,
            [Verdict.APPLIED],
        ),
        (
            "a timestamp with no offset",
            "/sync",
            sync_body(command(customer_id, issued_at="2026-11-26T09:00:00")),
            422,
            None,
        ),
        (
            "a negative base version",
            "/sync",
            sync_body(command(customer_id, base_version=-1)),
            422,
            None,
        ),
        (
            "a base version ahead",
            "/sync",
            sync_body(command(customer_id, base_version=10**9)),
            200,
            [Verdict.REJECTED],
        ),
        (
            "a base version beyond 64 bits",
            "/sync",
            sync_body(command(customer_id, base_version=2**70)),
            200,
            [Verdict.REJECTED],
        ),
        (
            "an author in the body",
            "/sync",
            json.dumps({"client_id": "a", "author": "mallory", "commands": []}).encode(),
            422,
            None,
        ),
        (
            "a client id with a slash",
            "/sync",
            json.dumps({"client_id": "../etc", "commands": []}).encode(),
            422,
            None,
        ),
        (
            "a batch of 1001",
            "/sync",
            sync_body(*[command(customer_id)] * 1001),
            422,
            None,
        ),
        (
            "an unknown command type",
            "/sync",
            sync_body(command(customer_id, type="Drop")),
            422,
            None,
        ),
        (
            "a payload for another type",
            "/sync",
            sync_body(command(customer_id, payload={"email": "a@b.co"})),
            422,
            None,
        ),
        ("an array as the body", "/sync", b"[]", 400, None),
    ]

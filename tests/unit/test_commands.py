"""Command envelopes: times held in UTC at intake, fingerprints as stored."""

from __future__ import annotations

import copy
import pickle
import time
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from customer_domain.commands import Command


@pytest.fixture
def local_zone_ahead_of_utc(monkeypatch):
    monkeypatch.setenv("TZ", "XYZ-5:30")  # a POSIX zone: no tz database needed
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_command_holds_its_time_in_utc_whatever_the_servers_zone(
    local_zone_ahead_of_utc,
):
    issued = datetime(2026, 11, 26, 10, 0, tzinfo=timezone(timedelta(hours=2)))
    command = Command(uuid.uuid4(), "ChangeName", uuid.uuid4(), 0, issued, {"name": "A"})
    assert command.issued_at == issued
    assert command.issued_at.utcoffset() == timedelta(0)
    assert command.issued_at.isoformat() == "2026-11-26T08:00:00+00:00"
    assert command.issued_at.tzinfo == UTC


def acme(payload: dict | None = None, issued_at_defaulted: bool = False) -> Command:
    return Command(
        uuid.UUID(int=1),
        "ChangeName",
        uuid.UUID("12345678-1234-5678-1234-567812345678"),
        3,
        datetime(2026, 11, 26, 9, 0, tzinfo=UTC),
        {"name": "Acme"} if payload is None else payload,
        issued_at_defaulted,
    )


def test_a_fingerprint_is_part_of_the_stored_format():
    # Events keep the fingerprint of the command they record: a re-send is
    # compared with it, so the same envelope must fingerprint as it did then.
    assert acme().fingerprint == "3c267fe42eda2161e01ec91c07a03657"


def test_a_fingerprint_recorded_before_is_still_the_envelopes():
    # Events recorded before the fingerprint was taken over MessagePack hold
    # SHA-256 over canonical JSON: a re-send of one of them is still the same.
    command = acme()
    assert command.has_fingerprint("035d6af9e666e3a351b686fff33be6e8")
    assert command.has_fingerprint(command.fingerprint)
    assert not acme({"name": "Acme Ltd"}).has_fingerprint(
        "035d6af9e666e3a351b686fff33be6e8"
    )
    # a time the server supplied is not part of it, then as now
    assert acme(issued_at_defaulted=True).has_fingerprint(
        "4ed7480557ae1fbe1a91c6eee64bb68d"
    )


def test_fingerprints_tell_apart_what_json_does():
    payloads = [
        {"name": "1"},
        {"name": 1},
        {"name": 1.0},
        {"name": True},
        {"name": None},
        {"name": ["a"]},
        {"name": {"a": 1, "b": 2}},
        {"name": {"a": 1, "b": 3}},
    ]
    fingerprints = {acme(payload).fingerprint for payload in payloads}
    assert len(fingerprints) == len(payloads)
    assert acme({"b": 1, "a": 2}).fingerprint == acme({"a": 2, "b": 1}).fingerprint


def test_a_copy_of_a_command_is_fingerprinted_again():
    for command in (acme(), acme(issued_at_defaulted=True)):
        assert pickle.loads(pickle.dumps(command)) == command
        assert copy.deepcopy(command) == command
    command = acme()
    changed = command._replace(payload={"name": "Acme Ltd"})
    assert changed.payload == {"name": "Acme Ltd"}
    assert changed.fingerprint == acme({"name": "Acme Ltd"}).fingerprint
    assert changed.fingerprint != command.fingerprint


def test_a_payload_messagepack_cannot_hold_is_fingerprinted_as_json():
    command = acme({"value": 2**70})
    assert command.fingerprint == command._json_digest()
    assert command.has_fingerprint(acme({"value": 2**70}).fingerprint)

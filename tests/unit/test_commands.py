"""Command envelopes: times held in UTC at intake, fingerprints as stored."""

from __future__ import annotations

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


def test_a_fingerprint_is_part_of_the_stored_format():
    # Events keep the fingerprint of the command they record: a re-send is
    # compared with it, so the same envelope must fingerprint as it did then.
    command = Command(
        uuid.UUID(int=1),
        "ChangeName",
        uuid.UUID("12345678-1234-5678-1234-567812345678"),
        3,
        datetime(2026, 11, 26, 9, 0, tzinfo=UTC),
        {"name": "Acme"},
    )
    assert command.fingerprint == "035d6af9e666e3a351b686fff33be6e8"

"""Causal stamps: how competing values are ordered under last-writer-wins.

Concurrency is detected by versions, never by clocks. Clocks only order
competing values, through ``(effective_at, client_id, command_id)`` where
``effective_at`` is later than everything the author had seen and than the
same client's previous command, and never later than the server's clock.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

TICK = timedelta(microseconds=1)


class Stamp(NamedTuple):
    """Ordered as a tuple: by effective time, then client id, then command id."""

    effective_at: datetime
    client_id: str
    command_id: str


def effective_time(
    issued_at: datetime,
    received_at: datetime,
    seen_until: datetime | None,
    previous_by_client: datetime | None,
) -> datetime:
    """``max(min(issued_at, received_at), t_base + 1 µs, t_prev + 1 µs)``.

    ``seen_until`` is t_base, the latest effective time among the events the
    author had seen; ``previous_by_client`` is t_prev.
    """
    effective = min(issued_at, received_at)
    if seen_until is not None and seen_until >= effective:
        effective = seen_until + TICK
    if previous_by_client is not None and previous_by_client >= effective:
        effective = previous_by_client + TICK
    return effective

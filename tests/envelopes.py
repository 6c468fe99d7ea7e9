"""A command envelope as an offline client sends it, for tests that speak HTTP."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime


def command(kind, customer_id, payload, base, **extra) -> dict:
    return {
        "command_id": str(uuid.uuid4()),
        "type": kind,
        "customer_id": str(customer_id),
        "base_version": base,
        "issued_at": datetime.now(UTC).isoformat(),
        "payload": payload,
        **extra,
    }

"""When a customer's state is kept as a snapshot, and how its bytes are stored.

A cold load reads the customer's latest snapshot and the events after it. A
snapshot is taken after a save that carries the customer past a multiple of
its interval: ``SNAPSHOT_EVERY`` events, or a hundredth of the history if
more, so that rewriting a long history's index (about 12 bytes a command)
costs at most about 1.2 KB a command, whatever its length.
"""

from __future__ import annotations

import base64

from eventsourcing.persistence import Transcoding

from customer_domain.customer import Customer

SNAPSHOT_EVERY = 100


def snapshot_due(customer: Customer) -> bool:
    """Whether saving the customer's pending events reaches a snapshot point."""
    pending = len(customer.pending_events)
    if not pending or customer.version < SNAPSHOT_EVERY:
        return False
    interval = max(SNAPSHOT_EVERY, customer.version // 100)
    return customer.version // interval > (customer.version - pending) // interval


class BytesAsBase64(Transcoding):
    """Bytes (a snapshot's command index) in the JSON transcoder's documents."""

    type = bytes
    name = "bytes_b64"

    def encode(self, obj: bytes) -> str:
        return base64.b64encode(obj).decode("ascii")

    def decode(self, data: str) -> bytes:
        return base64.b64decode(data)

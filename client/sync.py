"""Pushing the outbox and pulling the view model."""

from __future__ import annotations

import time
from collections.abc import Callable

from client.api import Api, Refused
from client.store import Store

BATCH_SIZE = 500
PAYLOAD_TOO_LARGE = 413

Progress = Callable[[int], None]


def push(
    store: Store,
    api: Api,
    client_id: str,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
) -> tuple[list[dict], int]:
    """Send the outbox in batches; each verdict is stored, and its command taken
    out of the outbox, in one transaction. Returns the verdicts received and
    the position a reader must wait for to see them. A batch too large for the
    server's body limit is sent again in halves."""
    received, position = [], 0
    while batch := store.pending(limit=batch_size):
        try:
            answer = api.sync(client_id, batch)
        except Refused as refusal:
            if refusal.status != PAYLOAD_TOO_LARGE or len(batch) == 1:
                raise
            batch_size = len(batch) // 2
            continue
        store.record_verdicts(batch, answer["results"])
        received += [
            {**result, "type": envelope["type"]}
            for envelope, result in zip(batch, answer["results"], strict=True)
        ]
        position = max(position, answer["position"])
        if progress:
            progress(len(batch))
    return received, position


def pull(store: Store, api: Api, until: int = 0, patience: float = 10) -> int:
    """Fetch the views changed since the cursor, page by page, until the read
    model has reached position ``until`` (waiting at most ``patience`` seconds
    for it to catch up); returns how many views came."""
    pulled, deadline = 0, time.monotonic() + patience
    while True:
        page = api.views(store.cursor)
        if page["items"]:
            store.save_views(page["items"], page["next"])
            pulled += len(page["items"])
        elif page["position"] >= until or time.monotonic() > deadline:
            return pulled
        else:
            time.sleep(0.1)

"""When a customer's state is kept as a snapshot, and how its bytes are stored.

A cold load reads the customer's latest snapshot and the events after it. A
snapshot is taken after a save that carries the customer past a multiple of
its interval: ``SNAPSHOT_EVERY`` events, or ``1 / HISTORY_SHARE`` of the
history if more, so that rewriting a long history's index (about 12 bytes a
command) costs at most about 2.4 KB a command, whatever its length. Snapshots are
written by a thread of their own, so no command waits for one: they are a
cache, and a customer loads the same without them, only more slowly.
"""

from __future__ import annotations

import base64
import logging
import queue
import threading
from collections.abc import Callable

from eventsourcing.domain import Snapshot
from eventsourcing.persistence import IntegrityError, Transcoding

from customer_domain.customer import Customer

SNAPSHOT_EVERY = 50
HISTORY_SHARE = 200
logger = logging.getLogger("customers.snapshots")


def snapshot_due(customer: Customer) -> bool:
    """Whether saving the customer's pending events reaches a snapshot point."""
    pending = len(customer.pending_events)
    if not pending or customer.version < SNAPSHOT_EVERY:
        return False
    interval = max(SNAPSHOT_EVERY, customer.version // HISTORY_SHARE)
    return customer.version // interval > (customer.version - pending) // interval


class BytesAsBase64(Transcoding):
    """Bytes (a snapshot's command index) in the JSON transcoder's documents."""

    type = bytes
    name = "bytes_b64"

    def encode(self, obj: bytes) -> str:
        return base64.b64encode(obj).decode("ascii")

    def decode(self, data: str) -> bytes:
        return base64.b64decode(data)


class SnapshotWriter:
    """Puts snapshots in the store behind the commands that made them, those
    waiting together (up to ``per_save`` a transaction, on stores that save
    many streams at once); drops them when too many wait (a later one will be
    taken)."""

    def __init__(
        self,
        put: Callable[[list[Snapshot]], object],
        backlog: int = 256,
        per_save: int = 1,
    ) -> None:
        self._put = put
        self._per_save = per_save
        self._queue: queue.Queue[Snapshot | None] = queue.Queue(maxsize=backlog)
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def write(self, snapshot: Snapshot) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="snapshots", daemon=True
                )
                self._thread.start()
        try:
            self._queue.put_nowait(snapshot)
        except queue.Full:
            pass

    def wait(self) -> None:
        """Until every snapshot given so far is written."""
        self._queue.join()

    def close(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()

    def _run(self) -> None:
        stopping = False
        while not stopping:
            waiting = [self._queue.get()]
            while len(waiting) < self._per_save:
                try:
                    waiting.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            stopping = None in waiting
            try:
                self._write([snapshot for snapshot in waiting if snapshot is not None])
            finally:
                for _ in waiting:
                    self._queue.task_done()

    def _write(self, snapshots: list[Snapshot]) -> None:
        if len(snapshots) > 1:
            try:
                self._put(snapshots)
            except Exception:  # noqa: BLE001 - one taken already, say: one by one
                pass
            else:
                return
        for snapshot in snapshots:
            try:
                self._put([snapshot])
            except IntegrityError:
                pass  # taken already at this version: the same state
            except Exception:  # noqa: BLE001 - a cache: the customer loads without it
                logger.warning(
                    "snapshot of %s not written", snapshot.originator_id, exc_info=True
                )

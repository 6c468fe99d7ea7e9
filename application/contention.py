"""The customers that recently lost a race to another process's writes."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from uuid import UUID


class Contention:
    """Remembers, for ``memory`` seconds, at most ``size`` customers whose save
    lost to another writer: those are brought up to date with the store before
    they are decided, and saved apart from the rest of a batch, so that one
    customer edited everywhere at once does not undo a whole group commit."""

    def __init__(self, size: int = 1024, memory: float = 60.0) -> None:
        self.size = size
        self.memory = memory
        self._lost: OrderedDict[UUID, float] = OrderedDict()
        self._lock = threading.Lock()

    def lost(self, customer_ids: Iterable[UUID]) -> None:
        now = time.monotonic()
        with self._lock:
            for customer_id in customer_ids:
                self._lost[customer_id] = now
                self._lost.move_to_end(customer_id)
            while len(self._lost) > self.size:
                self._lost.popitem(last=False)

    def __contains__(self, customer_id: object) -> bool:
        if not self._lost:  # nearly always, with one process
            return False
        lost_at = self._lost.get(customer_id)  # type: ignore[call-overload]
        return lost_at is not None and time.monotonic() - lost_at < self.memory

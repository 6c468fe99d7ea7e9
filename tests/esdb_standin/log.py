"""In-memory transaction log of the protocol-level EventStoreDB stand-in.

This is NOT EventStoreDB.  It models only the storage rules that the stand-in's
gRPC ``Streams`` service needs, each mirroring what a single KurrentDB /
EventStoreDB node does:

* Every event is one record in a single, totally ordered log ("$all").  Its
  commit position equals its prepare position (log format v2 writes events as
  implicitly committed prepare records) and is the record's byte offset.
* The next record starts where the previous one ends, so positions grow by
  each record's (varying) size on disk: strictly increasing, never contiguous.
* A read of "$all" may start at a record's position, or at or after the end of
  the log (nothing to read).  Any other position falls inside a record; the
  real server fails such reads with ``InvalidPosition``.
* Appends to one stream are atomic and checked against the expected version;
  re-appending event IDs already written at the expected revisions is an
  idempotent success, as on the real server.
* A condition variable lets live subscriptions wait for new records.
"""

from __future__ import annotations

import threading
import time
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

# Expected version sentinels, with the values of the server's ExpectedVersion.
ANY = -2
NO_STREAM = -1
STREAM_EXISTS = -4

# Roughly the fixed part of a v2 prepare record (header, IDs, flags, length
# prefix and suffix); the variable part is the stream name, type and payloads.
_RECORD_OVERHEAD = 97


class InvalidPositionError(Exception):
    """A position that is neither a record's start nor at/after the log end."""


@dataclass(frozen=True)
class ProposedEvent:
    """An event as proposed by an append request."""

    event_id: str
    event_type: str
    is_json: bool
    data: bytes
    custom_metadata: bytes


@dataclass(frozen=True)
class Record:
    """An event as recorded in the log."""

    position: int  # commit position == prepare position
    stream_name: str
    revision: int
    event_id: str
    event_type: str
    is_json: bool
    data: bytes
    custom_metadata: bytes
    created: int  # 100 ns ticks since the Unix epoch, as sent in "created"

    @property
    def size_on_disk(self) -> int:
        return (
            _RECORD_OVERHEAD
            + len(self.stream_name.encode("utf8"))
            + len(self.event_type.encode("utf8"))
            + len(self.data)
            + len(self.custom_metadata)
        )


@dataclass(frozen=True)
class AppendResult:
    """Outcome of an append: on failure, ``revision`` is the stream's actual
    last revision (None: no stream); on success it is the new last revision
    and ``position`` is the position of the last event written (None if the
    append wrote nothing)."""

    ok: bool
    revision: int | None
    position: int | None = None


class EventLog:
    """Thread-safe, append-only, in-memory log of records."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._records: list[Record] = []
        self._positions: list[int] = []
        self._streams: dict[str, list[Record]] = {}
        self._end = 0  # where the next record will be written
        self._closed = False

    # Writing.

    def append(
        self, stream_name: str, expected: int, events: list[ProposedEvent]
    ) -> AppendResult:
        with self._cond:
            stream = self._streams.get(stream_name, [])
            current = len(stream) - 1  # -1 means the stream does not exist
            repeated = self._idempotent_repeat(stream, expected, events)
            if repeated is not None:
                return AppendResult(True, repeated.revision, repeated.position)
            if not _expected_version_matches(expected, current):
                return AppendResult(False, current if current >= 0 else None)
            if not events:
                return AppendResult(True, current if current >= 0 else None)
            created = time.time_ns() // 100
            for event in events:
                record = Record(
                    position=self._end,
                    stream_name=stream_name,
                    revision=len(stream),
                    event_id=event.event_id,
                    event_type=event.event_type,
                    is_json=event.is_json,
                    data=event.data,
                    custom_metadata=event.custom_metadata,
                    created=created,
                )
                stream.append(record)
                self._records.append(record)
                self._positions.append(record.position)
                self._end += record.size_on_disk
            self._streams[stream_name] = stream
            self._cond.notify_all()
            return AppendResult(True, record.revision, record.position)

    @staticmethod
    def _idempotent_repeat(
        stream: list[Record], expected: int, events: list[ProposedEvent]
    ) -> Record | None:
        """The last of the already written events if this append repeats them.

        Mirrors the server's idempotency check: with an exact revision (or no
        stream) the events must already sit, in order, right after the
        expected revision; with "any" they must sit, in order, from where the
        first of them was written.  A partial repeat is not idempotent.
        """
        if not events or expected == STREAM_EXISTS:
            return None
        if expected == ANY:
            ids = [r.event_id for r in stream]
            if events[0].event_id not in ids:
                return None
            first = ids.index(events[0].event_id)
        else:
            first = expected + 1
        last = first + len(events) - 1
        if last >= len(stream):
            return None
        for offset, event in enumerate(events):
            if stream[first + offset].event_id != event.event_id:
                return None
        return stream[last]

    # Reading one stream.

    def read_stream(
        self, stream_name: str, revision: int | None, *, backwards: bool, count: int
    ) -> list[Record] | None:
        """Events of a stream from ``revision`` (None: from the start, or from
        the end when backwards), at most ``count``; None if no such stream."""
        with self._cond:
            stream = self._streams.get(stream_name)
            if stream is None:
                return None
            if not backwards:
                start = 0 if revision is None else revision
                return stream[start : start + count]
            last = len(stream) - 1
            if revision is not None:
                last = min(revision, last)
            first = max(0, last - count + 1)
            return stream[first : last + 1][::-1]

    # Reading "$all".

    def index_of_position(self, position: int) -> int:
        """Index of the record at ``position``, or of the end of the log when
        the position is at or after the end; positions inside a record are
        invalid."""
        with self._cond:
            index = bisect_left(self._positions, position)
            if index < len(self._positions) and self._positions[index] == position:
                return index
            if position >= self._end:
                return len(self._records)
            msg = f"No log record starts at position {position}"
            raise InvalidPositionError(msg)

    def index_after(self, position: int) -> int:
        """Index of the first record after ``position``."""
        with self._cond:
            return bisect_right(self._positions, position)

    def records_from(self, index: int, limit: int) -> list[Record]:
        """Up to ``limit`` records forwards from ``index``."""
        with self._cond:
            return self._records[index : index + limit]

    def records_before(self, index: int, limit: int) -> list[Record]:
        """Up to ``limit`` records backwards from just before ``index``."""
        with self._cond:
            return self._records[max(0, index - limit) : index][::-1]

    def record_count(self) -> int:
        with self._cond:
            return len(self._records)

    def last_position(self) -> int | None:
        with self._cond:
            return self._positions[-1] if self._positions else None

    # Waiting for live records.

    def wait_for_records(self, count: int, timeout: float) -> None:
        """Wait until the log has more than ``count`` records, it is closed,
        the timeout elapses, or someone calls :meth:`wake`."""
        with self._cond:
            if len(self._records) <= count and not self._closed:
                self._cond.wait(timeout)

    def wake(self) -> None:
        with self._cond:
            self._cond.notify_all()

    @property
    def is_closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()


def _expected_version_matches(expected: int, current: int) -> bool:
    """The server's optimistic concurrency rule (current -1: no stream)."""
    if expected == ANY:
        return True
    if expected == NO_STREAM:
        return current == -1
    if expected == STREAM_EXISTS:
        return current >= 0
    return expected == current

"""The snapshot writer: snapshots written behind the commands, those waiting
together, and none lost to one that fails."""

from __future__ import annotations

import threading
from uuid import uuid4

from eventsourcing.persistence import IntegrityError, OperationalError

from application.snapshots import SnapshotWriter


class Snapshot:
    def __init__(self, taken_already: bool = False) -> None:
        self.originator_id = uuid4()
        self.taken_already = taken_already


class Store:
    """Records each put; the first one waits until ``release``."""

    def __init__(self, fails: int = 0) -> None:
        self.puts: list[list[Snapshot]] = []
        self.stored: list[Snapshot] = []
        self.first_put = threading.Event()
        self.release = threading.Event()
        self.fails = fails

    def put(self, snapshots: list[Snapshot]) -> None:
        self.puts.append(list(snapshots))
        if len(self.puts) == 1:
            self.first_put.set()
            self.release.wait(10)
        if self.fails:
            self.fails -= 1
            raise OperationalError("the store is busy")
        if any(s.taken_already for s in snapshots):
            raise IntegrityError("duplicate key")
        self.stored += snapshots


def writer_held_on_its_first_put(
    store: Store, per_save: int, first: Snapshot | None = None
) -> SnapshotWriter:
    writer = SnapshotWriter(store.put, per_save=per_save)
    writer.write(first or Snapshot())
    assert store.first_put.wait(10)
    return writer


def released(store: Store, writer: SnapshotWriter, waiting: list[Snapshot]) -> None:
    """Queue ``waiting`` behind the held put, let the store go, wait for all."""
    for snapshot in waiting:
        writer.write(snapshot)
    store.release.set()
    writer.wait()


def test_the_snapshots_waiting_are_written_together_up_to_the_limit():
    store = Store()
    writer = writer_held_on_its_first_put(store, per_save=3)
    released(store, writer, [Snapshot() for _ in range(5)])
    writer.close()
    assert [len(put) for put in store.puts] == [1, 3, 2]
    assert len(store.stored) == 6


def test_one_taken_already_leaves_the_others_written_one_by_one():
    store = Store()
    writer = writer_held_on_its_first_put(store, per_save=10)
    waiting = [Snapshot(), Snapshot(taken_already=True), Snapshot()]
    released(store, writer, waiting)
    writer.close()
    assert [len(put) for put in store.puts] == [1, 3, 1, 1, 1]
    assert store.stored[1:] == [waiting[0], waiting[2]]


def test_a_failed_write_is_logged_and_the_writer_goes_on(caplog):
    store = Store(fails=3)  # the first put, the batch, then its first alone
    first = Snapshot()
    writer = writer_held_on_its_first_put(store, per_save=10, first=first)
    waiting = [Snapshot(), Snapshot()]
    released(store, writer, waiting)
    writer.write(later := Snapshot())
    writer.wait()
    writer.close()
    assert store.stored == [waiting[1], later]
    logged = [r.getMessage() for r in caplog.records]
    assert logged == [
        f"snapshot of {s.originator_id} not written" for s in (first, waiting[0])
    ]


def test_one_at_a_time_where_a_save_holds_one_stream():
    store = Store()
    writer = writer_held_on_its_first_put(store, per_save=1)
    released(store, writer, [Snapshot() for _ in range(3)])
    writer.close()
    assert [len(put) for put in store.puts] == [1, 1, 1, 1]

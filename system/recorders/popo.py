"""The read model in memory, beside the library's in-memory process recorder."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.popo import POPOProcessRecorder

from system.recorders import (
    UPSTREAM,
    DirectoryRecorder,
    dump_document,
    load_document,
    project_into,
)


def _copy(document: Any) -> Any:
    return load_document(dump_document(document))


class _StagedViews:
    """Documents changed by one projection step, kept aside until it commits."""

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder
        self.views: dict[str, dict] = {}
        self.conflict_docs: dict[str, dict] = {}

    def customers_many(self, ids: set[str]) -> dict[str, dict]:
        return {k: _copy(self.recorder.views[k]) for k in ids if k in self.recorder.views}

    def conflicts_many(self, ids: set[str]) -> dict[str, dict]:
        docs = self.recorder.conflict_docs
        return {k: _copy(docs[k]) for k in ids if k in docs}

    def put_customers(self, views: list[dict]) -> None:
        self.views.update((view["customer_id"], view) for view in views)

    def put_conflicts(self, conflicts: list[dict]) -> None:
        self.conflict_docs.update((c["conflict_id"], c) for c in conflicts)


class Recorder(DirectoryRecorder, POPOProcessRecorder):
    def __init__(self) -> None:
        super().__init__()
        self.views: dict[str, dict] = {}
        self.conflict_docs: dict[str, dict] = {}
        self._views_lock = threading.RLock()

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        with self._views_lock:
            staged = _StagedViews(self)
            project_into(staged, kwargs)  # if this fails, nothing has changed
            notification_ids = super().insert_events(stored_events, **kwargs)
            self.views.update(staged.views)
            self.conflict_docs.update(staged.conflict_docs)
            return notification_ids

    def customer_view(self, customer_id: str) -> dict | None:
        with self._views_lock:
            return _copy(self.views.get(customer_id))

    def conflict(self, conflict_id: str) -> dict | None:
        with self._views_lock:
            return _copy(self.conflict_docs.get(conflict_id))

    def customer_views_since(self, position: int, limit: int) -> list[dict]:
        with self._views_lock:
            views = sorted(
                (v for v in self.views.values() if v["position"] > position),
                key=lambda v: v["position"],
            )
            return _copy(views[:limit])

    def conflicts(self, status: str | None, customer_id: str | None) -> list[dict]:
        with self._views_lock:
            found = [
                c
                for c in self.conflict_docs.values()
                if status in (None, c["status"])
                and customer_id in (None, c["customer_id"])
            ]
            return _copy(sorted(found, key=lambda c: c["opened_at"]))

    def clear(self) -> None:
        with self._views_lock:
            self.views.clear()
            self.conflict_docs.clear()
            # The in-memory recorder offers no way to forget a tracking position
            # (the SQL stores delete the row): drop it from its table directly.
            self._max_tracking_ids.pop(UPSTREAM, None)

"""The read model's recorders, one module per store, behind one interface.

Each writes the read model in the transaction that records the tracking
position, so each customer event is projected exactly once:
``insert_events(..., tracking=..., customer_events=[(event, position), ...])``
projects the events (the tracking record names the last one's position);
without ``customer_events`` they behave as the library's process recorders.

A store's module is imported only when that store is chosen: PostgreSQL's
needs psycopg, which the embedded default does without.
"""

from __future__ import annotations

from abc import abstractmethod
from importlib import import_module
from typing import Any

import msgspec
from eventsourcing.persistence import IntegrityError, ProcessRecorder, Tracking

from system.views import DocumentStore, project_page

UPSTREAM = "Customers"
MODULES = {  # persistence module -> the module of its read-model recorder
    "eventsourcing.popo": "system.recorders.popo",
    "eventsourcing.sqlite": "system.recorders.sqlite",
    "eventsourcing.postgres": "system.recorders.postgres",
}


_encode_json = msgspec.json.Encoder().encode
_decode_json = msgspec.json.Decoder().decode


def dump_document(document: dict[str, Any]) -> str:
    """A view or conflict as the JSON text its table holds."""
    return _encode_json(document).decode("utf-8")


def load_document(text: str | bytes) -> dict[str, Any]:
    """A view or conflict from the JSON text its table holds."""
    return _decode_json(text)


class DirectoryRecorder(ProcessRecorder):
    """A process recorder that also holds, and answers reads of, the read model."""

    @abstractmethod
    def customer_view(self, customer_id: str) -> dict[str, Any] | None:
        """The customer's view, or None."""

    @abstractmethod
    def customer_views_since(self, position: int, limit: int) -> list[dict[str, Any]]:
        """Up to ``limit`` views changed after ``position``, in position order."""

    @abstractmethod
    def conflicts(
        self, status: str | None, customer_id: str | None
    ) -> list[dict[str, Any]]:
        """The conflicts (of a status, of a customer), oldest first."""

    @abstractmethod
    def conflict(self, conflict_id: str) -> dict[str, Any] | None:
        """The conflict, or None."""

    @abstractmethod
    def clear(self) -> None:
        """Forget the read model and its position."""

    def position(self) -> int:
        """The position of the last customer event projected (0: none)."""
        return self.max_tracking_id(UPSTREAM) or 0


def check_unprojected(position: int, kwargs: dict[str, Any]) -> None:
    """Refuse a page whose first event the read model, at ``position``, already
    holds: another projector recorded it meanwhile, and the documents read now
    include it (the projector goes on from the position recorded)."""
    events = kwargs.get("customer_events")
    if events and events[0][1] <= position:
        msg = f"the read model is already at position {position}: projected elsewhere"
        raise IntegrityError(msg)


def project_into(store: DocumentStore, kwargs: dict[str, Any]) -> None:
    """Project the ``customer_events`` that ``insert_events`` was given, if any."""
    events = kwargs.get("customer_events", ())
    if events:
        assert isinstance(kwargs.get("tracking"), Tracking)
        project_page(events, store)


def recorder_class(persistence_module: str) -> type[DirectoryRecorder] | None:
    """The read-model recorder for a persistence module (None: it has none)."""
    if persistence_module not in MODULES:
        return None
    return import_module(MODULES[persistence_module]).Recorder

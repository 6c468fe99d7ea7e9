"""The documents a projector wrote, kept for its next pages (SQL stores).

A page of events reads the views and conflicts it changes, then writes them
back. A projector following the log reads, page after page, the documents it
has just written: a key account's view, which embeds its open conflicts, can be
tens of kilobytes, decoded each time. The cache keeps them as committed, with
the read model's position at that commit, and serves a page only if the read
model is still at that position when the page's transaction starts. Anything
else (another projector's page, a rebuild, a page that failed and was rolled
back, whose documents were changed in memory) empties it, and the page reads
from the store.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import cached_property
from typing import Any

from eventsourcing.persistence import StoredEvent

from system.views import DocumentStore

Documents = OrderedDict[str, dict[str, Any]]


class DocumentCache:
    """Up to ``size`` views and ``size`` conflicts, the least recently used
    dropped first, as committed at ``position``."""

    def __init__(self, size: int = 5000) -> None:
        self.size = size
        self.position: int | None = None
        self.customers: Documents = OrderedDict()
        self.conflicts: Documents = OrderedDict()

    def over(self, store: DocumentStore, position: int) -> DocumentStore:
        """``store`` read through the cache, for a page whose transaction finds
        the read model at ``position``."""
        if position != self.position:
            self.forget()
        # Changed in memory from now on: valid again only once this page has
        # committed, so a page tried again (the library retries a save that
        # lost its connection) or one after a failure reads from the store.
        self.position = None
        return _ThroughCache(store, self)

    def committed(self, position: int) -> None:
        self.position = position

    def forget(self) -> None:
        self.position = None
        self.customers.clear()
        self.conflicts.clear()

    def keep(self, documents: Documents, key: str, written: list[dict]) -> None:
        for document in written:
            documents[document[key]] = document
            documents.move_to_end(document[key])
        while len(documents) > self.size:
            documents.popitem(last=False)


class _ThroughCache:
    def __init__(self, store: DocumentStore, cache: DocumentCache) -> None:
        self.store = store
        self.cache = cache

    def customers_many(self, ids: set[str]) -> dict[str, dict[str, Any]]:
        return _many(self.cache.customers, self.store.customers_many, ids)

    def conflicts_many(self, ids: set[str]) -> dict[str, dict[str, Any]]:
        return _many(self.cache.conflicts, self.store.conflicts_many, ids)

    def put_customers(self, views: list[dict[str, Any]]) -> None:
        self.store.put_customers(views)
        self.cache.keep(self.cache.customers, "customer_id", views)

    def put_conflicts(self, conflicts: list[dict[str, Any]]) -> None:
        self.store.put_conflicts(conflicts)
        self.cache.keep(self.cache.conflicts, "conflict_id", conflicts)


def _many(
    cached: Documents,
    read: Callable[[set[str]], dict[str, dict[str, Any]]],
    ids: set[str],
) -> dict[str, dict[str, Any]]:
    found = {}
    for key in ids & cached.keys():
        cached.move_to_end(key)
        found[key] = cached[key]
    missing = ids - found.keys()
    if missing:
        found.update(read(missing))
    return found


class CachingDocuments:
    """For a read-model recorder on a SQL store: its cache of documents, told
    when a page's transaction has committed."""

    @cached_property
    def documents(self) -> DocumentCache:
        return DocumentCache()

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        notification_ids = super().insert_events(stored_events, **kwargs)  # type: ignore[misc]
        if kwargs.get("customer_events"):
            self.documents.committed(kwargs["tracking"].notification_id)
        return notification_ids

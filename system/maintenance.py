"""Rebuilding the read model from the event store, and checking it."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from application import Customers
from system.directory import CustomerDirectory

Progress = Callable[[int], None]


def follower(
    customers: Customers, env: Mapping[str, str] | None = None
) -> CustomerDirectory:
    """A CustomerDirectory following the given customers' notification log."""
    directory = CustomerDirectory(env=dict(env or {}))
    directory.follow(customers.name, customers.notification_log)
    return directory


def rebuild(directory: CustomerDirectory, progress: Progress | None = None) -> int:
    """Forget the read model and project the whole log again (stop the
    projection first)."""
    directory.clear()
    return directory.catch_up(progress=progress)


def differences(customers: Customers, live: CustomerDirectory) -> list[str]:
    """How the live read model differs from one rebuilt in memory from the
    event store up to the same position (empty: they are equal)."""
    expected = live.contents()
    fresh = follower(
        customers, {"CUSTOMERDIRECTORY_PERSISTENCE_MODULE": "eventsourcing.popo"}
    )
    try:
        fresh.catch_up(stop=expected["position"] or None)
        actual = fresh.contents()
    finally:
        fresh.close()
    found = []
    if expected["position"] != actual["position"]:
        found.append(
            f"position: live {expected['position']}, rebuilt {actual['position']}"
        )
    for kind in ("customers", "conflicts"):
        for key in sorted(expected[kind].keys() | actual[kind].keys()):
            if expected[kind].get(key) != actual[kind].get(key):
                found.append(f"{kind[:-1]} {key} differs")
    return found

"""Resolving a conflict from the local copy: the conflicts it knows, their
candidates, and the resolutions already queued."""

from __future__ import annotations

from typing import Any

from client.store import Store
from customer_domain.fields import check_value
from customer_domain.vocabulary import RESOLVE


class UnknownConflict(LookupError):
    """Raised when the local copy has no open conflict with this id."""


class NotACandidate(ValueError):
    """Raised when a command id is not one of the conflict's candidates."""

    def __init__(self, command_id: str, candidates: list[str]) -> None:
        known = ", ".join(candidates) or "none"
        super().__init__(
            f"{command_id} is not a candidate of this conflict (its candidates: {known})"
        )


def open_conflict(
    store: Store, conflict_id: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The customer view holding the open conflict, and the conflict."""
    for view in store.views():
        for conflict in view["conflicts"]:
            if conflict["conflict_id"] == conflict_id:
                return view, conflict
    raise UnknownConflict(conflict_id)


def queued(store: Store, conflict_id: str) -> list[dict[str, Any]]:
    """The resolutions of this conflict waiting in the outbox, oldest first."""
    return [
        envelope
        for envelope in store.pending()
        if envelope["type"] == RESOLVE
        and envelope["payload"]["conflict_id"] == conflict_id
    ]


def payload(
    conflict: dict[str, Any],
    take: str | None = None,
    value: Any = None,
    *,
    set_value: bool = False,
) -> dict[str, Any]:
    """A ResolveConflict payload: keep the current value, take a candidate
    (one the local copy knows), or set ``value`` (checked by its field's rule)."""
    resolution = {"conflict_id": conflict["conflict_id"], "choice": "current"}
    if take is not None:
        candidates = [c["command_id"] for c in conflict["candidates"]]
        if take not in candidates:
            raise NotACandidate(take, candidates)
        return {**resolution, "choice": "candidate", "candidate_command_id": take}
    if set_value:
        return {
            **resolution,
            "choice": "value",
            "value": check_value(conflict["field"], value),
        }
    return resolution


def chosen_value(conflict: dict[str, Any], resolution: dict[str, Any]) -> Any:
    """The value the field will hold once the resolution is applied."""
    if resolution["choice"] == "value":
        return resolution["value"]
    if resolution["choice"] == "candidate":
        for candidate in conflict["candidates"]:
            if candidate["command_id"] == resolution["candidate_command_id"]:
                return candidate["value"]
    return conflict["current"]["value"]

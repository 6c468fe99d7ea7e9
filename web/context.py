"""What routes need from the running app: its deployment and the caller."""

from __future__ import annotations

from typing import Any

from flask import current_app, g

from application.results import Result
from system.runtime import Deployment
from web import schemas
from web.problems import Problem


def deployment() -> Deployment:
    return current_app.extensions["deployment"]


def employee() -> str:
    return g.employee


def batch_position(results: list[Result]) -> int:
    """Where a reader must wait to see every result of a write."""
    positions = [r.position for r in results if r.position is not None]
    if positions:
        return max(positions)
    return deployment().customers.recorder.max_notification_id() or 0


def positioned(result: Result) -> dict[str, Any]:
    return {**schemas.dump_result(result), "position": batch_position([result])}


def wait_for_read_model(position: int | None) -> None:
    """Read-your-writes: wait until the read model reached ``position``, else 503."""
    if position is None:
        return
    seconds = current_app.config["READ_WAIT_SECONDS"]
    if not deployment().wait_for(position, timeout=seconds):
        raise Problem(
            503,
            f"the read model has not reached position {position} within "
            f"{seconds} s; retry",
            "read-model-behind",
            headers={"Retry-After": "1"},
        )

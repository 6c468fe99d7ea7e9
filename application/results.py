"""What the server answers for each command."""

from __future__ import annotations

from typing import NamedTuple
from uuid import UUID


class Result(NamedTuple):
    command_id: UUID
    customer_id: UUID
    status: str
    version: int | None
    duplicate: bool = False
    conflict_id: UUID | None = None
    reason: str | None = None
    detail: str | None = None
    position: int | None = None  # where its event is in the notification log

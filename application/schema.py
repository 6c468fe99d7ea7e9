"""Creating tables when several processes start on one database at once."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from eventsourcing.persistence import InternalError, OperationalError

T = TypeVar("T")


def with_schema_retries(construct: Callable[[], T], attempts: int = 8) -> T:
    """Run ``construct`` (which may create tables), again if another process
    creating the same tables made it fail ("tuple concurrently updated")."""
    for attempt in range(1, attempts + 1):
        try:
            return construct()
        except (InternalError, OperationalError):
            if attempt == attempts:
                raise
            time.sleep(random.uniform(0.05, 0.2) * attempt)
    raise AssertionError("unreachable")

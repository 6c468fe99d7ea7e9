"""How a deployment handles concurrent edits of the same field."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from customer_domain.vocabulary import (
    DETECT_FIELD,
    DETECTIONS,
    FIELDS,
    LAST_WRITER_WINS,
    MANUAL,
    POLICIES,
)

__all__ = ["LAST_WRITER_WINS", "MANUAL", "Policy"]


@dataclass(frozen=True, slots=True)
class Policy:
    """A default policy, per-field overrides, and the detection granularity."""

    default: str = MANUAL
    per_field: Mapping[str, str] = field(default_factory=dict)
    detection: str = DETECT_FIELD

    def __post_init__(self) -> None:
        for name in (self.default, *self.per_field.values()):
            if name not in POLICIES:
                msg = (
                    f"unknown conflict policy {name!r}: use one of {', '.join(POLICIES)}"
                )
                raise ValueError(msg)
        unknown = set(self.per_field) - set(FIELDS)
        if unknown:
            msg = f"conflict policy for unknown field(s): {', '.join(sorted(unknown))}"
            raise ValueError(msg)
        if self.detection not in DETECTIONS:
            msg = f"unknown conflict detection {self.detection!r}: use field or aggregate"
            raise ValueError(msg)

    def for_field(self, name: str) -> str:
        return self.per_field.get(name, self.default)

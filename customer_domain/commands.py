"""The fine-grained commands an offline client queues, as typed envelopes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import msgspec

from customer_domain.vocabulary import FIELD_OF_COMMAND

# What a fingerprint hashes: the envelope's content as MessagePack, maps with
# their keys sorted. Events recorded before hold SHA-256 over canonical JSON.
_CANONICAL = msgspec.msgpack.Encoder(order="sorted")
_CANONICAL_JSON = json.JSONEncoder(sort_keys=True, default=str)


def in_utc(moment: datetime) -> datetime:
    """The same instant in UTC: every time is normalised so at intake."""
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class Command:
    """A command envelope: what the client sent, with its idempotency key."""

    command_id: UUID
    type: str
    customer_id: UUID
    base_version: int | None
    issued_at: datetime
    payload: Mapping[str, Any]
    issued_at_defaulted: bool = False  # the client sent none: the server's clock
    _key: str = dataclass_field(init=False, repr=False, compare=False)
    _fingerprint: str = dataclass_field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "issued_at", in_utc(self.issued_at))
        # Every command's key and fingerprint are read, most more than once:
        # computed here (functools.cached_property takes a lock on each read).
        object.__setattr__(self, "_key", str(self.command_id))
        object.__setattr__(self, "_fingerprint", self._digest())

    @property
    def field(self) -> str | None:
        """The field a Change command sets (None for the others)."""
        return FIELD_OF_COMMAND.get(self.type)

    @property
    def value(self) -> Any:
        return self.payload[FIELD_OF_COMMAND[self.type]]

    @property
    def key(self) -> str:
        """The command id as text, as stamps hold it."""
        return self._key

    @property
    def fingerprint(self) -> str:
        """Identifies the envelope as compared for idempotency: not its base, nor
        a time the server supplied (a re-send would get another)."""
        return self._fingerprint

    def has_fingerprint(self, fingerprint: str) -> bool:
        """Whether an event's ``fingerprint`` is this envelope's: as taken now,
        or as events recorded before this way of taking it hold it."""
        return fingerprint == self._fingerprint or fingerprint == self._json_digest()

    def _digest(self) -> str:
        """BLAKE2b (128 bits) over the content as MessagePack; the JSON digest
        for a payload MessagePack cannot hold (an integer past 64 bits)."""
        issued = None if self.issued_at_defaulted else self.issued_at
        try:
            content = _CANONICAL.encode((self.type, self.customer_id, self.payload, issued))
        except (TypeError, OverflowError):
            return self._json_digest()
        return hashlib.blake2b(content, digest_size=16).hexdigest()

    def _json_digest(self) -> str:
        """The fingerprint as taken before: SHA-256 over canonical JSON."""
        issued = None if self.issued_at_defaulted else self.issued_at.isoformat()
        content = [self.type, str(self.customer_id), self.payload, issued]
        return hashlib.sha256(_CANONICAL_JSON.encode(content).encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Sender:
    """Who sent a batch, from where, and when the server received it."""

    client_id: str
    author: str
    received_at: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "received_at", in_utc(self.received_at))

"""The fine-grained commands an offline client queues, as typed envelopes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple
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


class _Envelope(NamedTuple):
    command_id: UUID
    type: str
    customer_id: UUID
    base_version: int | None
    issued_at: datetime
    payload: Mapping[str, Any]
    issued_at_defaulted: bool  # the client sent none: the server's clock
    fingerprint: str  # see Command.fingerprint


class Command(_Envelope):
    """A command envelope: what the client sent, with its idempotency key.

    Immutable; a named tuple, as the engine's other values are, for it is
    built for every command a client sends. Its time is held in UTC, and its
    ``fingerprint`` is worked out as it is built: it identifies the envelope
    as compared for idempotency, not its base, nor a time the server
    supplied (a re-send would get another)."""

    __slots__ = ()

    def __new__(
        cls,
        command_id: UUID,
        type: str,  # noqa: A002 (the envelope's own name for it)
        customer_id: UUID,
        base_version: int | None,
        issued_at: datetime,
        payload: Mapping[str, Any],
        issued_at_defaulted: bool = False,
    ) -> Command:
        issued_at = in_utc(issued_at)
        fingerprint = _digest(
            type, customer_id, payload, None if issued_at_defaulted else issued_at
        )
        return tuple.__new__(
            cls,
            (
                command_id,
                type,
                customer_id,
                base_version,
                issued_at,
                payload,
                issued_at_defaulted,
                fingerprint,
            ),
        )

    def __getnewargs__(self) -> tuple:  # copied and pickled through __new__
        return tuple(self)[:-1]

    def _replace(self, **changes: Any) -> Command:
        """A copy with ``changes``, its fingerprint worked out again."""
        fields = dict(zip(self._fields, self))
        del fields["fingerprint"]
        return Command(**{**fields, **changes})

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
        return str(self.command_id)

    def has_fingerprint(self, fingerprint: str) -> bool:
        """Whether an event's ``fingerprint`` is this envelope's: as taken now,
        or as events recorded before this way of taking it hold it."""
        return fingerprint == self.fingerprint or fingerprint == self._json_digest()

    def _json_digest(self) -> str:
        issued = None if self.issued_at_defaulted else self.issued_at
        return _json_digest(self.type, self.customer_id, self.payload, issued)


def _digest(
    kind: str, customer_id: UUID, payload: Mapping[str, Any], issued: datetime | None
) -> str:
    """BLAKE2b (128 bits) over the content as MessagePack; the JSON digest
    for a payload MessagePack cannot hold (an integer past 64 bits)."""
    try:
        content = _CANONICAL.encode((kind, customer_id, payload, issued))
    except (TypeError, OverflowError):
        return _json_digest(kind, customer_id, payload, issued)
    return hashlib.blake2b(content, digest_size=16).hexdigest()


def _json_digest(
    kind: str, customer_id: UUID, payload: Mapping[str, Any], issued: datetime | None
) -> str:
    """The fingerprint as taken before: SHA-256 over canonical JSON."""
    issued_text = None if issued is None else issued.isoformat()
    content = [kind, str(customer_id), payload, issued_text]
    return hashlib.sha256(_CANONICAL_JSON.encode(content).encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Sender:
    """Who sent a batch, from where, and when the server received it."""

    client_id: str
    author: str
    received_at: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "received_at", in_utc(self.received_at))

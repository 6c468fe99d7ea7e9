"""How the customers' events are stored: MessagePack, through the library's
``TRANSCODER_TOPIC``.

An event's state (its attributes but its customer id and version, which have
columns of their own) is one MessagePack map from attribute names to values;
the names in ``NUMBERED_KEYS``, at the top and in the maps directly under it
(a value with its provenance, a candidate), are stored as their numbers.
Times are MessagePack timestamps, in UTC (the intake normalises every time to
UTC, so nothing is lost); UUID attributes are 16 bytes (extension type 1).
Everything else is MessagePack's own: strings, integers, None, lists, maps.
Readable by any MessagePack library. Inside nested maps, ids are text, as the
events carry them there.

Stores written before this format hold each state as the library's JSON
(a UTF-8 object, always starting with ``{``, which no MessagePack map does):
those rows are read as they are, with the library's JSON transcoder and its
transcodings, so an existing store keeps working and gains new rows in the new
format; nothing is rewritten. Old event versions are upcast by the library
(``class_version`` with ``upcast_vN_vN+1``) after either is decoded.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any
from uuid import UUID, SafeUUID

import msgspec
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Transcoder,
    UUIDAsHex,
)

UUID_EXT = 1

# Attribute names, and the keys of the maps they hold (a value with its
# provenance, a candidate), stored as small integers: a byte each.
# Append only: a number, once used, names its attribute for ever. A name not
# listed is stored as itself, so a new attribute needs no entry to work.
NUMBERED_KEYS = (
    "timestamp",
    "command_id",
    "client_id",
    "author",
    "issued_at",
    "effective_at",
    "received_at",
    "base_version",
    "verdict",
    "reason",
    "detail",
    "conflict_id",
    "fingerprint",
    "latest_effective_at",
    "value",
    "previous",
    "field",
    "restamped",
    "winner",
    "current",
    "base_value",
    "candidate",
    "choice",
    "chosen",
    "name",
    "email",
    "phone",
    "address",
    "supplier",
    "description",
    "status",
    "class_version",
    "version",
    "changed_at",
)
NUMBER_OF = {key: number for number, key in enumerate(NUMBERED_KEYS)}


@lru_cache(maxsize=1024)
def _numbered(keys: tuple[str, ...]) -> tuple[int | str, ...]:
    """The keys of a map as stored (an event class's attributes: a handful of
    tuples, each worked out once)."""
    return tuple(NUMBER_OF.get(key, key) for key in keys)


def storable(value: Any) -> bool:
    """Whether an event can hold ``value`` (a value a client sent): whatever
    JSON carries but integers past 64 bits, which MessagePack has no room for."""
    try:
        msgspec.msgpack.encode(value)
    except (OverflowError, TypeError):
        return False
    return True


def _uuid_from(code: int, data: memoryview) -> UUID:
    if code != UUID_EXT:
        msg = f"unknown MessagePack extension type {code}"
        raise ValueError(msg)
    if len(data) != 16:
        msg = f"a UUID is 16 bytes, not {len(data)}"
        raise ValueError(msg)
    # What UUID(bytes=...) builds, without its checks of arguments that
    # cannot occur here: a third of the cost of decoding an event.
    uuid = _new(UUID)
    _set(uuid, "int", int.from_bytes(data))
    _set(uuid, "is_safe", _UNKNOWN)
    return uuid


_new = object.__new__
_set = object.__setattr__
_UNKNOWN = SafeUUID.unknown


def _unsupported(obj: Any) -> Any:
    msg = f"cannot store a {type(obj).__name__} in an event: {obj!r}"
    raise TypeError(msg)


class EventStateTranscoder(Transcoder):
    """Encodes an event's state as MessagePack; decodes MessagePack, and the
    JSON of stores written before."""

    def __init__(self) -> None:
        self._encode = msgspec.msgpack.Encoder(enc_hook=_unsupported).encode
        self._decode = msgspec.msgpack.Decoder(ext_hook=_uuid_from).decode
        self.legacy = JSONTranscoder()
        for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO()):
            self.legacy.register(transcoding)

    def encode(self, obj: dict[str, Any]) -> bytes:
        stored = {}
        for key, name, value in zip(_numbered(tuple(obj)), obj, obj.values()):
            kind = value.__class__
            if kind is datetime:
                if value.tzinfo is None:
                    msg = f"{name} has no time zone: events hold times in UTC"
                    raise TypeError(msg)
            elif kind is UUID:
                value = msgspec.msgpack.Ext(UUID_EXT, value.bytes)
            elif kind is dict:
                value = dict(zip(_numbered(tuple(value)), value.values()))
            stored[key] = value
        return self._encode(stored)

    def decode(self, data: bytes) -> dict[str, Any]:
        if data[:1] == b"{":  # a state stored before, as JSON
            return self.legacy.decode(data)
        state = {}
        for key, value in self._decode(data).items():
            if value.__class__ is dict:
                value = {
                    k if k.__class__ is str else NUMBERED_KEYS[k]: v
                    for k, v in value.items()
                }
            state[key if key.__class__ is str else NUMBERED_KEYS[key]] = value
        return state


# The setting that makes an application store (and read) events in this
# format: each application that writes or follows the customers' events sets it.
STORED_FORMAT = {"TRANSCODER_TOPIC": f"{__name__}:{EventStateTranscoder.__qualname__}"}

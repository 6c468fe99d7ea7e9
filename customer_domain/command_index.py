"""Which commands a customer has recorded, in about 12 bytes each.

Every recorded command is one event, so a command's version is its place in
the stream. The index keeps a 32-bit digest of each command id in version
order (``digests[version]``), and an open-addressing hash table (linear
probing) of ``version + 1`` placed by that digest, so finding the versions
that may hold a command id costs a few probes whatever the length of the
history. A digest can be shared by two command ids: a match is only a
candidate, and the caller confirms it against the event the stream holds at
that version (which carries the command id). The table is rebuilt from the
digests alone, so it can grow without reading the stream.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterator
from hashlib import blake2b
from uuid import UUID

MAX_LOAD = 0.8  # the table grows when fuller than this ...
MIN_LOAD = 0.55  # ... to a size this full: 4 / 0.55 = 7.3 bytes a command at most
_ENDIAN_SWAP = sys.byteorder != "little"  # stored bytes are little-endian


def digest(command_id: UUID) -> int:
    """The 32-bit digest of a command id (not the id's own bits, which a
    client chooses)."""
    return int.from_bytes(blake2b(command_id.bytes, digest_size=4).digest(), "little")


class CommandIndex:
    """Command digests by version, and where to find each digest's versions."""

    __slots__ = ("digests", "slots")

    def __init__(self, digests: array | None = None, slots: array | None = None) -> None:
        self.digests = array("I") if digests is None else digests
        self.slots = array("I", bytes(4 * 8)) if slots is None else slots

    def __len__(self) -> int:
        return len(self.digests)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, CommandIndex)
            and self.digests == other.digests
            and self.slots == other.slots
        )

    def copy(self) -> CommandIndex:
        return CommandIndex(array("I", self.digests), array("I", self.slots))

    def versions_of(self, command_id: UUID) -> Iterator[int]:
        """The versions whose command id may be ``command_id`` (confirm each)."""
        wanted = digest(command_id)
        slots, digests, size = self.slots, self.digests, len(self.slots)
        place = wanted % size
        while entry := slots[place]:
            if digests[entry - 1] == wanted:
                yield entry - 1
            place = place + 1 if place + 1 < size else 0

    def add(self, command_id: UUID, version: int) -> None:
        """Index the command recorded at ``version``, the next one."""
        if version != len(self.digests):
            msg = f"version {version} recorded after {len(self.digests) - 1}"
            raise ValueError(msg)
        self.digests.append(digest(command_id))
        if len(self.digests) > MAX_LOAD * len(self.slots):
            self.slots = array("I", bytes(4 * int(len(self.digests) / MIN_LOAD + 1)))
            for each in range(len(self.digests)):
                self._place(each)
        else:
            self._place(version)

    def _place(self, version: int) -> None:
        slots, size = self.slots, len(self.slots)
        place = self.digests[version] % size
        while slots[place]:
            place = place + 1 if place + 1 < size else 0
        slots[place] = version + 1

    def as_bytes(self) -> tuple[bytes, bytes]:
        """The digests and the table, as little-endian bytes."""
        return _little_endian(self.digests), _little_endian(self.slots)

    @classmethod
    def from_bytes(cls, digests: bytes, slots: bytes) -> CommandIndex:
        return cls(_from_little_endian(digests), _from_little_endian(slots))


def _little_endian(numbers: array) -> bytes:
    if _ENDIAN_SWAP:
        numbers = array(numbers.typecode, numbers)
        numbers.byteswap()
    return numbers.tobytes()


def _from_little_endian(data: bytes) -> array:
    numbers = array("I")
    numbers.frombytes(data)
    if _ENDIAN_SWAP:
        numbers.byteswap()
    return numbers

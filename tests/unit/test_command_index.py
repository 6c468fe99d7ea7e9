"""The compact index of a customer's recorded command ids."""

from __future__ import annotations

import uuid
from array import array

import pytest

from customer_domain.command_index import CommandIndex, digest


def test_every_command_is_found_at_its_version_as_the_table_grows():
    ids = [uuid.uuid4() for _ in range(5000)]
    index = CommandIndex()
    for version, command_id in enumerate(ids):
        index.add(command_id, version)
    for version, command_id in enumerate(ids):
        assert version in set(index.versions_of(command_id))
    assert (
        sum(1 for c in (uuid.uuid4() for _ in range(2000)) if any(index.versions_of(c)))
        <= 1
    )


def test_ids_sharing_a_digest_are_all_candidates():
    index = CommandIndex()
    first = uuid.uuid4()
    index.add(first, 0)
    index.add(uuid.uuid4(), 1)
    index.digests[1] = digest(first)  # as a second id with the same digest would be
    index.slots = type(index.slots)("I", bytes(len(index.slots) * 4))
    for version in range(2):
        index._place(version)
    assert sorted(index.versions_of(first)) == [0, 1]


def test_each_command_costs_at_most_twelve_bytes_of_index():
    index = CommandIndex()
    for version in range(20_000):
        index.add(uuid.uuid4(), version)
        if version % 997 == 0 and version > 100:
            digests, slots = index.as_bytes()
            assert (len(digests) + len(slots)) / (version + 1) <= 4 + 4 / 0.55


def test_the_index_reads_back_from_its_bytes():
    index = CommandIndex()
    ids = [uuid.uuid4() for _ in range(300)]
    for version, command_id in enumerate(ids):
        index.add(command_id, version)
    again = CommandIndex.from_bytes(*index.as_bytes())
    assert again == index
    assert 123 in set(again.versions_of(ids[123]))


def test_versions_are_indexed_in_order():
    index = CommandIndex()
    index.add(uuid.uuid4(), 0)
    with pytest.raises(ValueError, match="version 2 recorded after 0"):
        index.add(uuid.uuid4(), 2)


def test_an_empty_index_holds_no_command():
    assert list(CommandIndex().versions_of(uuid.uuid4())) == []


def test_the_digest_of_an_id_is_part_of_the_stored_format():
    # Snapshots keep the digests: an id must digest as it did when they were taken.
    assert digest(uuid.UUID("12345678-1234-5678-1234-567812345678")) == 1231705491


def test_indexes_are_equal_only_when_their_digests_and_tables_are():
    first, second = uuid.UUID(int=1), uuid.UUID(int=2)
    while digest(second) % 8 != digest(first) % 8:  # the same slot, another digest
        second = uuid.UUID(int=second.int + 1)
    one, other = CommandIndex(), CommandIndex()
    one.add(first, 0)
    other.add(second, 0)
    assert one.slots == other.slots
    assert one != other
    assert CommandIndex() != one
    assert CommandIndex() == CommandIndex()
    assert one != (one.digests, one.slots)


def test_the_stored_bytes_are_little_endian_on_any_machine(monkeypatch):
    index = CommandIndex()
    for version in range(20):
        index.add(uuid.UUID(int=version), version)
    digests, slots = index.as_bytes()
    assert digests == b"".join(d.to_bytes(4, "little") for d in index.digests)
    monkeypatch.setattr("customer_domain.command_index._ENDIAN_SWAP", True)
    kept = (array("I", index.digests), array("I", index.slots))
    swapped = index.as_bytes()  # the path a big-endian machine takes
    assert (index.digests, index.slots) == kept  # swapped in a copy
    assert swapped != (digests, slots)
    assert CommandIndex.from_bytes(*swapped) == index

"""The compact index of a customer's recorded command ids."""

from __future__ import annotations

import uuid

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

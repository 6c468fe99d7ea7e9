"""Where the server projects: a process of its own unless the store is in memory."""

from __future__ import annotations

from pathlib import Path

import pytest

from system import settings


def test_the_server_projects_in_a_process_of_its_own_by_default(tmp_path: Path):
    config = settings.read({"AUTH_TOKENS": "t=alice"}, tmp_path)
    assert config.projection == "process"


def test_an_in_memory_store_projects_in_a_thread():
    config = settings.read(
        {"AUTH_TOKENS": "t=alice", "PERSISTENCE_MODULE": "eventsourcing.popo"}, Path(".")
    )
    assert config.projection == "threads"


def test_a_process_cannot_follow_an_in_memory_store():
    with pytest.raises(
        settings.SettingError, match="PROJECTION: 'process' needs a store"
    ):
        settings.read(
            {
                "AUTH_TOKENS": "t=alice",
                "PERSISTENCE_MODULE": "eventsourcing.popo",
                "PROJECTION": "process",
            },
            Path("."),
        )

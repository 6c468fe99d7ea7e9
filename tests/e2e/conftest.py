"""What the end-to-end tests share: real servers started for a test and stopped after."""

from __future__ import annotations

import pytest

from tests.e2e.server import server_process


@pytest.fixture
def start_server(tmp_path):
    servers = []

    def start(**env: str):
        server = server_process(tmp_path / "var", **env).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()

"""The server's projector in a process of its own: read-your-writes across the
process boundary, and no projector left behind however the server stops."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.e2e.server import server_process


def children_of(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux's /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def gone(pid: int, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            if state == "Z":
                return True
        except (ProcessLookupError, FileNotFoundError):
            return True
        time.sleep(0.05)
    return False


pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(),
    reason="finds child processes through Linux's /proc",
)


def test_the_projector_runs_apart_and_a_write_is_readable_at_its_position(tmp_path):
    server = server_process(tmp_path / "var").start()
    try:
        [projector] = children_of(server.process.pid)
        session = server.session("alice-token")
        for n in range(5):
            created = session.post(
                f"{server.url}/customers",
                timeout=30,
                json={"client_id": "laptop", "name": f"Acme {n}"},
            ).json()
            view = session.get(
                f"{server.url}/customers/{created['customer_id']}",
                params={"min_position": created["position"]},
                timeout=30,
            )
            assert view.status_code == 200, view.text
            assert view.json()["name"] == f"Acme {n}"
        assert session.get(f"{server.url}/health", timeout=30).json()["status"] == "ok"
    finally:
        assert server.stop() == 0
    assert gone(projector)


def test_the_projector_stops_when_the_server_is_killed(tmp_path):
    server = server_process(tmp_path / "var").start()
    [projector] = children_of(server.process.pid)
    server.kill()
    assert gone(projector)


def test_a_projection_in_threads_starts_no_process(tmp_path):
    server = server_process(tmp_path / "var", PROJECTION="threads").start()
    try:
        assert children_of(server.process.pid) == []
    finally:
        server.stop()


def workers_server(tmp_path, workers: int = 2):
    server = server_process(tmp_path / "var")
    server.command = [*server.command, "--workers", str(workers)]
    return server.start()


def test_worker_processes_share_the_port_and_stop_together(tmp_path):
    server = workers_server(tmp_path)
    try:
        children = children_of(server.process.pid)
        assert len(children) == 3  # two workers and the projector
        session = server.session("alice-token")
        ids = set()
        for n in range(20):
            created = session.post(
                f"{server.url}/customers",
                timeout=30,
                json={"client_id": "laptop", "name": f"Acme {n}"},
            ).json()
            ids.add(created["customer_id"])
            view = session.get(
                f"{server.url}/customers/{created['customer_id']}",
                params={"min_position": created["position"]},
                timeout=30,
            )
            assert view.status_code == 200, view.text
        assert len(ids) == 20
    finally:
        assert server.stop() == 0
    assert all(gone(child) for child in children)


def test_worker_processes_stop_when_their_parent_is_killed(tmp_path):
    server = workers_server(tmp_path)
    children = children_of(server.process.pid)
    server.kill()
    assert all(gone(child) for child in children)


def test_workers_need_the_projection_apart(tmp_path):
    server = server_process(tmp_path / "var", PROJECTION="threads")
    server.command = [*server.command, "--workers", "2"]
    with pytest.raises(RuntimeError, match="--workers needs PROJECTION=process or off"):
        server.start()

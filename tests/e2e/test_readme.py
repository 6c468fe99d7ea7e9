"""The README's walk-through, pasted into a shell against a real server."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from tests.e2e.server import server_process

README = Path(__file__).resolve().parents[2] / "README.md"


def walk_through() -> str:
    section = README.read_text().split("## Walk-through", 1)[1]
    return re.search(r"```sh\n(.*?)```", section, re.S).group(1)


def test_the_walk_through_runs_as_written(tmp_path):
    server = server_process(tmp_path / "var").start()
    try:
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", walk_through()],
                              env={"API": server.url, "PATH": "/usr/bin:/bin"},
                              capture_output=True, text=True, timeout=60)
    finally:
        server.stop()
    assert done.returncode == 0, done.stderr
    answers = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    registered, alice, bob, conflicts, resolved, customer, history = answers
    assert registered["status"] == "applied"
    assert [r["status"] for r in alice["results"]] == ["applied"]
    assert [r["status"] for r in bob["results"]] == ["merged", "conflict"]
    assert conflicts["items"][0]["base_value"] == "Acme"
    assert resolved["status"] == "applied"
    assert (customer["name"], customer["address"]["city"]) == ("Joan d'Arc", "Paris")
    assert [e["type"] for e in history["events"]] == [
        "Registered", "NameChanged", "AddressChanged", "ConflictOpened", "ConflictResolved"]

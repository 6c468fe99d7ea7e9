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


def run_walk_through(url: str) -> list[dict]:
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", walk_through()],
        env={"API": url, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def test_the_walk_through_runs_as_written_and_again(tmp_path):
    server = server_process(tmp_path / "var").start()
    try:
        first = run_walk_through(server.url)
        second = run_walk_through(server.url)
    finally:
        server.stop()
    registered, alice, bob, conflicts, resolved, customer, history = first
    assert registered["status"] == "applied"
    assert [r["status"] for r in alice["results"]] == ["applied"]
    assert [r["status"] for r in bob["results"]] == ["merged", "conflict"]
    assert conflicts["items"][0]["base_value"] == "Acme"
    assert resolved["status"] == "applied"
    assert (customer["name"], customer["address"]["city"]) == ("Joan d'Arc", "Paris")
    assert [e["type"] for e in history["events"]] == [
        "Registered",
        "NameChanged",
        "AddressChanged",
        "ConflictOpened",
        "ConflictResolved",
    ]
    writes = [registered, *alice["results"], *bob["results"], resolved]
    again = [second[0], *second[1]["results"], *second[2]["results"], second[4]]
    assert [w["duplicate"] for w in writes] == [False] * 5
    assert [w["duplicate"] for w in again] == [True] * 5

    def verdict(write: dict) -> dict:  # a re-sent write's position: where to read now
        return {k: v for k, v in write.items() if k not in ("duplicate", "position")}

    assert [verdict(w) for w in writes] == [verdict(w) for w in again]
    assert second[5:] == first[5:]  # the same customer, nothing recorded twice

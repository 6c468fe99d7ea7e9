"""The real server and client processes, for end-to-end tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from harness.server import ServerProcess

CLIENT = Path(sys.executable).with_name("customers")
TOKENS = "alice-token=alice,bob-token=bob,carol-token=carol"


def server_process(data_dir: Path, **env: str) -> ServerProcess:
    """``customers-server`` for the tests, with the tests' tokens."""
    return ServerProcess(data_dir, tokens=TOKENS, env=env)


class Laptop:
    """One employee's device: the ``customers`` CLI with a data directory of its own."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir

    def start(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [str(CLIENT), "--data-dir", str(self.data_dir), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def run(self, *args: str, expect: int | None = 0) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [str(CLIENT), "--data-dir", str(self.data_dir), *args],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert "Traceback" not in done.stderr, done.stderr
        if expect is not None:
            assert done.returncode == expect, (args, done.stdout, done.stderr)
        return done

    def json(self, *args: str):
        import json

        return json.loads(self.run(*args, "--json").stdout)


def laptops(tmp_path, server, *names) -> list[Laptop]:
    """Laptops logged in to ``server``, each with ``<name>-token``."""
    devices = []
    for name in names:
        device = Laptop(tmp_path / name)
        device.run("login", "--server", server.url, "--token", f"{name}-token")
        devices.append(device)
    return devices

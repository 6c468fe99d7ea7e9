"""The real server process, on a free port, for end-to-end tests."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

SERVER = Path(sys.executable).with_name("customers-server")
CLIENT = Path(sys.executable).with_name("customers")
TOKENS = "alice-token=alice,bob-token=bob,carol-token=carol"


class ServerProcess:
    """``customers-server`` on a free loopback port, with its data in ``data_dir``."""

    def __init__(self, data_dir: Path, port: int = 0, **env: str) -> None:
        self.data_dir = data_dir
        self.port = port
        self.env = {**os.environ, "AUTH_TOKENS": TOKENS, **env}
        self.process: subprocess.Popen | None = None
        self.url = ""
        self.log: list[str] = []

    def start(self, timeout: float = 30) -> ServerProcess:
        self.log = []
        self.process = subprocess.Popen(
            [str(SERVER), "--port", str(self.port), "--data-dir", str(self.data_dir)],
            env=self.env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        ready = threading.Event()

        def read_log():
            for line in self.process.stderr:
                self.log.append(line)
                if match := re.search(r"serving on (http://\S+)", line):
                    self.url = match.group(1)
                    ready.set()

        threading.Thread(target=read_log, daemon=True).start()
        deadline = time.monotonic() + timeout
        while not ready.wait(0.05):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("server did not start:\n" + "".join(self.log))
        return self

    def kill(self) -> None:
        """SIGKILL: no chance to clean up, as in a crash."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> int:
        """SIGTERM, and the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=60)

    def with_fixed_port(self) -> ServerProcess:
        """Keep the port it got, so that a restart answers at the same address."""
        self.port = int(self.url.rsplit(":", 1)[1])
        return self

    def session(self, token: str) -> requests.Session:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        return session


class Laptop:
    """One employee's device: the ``customers`` CLI with a data directory of its own."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir

    def start(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen([str(CLIENT), "--data-dir", str(self.data_dir), *args],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def run(self, *args: str, expect: int | None = 0) -> subprocess.CompletedProcess:
        done = subprocess.run([str(CLIENT), "--data-dir", str(self.data_dir), *args],
                              capture_output=True, text=True, timeout=300)
        assert "Traceback" not in done.stderr, done.stderr
        if expect is not None:
            assert done.returncode == expect, (args, done.stdout, done.stderr)
        return done

    def json(self, *args: str):
        import json

        return json.loads(self.run(*args, "--json").stdout)

"""``customers-server`` as a child process: for the demo, the end-to-end tests,
the benchmarks and the reliability campaigns."""

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


class ServerProcess:
    """The server on a loopback port (a free one at first, the same one across
    restarts), its data in ``data_dir``; its log lines are kept in ``log``."""

    def __init__(
        self, data_dir: Path, tokens: str, env: dict[str, str] | None = None
    ) -> None:
        self.data_dir = data_dir
        self.env = {**os.environ, "AUTH_TOKENS": tokens, **(env or {})}
        self.process: subprocess.Popen | None = None
        self.port = 0
        self.url = ""
        self.log: list[str] = []
        self.command = [str(Path(sys.executable).with_name("customers-server"))]

    def start(self, timeout: float = 60) -> ServerProcess:
        self.process = subprocess.Popen(
            [*self.command, "--port", str(self.port), "--data-dir", str(self.data_dir)],
            env=self.env,
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
        )
        ready = threading.Event()

        def read_log(process: subprocess.Popen) -> None:  # all of it, so no pipe fills
            for line in process.stderr:
                self.log.append(line)
                if match := re.search(r"serving on (http://\S+:(\d+))", line):
                    self.url, self.port = match.group(1), int(match.group(2))
                    ready.set()

        threading.Thread(target=read_log, args=(self.process,), daemon=True).start()
        deadline = time.monotonic() + timeout
        while not ready.wait(0.05):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    "customers-server did not start:\n" + "".join(self.log)
                )
        return self

    def kill(self) -> None:
        """SIGKILL: no chance to clean up, as in a crash."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=60)

    def stop(self) -> int:
        """SIGTERM, and the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=120)

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def session(self, token: str | None = None) -> requests.Session:
        """A session speaking with ``token`` (the first configured one by default)."""
        token = token or self.env["AUTH_TOKENS"].split(",")[0].split("=")[0]
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        return session

    def wait_projected(self, timeout: float = 600) -> None:
        session, deadline = self.session(), time.monotonic() + timeout
        while time.monotonic() < deadline:
            health = session.get(f"{self.url}/health", timeout=30).json()
            if health["read_model_position"] >= health["event_store_position"]:
                return
            time.sleep(0.2)
        raise TimeoutError("the read model did not catch up")

    def memory(self) -> dict[str, int]:
        """Resident set size now and at its peak, in KiB (Linux /proc)."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        fields = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.M))
        return {"rss_kib": int(fields["VmRSS"]), "peak_rss_kib": int(fields["VmHWM"])}

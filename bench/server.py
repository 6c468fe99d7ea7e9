"""customers-server as a separate process, driven and measured from outside."""

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

TOKEN = "bench-token"


class ServerUnderTest:
    """The server on a loopback port (a free one at first, then the same one
    across restarts), with its data in ``data_dir``."""

    def __init__(self, data_dir: Path, env: dict[str, str] | None = None,
                 tokens: str = f"{TOKEN}=bench") -> None:
        self.data_dir = data_dir
        self.env = {**os.environ, "AUTH_TOKENS": tokens, **(env or {})}
        self.process: subprocess.Popen | None = None
        self.port = 0
        self.url = ""

    def start(self) -> ServerUnderTest:
        server = Path(sys.executable).with_name("customers-server")
        self.process = subprocess.Popen(
            [str(server), "--port", str(self.port), "--data-dir", str(self.data_dir)],
            env=self.env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        for line in self.process.stderr:
            if match := re.search(r"serving on (http://\S+:(\d+))", line):
                self.url, self.port = match.group(1), int(match.group(2))
                threading.Thread(target=self.process.stderr.read, daemon=True).start()
                return self
        raise RuntimeError("customers-server did not start")

    def kill(self) -> None:
        """SIGKILL, as a crash."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=60)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.terminate()
        return self.process.wait(timeout=120)

    def __enter__(self) -> ServerUnderTest:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def session(self, token: str = TOKEN) -> requests.Session:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        return session

    def wait_projected(self, timeout: float = 600) -> None:
        session, deadline = self.session(self.any_token()), time.monotonic() + timeout
        while time.monotonic() < deadline:
            health = session.get(f"{self.url}/health", timeout=30).json()
            if health["read_model_position"] >= health["event_store_position"]:
                return
            time.sleep(0.2)
        raise TimeoutError("the read model did not catch up")

    def any_token(self) -> str:
        return self.env["AUTH_TOKENS"].split(",")[0].split("=")[0]

    def memory(self) -> dict[str, int]:
        """Resident set size now and at its peak, in KiB (Linux /proc)."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        fields = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.M))
        return {"rss_kib": int(fields["VmRSS"]), "peak_rss_kib": int(fields["VmHWM"])}

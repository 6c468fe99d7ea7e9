"""customers-server as a separate process, measured from outside."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

TOKEN = "bench-token"


class ServerUnderTest:
    def __init__(self, data_dir: Path, env: dict[str, str] | None = None) -> None:
        self.data_dir = data_dir
        self.env = {**os.environ, "AUTH_TOKENS": f"{TOKEN}=bench", **(env or {})}
        self.process: subprocess.Popen | None = None
        self.url = ""

    def __enter__(self) -> ServerUnderTest:
        server = Path(sys.executable).with_name("customers-server")
        self.process = subprocess.Popen(
            [str(server), "--port", "0", "--data-dir", str(self.data_dir)],
            env=self.env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        for line in self.process.stderr:
            if match := re.search(r"serving on (http://\S+)", line):
                self.url = match.group(1)
                threading.Thread(target=self.process.stderr.read, daemon=True).start()
                return self
        raise RuntimeError("customers-server did not start")

    def __exit__(self, *exc_info: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=120)

    def session(self) -> requests.Session:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {TOKEN}"
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

"""The projector (``python -m system project``) as a child of the server, so
that projecting does not share the server's interpreter lock."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Mapping

from eventsourcing.utils import Environment

from system.directory import CustomerDirectory

IN_MEMORY = ("eventsourcing.popo", "")


def shares_store(env: Mapping[str, str]) -> bool:
    """Whether another process can open the stores ``env`` (the whole
    environment) names: not so the in-memory store, nor an in-memory SQLite
    database."""
    for app in ("Customers", CustomerDirectory.name):
        app_env = Environment(app, dict(env))
        if (app_env.get("PERSISTENCE_MODULE") or "").strip() in IN_MEMORY:
            return False
        dbname = app_env.get("SQLITE_DBNAME") or ""
        if ":memory:" in dbname or "mode=memory" in dbname:
            return False
    return True


class ProjectorProcess:
    """A projector following the store ``env`` names, watching this process:
    it stops when this process stops it, or is gone (even after a SIGKILL).
    ``prompt`` tells it that something was saved, so that it need not wait for
    its next look at the store."""

    def __init__(self, env: Mapping[str, str], interval: float = 0.5) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "system",
                "project",
                "--interval",
                str(interval),
                "--parent",
                str(os.getpid()),
                "--prompts",
                "--quiet",
            ],
            env={**os.environ, **env},
            stdin=subprocess.PIPE,
        )
        self._prompts = self.process.stdin.fileno()
        os.set_blocking(self._prompts, False)

    def prompt(self) -> None:
        try:
            os.write(self._prompts, b"\n")
        except (BlockingIOError, BrokenPipeError):
            pass  # prompts it has not read yet, or it has stopped

    @property
    def error(self) -> Exception | None:
        """Why the projector stopped, if it has."""
        code = self.process.poll()
        return None if code is None else RuntimeError(f"the projector exited ({code})")

    def stop(self, timeout: float = 30) -> None:
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

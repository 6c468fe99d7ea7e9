"""An SQLite database locked by another process for longer than the lock
timeout: the server answers 503 with Retry-After, and the client's retry
then succeeds."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from customer_domain.vocabulary import COMMAND_OF_FIELD
from harness.server import ServerProcess
from soak.crash import CUSTOMERS_CLI, cli

HOLD_LOCK = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("COMMIT")
"""


def run(hold_seconds: float = 4.0, lock_timeout: int = 1) -> dict:
    with (
        tempfile.TemporaryDirectory(prefix="soak-") as folder,
        ServerProcess(
            Path(folder) / "server",
            tokens="alice-token=alice",
            env={"SQLITE_LOCK_TIMEOUT": str(lock_timeout)},
        ) as server,
    ):
        session = server.session("alice-token")
        laptop = Path(folder) / "laptop"
        cli(laptop, "login", "--server", server.url, "--token", "alice-token")
        customer_id = cli(laptop, "add", "--name", "Acme").stdout.strip()
        cli(laptop, "sync")
        cli(laptop, "edit", customer_id, "--name", "Queued while locked")
        locker = subprocess.Popen(
            [
                sys.executable,
                "-c",
                HOLD_LOCK,
                str(server.data_dir / "customers.db"),
                str(hold_seconds),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert locker.stdout.readline().strip() == "locked"
        started = time.monotonic()
        syncing = subprocess.Popen(
            [str(CUSTOMERS_CLI), "--data-dir", str(laptop), "sync"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        statuses, retry_after = [], set()
        while time.monotonic() - started < hold_seconds - lock_timeout - 0.5:
            response = session.post(
                f"{server.url}/sync",
                timeout=60,
                json={
                    "client_id": "probe",
                    "commands": [
                        {
                            "command_id": str(uuid.uuid4()),
                            "type": COMMAND_OF_FIELD["supplier"],
                            "customer_id": customer_id,
                            "base_version": 0,
                            "issued_at": datetime.now(UTC).isoformat(),
                            "payload": {"supplier": "probe"},
                        }
                    ],
                },
            )
            statuses.append(response.status_code)
            retry_after.add(response.headers.get("Retry-After"))
        locker.wait(timeout=60)
        out, errors = syncing.communicate(timeout=120)
        assert syncing.returncode == 0, errors
        assert 500 not in statuses and 503 in statuses, statuses
        assert retry_after == {"1"}, retry_after
        view = cli(laptop, "show", customer_id, "--json").stdout
        assert "Queued while locked" in view
        return {
            "lock_held_seconds": hold_seconds,
            "lock_timeout_seconds": lock_timeout,
            "requests_while_locked": len(statuses),
            "answered_503": statuses.count(503),
            "answered_500": statuses.count(500),
            "client_sync_after_lock": "succeeded",
        }

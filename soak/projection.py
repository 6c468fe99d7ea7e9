"""The projection killed mid-catch-up, again and again: exactly once, equal to
a rebuild."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.workload import Workload
from system import maintenance
from system.runtime import Deployment


def run(events: int = 50_000, kills: int = 10, seed: int = 3) -> dict:
    chooser = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="soak-") as folder:
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "CUSTOMERS_SQLITE_DBNAME": str(Path(folder) / "customers.db"),
            "CUSTOMERDIRECTORY_SQLITE_DBNAME": str(Path(folder) / "directory.db"),
        }
        with Deployment(env, projection="off") as writer:
            from bench.measures import registered

            workload = Workload(registered(writer.customers, 500), seed=seed)
            for client, batch in workload.batches(events - 500):
                workload.saw(writer.customers.submit(client, "employee", batch))
            end = writer.customers.recorder.max_notification_id()
            killed, positions = 0, []
            while killed < kills and writer.directory.position() < end:
                projector = subprocess.Popen(
                    [sys.executable, "-m", "system", "project", "--interval", "0.05"],
                    env={**os.environ, **env},
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                # killed once it has projected part of what remains, however fast
                # this machine projects: somewhere in its catch-up, by design
                start = writer.directory.position()
                target = start + chooser.uniform(0.1, 0.8) * (end - start)
                wait_until_projected(writer.directory, projector, target)
                projector.send_signal(signal.SIGKILL)
                projector.wait(timeout=60)
                killed += 1
                positions.append(writer.directory.position())
            directory = maintenance.follower(writer.customers, env)
            directory.catch_up()
            found = maintenance.differences(writer.customers, directory)
            directory.close()
            assert found == [], found[:5]
            assert positions == sorted(positions), "the position went backwards"
            return {
                "events": end,
                "kills": killed,
                "kills_mid_catch_up": sum(p < end for p in positions),
                "read_model_equals_rebuild": True,
            }


def wait_until_projected(directory, projector: subprocess.Popen, position: float) -> None:
    """Until the read model has reached ``position``, or the projector has
    stopped (then the check that follows finds what it left), or a minute."""
    deadline = time.monotonic() + 60
    while (
        directory.position() < position
        and projector.poll() is None
        and time.monotonic() < deadline
    ):
        time.sleep(0.002)

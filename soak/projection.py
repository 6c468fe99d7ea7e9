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
                time.sleep(chooser.uniform(0.3, 1.2))
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

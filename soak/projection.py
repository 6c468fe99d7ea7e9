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
from system.directory import CustomerDirectory
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
            # killed while at least two pages remain (the last ones are left to the
            # check below), once it has projected a random part of what remains,
            # and then a random part of a page later: however fast this machine
            # projects, somewhere in its catch-up and inside a page, by design
            page = CustomerDirectory.pull_section_size
            while killed < kills and writer.directory.position() < end - 2 * page:
                projector = subprocess.Popen(
                    [sys.executable, "-m", "system", "project", "--interval", "0.05"],
                    env={**os.environ, **env},
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                start = writer.directory.position()
                target = start + chooser.uniform(0.1, 0.8) * (end - 2 * page - start)
                wait_until_projected(writer.directory, projector, target)
                time.sleep(chooser.uniform(0, 0.02))  # a page takes some 20 ms here
                still_running(projector)
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
    """Until the read model has reached ``position``; raises if the projector
    stops by itself or has not got there within a minute."""
    deadline = time.monotonic() + 60
    while directory.position() < position:
        still_running(projector)
        if time.monotonic() > deadline:
            projector.kill()
            msg = f"the projector did not reach position {position:.0f} within a minute"
            raise RuntimeError(msg)
        time.sleep(0.002)


def still_running(projector: subprocess.Popen) -> None:
    """Raises if the projector stopped by itself, which no kill may hide."""
    if projector.poll() is not None:
        msg = f"the projector exited by itself ({projector.returncode})"
        raise RuntimeError(msg)

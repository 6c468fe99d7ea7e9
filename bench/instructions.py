"""B1 counted in instructions, with valgrind's callgrind: exact, where timings
on a shared machine move by a fifth from one run to the next.

Each workload runs twice under callgrind, at two sizes; the difference,
divided by the difference in commands (or events), is the cost of one,
with start-up and set-up taken out.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor

from bench.baseline import product_event_rate, raw_rate
from bench.measures import submit_rate
from bench.stores import fresh_store
from bench.workload import Workload
from system.interpreter import tune_garbage_collector

WORKLOADS = ("ours", "making_commands", "raw_500_per_save", "product_events_500_per_save")
CUSTOMERS = 1000


def run(workload: str, units: int) -> None:
    """One workload on a fresh SQLite file: ``units`` commands or events."""
    if workload == "ours":
        submit_rate("sqlite", units, CUSTOMERS)
        return
    if workload == "making_commands":  # the part of "ours" that is the clients' work
        for _ in Workload([uuid.uuid4() for _ in range(CUSTOMERS)]).batches(units):
            pass
        return
    with fresh_store("sqlite") as env:
        if workload == "raw_500_per_save":
            raw_rate(env, units, 500, CUSTOMERS)
        else:
            product_event_rate(env, units, 500, CUSTOMERS)


def available() -> bool:
    return shutil.which("valgrind") is not None


def instructions(workload: str, units: int) -> int:
    """Instructions executed by a whole process running ``workload``."""
    done = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            "-m",
            "bench.instructions",
            workload,
            str(units),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(re.search(r"Collected : (\d+)", done.stderr).group(1))


def per_unit(workloads: tuple[str, ...], small: int, large: int) -> dict[str, float]:
    """Instructions per command (ours) or event (the baselines), two runs at a time."""
    runs = [(workload, units) for workload in workloads for units in (small, large)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        counts = dict(zip(runs, pool.map(lambda run: instructions(*run), runs)))
    return {
        workload: (counts[workload, large] - counts[workload, small]) / (large - small)
        for workload in workloads
    }


def b1(small: int, large: int) -> dict | None:
    """B1's three rates as instructions per unit, or None without valgrind; ours
    without the making of its commands, which the timed B1 leaves out too."""
    if not available():
        return None
    counted = per_unit(WORKLOADS, small, large)
    counted["ours"] -= counted["making_commands"]
    return {"store": "sqlite", "small": small, "large": large, **counted}


if __name__ == "__main__":
    tune_garbage_collector()  # as the timed B1 runs
    run(sys.argv[1], int(sys.argv[2]))

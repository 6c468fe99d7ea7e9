"""B10: two ``customers-server`` processes on one PostgreSQL schema against
one, the projection in a process of its own, clients spread over the servers
and a few customers (a key account) edited through both at once."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

from application import Customers
from bench.stores import fresh_store
from bench.workload import registrations
from harness.server import ServerProcess
from system import maintenance

BENCH_TOKENS = "bench-token=bench"
EDITS = (
    ("ChangeDescription", "description"),
    ("ChangeSupplier", "supplier"),
    ("ChangePhone", "phone"),
)


def client_batches(
    client: int,
    own: list[uuid.UUID],
    hot: list[uuid.UUID],
    batches: int,
    size: int,
    hot_share: float,
) -> list[tuple[list[str], bytes]]:
    """One client's batches, encoded: its own customers, and ``hot_share`` of
    its commands on the customers every client edits. Each batch's command ids."""
    rng, issued = random.Random(client), datetime.now(UTC) - timedelta(days=1)
    encoded = []
    for _ in range(batches):
        commands = []
        for _ in range(size):
            customer = rng.choice(hot if rng.random() < hot_share else own)
            kind, field = rng.choice(EDITS)
            issued += timedelta(milliseconds=1)
            value = (
                f"+1 555 {rng.randrange(10000):04}"
                if field == "phone"
                else (f"{field} {rng.randrange(10**6)}")
            )
            commands.append(
                {
                    "command_id": str(uuid.uuid4()),
                    "type": kind,
                    "customer_id": str(customer),
                    "base_version": 0,
                    "issued_at": issued.isoformat(),
                    "payload": {field: value},
                }
            )
        body = json.dumps({"client_id": f"laptop-{client}", "commands": commands})
        encoded.append(([c["command_id"] for c in commands], body.encode()))
    return encoded


def run(
    servers: int,
    clients: int,
    batches: int,
    size: int,
    own_customers: int,
    hot_customers: int,
    hot_share: float,
) -> dict:
    """Commands per second through ``servers`` processes, then the checks."""
    with fresh_store("postgres") as env, ExitStack() as stack:
        app = Customers(env=env)
        owned = [[uuid.uuid4() for _ in range(own_customers)] for _ in range(clients)]
        hot = [uuid.uuid4() for _ in range(hot_customers)]
        everyone = [cid for own in owned for cid in own] + hot
        for start in range(0, len(everyone), 500):
            app.submit("office", "carol", registrations(everyone[start : start + 500]))
        registered = len(everyone)
        work = [
            client_batches(c, owned[c], hot, batches, size, hot_share)
            for c in range(clients)
        ]
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-")))
        processes = [
            stack.enter_context(
                ServerProcess(
                    folder / f"server-{n}",
                    tokens=BENCH_TOKENS,
                    env={**env, "PROJECTION": "off"},
                )
            )
            for n in range(servers)
        ]
        projector = subprocess.Popen(
            [sys.executable, "-m", "system", "project", "--interval", "0.05", "--quiet"],
            env={**os.environ, **env},
        )
        stack.callback(projector.wait, 60)
        stack.callback(projector.terminate)
        # the projector started, and caught up with the registrations, before the clock
        directory = maintenance.follower(app, env)
        caught_up = directory.wait_for(app.recorder.max_notification_id() or 0, 120)
        directory.close()
        if not caught_up:
            raise RuntimeError("the projector did not start within 120 s")
        answers: list[list[bytes]] = [[] for _ in range(clients)]

        def post(client: int) -> None:
            server = processes[client % servers]
            session = server.session()
            for _, body in work[client]:
                response = session.post(
                    f"{server.url}/sync",
                    data=body,
                    timeout=600,
                    headers={"Content-Type": "application/json"},
                )
                response.raise_for_status()
                answers[client].append(response.content)  # read after the clock

        threads = [threading.Thread(target=post, args=(c,)) for c in range(clients)]
        started, cpu_at_start = time.perf_counter(), cpu_times()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        idle = idle_share(cpu_at_start, cpu_times())
        sent = clients * batches * size
        results = [
            [result for body in bodies for result in json.loads(body)["results"]]
            for bodies in answers
        ]
        checks = check(app, env, work, results, registered)
        app.close()
    return {
        "servers": servers,
        "commands": sent,
        "seconds": elapsed,
        "rate": sent / elapsed,
        "cpu_idle": idle,
        **checks,
    }


def cpu_times() -> list[int] | None:
    """The machine's CPU time counters (Linux), or None."""
    try:
        with open("/proc/stat") as stat:
            return [int(n) for n in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None


def idle_share(before: list[int] | None, after: list[int] | None) -> float | None:
    """The share of the machine's CPU time left idle between two readings."""
    if before is None or after is None:
        return None
    spent = [b - a for a, b in zip(before, after)]
    return (spent[3] + spent[4]) / sum(spent) if sum(spent) else None


def check(app: Customers, env: dict, work: list, answers: list, registered: int) -> dict:
    """Every command answered once and recorded exactly once; the read model,
    once caught up, equal to a rebuild."""
    sent = [command_id for batches in work for ids, _ in batches for command_id in ids]
    answered = [
        a["command_id"]
        for per_client in answers
        for a in per_client
        if not a["duplicate"]
    ]
    recorded: Counter[str] = Counter()
    start = 1
    while page := app.notification_log.select(start=start, limit=1000):
        for notification in page:
            recorded[str(app.mapper.to_domain_event(notification).command_id)] += 1
        start = page[-1].id + 1
    exactly_once = (
        sorted(answered) == sorted(sent)
        and all(recorded[command_id] == 1 for command_id in sent)
        and sum(recorded.values()) == registered + len(sent)
    )
    directory = maintenance.follower(app, env)
    last = app.recorder.max_notification_id() or 0
    if not directory.wait_for(last, timeout=600):
        directory.close()
        return {"exactly_once": exactly_once, "read_model_equals_rebuild": False}
    differences = maintenance.differences(app, directory)
    directory.close()
    return {
        "exactly_once": exactly_once,
        "read_model_equals_rebuild": not differences,
        "events": sum(recorded.values()),
    }


def b10(
    clients: int,
    batches: int,
    size: int = 500,
    own_customers: int = 250,
    hot_customers: int = 5,
    hot_share: float = 0.02,
    repeat: int = 3,
) -> dict:
    """B10: the same work through one server and through two, ``repeat`` times
    each in turn; the pair with the median ratio."""
    settings = {
        "clients": clients,
        "batches": batches,
        "size": size,
        "own_customers": own_customers,
        "hot_customers": hot_customers,
        "hot_share": hot_share,
    }
    shared = _median_pair(settings, repeat)
    # the same with no customer shared: the ceiling
    disjoint = _median_pair({**settings, "hot_share": 0.0}, repeat)
    return {**settings, "repeat": repeat, **shared, "disjoint": disjoint}


def _median_pair(settings: dict, repeat: int) -> dict:
    pairs = []
    for _ in range(repeat):
        one, two = run(1, **settings), run(2, **settings)
        pairs.append({"one": one, "two": two, "ratio": two["rate"] / one["rate"]})
    pairs.sort(key=lambda pair: pair["ratio"])
    return {**pairs[len(pairs) // 2], "ratios": [pair["ratio"] for pair in pairs]}

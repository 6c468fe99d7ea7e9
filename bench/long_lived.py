"""B8 and B9: customers with long histories, loaded cold and asked about their
first command."""

from __future__ import annotations

import gc
import json
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

from application import Customers
from application.snapshots import HISTORY_SHARE, SNAPSHOT_EVERY
from bench.stores import fresh_store
from bench.workload import registrations
from harness.server import ServerProcess
from system.directory import CustomerDirectory
from system.settings import embedded_default

BENCH_TOKENS = "bench-token=bench"
T0 = datetime(2026, 1, 1, tzinfo=UTC)
WARM_UP = 24  # requests on another customer: three for each of the server's threads


def edits(customer_id: uuid.UUID, start: int, count: int) -> list[dict]:
    """``count`` commands on the customer, each from the version before it."""
    return [
        {
            "command_id": str(uuid.uuid4()),
            "type": "ChangeDescription",
            "customer_id": str(customer_id),
            "base_version": version,
            "issued_at": (T0 + timedelta(seconds=version)).isoformat(),
            "payload": {"description": f"note {version}"},
        }
        for version in range(start, start + count)
    ]


def long_customer(app: Customers, events: int) -> tuple[uuid.UUID, dict]:
    """A customer with ``events`` events; its registration envelope."""
    customer_id = uuid.uuid4()
    [register] = registrations([customer_id])
    app.submit("office", "carol", [register])
    for start in range(0, events - 1, 500):
        app.submit(
            "office", "carol", edits(customer_id, start, min(500, events - 1 - start))
        )
    return customer_id, register


def b8(events: int, warm_commands: int, restarts: int = 3) -> dict:
    """The first command on a customer with ``events`` events, on a server
    restarted cold (``restarts`` times: the median), against the median of
    the warm commands after each first one."""
    colds, warms = [], []
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        env = embedded_default({}, Path(folder))
        app = Customers(env=env)
        customer_id, _ = long_customer(app, events)
        other, _ = long_customer(app, 2)
        project(app, env)
        app.close()
        version, other_version = events - 1, 1
        for _ in range(restarts):
            bodies = [
                json.dumps({**command, "client_id": "laptop"}).encode()
                for command in edits(customer_id, version, warm_commands + 1)
            ]
            warm_up = [
                json.dumps({**command, "client_id": "laptop"}).encode()
                for command in edits(other, other_version, WARM_UP)
            ]
            version += warm_commands + 1
            other_version += WARM_UP
            with ServerProcess(Path(folder), tokens=BENCH_TOKENS) as server:
                server.wait_projected()  # its projector idle, as in a steady state
                times = timed_posts(server, other, customer_id, warm_up, bodies)
            colds.append(times[0])
            warms += times[1:]
    cold, warm = statistics.median(colds), statistics.median(warms)
    return {
        "events": events,
        "snapshot_every": SNAPSHOT_EVERY,
        "history_share": HISTORY_SHARE,
        "cold_s": cold,
        "warm_s": warm,
        "ratio": cold / warm,
        "restarts": restarts,
        "colds_s": colds,
        "warm_p90_s": statistics.quantiles(warms, n=10)[-1],
        "warm_commands": warm_commands,
    }


def cold_batch(kind: str, customers: int, size: int, restarts: int) -> dict:
    """A restarted application's first batch (``size`` edits over ``customers``
    customers it has not cached, each with a short history) against its next
    batch, warm: the medians of ``restarts`` restarts."""
    per_customer = size // customers
    colds, warms = [], []
    with fresh_store(kind) as env:
        writer = Customers(env=env)
        for _ in range(restarts):
            customer_ids = [uuid.uuid4() for _ in range(customers)]
            writer.submit("office", "carol", registrations(customer_ids))
            batches = [
                [c for cid in customer_ids for c in edits(cid, start, per_customer)]
                for start in (0, per_customer)
            ]
            app = Customers(env=env)  # restarted: nothing cached
            try:
                for times, batch in zip((colds, warms), batches):
                    started = time.perf_counter()
                    app.submit("laptop", "dave", batch)
                    times.append(time.perf_counter() - started)
            finally:
                app.close()
        writer.close()
    cold, warm = statistics.median(colds), statistics.median(warms)
    return {
        "store": kind,
        "customers": customers,
        "commands": customers * per_customer,
        "restarts": restarts,
        "cold_s": cold,
        "warm_s": warm,
        "ratio": cold / warm,
    }


def project(app: Customers, env: dict) -> None:
    """Bring the read model up to date with the store."""
    directory = CustomerDirectory(env=env)
    directory.follow(app.name, app.notification_log)
    directory.catch_up()
    directory.close()


def timed_posts(
    server: ServerProcess,
    other: uuid.UUID,
    customer_id: uuid.UUID,
    warm_up: list[bytes],
    bodies: list[bytes],
) -> list[float]:
    """Seconds for each body posted; the server itself warmed up first on
    another customer (every request thread with its connection), so that only
    the customer is cold."""
    session = server.session()
    headers = {"Content-Type": "application/json"}
    for body in warm_up:
        session.post(
            f"{server.url}/customers/{other}/commands",
            data=body,
            headers=headers,
            timeout=60,
        ).raise_for_status()
    times = []
    for body in bodies:
        started = time.perf_counter()
        response = session.post(
            f"{server.url}/customers/{customer_id}/commands",
            data=body,
            headers=headers,
            timeout=60,
        )
        times.append(time.perf_counter() - started)
        response.raise_for_status()
    return times


def b9(commands: int) -> dict:
    """A customer with ``commands`` recorded commands: the bytes per command of
    its cached state and of its snapshot; its first command sent again."""
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        env = embedded_default({}, Path(folder))
        app = Customers(env=env)
        try:
            customer_id, register = long_customer(app, commands)
            app.snapshot_writer.wait()
            app.forget([customer_id])
            customer = app.load_for_update(customer_id)  # cold: from its snapshot
            recorded = customer.version + 1
            cached = deep_size(customer)
            [stored] = app.snapshots.recorder.select_events(
                customer_id, desc=True, limit=1
            )
            [again] = app.submit("office", "carol", [register])
        finally:
            app.close()
    return {
        "commands": recorded,
        "cached_bytes": cached,
        "cached_per_command": cached / recorded,
        "snapshot_bytes": len(stored.state),
        "snapshot_version": stored.originator_version,
        "snapshot_per_command": len(stored.state) / (stored.originator_version + 1),
        "first_resent": {
            "status": again.status,
            "version": again.version,
            "duplicate": again.duplicate,
        },
    }


def deep_size(root: object) -> int:
    """The bytes of ``root`` and every object it reaches (not classes or modules)."""
    seen, size, stack = set(), 0, [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, (type, ModuleType)):
            continue
        seen.add(id(obj))
        size += sys.getsizeof(obj)
        stack.extend(gc.get_referents(obj))
    return size

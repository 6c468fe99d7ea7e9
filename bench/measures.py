"""B1-B7: each figure with the baseline it is measured against, in the same run."""

from __future__ import annotations

import gc
import os
import sqlite3
import statistics
import time
import uuid
from collections.abc import Callable
from contextlib import closing

from application import Customers
from bench.baseline import product_event_rate, raw_rate
from bench.stores import fresh_store
from bench.workload import Workload, registrations
from system.directory import CustomerDirectory
from system.interpreter import INTERPRETER_DEFAULTS
from system.runtime import Deployment


def default_collector(measure: Callable[[], float]) -> float:
    """``measure()`` under the interpreter's default collector thresholds."""
    before = gc.get_threshold()
    gc.set_threshold(*INTERPRETER_DEFAULTS)
    try:
        return measure()
    finally:
        gc.set_threshold(*before)


def registered(app: Customers, customers: int) -> list[uuid.UUID]:
    ids = [uuid.uuid4() for _ in range(customers)]
    for start in range(0, customers, 500):
        app.submit("office", "carol", registrations(ids[start : start + 500]))
    return ids


def submit_rate(kind: str, commands: int, customers: int) -> float:
    """Commands per second through Customers.submit, batches of 500."""
    with fresh_store(kind) as env:
        app = Customers(env=env)
        try:
            workload = Workload(registered(app, customers))
            spent = 0.0
            for client, batch in workload.batches(commands):  # bases from what was seen
                started = time.perf_counter()
                results = app.submit(client, "employee", batch)
                spent += time.perf_counter() - started
                workload.saw(results)
            return commands / spent
        finally:
            app.close()


def disk_per_event(commands: int, customers: int) -> dict:
    """B6': bytes on disk per recorded command (B1's workload on a SQLite file,
    vacuumed): events with their provenance, verdicts and indexes."""
    with fresh_store("sqlite") as env:
        app = Customers(env=env)
        try:
            workload = Workload(registered(app, customers))
            for client, batch in workload.batches(commands):
                workload.saw(app.submit(client, "employee", batch))
            events = app.recorder.max_notification_id()
        finally:
            app.close()
        with closing(sqlite3.connect(env["SQLITE_DBNAME"])) as connection:
            connection.execute("VACUUM")
        size = os.path.getsize(env["SQLITE_DBNAME"])
    return {
        "store": "sqlite",
        "events": events,
        "file_bytes": size,
        "bytes_per_event": size / events,
    }


def b1(kind: str, commands: int, customers: int, repeat: int) -> dict:
    """Ours and the raw baselines, each the median of ``repeat`` runs. The runs
    go in rounds, one of each back to back, so that the machine's pace drifting
    over the minutes they take weighs on ours and the baselines alike. All in
    this process, under the collector thresholds it was started with (the
    server's: ``python -m bench`` sets them); ours also under the
    interpreter's defaults."""

    def raw(per_save: int) -> float:
        with fresh_store(kind) as env:
            return raw_rate(env, commands, per_save)

    def product_events() -> float:
        with fresh_store(kind) as env:
            return product_event_rate(env, commands)

    measures = {
        "ours": lambda: submit_rate(kind, commands, customers),
        "ours_default_gc": lambda: default_collector(
            lambda: submit_rate(kind, commands, customers)
        ),
        "raw_one_per_save": lambda: raw(1),
        "raw_500_per_save": lambda: raw(500),
        "product_events_500_per_save": product_events,
    }
    rounds = [
        {name: measure() for name, measure in measures.items()} for _ in range(repeat)
    ]
    return {
        "store": kind,
        "commands": commands,
        "customers": customers,
        **{name: statistics.median(run[name] for run in rounds) for name in measures},
    }


def command_cost(prior_events: int, repeat_commands: int, base: str) -> float:
    """Median seconds for one command on a customer with ``prior_events`` events,
    from the current version or from version 0 (last-writer-wins)."""
    with fresh_store("sqlite") as env:
        app = Customers(env={**env, "CONFLICT_POLICY": "last-writer-wins"})
        try:
            [customer_id] = registered(app, 1)
            workload = Workload([customer_id])
            for _, batch in workload.batches(prior_events):
                for command in batch:
                    command["base_version"] = workload.seen[customer_id]
                workload.saw(app.submit("office", "carol", batch))
            timings = []
            for n in range(repeat_commands):
                command = workload.command()
                command["base_version"] = (
                    0 if base == "zero" else workload.seen[customer_id]
                )
                started = time.perf_counter()
                workload.saw(app.submit(f"laptop-{n % 7}", "employee", [command]))
                timings.append(time.perf_counter() - started)
            return statistics.median(timings)
        finally:
            app.close()


def b3(long: int, short: int, repeat_commands: int) -> dict:
    figures = {}
    for base in ("current", "zero"):
        figures[base] = {
            "long": command_cost(long, repeat_commands, base),
            "short": command_cost(short, repeat_commands, base),
        }
    return {"long_history": long, "short_history": short, **figures}


def b4(
    kind: str, commands: int, customers: int, offered_rate: float, seconds: float
) -> dict:
    """Projection catch-up rate, and lag at a steady offered load."""
    with fresh_store(kind) as env:
        with Deployment(env, projection="off") as writer:
            workload = Workload(registered(writer.customers, customers))
            written = time.perf_counter()
            for client, batch in workload.batches(commands):
                workload.saw(writer.customers.submit(client, "employee", batch))
            write_rate = commands / (time.perf_counter() - written)
            events = writer.customers.recorder.max_notification_id()
        directory = CustomerDirectory(env=env)
        customers_app = Customers(env=env)
        directory.follow(customers_app.name, customers_app.notification_log)
        started = time.perf_counter()
        directory.catch_up()
        catch_up_rate = events / (time.perf_counter() - started)
        directory.close()
        customers_app.close()
    lags = lag_under_load(kind, customers, offered_rate, seconds)
    return {
        "store": kind,
        "events": events,
        "write_rate": write_rate,
        "catch_up_rate": catch_up_rate,
        "offered_rate": offered_rate,
        "lag_p50": percentile(lags, 50),
        "lag_p99": percentile(lags, 99),
        "samples": len(lags),
    }


def lag_under_load(kind: str, customers: int, rate: float, seconds: float) -> list[float]:
    """Seconds from each batch's save to the commit of the projection's page
    that holds its last event. Pages are timed as the projection commits them,
    so measuring adds no queries of its own."""
    batch_size = 50
    with fresh_store(kind) as env, Deployment(env, projection="threads") as deployment:
        workload = Workload(registered(deployment.customers, customers))
        deployment.wait_for(deployment.customers.recorder.max_notification_id(), 120)
        projected = _timing_pages(deployment.directory)
        written: list[tuple[int, float]] = []
        interval, next_at = batch_size / rate, time.perf_counter()
        deadline = next_at + seconds
        for client, batch in workload.batches(int(rate * seconds), batch_size):
            time.sleep(max(0.0, next_at - time.perf_counter()))
            results = deployment.customers.submit(client, "employee", batch)
            workload.saw(results)
            written.append((max(r.position or 0 for r in results), time.perf_counter()))
            next_at += interval
            if time.perf_counter() > deadline:
                break
        if not deployment.wait_for(written[-1][0], 120):
            raise RuntimeError("the projection did not catch up within 120 s")
    lags, pages = [], iter(projected)
    position, at = next(pages)
    for wanted, saved in written:
        while position < wanted:
            position, at = next(pages)
        lags.append(at - saved)
    return lags


def _timing_pages(directory: CustomerDirectory) -> list[tuple[int, float]]:
    """(last position, commit time) of every page the projection processes from now on."""
    pages: list[tuple[int, float]] = []
    process_page = directory.process_page

    def timed(leader_name: str, events: list) -> None:
        process_page(leader_name, events)
        pages.append((events[-1][1], time.perf_counter()))

    directory.process_page = timed
    return pages


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

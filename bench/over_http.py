"""B2, B5, B6: the server measured over HTTP, as clients meet it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from application import Customers
from bench.measures import registered
from bench.workload import Workload, registrations
from harness.server import ServerProcess
from system.directory import CustomerDirectory
from system.settings import embedded_default

BENCH_TOKENS = "bench-token=bench"


def encoded_batches(
    registration: list[list[dict]],
    customer_ids: list[uuid.UUID],
    commands: int,
    seed: int,
) -> tuple[list[bytes], list[str]]:
    """One client's ``/sync`` bodies, encoded before the clock starts: the
    workload over its own customers, each batch's bases what the verdicts of
    its earlier batches reported (found by a dry run on an in-memory store,
    which decides as the server will: the customers are this client's alone,
    so the server sees their commands in the same order). The bodies, and the
    verdicts the dry run gave."""
    dry_run = Customers(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    for batch in registration:  # the server's own registrations
        dry_run.submit("office", "employee", batch)
    workload, bodies, verdicts = Workload(customer_ids, seed=seed), [], []
    for client, batch in workload.batches(commands):
        results = dry_run.submit(client, "employee", batch)
        workload.saw(results)
        verdicts += [result.status for result in results]
        bodies.append(json.dumps({"client_id": client, "commands": batch}).encode())
    dry_run.close()
    return bodies, verdicts


def post_bodies(server: ServerProcess, bodies: list[bytes], answers: list) -> None:
    """One client thread: its batches, one after the other; the answers kept
    as they came, read after the clock stops."""
    session = server.session()
    for body in bodies:
        response = session.post(
            f"{server.url}/sync",
            data=body,
            timeout=300,
            headers={"Content-Type": "application/json"},
        )
        response.raise_for_status()
        answers.append(response.content)


@contextmanager
def serving(folder: Path, projection_apart: bool) -> Iterator[ServerProcess]:
    """customers-server on SQLite files in ``folder``, as it ships (its projector
    a child process); or, ``projection_apart``, with its projection off and a
    projector process (``python -m system project``) following the same files."""
    if not projection_apart:
        with ServerProcess(folder, tokens=BENCH_TOKENS) as server:
            yield server
        return
    stores = embedded_default({}, folder)
    with ServerProcess(folder, tokens=BENCH_TOKENS, env={"PROJECTION": "off"}) as server:
        projector = subprocess.Popen(
            [sys.executable, "-m", "system", "project", "--interval", "0.05"],
            env={**os.environ, **stores},
            stderr=subprocess.DEVNULL,
        )
        try:
            yield server
        finally:
            projector.terminate()
            projector.wait(timeout=60)


def http_submit_rate(
    commands: int,
    customers: int,
    views: int,
    projection_apart: bool = False,
    threads: int = 2,
) -> dict:
    """B2 (two client threads posting batches of 500, encoded before the
    clock starts, each over half the ``customers``), then
    B5 on the same server: pulling ``views`` views (more customers are
    registered first, if need be) by cursor."""
    with (
        tempfile.TemporaryDirectory(prefix="bench-") as folder,
        serving(Path(folder), projection_apart) as server,
    ):
        session = server.session()
        ids, registration = register(server, session, customers)
        # each client thread its own customers and its share of the commands
        work = [
            encoded_batches(registration, ids[n::threads], commands // threads, n + 1)
            for n in range(threads)
        ]
        answers: list[list[bytes]] = [[] for _ in work]
        workers = [
            threading.Thread(target=post_bodies, args=(server, bodies, answered))
            for (bodies, _), answered in zip(work, answers)
        ]
        started = time.perf_counter()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        sent = commands // threads * threads
        rate = sent / (time.perf_counter() - started)
        verdicts = [
            result["status"]
            for answered in answers
            for body in answered
            for result in json.loads(body)["results"]
        ]
        expected = [status for _, statuses in work for status in statuses]
        register(server, session, views - customers)
        server.wait_projected()
        pulled, since, started = 0, 0, time.perf_counter()
        while page := session.get(
            f"{server.url}/customers", timeout=300, params={"since": since, "limit": 1000}
        ).json()["items"]:
            pulled += len(page)
            since = page[-1]["position"]
        pull_rate = pulled / (time.perf_counter() - started)
        return {
            "commands": sent,
            "customers": customers,
            "client_threads": threads,
            "clients_encoded_before_the_clock": True,
            "verdicts_as_dry_run": verdicts == expected,
            "verdicts": dict(Counter(verdicts)),
            "projection_apart": projection_apart,
            "ours": rate,
            "server_projection": "off" if projection_apart else "process",
            "pulled_views": pulled,
            "pull_rate": pull_rate,
        }


def register(
    server: ServerProcess, session, customers: int
) -> tuple[list[uuid.UUID], list[list[dict]]]:
    """Register ``customers`` new customers, 500 a request: their ids, and the
    requests' commands."""
    ids = [uuid.uuid4() for _ in range(customers)]
    batches = [
        registrations(ids[start : start + 500]) for start in range(0, customers, 500)
    ]
    for batch in batches:
        session.post(
            f"{server.url}/sync",
            timeout=300,
            json={"client_id": "office", "commands": batch},
        ).raise_for_status()
    return ids, batches


def server_memory(customers: int, events_each: int, touched: int) -> dict:
    """B6: RSS of the server idle on a store of ``customers`` x ``events_each``
    events, and at its peak after pulling every view and writing to ``touched``
    customers."""
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        env = embedded_default({}, Path(folder))
        app = Customers(env=env)
        ids = registered(app, customers)
        workload = Workload(ids, stale_share=0)
        per_batch = 500 // (events_each - 1)
        for start in range(0, customers, per_batch):  # each customer's edits together
            batch = []
            for customer_id in ids[start : start + per_batch]:
                for _ in range(events_each - 1):
                    command = workload.command()
                    command.update(customer_id=str(customer_id), base_version=0)
                    batch.append(command)
            workload.saw(app.submit("office", "employee", batch))
        directory = CustomerDirectory(env=env)
        directory.follow(app.name, app.notification_log)
        directory.catch_up()
        directory.close()
        app.close()
        with ServerProcess(Path(folder), tokens=BENCH_TOKENS) as server:
            session = server.session()
            session.get(f"{server.url}/health", timeout=30)
            idle = server.memory()
            since = 0
            while page := session.get(
                f"{server.url}/customers",
                timeout=300,
                params={"since": since, "limit": 1000},
            ).json()["items"]:
                since = page[-1]["position"]
            for start in range(0, touched, 500):
                batch = [workload.command() for _ in range(500)]
                for n, command in enumerate(batch):
                    customer_id = ids[(start + n) % len(ids)]
                    command["customer_id"] = str(customer_id)
                    command["base_version"] = workload.seen[customer_id]
                session.post(
                    f"{server.url}/sync",
                    timeout=300,
                    json={"client_id": "laptop", "commands": batch},
                ).raise_for_status()
            loaded = server.memory()
        return {
            "customers": customers,
            "events_each": events_each,
            "touched": touched,
            "idle_rss_kib": idle["rss_kib"],
            "peak_rss_kib": loaded["peak_rss_kib"],
        }

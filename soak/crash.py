"""The crash soak: four laptops' clients syncing thousands of commands, many in
conflict, while the server is killed at random moments and restarted."""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from client import local
from client.store import Store
from customer_domain.vocabulary import REGISTER
from harness.server import ServerProcess
from soak.lww import winners

CLIENTS = ("alice", "bob", "carol", "dave")
TOKENS = ",".join(f"{name}-token={name}" for name in (*CLIENTS, "office"))
CUSTOMERS_CLI = Path(sys.executable).with_name("customers")
FIELDS = ("name", "supplier", "description", "phone")


def cli(data_dir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [str(CUSTOMERS_CLI), "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if "Traceback" in done.stderr or (check and done.returncode != 0):
        raise RuntimeError(f"customers {' '.join(args)}: {done.stderr}")
    return done


def queue_edits(data_dir: Path, customer_ids: list[str], count: int, seed: int) -> None:
    chooser = random.Random(seed)
    store = Store(data_dir / "customers.sqlite")
    try:
        for n in range(count):
            field = chooser.choice(FIELDS)
            value = f"+1 555 {seed}{n:05}" if field == "phone" else f"{field} {seed}-{n}"
            store.queue(local.edits(store, chooser.choice(customer_ids), {field: value}))
    finally:
        store.close()


def outbox_size(data_dir: Path) -> int:
    store = Store(data_dir / "customers.sqlite")
    try:
        return len(store.pending())
    finally:
        store.close()


def sync_until_empty(
    data_dir: Path, stop: threading.Event, attempts: Counter, batch_size: int
) -> None:
    """What an employee's laptop does: sync, and again after a failure."""
    while not stop.is_set():
        attempts["syncs"] += 1
        done = cli(data_dir, "sync", "--batch-size", str(batch_size), check=False)
        if done.returncode == 0 and outbox_size(data_dir) == 0:
            return
        if done.returncode not in (0, 2):
            raise RuntimeError(f"sync failed with {done.returncode}: {done.stderr}")
        time.sleep(0.2)


def run(
    commands: int = 5000,
    kills: int = 10,
    customers: int = 4,
    store_env: dict[str, str] | None = None,
    seed: int = 7,
    batch_size: int = 50,
    kill_every: tuple[float, float] = (0.2, 1.0),
) -> dict:
    """Returns the figures; raises AssertionError if anything did not hold."""
    chooser = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="soak-") as folder:
        root = Path(folder)
        server = ServerProcess(
            root / "server",
            tokens=TOKENS,
            env={"CONFLICT_POLICY": "last-writer-wins", **(store_env or {})},
        ).start()
        try:
            office = root / "office"
            cli(office, "login", "--server", server.url, "--token", "office-token")
            ids = [
                cli(office, "add", "--name", f"Customer {n}").stdout.strip()
                for n in range(customers)
            ]
            cli(office, "sync")
            laptops = [root / name for name in CLIENTS]
            for n, (name, laptop) in enumerate(zip(CLIENTS, laptops)):
                cli(laptop, "login", "--server", server.url, "--token", f"{name}-token")
                cli(laptop, "pull")
                queue_edits(laptop, ids, commands // len(CLIENTS), seed * 10 + n)
            queued = {
                name: {e["command_id"] for e in _pending(laptop)}
                for name, laptop in zip(CLIENTS, laptops)
            }
            attempts, stop, errors = Counter(), threading.Event(), []

            def laptop_loop(laptop: Path) -> None:
                try:
                    sync_until_empty(laptop, stop, attempts, batch_size)
                except Exception as error:  # noqa: BLE001 - reported below
                    errors.append(error)

            threads = [
                threading.Thread(target=laptop_loop, args=(laptop,)) for laptop in laptops
            ]
            for thread in threads:
                thread.start()
            killed = 0
            while killed < kills and any(t.is_alive() for t in threads):
                time.sleep(chooser.uniform(*kill_every))
                if not any(t.is_alive() for t in threads):
                    break
                server.kill()
                killed += 1
                time.sleep(chooser.uniform(0.0, 0.5))
                server.start()
            for thread in threads:
                thread.join(timeout=900)
            stop.set()
            assert not errors, errors
            assert all(outbox_size(laptop) == 0 for laptop in laptops), (
                "outboxes not empty"
            )
            figures = check(server, laptops, queued, ids)
            figures.update(
                commands=sum(len(q) for q in queued.values()),
                kills=killed,
                syncs=attempts["syncs"],
                customers=customers,
            )
            return figures
        finally:
            server.stop()


def _pending(laptop: Path) -> list[dict]:
    store = Store(laptop / "customers.sqlite")
    try:
        return store.pending()
    finally:
        store.close()


def check(
    server: ServerProcess, laptops: list[Path], queued: dict, ids: list[str]
) -> dict:
    """Every command one verdict; the store exactly the events those verdicts
    imply; the read model equal to a rebuild; the winners as computed apart."""
    verdicts = {}
    for name, laptop in zip(CLIENTS, laptops):
        store = Store(laptop / "customers.sqlite")
        log = store.verdicts()
        store.close()
        assert len(log) == len({v["command_id"] for v in log}), (
            "a command with two verdicts"
        )
        assert {v["command_id"] for v in log} == queued[name], f"{name}: verdicts missing"
        verdicts.update({v["command_id"]: v | {"client_id": None} for v in log})
    session = server.session("office-token")
    recorded, duplicates = [], 0
    envelopes = {cid: v["envelope"] for cid, v in verdicts.items()}
    for customer_id in ids:
        history = session.get(
            f"{server.url}/customers/{customer_id}/history", timeout=60
        ).json()["events"]
        command_ids = [e["command_id"] for e in history]
        assert len(command_ids) == len(set(command_ids)), "an event recorded twice"
        for event in history[1:]:
            verdict = verdicts.pop(event["command_id"])  # KeyError: an event without one
            assert verdict["version"] == event["version"], "verdict and event disagree"
            duplicates += verdict["duplicate"]
            recorded.append(
                {
                    **envelopes[event["command_id"]],
                    "version": event["version"],
                    "client_id": event["client_id"],
                }
            )
        registration = history[0]
        recorded.append(
            {
                "customer_id": customer_id,
                "version": 0,
                "type": REGISTER,
                "client_id": registration["client_id"],
                "command_id": registration["command_id"],
                "issued_at": registration["issued_at"],
                "base_version": None,
                "payload": registration["changes"],
            }
        )
    assert not verdicts, f"{len(verdicts)} verdicts with no event"
    server.wait_projected()
    expected = winners(recorded)
    for customer_id in ids:
        view = session.get(f"{server.url}/customers/{customer_id}", timeout=60).json()
        assert {f: view[f] for f in expected[customer_id]} == expected[customer_id], (
            f"customer {customer_id}: last writer did not win"
        )
    rebuilt = subprocess.run(
        [sys.executable, "-m", "system", "check-read-model"],
        env={**server.env, **_store_env(server)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    return {
        "events": len(recorded),
        "answered_as_duplicates": duplicates,
        "lost": 0,
        "recorded_twice": 0,
        "read_model_equals_rebuild": True,
    }


def _store_env(server: ServerProcess) -> dict[str, str]:
    """The persistence the server chose for itself (its embedded default)."""
    from system.settings import embedded_default

    return embedded_default(server.env, server.data_dir)

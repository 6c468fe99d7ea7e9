"""Many writers on few customers at once: no 5xx, a verdict for every command,
and last-writer-wins converging to the winners computed apart."""

from __future__ import annotations

import random
import tempfile
import threading
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from customer_domain.vocabulary import COMMAND_OF_FIELD, REGISTER
from harness.server import ServerProcess
from soak.lww import winners

EDITED = ("name", "supplier", "description")


def run(
    threads: int = 16,
    customers: int = 3,
    batches: int = 20,
    batch_size: int = 10,
    seed: int = 5,
) -> dict:
    tokens = ",".join(f"token-{n}=employee-{n}" for n in range(threads))
    with (
        tempfile.TemporaryDirectory(prefix="soak-") as folder,
        ServerProcess(
            Path(folder), tokens=tokens, env={"CONFLICT_POLICY": "last-writer-wins"}
        ) as server,
    ):
        office = server.session("token-0")
        ids = []
        for n in range(customers):
            created = office.post(
                f"{server.url}/customers",
                timeout=60,
                json={"client_id": "office", "name": f"Customer {n}"},
            )
            ids.append(created.json()["customer_id"])
        statuses, sent, answered, errors = Counter(), {}, Counter(), []

        def writer(n: int) -> None:
            chooser, session = random.Random(seed * 100 + n), server.session(f"token-{n}")
            try:
                for _ in range(batches):
                    batch = []
                    for _ in range(batch_size):
                        field = chooser.choice(EDITED)
                        batch.append(
                            {
                                "command_id": str(uuid.uuid4()),
                                "type": COMMAND_OF_FIELD[field],
                                "customer_id": chooser.choice(ids),
                                "base_version": 0,
                                "issued_at": datetime.now(UTC).isoformat(),
                                "payload": {field: f"{field} {n}-{chooser.random()}"},
                            }
                        )
                    response = session.post(
                        f"{server.url}/sync",
                        timeout=120,
                        json={"client_id": f"laptop-{n}", "commands": batch},
                    )
                    statuses[response.status_code // 100 * 100] += 1
                    if response.status_code == 200:
                        results = response.json()["results"]
                        answered.update(r["status"] for r in results)
                        sent.update({c["command_id"]: c for c in batch})
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

        workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        assert not errors, errors
        assert statuses[500] == 0, f"{statuses[500]} server errors"
        recorded = []
        for customer_id in ids:
            history = office.get(
                f"{server.url}/customers/{customer_id}/history", timeout=60
            ).json()["events"]
            first = history[0]
            recorded.append(
                {
                    "customer_id": customer_id,
                    "version": 0,
                    "type": REGISTER,
                    "client_id": first["client_id"],
                    "command_id": first["command_id"],
                    "issued_at": first["issued_at"],
                    "base_version": None,
                    "payload": first["changes"],
                }
            )
            recorded += [
                {
                    **sent.pop(e["command_id"]),
                    "version": e["version"],
                    "client_id": e["client_id"],
                }
                for e in history[1:]
            ]
        assert not sent, f"{len(sent)} commands with no event"
        server.wait_projected()
        expected = winners(recorded)
        for customer_id in ids:
            view = office.get(f"{server.url}/customers/{customer_id}", timeout=60).json()
            assert {f: view[f] for f in expected[customer_id]} == expected[customer_id]
        return {
            "threads": threads,
            "customers": customers,
            "commands": threads * batches * batch_size,
            "requests": sum(statuses.values()),
            "server_errors": statuses[500],
            "verdicts": dict(answered),
        }

"""The web processes and the projection running apart, sharing one store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from system import maintenance
from system.runtime import Deployment
from tests.backends import backend_env
from tests.devices import Device

ROOT = Path(__file__).resolve().parents[2]


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        text=True,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def stop_projector(projector: subprocess.Popen) -> str:
    projector.terminate()
    _, errors = projector.communicate(timeout=30)
    assert projector.returncode == 0, errors
    assert "Traceback" not in errors and "locked" not in errors, errors
    return errors


def test_a_writer_and_the_projector_share_one_sqlite_database(tmp_path):
    with backend_env("sqlite", tmp_path) as env:
        projector = start(["system", "project", "--interval", "0.05"], env)
        try:
            with Deployment(env, projection="off") as writer:
                office = Device(writer.customers, "office", "carol")
                ids = [office.register(f"Customer {i}") for i in range(20)]
                for n in range(10):
                    results = office.sync(
                        [
                            c
                            for cid in ids
                            for c in office.edit(cid, n, description=f"note {n}")
                        ]
                    )
                assert writer.wait_for(results[-1].position, timeout=60)
                assert maintenance.differences(writer.customers, writer.directory) == []
        finally:
            stop_projector(projector)


@pytest.mark.postgres
def test_two_writer_processes_and_one_projector_on_postgres(tmp_path):
    with backend_env("postgres", tmp_path) as env, Deployment(env, "off") as local:
        office = Device(local.customers, "office", "carol")
        ids = [str(office.register(f"Customer {i}")) for i in range(4)]
        projector = start(["system", "project", "--interval", "0.05"], env)
        try:
            writers = [
                start(["tests.writer", "--client", name, "--rounds", "10", *ids], env)
                for name in ("writer-1", "writer-2")
            ]
            verdicts = []
            for writer in writers:
                out, errors = writer.communicate(timeout=120)
                assert writer.returncode == 0, errors
                verdicts += [json.loads(line) for line in out.splitlines()]
            assert len(verdicts) == 2 * 10 * len(ids) * 2
            recorded = Counter()
            for cid in ids:
                history = local.customers.history(cid)
                assert [e.originator_version for e in history] == list(
                    range(len(history))
                )
                recorded.update(str(e.command_id) for e in history[1:])
            assert recorded == Counter(v["command_id"] for v in verdicts)  # once each
            position = local.customers.recorder.max_notification_id()
            assert local.wait_for(position, timeout=60)
            assert maintenance.differences(local.customers, local.directory) == []
        finally:
            stop_projector(projector)


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        text=True,
        env={**os.environ, **env},
        capture_output=True,
        timeout=120,
    )


def test_the_read_model_commands_check_and_rebuild(tmp_path):
    with backend_env("sqlite", tmp_path) as env:
        with Deployment(env) as deployment:
            office = Device(deployment.customers, "office", "carol")
            customer_id = office.register()
            office.sync(office.edit(customer_id, 0, name="Beta"))
        assert run(["system", "check-read-model"], env).returncode == 0
        with Deployment(env, "off") as deployment:
            deployment.directory.clear()
        damaged = run(["system", "check-read-model"], env)
        assert damaged.returncode == 1
        assert str(customer_id) in damaged.stdout
        rebuilt = run(["system", "rebuild-read-model"], env)
        assert rebuilt.returncode == 0, rebuilt.stderr
        assert "rebuilt up to position 2" in rebuilt.stdout
        checked = run(["system", "check-read-model"], env)
        assert (checked.returncode, checked.stdout.strip()) == (
            0,
            "read model equals a fresh rebuild",
        )

"""Cases on a shared SQLite store: a policy changed while a conflict is open, and
two processes racing the same command ids."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from system.runtime import Deployment
from tests.backends import backend_env
from tests.devices import Device


def test_an_open_conflict_stays_open_when_the_policy_becomes_last_writer_wins(tmp_path):
    with backend_env("sqlite", tmp_path) as env:
        with Deployment(env) as manual:  # the default policy: manual
            office = Device(manual.customers, "office", "carol")
            customer_id = office.register()
            office.sync(office.edit(customer_id, 0, name="Gamma"))
            alice = Device(manual.customers, "laptop-a", "alice")
            [opened] = alice.sync(alice.edit(customer_id, 0, name="Beta"))
            assert opened.status == "conflict"
        with Deployment({**env, "CONFLICT_POLICY": "last-writer-wins"}) as lww:
            bob = Device(lww.customers, "laptop-b", "bob")
            [joined, same] = bob.sync(
                bob.edit(customer_id, 0, name="Delta")
                + bob.edit(customer_id, 0, name="Gamma")
            )
            assert (joined.status, joined.conflict_id) == ("conflict", opened.conflict_id)
            assert same.status == "unchanged"
            later = Device(lww.customers, "desk-d", "dave")
            [still] = later.sync(later.edit(customer_id, same.version, name="Omega"))
            assert (still.status, still.conflict_id) == ("conflict", opened.conflict_id)
            [conflict] = lww.directory.customer_view(customer_id)["conflicts"]
            assert [c["value"] for c in conflict["candidates"]] == [
                "Beta",
                "Delta",
                "Omega",
            ]
            assert lww.directory.customer_view(customer_id)["name"] == "Gamma"
            [resolved] = bob.sync(
                [
                    bob.resolve(
                        customer_id,
                        opened.conflict_id,
                        still.version,
                        "value",
                        value="Zeta",
                    )
                ]
            )
            assert resolved.status == "applied"
            view = lww.directory.customer_view(customer_id)
            assert (view["name"], view["conflicts"]) == ("Zeta", [])


def test_two_processes_racing_the_same_command_ids_record_each_once(tmp_path):
    with backend_env("sqlite", tmp_path) as env:
        with Deployment(env) as deployment:
            office = Device(deployment.customers, "office", "carol")
            customer_id = office.register()
            laptop = Device(deployment.customers, "laptop-a", "alice")
            commands = [
                laptop.command(
                    "ChangeDescription", customer_id, {"description": f"note {n}"}, 0
                )
                for n in range(30)
            ]
        (tmp_path / "commands.json").write_text(json.dumps(commands))
        start = tmp_path / "start"
        writers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.race_writer",
                    str(start),
                    str(tmp_path / "commands.json"),
                ],
                stdout=subprocess.PIPE,
                text=True,
                env={**os.environ, **env},
            )
            for _ in range(2)
        ]
        start.touch()
        answers = [
            [json.loads(line) for line in writer.communicate(timeout=120)[0].splitlines()]
            for writer in writers
        ]
        assert [w.returncode for w in writers] == [0, 0]
        assert answers[0] == answers[1]  # the same verdict and version, both sides
        with Deployment(env) as deployment:
            history = deployment.customers.history(customer_id)
            recorded = [str(event.command_id) for event in history[1:]]
            assert sorted(recorded) == sorted(c["command_id"] for c in commands)
            assert len(history) == 31  # each command once
            by_id = {str(e.command_id): e.originator_version for e in history}
            assert all(by_id[a["command_id"]] == a["version"] for a in answers[0])


def test_a_writer_that_loses_the_race_twice_decides_again_on_what_is_stored(tmp_path):
    """Another process records before each of this one's first two saves: the
    command is decided again on the stored customer each time, then recorded."""
    from application import Customers

    with backend_env("sqlite", tmp_path) as env:
        mine, other = Customers(env=env), Customers(env=env)
        office = Device(other, "office", "carol")
        customer_id = office.register()
        laptop = Device(mine, "laptop-a", "alice")
        laptop.sync(laptop.edit(customer_id, 0, name="Seen"))  # cached here at version 1
        real_save, raced = mine.save, []

        def save_after_another_writer(*customers):
            if len(raced) < 2:
                [result] = office.sync(
                    office.edit(customer_id, 1, supplier=f"S{len(raced)}")
                )
                raced.append(result.version)
            return real_save(*customers)

        mine.save = save_after_another_writer
        [result] = laptop.sync(laptop.edit(customer_id, 1, description="mine"))
        assert raced == [2, 3]
        assert (result.status, result.version) == ("merged", 4)
        history = mine.history(customer_id)
        assert [e.verdict for e in history] == ["applied"] * 4 + ["merged"]
        mine.close()
        other.close()


def test_a_base_far_back_is_read_page_after_page(customers):
    """Pages that grow (4, 16, 64 events): a shrinking page would read nothing."""
    office = Device(customers, "office", "carol")
    laptop = Device(customers, "laptop", "dave")
    customer_id = office.register("Acme", description="first")  # version 0
    for version in range(30):  # other fields, over several pages of the history
        office.sync(office.edit(customer_id, version, phone=f"+47 {version}"))
    office.sync(office.edit(customer_id, 30, description="second"))  # 31
    office.sync(office.edit(customer_id, 31, description="third"))  # 32
    [result] = laptop.sync(laptop.edit(customer_id, 0, description="the laptop's"))
    assert (
        customers.get_customer(customer_id).conflicts[result.conflict_id].base_value
        == "first"
    )

"""Two employees' laptops, the real server, and the story of the seed."""

from __future__ import annotations

import sqlite3
import time

import pytest

from tests.e2e.server import Laptop, laptops


def customer_at_version_20(office: Laptop) -> str:
    """The seed's customer #123: registered, then 20 edits by the office."""
    customer_id = office.run(
        "add", "--name", "Acme", "--supplier", "Initial"
    ).stdout.strip()
    office.run("sync")
    queue_many(office, [customer_id], 20)
    office.run("sync")
    return customer_id


POLICY_OUTCOMES = {  # (policy, who syncs first) -> bob's verdict, final name
    ("manual", "alice"): ("conflict", "John Doe"),
    ("last-writer-wins", "alice"): ("applied", "Joan d'Arc"),
    ("last-writer-wins", "bob"): ("applied", "Joan d'Arc"),
    ("first-sync-wins", "alice"): ("rejected", "John Doe"),
    ("first-sync-wins", "bob"): ("applied", "Joan d'Arc"),
}


@pytest.mark.parametrize(("policy", "first"), POLICY_OUTCOMES)
def test_the_seed_story_under_each_policy(tmp_path, start_server, policy, first):
    server = start_server(CONFLICT_POLICY=policy)
    office, alice, bob = laptops(tmp_path, server, "carol", "alice", "bob")
    customer_id = customer_at_version_20(office)
    for device in (alice, bob):
        device.run("pull")
        assert device.json("show", customer_id)["version"] == 20
    alice.run("edit", customer_id, "--name", "John Doe")  # offline
    bob.run(
        "edit",
        customer_id,
        "--name",
        "Joan d'Arc",
        "--city",
        "Paris",
        "--street",
        "1 Rue de Rivoli",
        "--postal-code",
        "75001",
        "--country",
        "FR",
    )
    assert bob.json("show", customer_id)["pending"] == ["name", "address"]
    order = (alice, bob) if first == "alice" else (bob, alice)
    for device in order:
        device.run("sync")
    bob_verdicts = {v["type"]: v for v in bob.json("log")}
    expected_status, final_name = POLICY_OUTCOMES[(policy, first)]
    assert bob_verdicts["ChangeName"]["status"] == expected_status
    assert bob_verdicts["ChangeAddress"]["status"] == (
        "merged" if first == "alice" else "applied"
    )
    for device in (alice, bob):
        device.run("pull")
    seen = [device.json("show", customer_id) for device in (alice, bob)]
    assert seen[0] == seen[1]
    assert (seen[0]["name"], seen[0]["address"]["city"]) == (final_name, "Paris")


def test_bob_sees_alices_value_and_resolves_the_conflict(tmp_path, start_server):
    server = start_server()
    office, alice, bob = laptops(tmp_path, server, "carol", "alice", "bob")
    customer_id = customer_at_version_20(office)
    for device in (alice, bob):
        device.run("pull")
    alice.run("edit", customer_id, "--name", "John Doe")
    bob.run("edit", customer_id, "--name", "Joan d'Arc")
    alice.run("sync")
    shown = bob.run("sync").stdout
    assert "CONFLICT" in shown and "alice" in shown and "John Doe" in shown
    [conflict] = bob.json("conflicts")
    assert conflict["current"]["author"] == "alice"
    [candidate] = conflict["candidates"]
    bob.run("resolve", conflict["conflict_id"], "--take", candidate["command_id"])
    bob.run("sync")
    alice.run("pull")
    assert alice.json("show", customer_id)["name"] == "Joan d'Arc"
    assert alice.json("conflicts") == []


def queue_many(device: Laptop, customer_ids: list[str], count: int) -> None:
    """Queue ``count`` edits straight through the client's own store API."""
    from client import local
    from client.store import Store

    store = Store(device.data_dir / "customers.sqlite")
    store.queue(
        [
            e
            for n in range(count)
            for e in local.edits(
                store, customer_ids[n % len(customer_ids)], {"description": f"edit {n}"}
            )
        ]
    )
    store.close()


def count(device: Laptop, table: str) -> int:
    with sqlite3.connect(device.data_dir / "customers.sqlite") as db:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608


def wait_for_verdicts(device: Laptop, at_least: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while count(device, "verdicts") < at_least:
        assert time.monotonic() < deadline, "the sync did not get going"
        time.sleep(0.01)


def test_a_server_killed_mid_sync_loses_and_duplicates_nothing(tmp_path, start_server):
    server = start_server()
    [alice] = laptops(tmp_path, server, "alice")
    ids = [alice.run("add", "--name", f"C{n}").stdout.strip() for n in range(10)]
    alice.run("sync")
    queue_many(alice, ids, 2000)
    syncing = alice.start("sync", "--batch-size", "100")
    wait_for_verdicts(alice, 10 + 300)
    server.kill()
    _, errors = syncing.communicate(timeout=120)
    assert syncing.returncode == 2, errors
    assert "Traceback" not in errors
    assert count(alice, "outbox") > 0  # it really was cut off mid-way

    server.start()
    alice.run("sync")
    assert count(alice, "outbox") == 0
    verdicts = alice.json("log", "--limit", "5000")
    assert len(verdicts) == len({v["command_id"] for v in verdicts}) == 2010
    carol = server.session("carol-token")
    recorded = [
        e["command_id"]
        for cid in ids
        for e in carol.get(f"{server.url}/customers/{cid}/history", timeout=30).json()[
            "events"
        ]
    ]
    assert sorted(recorded) == sorted(v["command_id"] for v in verdicts)


def test_a_client_killed_mid_sync_keeps_its_outbox(tmp_path, start_server):
    server = start_server()
    [alice] = laptops(tmp_path, server, "alice")
    ids = [alice.run("add", "--name", f"C{n}").stdout.strip() for n in range(5)]
    alice.run("sync")
    queue_many(alice, ids, 2000)
    queued = {e["command_id"] for e in alice.json("pending")}
    syncing = alice.start("sync", "--batch-size", "100")
    wait_for_verdicts(alice, 5 + 200)
    syncing.kill()
    syncing.wait(timeout=30)
    kept = {e["command_id"] for e in alice.json("pending")}
    answered = {v["command_id"] for v in alice.json("log", "--limit", "5000")}
    assert kept and kept | answered >= queued and not kept & answered
    alice.run("sync")
    assert {v["command_id"] for v in alice.json("log", "--limit", "5000")} >= queued


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("edit", "not-an-id", "--name", "X"), 1, "is not an id"),
        (
            ("edit", "3f0b6a6e-4a57-4c38-9d1b-123000000123", "--name", "X"),
            1,
            "unknown customer",
        ),
        (("add", "--name", "Acme", "--email", "nope"), 1, "email"),
        (("add", "--name", "Acme", "--colour", "red"), 1, "No such option"),
        (("sync",), 1, "not logged in"),
        (("resolve", "3f0b6a6e-4a57-4c38-9d1b-123000000123"), 1, "exactly one"),
    ],
)
def test_bad_input_at_the_cli_is_a_clear_message_and_exit_code(
    tmp_path, args, code, message
):
    done = Laptop(tmp_path / "laptop").run(*args, expect=code)
    assert message in done.stderr


def test_an_unreachable_server_is_exit_2_and_a_refused_token_exit_3(
    tmp_path, start_server
):
    server = start_server()
    laptop = Laptop(tmp_path / "laptop")
    assert (
        "authentication refused"
        in laptop.run(
            "login", "--server", server.url, "--token", "wrong", expect=3
        ).stderr
    )
    laptop.run("login", "--server", server.url, "--token", "alice-token")
    laptop.run("add", "--name", "Acme")
    server.stop()
    assert "unreachable" in laptop.run("sync", expect=2).stderr
    assert len(laptop.json("pending")) == 1


def test_the_demo_tells_the_story_and_checks_it():
    import shlex
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "harness.demo"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "The story went as told." in done.stdout
    assert "office-token is carol's" in done.stdout
    assert " as carol, on device" in done.stdout
    echoed = [
        shlex.split(line.split("$ ", 1)[1])
        for line in done.stdout.splitlines()
        if line.startswith("   bob$ customers edit")
    ]
    assert ["--name", "Joan d'Arc"] == echoed[0][3:5]  # pasted, the shell gives these


def test_an_unusable_data_folder_is_a_clear_message(tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    done = Laptop(tmp_path / "a-file" / "laptop").run("list", expect=1)
    assert "cannot use" in done.stderr and "Traceback" not in done.stderr


def test_an_outbox_too_large_for_one_request_is_sent_in_smaller_batches(
    tmp_path, start_server
):
    from client import local
    from client.store import Store

    server = start_server()
    [alice] = laptops(tmp_path, server, "alice")
    customer_id = alice.run("add", "--name", "Acme").stdout.strip()
    alice.run("sync")
    store = Store(alice.data_dir / "customers.sqlite")
    store.queue(
        [
            e
            for n in range(200)
            for e in local.edits(
                store, customer_id, {"description": f"{n} " + "x" * 9000}
            )
        ]
    )  # 1.8 MB in all
    store.close()
    alice.run("sync")
    assert count(alice, "outbox") == 0
    assert {v["status"] for v in alice.json("log", "--limit", "500")} == {"applied"}
    assert count(alice, "verdicts") == 201

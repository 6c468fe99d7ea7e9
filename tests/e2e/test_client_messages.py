"""What the CLI tells a newcomer: whose token it is, the options at fault, a
resolution that cannot be taken or is already queued, and queued resolutions."""

from __future__ import annotations

import pytest

from tests.e2e.server import Laptop, server_process

NOT_A_CANDIDATE = "3f0b6a6e-4a57-4c38-9d1b-123000000123"


@pytest.fixture
def server(tmp_path):
    started = server_process(tmp_path / "var").start()
    yield started
    started.stop()


def logged_in(tmp_path, server, name: str) -> Laptop:
    laptop = Laptop(tmp_path / name)
    laptop.run("login", "--server", server.url, "--token", f"{name}-token")
    return laptop


@pytest.fixture
def bobs_conflict(tmp_path, server):
    """Bob's laptop, with a name conflict against Alice pulled, and its id."""
    alice, bob = logged_in(tmp_path, server, "alice"), logged_in(tmp_path, server, "bob")
    customer_id = alice.run("add", "--name", "Acme").stdout.strip()
    alice.run("sync")
    bob.run("pull")
    alice.run("edit", customer_id, "--name", "John Doe")
    bob.run("edit", customer_id, "--name", "Joan d'Arc")
    alice.run("sync")
    bob.run("sync")
    [conflict] = bob.json("conflicts")
    return bob, customer_id, conflict


def test_login_names_the_employee_of_the_token(tmp_path, server):
    done = Laptop(tmp_path / "laptop").run(
        "login", "--server", server.url, "--token", "bob-token"
    )
    assert f"logged in to {server.url} as bob" in done.stdout


def test_login_while_offline_says_it_did_not_log_in_and_nothing_of_an_outbox(
    tmp_path, server
):
    url = server.url
    server.stop()
    done = Laptop(tmp_path / "laptop").run(
        "login", "--server", url, "--token", "alice-token", expect=2
    )
    assert "unreachable" in done.stderr and "not logged in" in done.stderr
    assert "outbox" not in done.stderr and "queued" not in done.stderr


def test_a_sync_while_offline_says_the_outbox_is_kept(tmp_path, server):
    laptop = logged_in(tmp_path, server, "alice")
    laptop.run("add", "--name", "Acme")
    server.stop()
    assert "queued commands stay in the outbox" in laptop.run("sync", expect=2).stderr


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (("--street", "1 Rue de Rivoli", "--city", "Paris"), "--postal-code"),
        (
            (
                "--street",
                "1 Rue de Rivoli",
                "--city",
                "Paris",
                "--postal-code",
                "75001",
                "--country",
                "France",
            ),
            "--country",
        ),
        (
            (
                "--postal-code",
                "x" * 201,
                "--street",
                "s",
                "--city",
                "c",
                "--country",
                "FR",
            ),
            "--postal-code",
        ),
        (("--email", "not an address"), "--email"),
    ],
)
def test_a_bad_value_is_told_by_its_option(tmp_path, args, flag):
    done = Laptop(tmp_path / "laptop").run("add", "--name", "Acme", *args, expect=1)
    assert flag in done.stderr
    assert "postal_code" not in done.stderr and "address." not in done.stderr


def test_take_checks_the_candidates_the_local_copy_knows(bobs_conflict):
    bob, _, conflict = bobs_conflict
    done = bob.run(
        "resolve", conflict["conflict_id"], "--take", NOT_A_CANDIDATE, expect=1
    )
    assert "--take" in done.stderr and "not a candidate" in done.stderr
    assert conflict["candidates"][0]["command_id"] in done.stderr
    assert bob.json("pending") == []


def test_show_tells_of_a_queued_resolution_and_a_second_one_warns(bobs_conflict):
    bob, customer_id, conflict = bobs_conflict
    [candidate] = conflict["candidates"]
    first = bob.run("resolve", conflict["conflict_id"], "--keep-current")
    assert "Warning" not in first.stderr
    shown = bob.json("show", customer_id)
    assert shown["conflicts"][0]["queued_resolution"]["choice"] == "current"
    assert (shown["name"], shown["pending"]) == ("John Doe", ["name"])
    queued = "resolution queued, not yet synced: keep the current value"
    assert queued in bob.run("show", customer_id).stdout
    assert queued in bob.run("conflicts").stdout

    second = bob.run(
        "resolve", conflict["conflict_id"], "--take", candidate["command_id"]
    )
    assert "already queued" in second.stderr
    assert "conflict_already_resolved" in second.stderr
    assert (
        bob.json("show", customer_id)["conflicts"][0]["queued_resolution"]["choice"]
        == "current"
    )  # the first one queued is the one the server applies
    bob.run("sync")
    statuses = [v["status"] for v in bob.json("log", "--limit", "2")]
    assert statuses == ["rejected", "applied"]

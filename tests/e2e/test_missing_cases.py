"""Through the real server process and the ``customers`` CLI: a conflict with
several candidates, and a per-field policy read from the server's environment."""

from __future__ import annotations

from tests.e2e.server import Laptop, laptops


def registered(office: Laptop, *others: Laptop) -> str:
    customer_id = office.run(
        "add", "--name", "Acme", "--supplier", "Initial"
    ).stdout.strip()
    office.run("sync")
    for device in others:
        device.run("pull")
    return customer_id


def test_every_candidate_of_a_conflict_is_shown_and_can_be_taken(tmp_path, start_server):
    server = start_server()
    office, alice, bob = laptops(tmp_path, server, "carol", "alice", "bob")
    customer_id = registered(office, alice, bob)
    for device, name in ((office, "Gamma"), (alice, "Beta"), (bob, "Delta")):
        device.run("edit", customer_id, "--name", name)  # all from version 0, offline
    for device in (office, alice, bob):
        device.run("sync")
    bob.run("pull")
    [conflict] = bob.json("conflicts")
    assert conflict["current"]["value"] == "Gamma"
    assert [(c["value"], c["author"]) for c in conflict["candidates"]] == [
        ("Beta", "alice"),
        ("Delta", "bob"),
    ]
    shown = bob.run("conflicts").stdout
    assert all(value in shown for value in ("Gamma", "Beta", "Delta"))
    first_candidate = conflict["candidates"][0]["command_id"]
    bob.run("resolve", conflict["conflict_id"], "--take", first_candidate)
    bob.run("sync")
    office.run("pull")
    assert office.json("show", customer_id)["name"] == "Beta"
    assert office.json("conflicts") == []


def test_a_per_field_policy_from_the_servers_environment(tmp_path, start_server):
    server = start_server(CONFLICT_POLICY_DESCRIPTION="last-writer-wins")
    office, alice, bob = laptops(tmp_path, server, "carol", "alice", "bob")
    customer_id = registered(office, alice, bob)
    alice.run("edit", customer_id, "--name", "Beta", "--description", "from alice")
    bob.run("edit", customer_id, "--name", "Delta", "--description", "from bob")
    alice.run("sync")
    bob.run("sync")
    verdicts = {v["type"]: v for v in bob.json("log")}
    assert verdicts["ChangeName"]["status"] == "conflict"  # the default: manual
    assert (
        verdicts["ChangeDescription"]["status"],
        verdicts["ChangeDescription"]["reason"],
    ) == ("applied", "overwrote_concurrent_edit")
    office.run("pull")
    assert office.json("show", customer_id)["description"] == "from bob"

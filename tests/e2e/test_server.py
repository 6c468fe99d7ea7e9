"""The seed's two scenarios over real HTTP, surviving a killed server."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.e2e.server import server_process
from tests.envelopes import command


@pytest.fixture
def server(tmp_path):
    process = server_process(tmp_path / "var").start()
    yield process
    process.stop()


def sync(session, url, client_id, commands):
    response = session.post(
        f"{url}/sync", json={"client_id": client_id, "commands": commands}, timeout=30
    )
    assert response.status_code == 200, response.text
    return response.json()


def at_version_20(office, url):
    created = office.post(
        f"{url}/customers", json={"client_id": "office", "name": "Acme"}, timeout=30
    ).json()
    customer_id = created["customer_id"]
    sync(
        office,
        url,
        "office",
        [
            command("ChangeDescription", customer_id, {"description": f"note {n}"}, n)
            for n in range(20)
        ],
    )
    return customer_id


def test_seed_scenarios_over_http_survive_a_killed_server(server):
    url = server.url
    office, alice, bob = (
        server.session(f"{who}-token") for who in ("carol", "alice", "bob")
    )
    merge_id, conflict_id = at_version_20(office, url), at_version_20(office, url)

    sync(
        alice,
        url,
        "laptop-a",
        [
            command("ChangeName", merge_id, {"name": "John Doe"}, 20),
            command("ChangeName", conflict_id, {"name": "John Doe"}, 20),
        ],
    )
    address = {
        "street": "1 Rue de Rivoli",
        "city": "Paris",
        "postal_code": "75001",
        "country": "FR",
    }
    late = sync(
        bob,
        url,
        "laptop-b",
        [
            command("ChangeAddress", merge_id, {"address": address}, 20),
            command("ChangeName", conflict_id, {"name": "Joan d'Arc"}, 20),
        ],
    )
    merged, conflicted = late["results"]
    assert (merged["status"], conflicted["status"]) == ("merged", "conflict")

    server.kill()
    server.start()
    url = server.url

    view = bob.get(
        f"{url}/customers/{merge_id}?min_position={late['position']}", timeout=30
    ).json()
    assert (view["name"], view["address"], view["version"]) == ("John Doe", address, 22)
    [conflict] = bob.get(
        f"{url}/conflicts", params={"customer_id": conflict_id}, timeout=30
    ).json()["items"]
    assert (conflict["current"]["value"], conflict["candidates"][0]["value"]) == (
        "John Doe",
        "Joan d'Arc",
    )
    resolved = bob.post(
        f"{url}/conflicts/{conflict['conflict_id']}/resolve",
        json={
            "client_id": "laptop-b",
            "command_id": str(uuid.uuid4()),
            "choice": "candidate",
            "candidate_command_id": conflict["candidates"][0]["command_id"],
        },
        timeout=30,
    ).json()
    assert (resolved["status"], resolved["version"]) == ("applied", 23)
    after = alice.get(
        f"{url}/customers/{conflict_id}?min_position={resolved['position']}", timeout=30
    ).json()
    assert (after["name"], after["conflicts"]) == ("Joan d'Arc", [])
    history = alice.get(f"{url}/customers/{conflict_id}/history", timeout=30).json()
    assert [e["version"] for e in history["events"]] == list(range(24))
    health = alice.get(f"{url}/health", timeout=30).json()
    assert health["event_store_position"] == health["read_model_position"]


def test_a_resent_batch_after_a_restart_is_answered_from_the_first_verdicts(server):
    alice = server.session("alice-token")
    customer_id = at_version_20(server.session("carol-token"), server.url)
    batch = [command("ChangeName", customer_id, {"name": "John Doe"}, 20)]
    first = sync(alice, server.url, "laptop-a", batch)["results"]
    server.kill()
    server.start()
    again = sync(alice, server.url, "laptop-a", batch)["results"]
    assert [(r["status"], r["version"], r["duplicate"]) for r in again] == [
        (first[0]["status"], first[0]["version"], True)
    ]


def test_sigterm_stops_the_server_cleanly(server):
    assert server.session("alice-token").get(f"{server.url}/health").status_code == 200
    assert server.stop() == 0
    assert any("stopped" in line for line in server.log)


def test_the_server_refuses_to_start_without_tokens(tmp_path):
    process = server_process(tmp_path / "var", AUTH_TOKENS="")
    with pytest.raises(RuntimeError, match="no AUTH_TOKENS"):
        process.start()


def test_the_server_keeps_its_events_in_eventstoredb(tmp_path):
    from tests.backends import eventstoredb_uri

    with eventstoredb_uri() as uri:
        server = server_process(
            tmp_path / "var",
            EVENTSTOREDB_URI=uri,
            CUSTOMERS_PERSISTENCE_MODULE="eventsourcing_eventstoredb",
        )
        server.start()
        try:
            office, alice = server.session("carol-token"), server.session("alice-token")
            customer_id = at_version_20(office, server.url)
            health = office.get(f"{server.url}/health", timeout=30).json()
            assert health["persistence"] == {
                "customers": "eventsourcing_eventstoredb",
                "customer_directory": "eventsourcing.sqlite",
            }
            late = sync(
                alice,
                server.url,
                "laptop-a",
                [command("ChangeName", customer_id, {"name": "John Doe"}, 20)],
            )
            view = alice.get(
                f"{server.url}/customers/{customer_id}",
                params={"min_position": late["position"]},
                timeout=30,
            ).json()
            assert (view["name"], view["version"]) == ("John Doe", 21)
        finally:
            assert server.stop() == 0


def test_tokens_never_reach_the_log(server):
    for token in ("alice-token", "not-a-token-0123456789"):
        server.session(token).post(
            f"{server.url}/sync", json={"client_id": "x", "commands": []}
        )
        server.session(token).get(f"{server.url}/customers/{uuid.uuid4()}")
    server.stop()
    log = "".join(server.log)
    assert "alice-token" not in log and "not-a-token-0123456789" not in log
    assert "serving on" in log  # the log was read


def startup_lines(data_dir: Path, tokens: str, *args: str) -> str:
    """What customers-server says until it serves; then it is stopped."""
    server = Path(sys.executable).with_name("customers-server")
    process = subprocess.Popen(
        [str(server), "--port", "0", "--data-dir", str(data_dir), *args],
        env={**os.environ, "AUTH_TOKENS": tokens},
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = []
    for line in process.stderr:
        lines.append(line)
        if "serving on" in line:
            break
    process.terminate()
    process.wait(timeout=60)
    return "".join(lines)


@pytest.mark.parametrize(
    ("tokens", "said", "not_said"),
    [
        ("", "alice-token (alice)", "AUTH_TOKENS is set"),
        ("mine=erin", "AUTH_TOKENS is set", "alice-token"),
    ],
)
def test_demo_mode_names_the_tokens_it_really_uses(tmp_path, tokens, said, not_said):
    lines = startup_lines(tmp_path, tokens, "--demo")
    assert "serving on" in lines and said in lines and not_said not in lines

"""Cases the spec names that slipped past single-line changes before: each through
the HTTP API, the read model included."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from system.runtime import Deployment
from tests.web.conftest import TOKENS, Api
from web import create_app

HOUR_AGO = datetime.now(UTC) - timedelta(hours=1)
POLICIES = {
    "manual": {},
    "last-writer-wins": {"CONFLICT_POLICY": "last-writer-wins"},
    "first-sync-wins": {"CONFLICT_POLICY": "first-sync-wins"},
    "aggregate": {"CONFLICT_DETECTION": "aggregate"},
}


def change(
    customer_id, base, issued_at=None, command_id=None, kind="ChangeName", **payload
):
    return {
        "command_id": str(command_id or uuid.uuid4()),
        "type": kind,
        "customer_id": customer_id,
        "base_version": base,
        "issued_at": (issued_at or datetime.now(UTC)).isoformat(),
        "payload": payload,
    }


def sync(api, client_id, *commands):
    response = api.post("/sync", {"client_id": client_id, "commands": list(commands)})
    assert response.status_code == 200, response.json
    return response.json["results"]


@pytest.fixture
def make_api(store_env):
    deployments = []

    def make(**settings):
        deployment = Deployment({**store_env, **settings})
        deployments.append(deployment)
        return Api(
            create_app({"DEPLOYMENT": deployment, "AUTH_TOKENS": TOKENS}).test_client()
        )

    yield make
    for deployment in deployments:
        deployment.stop()


def test_an_open_conflict_keeps_every_candidate(api):
    customer_id = api.register()
    sync(api, "office", change(customer_id, 0, name="Gamma"))
    ids = [str(uuid.uuid4()) for _ in range(3)]
    for client, name, command_id in zip(
        ("laptop-a", "laptop-b", "laptop-c"), ("Beta", "Delta", "Omega"), ids, strict=True
    ):
        [result] = sync(
            api.as_("bob-token"),
            client,
            change(customer_id, 0, command_id=command_id, name=name),
        )
        assert result["status"] == "conflict"
    [conflict] = api.get(f"/conflicts?customer_id={customer_id}").json["items"]
    assert [
        (c["value"], c["command_id"], c["client_id"]) for c in conflict["candidates"]
    ] == [
        ("Beta", ids[0], "laptop-a"),
        ("Delta", ids[1], "laptop-b"),
        ("Omega", ids[2], "laptop-c"),
    ]
    assert api.get(f"/customers/{customer_id}").json["conflicts"] == [conflict]
    resolved = api.post(
        f"/conflicts/{conflict['conflict_id']}/resolve",
        {
            "client_id": "desk",
            "command_id": str(uuid.uuid4()),
            "choice": "candidate",
            "candidate_command_id": ids[2],
        },
    ).json
    assert resolved["status"] == "applied"
    view = api.get(f"/customers/{customer_id}").json
    assert (view["name"], view["conflicts"]) == ("Omega", [])


@pytest.mark.parametrize("a_id_greater", [True, False])
@pytest.mark.parametrize("a_first", [True, False])
def test_equal_times_from_two_clients_the_greater_client_id_wins(
    make_api, a_id_greater, a_first
):
    api = make_api(CONFLICT_POLICY="last-writer-wins")
    customer_id = api.register(issued_at=(HOUR_AGO - timedelta(hours=1)).isoformat())
    low, high = (
        "00000000-0000-4000-8000-000000000000",
        "ffffffff-ffff-4fff-bfff-ffffffffffff",
    )
    a = change(customer_id, 0, HOUR_AGO, high if a_id_greater else low, name="From A")
    b = change(customer_id, 0, HOUR_AGO, low if a_id_greater else high, name="From B")
    sends = [("laptop-a", a), ("laptop-b", b)]
    for client_id, command in sends if a_first else reversed(sends):
        sync(api, client_id, command)
    events = api.get(f"/customers/{customer_id}/history").json["events"]
    assert events[1]["effective_at"] == events[2]["effective_at"]  # a tie on time
    view = api.get(f"/customers/{customer_id}").json
    assert (view["name"], view["fields"]["name"]["version"]) == (
        "From B",
        [e["client_id"] for e in events].index("laptop-b"),
    )


def test_a_reasserted_value_takes_the_greater_stamp_in_the_view(make_api):
    api = make_api(CONFLICT_POLICY="last-writer-wins")
    customer_id = api.register()
    [first] = sync(api, "laptop-a", change(customer_id, 0, name="Beta"))
    [older] = sync(
        api.as_("bob-token"),
        "laptop-b",
        change(customer_id, 0, HOUR_AGO - timedelta(days=1), name="Beta"),
    )
    assert older["status"] == "unchanged"
    view = api.get(f"/customers/{customer_id}").json
    assert (view["fields"]["name"]["version"], view["fields"]["name"]["changed_by"]) == (
        first["version"],
        "alice",
    )
    [newer] = sync(api.as_("carol-token"), "desk-c", change(customer_id, 2, name="Beta"))
    assert newer["status"] == "unchanged"
    history = api.get(f"/customers/{customer_id}/history").json["events"]
    view = api.get(f"/customers/{customer_id}").json
    assert view["fields"]["name"] == {
        "version": newer["version"],
        "changed_by": "carol",
        "changed_at": history[newer["version"]]["effective_at"],
    }
    assert view["name"] == "Beta"


def test_resolving_a_conflict_on_a_closed_customer_is_applied(api):
    customer_id = api.register()
    sync(api, "office", change(customer_id, 0, name="Gamma"))
    [opened] = sync(api.as_("bob-token"), "laptop-b", change(customer_id, 0, name="Beta"))
    sync(api, "office", change(customer_id, 2, kind="ChangeStatus", status="closed"))
    [refused] = sync(api, "office", change(customer_id, 3, name="Other"))
    assert (refused["status"], refused["reason"]) == ("rejected", "customer_closed")
    resolved = api.post(
        f"/conflicts/{opened['conflict_id']}/resolve",
        {"client_id": "desk", "command_id": str(uuid.uuid4()), "choice": "current"},
    ).json
    assert resolved["status"] == "applied"
    view = api.get(f"/customers/{customer_id}").json
    assert (view["name"], view["status"], view["conflicts"]) == ("Gamma", "closed", [])


@pytest.mark.parametrize("policy", POLICIES)
def test_a_laptop_offline_for_more_than_64_versions(make_api, policy):
    """The history beyond the versions a customer keeps at hand (RECENT = 64)."""
    api = make_api(**POLICIES[policy])
    customer_id = api.register()
    office = api.as_("carol-token")
    for version in range(100):
        field = (
            {"description": f"note {version}"}
            if version % 2
            else {"phone": f"+1 555 {version:04}"}
        )
        kind = "ChangeDescription" if version % 2 else "ChangePhone"
        sync(office, "office", change(customer_id, version, HOUR_AGO, kind=kind, **field))
    events = api.get(f"/customers/{customer_id}/history").json["events"]
    [name, description] = sync(
        api,
        "laptop-a",
        change(customer_id, 2, HOUR_AGO - timedelta(days=1), name="Beta"),
        change(
            customer_id,
            2,
            HOUR_AGO - timedelta(days=1),
            kind="ChangeDescription",
            description="offline",
        ),
    )
    after = api.get(f"/customers/{customer_id}/history").json["events"]
    # just after everything the author had seen at version 2, 98 versions back
    assert datetime.fromisoformat(after[101]["effective_at"]) == (
        datetime.fromisoformat(events[2]["effective_at"]) + timedelta(microseconds=1)
    )
    expected = {
        "manual": ("merged", "conflict"),
        "aggregate": ("conflict", "conflict"),
        "first-sync-wins": ("merged", "rejected"),
        "last-writer-wins": ("merged", "superseded"),
    }[policy]
    assert (name["status"], description["status"]) == expected
    if description["status"] == "conflict":
        [conflict] = [
            c
            for c in api.get(f"/conflicts?customer_id={customer_id}").json["items"]
            if c["field"] == "description"
        ]
        assert conflict["base_value"] == "note 1"  # the description at version 2

"""The conflict inbox and its resolution, over HTTP."""

from __future__ import annotations

import uuid

import pytest

from tests.web.conftest import command
from web import schemas


def opened(api):
    customer_id = api.register()
    alice, bob = api, api.as_("bob-token")
    alice.post(
        "/sync",
        {
            "client_id": "laptop-a",
            "commands": [command("ChangeName", customer_id, {"name": "John Doe"}, 0)],
        },
    )
    [result] = bob.post(
        "/sync",
        {
            "client_id": "laptop-b",
            "commands": [command("ChangeName", customer_id, {"name": "Joan d'Arc"}, 0)],
        },
    ).json["results"]
    assert result["status"] == "conflict"
    return customer_id, result


def test_open_conflicts_are_listed_with_both_values(api):
    customer_id, result = opened(api)
    listed = api.get("/conflicts").json
    assert schemas.ConflictList().validate(listed) == {}
    [conflict] = listed["items"]
    assert conflict["conflict_id"] == result["conflict_id"]
    assert (
        conflict["base_value"],
        conflict["current"]["value"],
        conflict["candidates"][0]["value"],
    ) == ("Acme", "John Doe", "Joan d'Arc")
    assert api.get(f"/conflicts?customer_id={uuid.uuid4()}").json["items"] == []
    assert api.get("/conflicts?status=resolved").json["items"] == []
    assert api.get("/conflicts?status=maybe").status_code == 422


def test_resolving_sets_the_value_and_a_second_resolution_is_rejected(api):
    customer_id, result = opened(api)
    path = f"/conflicts/{result['conflict_id']}/resolve"
    resolved = api.as_("carol-token").post(
        path,
        {
            "client_id": "desk-c",
            "command_id": str(uuid.uuid4()),
            "choice": "candidate",
            "candidate_command_id": result["command_id"],
        },
    )
    assert (resolved.status_code, resolved.json["status"]) == (200, "applied")
    view = api.get(f"/customers/{customer_id}").json
    assert (view["name"], view["fields"]["name"]["changed_by"], view["conflicts"]) == (
        "Joan d'Arc",
        "carol",
        [],
    )
    again = api.post(
        path,
        {"client_id": "desk-c", "command_id": str(uuid.uuid4()), "choice": "current"},
    )
    assert (again.status_code, again.json["status"], again.json["reason"]) == (
        200,
        "rejected",
        "conflict_already_resolved",
    )
    assert [c["status"] for c in api.get("/conflicts?status=all").json["items"]] == [
        "resolved"
    ]


def test_resolving_an_unknown_conflict_is_404(api):
    response = api.post(
        f"/conflicts/{uuid.uuid4()}/resolve",
        {"client_id": "desk-c", "command_id": str(uuid.uuid4()), "choice": "current"},
    )
    assert response.status_code == 404


def test_a_resolution_needs_the_value_its_choice_names(api):
    _, result = opened(api)
    response = api.post(
        f"/conflicts/{result['conflict_id']}/resolve",
        {"client_id": "desk-c", "command_id": str(uuid.uuid4()), "choice": "value"},
    )
    assert response.status_code == 422


@pytest.mark.parametrize("value", [2**64, -(2**63) - 1, [1, {"a": 2**70}]])
def test_a_value_no_event_can_hold_is_refused_and_nothing_recorded(api, value):
    customer_id, result = opened(api)
    history = f"/customers/{customer_id}/history"
    before = api.get(history).json
    conflict_id = result["conflict_id"]
    resolution = {"choice": "value", "value": value}
    resolved = api.post(
        f"/conflicts/{conflict_id}/resolve",
        {"client_id": "desk-c", "command_id": str(uuid.uuid4()), **resolution},
    )
    payload = {"conflict_id": conflict_id, **resolution}
    synced = api.post(
        "/sync",
        {
            "client_id": "desk-c",
            "commands": [
                command("ResolveConflict", customer_id, payload, result["version"])
            ],
        },
    )
    for response in (resolved, synced):
        assert response.status_code == 422
        assert "integers are at most 64 bits" in str(response.json)
    assert api.get(history).json == before

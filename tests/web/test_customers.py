"""Registration, one command with If-Match, the directory, one view, history."""

from __future__ import annotations

import uuid

import pytest

from tests.web.conftest import Api, command
from web import schemas


def test_registering_answers_201_with_location_and_a_resend_200(api):
    body = {
        "client_id": "laptop-a",
        "command_id": str(uuid.uuid4()),
        "name": "Acme",
        "email": "desk@acme.example",
    }
    created = api.post("/customers", body)
    assert created.status_code == 201
    assert created.headers["Location"] == f"/customers/{created.json['customer_id']}"
    assert (created.json["status"], created.json["version"]) == ("applied", 0)
    again = api.post("/customers", body)
    assert (again.status_code, again.json["duplicate"]) == (200, True)
    assert again.json["customer_id"] == created.json["customer_id"]


def test_registering_an_existing_customer_is_409(api):
    customer_id = api.register()
    response = api.post(
        "/customers",
        {"client_id": "laptop-a", "customer_id": customer_id, "name": "Other"},
    )
    assert response.status_code == 409
    assert response.json["result"]["reason"] == "customer_exists"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"email": "not an address"}, "invalid_value"),
        ({"name": "Different"}, "command_id_reused"),
    ],
)
def test_a_refused_registration_is_422_carrying_its_result(api, change, reason):
    command_id = str(uuid.uuid4())
    if reason == "command_id_reused":
        api.post(
            "/customers",
            {
                "client_id": "laptop-a",
                "command_id": command_id,
                "customer_id": str(uuid.uuid4()),
                "name": "Acme",
            },
        )
        change = {
            **change,
            "customer_id": api.get("/customers").json["items"][0]["customer_id"],
        }
    response = api.post(
        "/customers",
        {"client_id": "laptop-a", "command_id": command_id, "name": "Acme", **change},
    )
    assert response.status_code == 422
    assert response.json["result"]["reason"] == reason


def one(customer_id, kind="ChangeName", payload=None, **extra):
    """A command for POST /customers/<id>/commands (no base version unless given)."""
    body = command(kind, customer_id, payload or {"name": "Beta"}, None)
    del body["base_version"]
    return {"client_id": "laptop-a", **body, **extra}


def test_if_match_with_the_current_version_applies(api):
    customer_id = api.register()
    response = api.post(
        f"/customers/{customer_id}/commands",
        one(customer_id),
        headers={"If-Match": '"0"'},
    )
    assert (response.status_code, response.json["status"], response.json["version"]) == (
        200,
        "applied",
        1,
    )


def test_if_match_with_another_version_is_412_and_nothing_is_merged(api):
    customer_id = api.register()
    api.post(f"/customers/{customer_id}/commands", one(customer_id, base_version=0))
    response = api.post(
        f"/customers/{customer_id}/commands",
        one(customer_id, "ChangeSupplier", {"supplier": "S"}),
        headers={"If-Match": '"0"'},
    )
    assert (response.status_code, response.json["current_version"]) == (412, 1)
    assert api.get(f"/customers/{customer_id}").json["supplier"] is None


def test_if_match_is_checked_before_the_body(api):
    customer_id = api.register()
    api.post(f"/customers/{customer_id}/commands", one(customer_id, base_version=0))
    response = api.post(
        f"/customers/{customer_id}/commands",
        {"nonsense": True},
        headers={"If-Match": '"0"'},
    )
    assert response.status_code == 412


def test_a_resent_command_answers_its_duplicate_whatever_if_match_says(api):
    customer_id = api.register()
    body = one(customer_id)
    first = api.post(
        f"/customers/{customer_id}/commands", body, headers={"If-Match": '"0"'}
    ).json
    again = api.post(
        f"/customers/{customer_id}/commands", body, headers={"If-Match": '"0"'}
    )
    assert (again.status_code, again.json["duplicate"], again.json["version"]) == (
        200,
        True,
        first["version"],
    )


@pytest.mark.parametrize("header", ["0", '"abc"', '"1", "2"', "*"])
def test_a_malformed_if_match_is_400(api, header):
    customer_id = api.register()
    response = api.post(
        f"/customers/{customer_id}/commands",
        one(customer_id),
        headers={"If-Match": header},
    )
    assert response.status_code == 400


def test_commands_on_an_unknown_customer_are_404(api):
    customer_id = str(uuid.uuid4())
    assert (
        api.post(
            f"/customers/{customer_id}/commands", one(customer_id, base_version=0)
        ).status_code
        == 404
    )
    assert (
        api.post(
            f"/customers/{customer_id}/commands",
            one(customer_id),
            headers={"If-Match": '"0"'},
        ).status_code
        == 404
    )


def test_the_body_cannot_name_another_customer_than_the_path(api):
    customer_id, other = api.register(), api.register("Other")
    response = api.post(f"/customers/{customer_id}/commands", one(other, base_version=0))
    assert response.status_code == 422


def test_views_are_paged_by_cursor(api):
    ids = [api.register(f"Customer {n}") for n in range(3)]
    first = api.get("/customers?limit=2").json
    assert [v["customer_id"] for v in first["items"]] == ids[:2]
    rest = api.get(f"/customers?since={first['next']}&limit=2").json
    assert [v["customer_id"] for v in rest["items"]] == ids[2:]
    empty = api.get(f"/customers?since={rest['next']}").json
    assert (empty["items"], empty["next"], empty["position"]) == ([], rest["next"], 3)


@pytest.mark.parametrize(
    "query", ["limit=0", "limit=1001", "since=-1", "since=abc", "colour=red"]
)
def test_a_bad_page_request_is_422(api, query):
    assert api.get(f"/customers?{query}").status_code == 422


def test_one_view_carries_its_version_as_etag(api):
    customer_id = api.register()
    response = api.get(f"/customers/{customer_id}")
    assert response.headers["ETag"] == '"0"'
    assert schemas.CustomerView().validate(response.json) == {}
    assert api.get(f"/customers/{uuid.uuid4()}").status_code == 404


def test_history_is_read_from_the_event_store(api):
    customer_id = api.register()
    api.post(f"/customers/{customer_id}/commands", one(customer_id, base_version=0))
    history = api.get(f"/customers/{customer_id}/history").json
    assert schemas.History().validate(history) == {}
    assert [(e["type"], e["status"], e["changes"]) for e in history["events"][1:]] == [
        ("NameChanged", "applied", {"name": "Beta"})
    ]
    assert api.get(f"/customers/{uuid.uuid4()}/history").status_code == 404


def test_min_position_waits_for_the_read_model_else_503(make_app, held_projection):
    api = Api(make_app("threads", READ_WAIT_SECONDS=0.2).test_client())
    created = api.post("/customers", {"client_id": "laptop-a", "name": "Acme"}).json
    path = f"/customers/{created['customer_id']}?min_position={created['position']}"
    behind = api.get(path)
    assert (behind.status_code, behind.headers["Retry-After"]) == (503, "1")
    held_projection.set()
    caught_up = api.get(path)
    assert (caught_up.status_code, caught_up.json["name"]) == (200, "Acme")

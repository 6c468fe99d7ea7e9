"""The README's story, errors included, checked against the OpenAPI document:
every request the story sends is one the document allows, and every answer,
success or problem, is one the document describes."""

from __future__ import annotations

import json
import uuid

import pytest
from flask import Response
from openapi_core import Config, OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_core.validation.response.exceptions import InvalidData
from openapi_spec_validator import validate
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from tests.web.conftest import Api, command
from web.openapi import build_spec

UNKNOWN = "3f0b6a6e-4a57-4c38-9d1b-123000000123"
PARIS = {
    "street": "1 Rue de Rivoli",
    "city": "Paris",
    "postal_code": "75001",
    "country": "FR",
}


class CheckedApi(Api):
    """The Flask test client; each answer checked against the document, and each
    request too unless it is sent ``invalid=True`` on purpose."""

    def __init__(self, client, token: str = "alice-token") -> None:
        super().__init__(client, token)
        problems = {"application/problem+json": json.loads}
        self.openapi = OpenAPI.from_dict(
            client.get("/openapi.json").json,
            config=Config(extra_media_type_deserializers=problems),
        )

    def as_(self, token: str) -> CheckedApi:
        other = CheckedApi.__new__(CheckedApi)
        other.__dict__.update(self.__dict__, headers={"Authorization": f"Bearer {token}"})
        return other

    def send(self, method: str, path: str, invalid: bool = False, **kwargs):
        kwargs["headers"] = {**self.headers, **kwargs.get("headers", {})}
        response = self.client.open(path, method=method, **kwargs)
        sent = Request(EnvironBuilder(path, method=method, **kwargs).get_environ())
        return self.check(response, sent, invalid)

    def check(self, response, sent: Request | None = None, invalid: bool = True):
        """The answer, once checked (the request too if it is not ``invalid``)."""
        request = WerkzeugOpenAPIRequest(sent or response.request)
        if not invalid:
            self.openapi.validate_request(request)
        self.openapi.validate_response(request, WerkzeugOpenAPIResponse(response))
        return response

    def get(self, path, invalid=False, **kwargs):
        return self.send("GET", path, invalid, **kwargs)

    def post(self, path, body=None, invalid=False, **kwargs):
        if body is not None:
            kwargs["json"] = body
        return self.send("POST", path, invalid, **kwargs)


@pytest.fixture
def checked(make_app):
    return CheckedApi(make_app(READ_WAIT_SECONDS=0.01).test_client())


@pytest.fixture
def story(checked):
    """Alice registers and renames, Bob's address merges and his name conflicts:
    the customer's id and Bob's conflict."""
    created = checked.post("/customers", {"client_id": "laptop-a", "name": "Acme"})
    customer_id = created.json["customer_id"]
    checked.post(
        "/sync",
        {
            "client_id": "laptop-a",
            "commands": [command("ChangeName", customer_id, {"name": "John Doe"}, 0)],
        },
    )
    both = checked.as_("bob-token").post(
        "/sync",
        {
            "client_id": "laptop-b",
            "commands": [
                command("ChangeAddress", customer_id, {"address": PARIS}, 0),
                command("ChangeName", customer_id, {"name": "Joan d'Arc"}, 0),
            ],
        },
    )
    assert [r["status"] for r in both.json["results"]] == ["merged", "conflict"]
    [conflict] = checked.get(f"/conflicts?customer_id={customer_id}").json["items"]
    return customer_id, conflict


def test_the_document_is_valid_openapi():
    validate(build_spec())


def test_registering_answers_as_documented(checked):
    registration = {
        "client_id": "laptop-a",
        "name": "Acme",
        "command_id": str(uuid.uuid4()),
    }
    created = checked.post("/customers", registration)
    assert created.status_code == 201
    assert checked.post("/customers", registration).status_code == 200
    exists = checked.post(
        "/customers",
        {
            **registration,
            "command_id": str(uuid.uuid4()),
            "customer_id": created.json["customer_id"],
        },
    )
    assert exists.status_code == 409
    assert exists.json["result"]["reason"] == "customer_exists"
    refused = checked.post(
        "/customers", {"client_id": "laptop-a", "name": "Beta", "email": "not an address"}
    )
    assert refused.status_code == 422
    assert refused.json["result"]["reason"] == "invalid_value"


def test_resolving_and_reading_answer_as_documented(checked, story):
    customer_id, conflict = story
    bob = checked.as_("bob-token")
    choice = {
        "client_id": "laptop-b",
        "choice": "candidate",
        "candidate_command_id": conflict["candidates"][0]["command_id"],
    }
    resolve = f"/conflicts/{conflict['conflict_id']}/resolve"
    resolved = bob.post(resolve, {**choice, "command_id": str(uuid.uuid4())}).json
    assert resolved["status"] == "applied"
    again = bob.post(resolve, {**choice, "command_id": str(uuid.uuid4())}).json
    assert again["reason"] == "conflict_already_resolved"
    [listed] = checked.get("/conflicts?status=all").json["items"]
    assert listed["resolution"]["chosen"]["author"] == "bob"
    view = checked.get(f"/customers/{customer_id}?min_position={resolved['position']}")
    assert (view.json["name"], view.json["address"]) == ("Joan d'Arc", PARIS)
    assert checked.get("/customers?since=0&limit=10").json["items"]
    events = checked.get(f"/customers/{customer_id}/history").json["events"]
    assert "ConflictResolved" in {e["type"] for e in events}


def test_one_command_and_the_public_endpoints_answer_as_documented(checked, story):
    customer_id, _ = story
    commands = f"/customers/{customer_id}/commands"
    phone = command("ChangePhone", customer_id, {"phone": "+33 1 23"}, 3)
    without_customer_id = {k: v for k, v in phone.items() if k != "customer_id"}
    phoned = checked.post(commands, {"client_id": "laptop-a", **without_customer_id})
    assert phoned.json["status"] == "applied"
    supplier = command("ChangeSupplier", customer_id, {"supplier": None}, 1)
    stale = checked.post(
        commands, {"client_id": "laptop-a", **supplier}, headers={"If-Match": '"1"'}
    )
    assert stale.status_code == 412
    assert stale.json["current_version"] == phoned.json["version"]
    assert checked.get("/me").json == {"employee": "alice"}
    assert checked.get("/health").json["status"] == "ok"
    assert checked.get("/openapi.json").json["openapi"].startswith("3.1")


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("GET", f"/customers/{UNKNOWN}", {}, 404),
        ("GET", "/customers/{customer_id}?min_position=999999", {}, 503),  # not reached
        ("GET", f"/customers/{UNKNOWN}/history", {}, 404),
        ("GET", "/customers?limit=0", {"invalid": True}, 422),
        ("GET", "/conflicts?status=closed", {"invalid": True}, 422),
        (
            "POST",
            f"/conflicts/{UNKNOWN}/resolve",
            {
                "json": {
                    "client_id": "laptop-a",
                    "command_id": UNKNOWN,
                    "choice": "current",
                }
            },
            404,
        ),
        (
            "POST",
            f"/customers/{UNKNOWN}/commands",
            {
                "json": {
                    "client_id": "laptop-a",
                    **command("ChangeName", UNKNOWN, {"name": "X"}, 0),
                }
            },
            404,
        ),
        (
            "POST",
            "/customers/{customer_id}/commands",
            {
                "json": {"client_id": "laptop-a"},
                "headers": {"If-Match": "1"},
                "invalid": True,
            },
            400,
        ),
        (
            "POST",
            "/sync",
            {"data": b"{", "content_type": "application/json", "invalid": True},
            400,
        ),
        (
            "POST",
            "/sync",
            {
                "json": {"client_id": "laptop-a", "commands": [{"type": "Nope"}]},
                "invalid": True,
            },
            422,
        ),
        (
            "POST",
            "/sync",
            {
                "data": b" " * (1024 * 1024 + 1),
                "content_type": "application/json",
                "invalid": True,
            },
            413,
        ),
    ],
)
def test_problems_answer_as_documented(checked, story, method, path, kwargs, status):
    customer_id, _ = story
    answer = checked.send(method, path.format(customer_id=customer_id), **kwargs)
    assert (answer.status_code, answer.mimetype) == (status, "application/problem+json")


def test_no_token_answers_as_documented(checked):
    assert checked.check(checked.client.get("/me")).status_code == 401


def test_an_answer_the_document_does_not_describe_is_caught(checked):
    view = {
        "customer_id": UNKNOWN,
        "version": 0,
        "position": 1,
        "name": "Acme",
        "email": None,
        "phone": None,
        "address": None,
        "supplier": None,
        "description": None,
        "status": "active",
        "conflicts": [],
        "fields": {
            "name": {
                "version": 0,
                "changed_by": "alice",
                "changed_at": "2026-11-26T09:15:00+00:00",
            }
        },
    }
    sent = Request(EnvironBuilder(f"/customers/{UNKNOWN}").get_environ())
    answer = Response(json.dumps(view), mimetype="application/json")
    assert checked.check(answer, sent) is answer
    view["fields"]["name"]["changed_at"] = "yesterday"
    with pytest.raises(InvalidData):
        checked.check(Response(json.dumps(view), mimetype="application/json"), sent)

"""The story of the README, errors included, checked against the OpenAPI document:
every request the story sends is one the document allows, and every answer,
success or problem, is one the document describes."""

from __future__ import annotations

import json
import uuid

import pytest
from openapi_core import Config, OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_spec_validator import validate
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from tests.web.conftest import Api, command
from web.openapi import build_spec

UNKNOWN = "3f0b6a6e-4a57-4c38-9d1b-123000000123"


def test_the_document_is_valid_openapi():
    validate(build_spec())


class CheckedApi(Api):
    """The Flask test client; each answer checked against the document, and each
    request too unless it is sent ``invalid=True`` on purpose."""

    def __init__(self, client, token: str = "alice-token") -> None:
        super().__init__(client, token)
        self.openapi = OpenAPI.from_dict(client.get("/openapi.json").json, config=Config(
            extra_media_type_deserializers={"application/problem+json": json.loads}))

    def as_(self, token: str) -> CheckedApi:
        other = CheckedApi.__new__(CheckedApi)
        other.__dict__.update(self.__dict__, headers={"Authorization": f"Bearer {token}"})
        return other

    def send(self, method: str, path: str, invalid: bool = False, **kwargs):
        kwargs["headers"] = {**self.headers, **kwargs.get("headers", {})}
        response = self.client.open(path, method=method, **kwargs)
        return self.check(response, Request(EnvironBuilder(path, method=method,
                                                           **kwargs).get_environ()), invalid)

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


def test_every_answer_of_the_story_is_one_the_document_describes(checked):
    alice, bob = checked, checked.as_("bob-token")
    assert alice.client.get("/health").status_code == 200
    assert alice.get("/health").json["status"] == "ok"
    assert alice.get("/me").json == {"employee": "alice"}
    registration = {"client_id": "laptop-a", "name": "Acme",
                    "command_id": str(uuid.uuid4())}
    created = alice.post("/customers", registration)
    assert created.status_code == 201
    customer_id = created.json["customer_id"]
    assert alice.post("/customers", registration).status_code == 200
    assert alice.post("/customers", {**registration, "command_id": str(uuid.uuid4()),
                                     "customer_id": customer_id}).status_code == 409
    refused = alice.post("/customers", {"client_id": "laptop-a", "name": "Beta",
                                        "email": "not an address"})
    assert (refused.status_code, refused.json["result"]["reason"]) == (422, "invalid_value")

    renamed = alice.post("/sync", {"client_id": "laptop-a", "commands": [
        command("ChangeName", customer_id, {"name": "John Doe"}, 0)]})
    assert [r["status"] for r in renamed.json["results"]] == ["applied"]
    address = {"street": "1 Rue de Rivoli", "city": "Paris", "postal_code": "75001",
               "country": "FR"}
    both = bob.post("/sync", {"client_id": "laptop-b", "commands": [
        command("ChangeAddress", customer_id, {"address": address}, 0),
        command("ChangeName", customer_id, {"name": "Joan d'Arc"}, 0)]})
    assert [r["status"] for r in both.json["results"]] == ["merged", "conflict"]

    [conflict] = bob.get(f"/conflicts?customer_id={customer_id}").json["items"]
    choice = {"client_id": "laptop-b", "choice": "candidate",
              "candidate_command_id": conflict["candidates"][0]["command_id"]}
    resolve = f"/conflicts/{conflict['conflict_id']}/resolve"
    assert bob.post(resolve, {**choice, "command_id": str(uuid.uuid4())}
                    ).json["status"] == "applied"
    again = bob.post(resolve, {**choice, "command_id": str(uuid.uuid4())}).json
    assert again["reason"] == "conflict_already_resolved"
    assert alice.get("/conflicts?status=all").json["items"][0]["resolution"] is not None

    commands = f"/customers/{customer_id}/commands"
    phoned = alice.post(commands, {"client_id": "laptop-a", **{
        k: v for k, v in command("ChangePhone", customer_id, {"phone": "+33 1 23"},
                                 4).items() if k != "customer_id"}})
    assert phoned.json["status"] == "applied"
    stale = alice.post(commands, {"client_id": "laptop-a", **command(
        "ChangeSupplier", customer_id, {"supplier": None}, 1)}, headers={"If-Match": '"1"'})
    assert (stale.status_code, stale.json["current_version"]) == (412, phoned.json["version"])

    view = alice.get(f"/customers/{customer_id}?min_position={phoned.json['position']}")
    assert (view.json["name"], view.json["address"]) == ("Joan d'Arc", address)
    assert alice.get("/customers?since=0&limit=10").json["items"]
    events = alice.get(f"/customers/{customer_id}/history").json["events"]
    assert "ConflictResolved" in {e["type"] for e in events}
    assert alice.get("/openapi.json").json["openapi"].startswith("3.1")

    problems = [
        alice.client.get("/me"),  # no token
        alice.get(f"/customers/{UNKNOWN}"),
        alice.get(f"/customers/{customer_id}?min_position=999999"),  # not reached
        alice.get(f"/customers/{UNKNOWN}/history"),
        alice.get("/customers?limit=0", invalid=True),
        alice.get("/conflicts?status=closed", invalid=True),
        alice.post(f"/conflicts/{UNKNOWN}/resolve", {
            "client_id": "laptop-a", "command_id": str(uuid.uuid4()), "choice": "current"}),
        alice.post(f"/customers/{UNKNOWN}/commands", {"client_id": "laptop-a", **command(
            "ChangeName", UNKNOWN, {"name": "X"}, 0)}),
        alice.post(commands, {"client_id": "laptop-a"}, headers={"If-Match": "1"},
                   invalid=True),
        alice.post("/sync", data=b"{", content_type="application/json", invalid=True),
        alice.post("/sync", {"client_id": "laptop-a", "commands": [{"type": "Nope"}]},
                   invalid=True),
        alice.post("/sync", data=b" " * (1024 * 1024 + 1),
                   content_type="application/json", invalid=True),
    ]
    checked.check(problems[0])
    assert [p.status_code for p in problems] == [
        401, 404, 503, 404, 422, 422, 404, 404, 400, 400, 422, 413]
    assert {p.mimetype for p in problems} == {"application/problem+json"}


def test_an_answer_the_document_does_not_describe_is_caught(checked):
    from flask import Response
    from openapi_core.validation.response.exceptions import InvalidData

    view = {"customer_id": UNKNOWN, "version": 0, "position": 1, "name": "Acme",
            "email": None, "phone": None, "address": None, "supplier": None,
            "description": None, "status": "active", "conflicts": [],
            "fields": {"name": {"version": 0, "changed_by": "alice",
                                "changed_at": "2026-11-26T09:15:00+00:00"}}}
    sent = Request(EnvironBuilder(f"/customers/{UNKNOWN}").get_environ())
    answer = Response(json.dumps(view), mimetype="application/json")
    assert checked.check(answer, sent) is answer
    view["fields"]["name"]["changed_at"] = "yesterday"
    with pytest.raises(InvalidData):
        checked.check(Response(json.dumps(view), mimetype="application/json"), sent)

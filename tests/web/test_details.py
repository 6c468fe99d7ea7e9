"""What a refusal says and records: each value rule's message, a rejected
resolution's event in the history, the 404 of an unknown customer."""

from __future__ import annotations

import uuid

import pytest

from tests.web.conftest import command

ADDRESS = {"street": "1 Main St", "city": "Lyon", "postal_code": "69001", "country": "FR"}


def sync(api, *commands, client_id="laptop-a"):
    response = api.post("/sync", {"client_id": client_id, "commands": list(commands)})
    assert response.status_code == 200, response.json
    return response.json["results"]


@pytest.mark.parametrize(("kind", "payload", "detail"), [
    ("ChangeName", {"name": "  "}, "name: must be 1 to 200 characters long"),
    ("ChangeName", {"name": "x" * 201}, "name: must be 1 to 200 characters long"),
    ("ChangePhone", {"phone": "?"},
     "phone: must be 3 to 40 characters of digits, spaces and +-()"),
    ("ChangeAddress", {"address": {**ADDRESS, "country": "XX"}},
     "address.country: must be an ISO 3166-1 alpha-2 code"),
    ("ChangeAddress", {"address": {**ADDRESS, "country": "fr"}},
     "address.country: must be an ISO 3166-1 alpha-2 code"),
    ("ChangeAddress", {"address": {**ADDRESS, "city": ""}},
     "address.city: must be 1 to 200 characters long"),
    ("ChangeSupplier", {"supplier": ""}, "supplier: must be 1 to 200 characters long"),
    ("ChangeDescription", {"description": "x" * 10_001},
     "description: must be 0 to 10000 characters long"),
    ("ChangeStatus", {"status": "gone"}, "status: must be one of active, on_hold, closed"),
])
def test_each_rule_says_what_it_wants(api, kind, payload, detail):
    customer_id = api.register()
    [result] = sync(api, command(kind, customer_id, payload, 0))
    assert (result["status"], result["reason"], result["detail"]) == (
        "rejected", "invalid_value", detail)


def test_an_invalid_email_says_why(api):
    customer_id = api.register()
    [result] = sync(api, command("ChangeEmail", customer_id, {"email": "no at sign"}, 0))
    assert result["detail"].startswith("email: not a valid address (")


@pytest.mark.parametrize("field", ["email", "phone", "address", "supplier", "description"])
def test_a_null_clears_a_field_that_may_be_empty(api, field):
    values = {"email": "desk@acme.com", "phone": "+33 1 23", "address": ADDRESS,
              "supplier": "Old Co", "description": "note"}
    customer_id = api.register(**{field: values[field]})
    kind = f"Change{field.title()}"
    [result] = sync(api, command(kind, customer_id, {field: None}, 0))
    assert result["status"] == "applied"
    assert api.get(f"/customers/{customer_id}").json[field] is None


def conflict_on(api, field, first, second):
    customer_id = api.register()
    kind = f"Change{field.title()}"
    sync(api, command(kind, customer_id, {field: first}, 0), client_id="office")
    [opened] = sync(api, command(kind, customer_id, {field: second}, 0))
    assert opened["status"] == "conflict"
    return customer_id, opened


@pytest.mark.parametrize(("field", "values", "value", "detail"), [
    ("name", ("Gamma", "Beta"), 5, "name: must be a string"),
    ("email", ("a@acme.com", "b@acme.com"), 5, "email: must be a string"),
    ("address", (ADDRESS, {**ADDRESS, "city": "Paris"}), {"street": "x"},
     "address: must have exactly street, city, postal_code, country"),
    ("address", (ADDRESS, {**ADDRESS, "city": "Paris"}), "Lyon",
     "address: must have exactly street, city, postal_code, country"),
    ("supplier", ("A Co", "B Co"), 5, "supplier: must be a string"),
])
def test_a_resolution_with_a_value_of_the_wrong_kind_is_rejected(api, field, values, value,
                                                                 detail):
    customer_id, opened = conflict_on(api, field, *values)
    response = api.post(f"/conflicts/{opened['conflict_id']}/resolve", {
        "client_id": "desk", "command_id": str(uuid.uuid4()), "choice": "value",
        "value": value}).json
    assert (response["status"], response["reason"], response["detail"]) == (
        "rejected", "invalid_value", detail)


@pytest.mark.parametrize(("choice", "detail"), [
    ({"choice": "candidate", "candidate_command_id": str(uuid.uuid4())},
     "candidate_command_id names no candidate"),
    ({"choice": "value", "value": "Omega"}, "the conflict is already resolved"),
])
def test_a_rejected_resolution_is_recorded_with_what_stood(api, choice, detail):
    customer_id, opened = conflict_on(api, "name", "Gamma", "Beta")
    path = f"/conflicts/{opened['conflict_id']}/resolve"
    if detail == "the conflict is already resolved":
        api.post(path, {"client_id": "desk", "command_id": str(uuid.uuid4()),
                        "choice": "current"})
    rejected = api.post(path, {"client_id": "desk", "command_id": str(uuid.uuid4()),
                               **choice}).json
    assert (rejected["status"], rejected["reason"], rejected["detail"]) == (
        "rejected", {"candidate": "invalid_value"}.get(choice["choice"],
                                                        "conflict_already_resolved"), detail)
    events = api.get(f"/customers/{customer_id}/history").json["events"]
    event = events[rejected["version"]]
    assert (event["type"], event["detail"], event["conflict_id"], event["field"],
            event["value"]) == ("CommandRejected", detail, opened["conflict_id"], "name",
                                choice.get("value"))
    assert (event["current"]["value"], event["current"]["author"]) == ("Gamma", "alice")


def test_resolving_an_unknown_conflict_in_a_batch_says_so(api):
    customer_id = api.register()
    resolve = command("ResolveConflict", customer_id,
                      {"conflict_id": str(uuid.uuid4()), "choice": "current"}, 0)
    [result] = sync(api, resolve)
    assert (result["status"], result["reason"], result["detail"], result["version"]) == (
        "rejected", "conflict_not_found", "no such conflict on this customer", 0)


def test_the_history_of_an_unknown_customer_is_a_404_naming_it(api):
    customer_id = uuid.uuid4()
    response = api.get(f"/customers/{customer_id}/history")
    assert (response.status_code, response.json["detail"]) == (
        404, f"customer {customer_id} not found")

"""What a refusal says and records: each value rule's message, a rejected
resolution's event in the history, the 404 of an unknown customer."""

from __future__ import annotations

import uuid

import pytest

from system.runtime import Deployment
from tests.web.conftest import TOKENS, Api, command
from web import create_app

ADDRESS = {"street": "1 Main St", "city": "Lyon", "postal_code": "69001", "country": "FR"}


def sync(api, *commands, client_id="laptop-a"):
    response = api.post("/sync", {"client_id": client_id, "commands": list(commands)})
    assert response.status_code == 200, response.json
    return response.json["results"]


@pytest.mark.parametrize(
    ("kind", "payload", "detail"),
    [
        ("ChangeName", {"name": "  "}, "name: must be 1 to 200 characters long"),
        ("ChangeName", {"name": "x" * 201}, "name: must be 1 to 200 characters long"),
        (
            "ChangePhone",
            {"phone": "?"},
            "phone: must be 3 to 40 characters of digits, spaces and +-()",
        ),
        (
            "ChangeAddress",
            {"address": {**ADDRESS, "country": "XX"}},
            "address.country: must be an ISO 3166-1 alpha-2 code",
        ),
        (
            "ChangeAddress",
            {"address": {**ADDRESS, "country": "fr"}},
            "address.country: must be an ISO 3166-1 alpha-2 code",
        ),
        (
            "ChangeAddress",
            {"address": {**ADDRESS, "city": ""}},
            "address.city: must be 1 to 200 characters long",
        ),
        (
            "ChangeSupplier",
            {"supplier": ""},
            "supplier: must be 1 to 200 characters long",
        ),
        (
            "ChangeDescription",
            {"description": "x" * 10_001},
            "description: must be 0 to 10000 characters long",
        ),
        (
            "ChangeStatus",
            {"status": "gone"},
            "status: must be one of active, on_hold, closed",
        ),
    ],
)
def test_each_rule_says_what_it_wants(api, kind, payload, detail):
    customer_id = api.register()
    [result] = sync(api, command(kind, customer_id, payload, 0))
    assert (result["status"], result["reason"], result["detail"]) == (
        "rejected",
        "invalid_value",
        detail,
    )


def test_an_invalid_email_says_why(api):
    customer_id = api.register()
    [result] = sync(api, command("ChangeEmail", customer_id, {"email": "no at sign"}, 0))
    assert result["detail"].startswith("email: not a valid address (")


@pytest.mark.parametrize(
    "field", ["email", "phone", "address", "supplier", "description"]
)
def test_a_null_clears_a_field_that_may_be_empty(api, field):
    values = {
        "email": "desk@acme.com",
        "phone": "+33 1 23",
        "address": ADDRESS,
        "supplier": "Old Co",
        "description": "note",
    }
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


@pytest.mark.parametrize(
    ("field", "values", "value", "detail"),
    [
        ("name", ("Gamma", "Beta"), 5, "name: must be a string"),
        ("email", ("a@acme.com", "b@acme.com"), 5, "email: must be a string"),
        (
            "address",
            (ADDRESS, {**ADDRESS, "city": "Paris"}),
            {"street": "x"},
            "address: must have exactly street, city, postal_code, country",
        ),
        (
            "address",
            (ADDRESS, {**ADDRESS, "city": "Paris"}),
            "Lyon",
            "address: must have exactly street, city, postal_code, country",
        ),
        ("supplier", ("A Co", "B Co"), 5, "supplier: must be a string"),
    ],
)
def test_a_resolution_with_a_value_of_the_wrong_kind_is_rejected(
    api, field, values, value, detail
):
    customer_id, opened = conflict_on(api, field, *values)
    response = api.post(
        f"/conflicts/{opened['conflict_id']}/resolve",
        {
            "client_id": "desk",
            "command_id": str(uuid.uuid4()),
            "choice": "value",
            "value": value,
        },
    ).json
    assert (response["status"], response["reason"], response["detail"]) == (
        "rejected",
        "invalid_value",
        detail,
    )


@pytest.mark.parametrize(
    ("choice", "detail"),
    [
        (
            {"choice": "candidate", "candidate_command_id": str(uuid.uuid4())},
            "candidate_command_id names no candidate",
        ),
        ({"choice": "value", "value": "Omega"}, "the conflict is already resolved"),
    ],
)
def test_a_rejected_resolution_is_recorded_with_what_stood(api, choice, detail):
    customer_id, opened = conflict_on(api, "name", "Gamma", "Beta")
    path = f"/conflicts/{opened['conflict_id']}/resolve"
    if detail == "the conflict is already resolved":
        api.post(
            path,
            {"client_id": "desk", "command_id": str(uuid.uuid4()), "choice": "current"},
        )
    rejected = api.post(
        path, {"client_id": "desk", "command_id": str(uuid.uuid4()), **choice}
    ).json
    assert (rejected["status"], rejected["reason"], rejected["detail"]) == (
        "rejected",
        {"candidate": "invalid_value"}.get(choice["choice"], "conflict_already_resolved"),
        detail,
    )
    events = api.get(f"/customers/{customer_id}/history").json["events"]
    event = events[rejected["version"]]
    assert (
        event["type"],
        event["detail"],
        event["conflict_id"],
        event["field"],
        event["value"],
    ) == ("CommandRejected", detail, opened["conflict_id"], "name", choice.get("value"))
    assert (event["current"]["value"], event["current"]["author"]) == ("Gamma", "alice")


def test_resolving_an_unknown_conflict_in_a_batch_says_so(api):
    customer_id = api.register()
    resolve = command(
        "ResolveConflict",
        customer_id,
        {"conflict_id": str(uuid.uuid4()), "choice": "current"},
        0,
    )
    [result] = sync(api, resolve)
    assert (result["status"], result["reason"], result["detail"], result["version"]) == (
        "rejected",
        "conflict_not_found",
        "no such conflict on this customer",
        0,
    )


def test_the_history_of_an_unknown_customer_is_a_404_naming_it(api):
    customer_id = uuid.uuid4()
    response = api.get(f"/customers/{customer_id}/history")
    assert (response.status_code, response.json["detail"]) == (
        404,
        f"customer {customer_id} not found",
    )


def test_refusals_that_record_nothing_say_why(api):
    customer_id = api.register()
    ahead = command("ChangeName", customer_id, {"name": "Beta"}, 7)
    [refused] = sync(api, ahead)
    assert (refused["reason"], refused["detail"], refused["version"]) == (
        "base_version_ahead",
        "the customer is only at version 0",
        0,
    )
    first = command("ChangeName", customer_id, {"name": "Beta"}, 0)
    sync(api, first)
    [reused] = sync(api, {**first, "payload": {"name": "Other"}})
    assert (reused["reason"], reused["detail"], reused["version"]) == (
        "command_id_reused",
        "this command_id was already used for a different command",
        1,
    )
    exists = api.post(
        "/customers",
        {"client_id": "laptop-a", "customer_id": customer_id, "name": "Other"},
    ).json["result"]
    assert (exists["reason"], exists["detail"], exists["version"]) == (
        "customer_exists",
        "a customer with this id exists",
        1,
    )
    nobody = command("ChangeName", str(uuid.uuid4()), {"name": "Beta"}, 0)
    [missing] = sync(api, nobody)
    assert (missing["reason"], missing["detail"], missing["version"]) == (
        "customer_not_found",
        "no customer has this id",
        None,
    )


@pytest.fixture
def api_under(store_env):
    """The API of a deployment under a given conflict policy."""
    deployments = []

    def make(policy):
        deployment = Deployment({**store_env, "CONFLICT_POLICY": policy})
        deployments.append(deployment)
        return Api(
            create_app({"DEPLOYMENT": deployment, "AUTH_TOKENS": TOKENS}).test_client()
        )

    yield make
    for deployment in deployments:
        deployment.stop()


@pytest.mark.parametrize(
    ("policy", "status", "reason", "detail", "kept"),
    [
        (
            "manual",
            "conflict",
            None,
            "concurrent edit: alice set name to 'Gamma'; both values are kept",
            "current",
        ),
        (
            "first-sync-wins",
            "rejected",
            "concurrent_edit",
            "first sync wins: alice set name to 'Gamma' since version 0",
            "current",
        ),
        (
            "last-writer-wins",
            "applied",
            "overwrote_concurrent_edit",
            "overwrote a concurrent edit: alice set name to 'Gamma'",
            "previous",
        ),
    ],
)
def test_a_concurrent_edit_says_who_set_what_and_keeps_it(
    api_under, policy, status, reason, detail, kept
):
    api = api_under(policy)
    customer_id = api.register()
    [first] = sync(
        api, command("ChangeName", customer_id, {"name": "Gamma"}, 0), client_id="office"
    )
    [result] = sync(
        api.as_("bob-token"), command("ChangeName", customer_id, {"name": "Beta"}, 0)
    )
    assert (result["status"], result["reason"], result["detail"]) == (
        status,
        reason,
        detail,
    )
    event = api.get(f"/customers/{customer_id}/history").json["events"][result["version"]]
    assert (
        event["detail"],
        event[kept]["value"],
        event[kept]["version"],
        event[kept]["author"],
        event[kept]["client_id"],
    ) == (detail, "Gamma", first["version"], "alice", "office")


def test_a_superseded_edit_names_and_keeps_the_winner(api_under):
    api = api_under("last-writer-wins")
    customer_id = api.register()
    [first] = sync(
        api, command("ChangeName", customer_id, {"name": "Gamma"}, 0), client_id="office"
    )
    late = {
        **command("ChangeName", customer_id, {"name": "Beta"}, 0),
        "issued_at": "2020-01-01T00:00:00+00:00",
    }
    [result] = sync(api.as_("bob-token"), late)
    assert (result["status"], result["detail"]) == (
        "superseded",
        "a later edit wins: alice set name to 'Gamma'",
    )
    event = api.get(f"/customers/{customer_id}/history").json["events"][result["version"]]
    assert (
        event["value"],
        event["winner"]["value"],
        event["winner"]["version"],
        event["winner"]["author"],
    ) == ("Beta", "Gamma", first["version"], "alice")


def test_each_recorded_verdict_says_what_happened(api):
    customer_id = api.register()
    bob = api.as_("bob-token")
    sync(
        api, command("ChangeName", customer_id, {"name": "Gamma"}, 0), client_id="office"
    )
    [opened] = sync(bob, command("ChangeName", customer_id, {"name": "Beta"}, 0))
    [joined] = sync(
        bob,
        command("ChangeName", customer_id, {"name": "Delta"}, 0),
        client_id="laptop-c",
    )
    assert joined["detail"] == "name is in an open conflict; this value joins it"
    resolved = api.post(
        f"/conflicts/{opened['conflict_id']}/resolve",
        {"client_id": "desk", "command_id": str(uuid.uuid4()), "choice": "current"},
    ).json
    assert resolved["detail"] == "name resolved"
    events = api.get(f"/customers/{customer_id}/history").json["events"]
    resolution = events[resolved["version"]]
    assert (
        resolution["type"],
        resolution["choice"],
        resolution["value"],
        resolution["chosen"]["author"],
        resolution["previous"]["value"],
        resolution["changes"],
    ) == ("ConflictResolved", "current", "Gamma", "alice", "Gamma", {"name": "Gamma"})
    joined_event = events[joined["version"]]
    assert (
        joined_event["type"],
        joined_event["field"],
        joined_event["candidate"]["value"],
        joined_event["candidate"]["client_id"],
    ) == ("ConflictCandidateAdded", "name", "Delta", "laptop-c")
    sync(
        api,
        command("ChangeStatus", customer_id, {"status": "closed"}, resolved["version"]),
    )
    [closed] = sync(api, command("ChangeName", customer_id, {"name": "Omega"}, 0))
    assert (closed["reason"], closed["detail"]) == (
        "customer_closed",
        "the customer is closed",
    )
    refused = api.get(f"/customers/{customer_id}/history").json["events"][
        closed["version"]
    ]
    assert (refused["field"], refused["value"], refused["current"]) == (
        "name",
        "Omega",
        None,
    )


def test_a_resolution_with_a_new_value_records_it_as_the_resolvers(api):
    customer_id, opened = conflict_on(api, "name", "Gamma", "Beta")
    resolved = (
        api.as_("carol-token")
        .post(
            f"/conflicts/{opened['conflict_id']}/resolve",
            {
                "client_id": "desk",
                "command_id": str(uuid.uuid4()),
                "choice": "value",
                "value": "Omega",
            },
        )
        .json
    )
    assert resolved["status"] == "applied"
    [conflict] = api.get(f"/conflicts?status=resolved&customer_id={customer_id}").json[
        "items"
    ]
    chosen = conflict["resolution"]["chosen"]
    assert (
        conflict["resolution"]["value"],
        chosen["value"],
        chosen["author"],
        chosen["client_id"],
        chosen["command_id"],
    ) == ("Omega", "Omega", "carol", "desk", resolved["command_id"])


def test_a_history_event_has_the_keys_of_the_api_and_its_own(api):
    customer_id = api.register()
    [changed] = sync(api, command("ChangeName", customer_id, {"name": "Beta"}, 0))
    event = api.get(f"/customers/{customer_id}/history").json["events"][
        changed["version"]
    ]
    provenance = {
        "version",
        "type",
        "recorded_at",
        "command_id",
        "client_id",
        "author",
        "issued_at",
        "effective_at",
        "received_at",
        "base_version",
        "status",
        "reason",
        "detail",
        "conflict_id",
        "changes",
    }
    assert set(event) == provenance | {"value", "previous"}  # what a change carries
    registered = api.get(f"/customers/{customer_id}/history").json["events"][0]
    assert set(registered) == provenance  # its values are its changes
    assert (
        event["type"],
        event["command_id"],
        event["client_id"],
        event["author"],
        event["base_version"],
        event["status"],
        event["value"],
        event["previous"]["value"],
    ) == (
        "NameChanged",
        changed["command_id"],
        "laptop-a",
        "alice",
        0,
        "applied",
        "Beta",
        "Acme",
    )


def test_an_edit_from_before_anothers_change_conflicts_after_the_senders_own(api):
    """Concurrency is another client's change after the base, even when the
    sender's own change came last."""
    customer_id = api.register()
    sync(
        api.as_("bob-token"),
        command("ChangeName", customer_id, {"name": "Bob's"}, 0),
        client_id="laptop-b",
    )
    sync(
        api, command("ChangeName", customer_id, {"name": "Seen"}, 1), client_id="laptop-c"
    )
    [late] = sync(
        api,
        command("ChangeName", customer_id, {"name": "Older"}, 0),
        client_id="laptop-c",
    )
    assert late["status"] == "conflict"


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            {"CONFLICT_POLICY": "bogus"},
            "CONFLICT_POLICY: 'bogus' is not one of manual, last-writer-wins, first-sync-wins",
        ),
        (
            {"CONFLICT_POLICY_NAME": "bogus"},
            "CONFLICT_POLICY_NAME: 'bogus' is not one of manual, last-writer-wins, first-sync-wins",
        ),
        (
            {"CONFLICT_DETECTION": "row"},
            "CONFLICT_DETECTION: 'row' is not one of field, aggregate",
        ),
    ],
)
def test_a_misconfigured_policy_is_refused_naming_it(store_env, setting, message):
    with pytest.raises(ValueError) as refused:
        Deployment({**store_env, **setting})
    assert str(refused.value) == message

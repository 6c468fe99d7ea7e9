"""POST /sync: one verdict per command, in request order."""

from __future__ import annotations

import json
import uuid

from tests.web.conftest import command


def test_a_batch_gets_verdicts_in_request_order_and_a_position(api):
    customer_id = api.register()
    batch = [
        command("ChangeName", customer_id, {"name": "Beta"}, 0),
        command("ChangeName", customer_id, {"name": "x" * 201}, 0),
        command("ChangeSupplier", customer_id, {"supplier": "New Co"}, 0),
        command("ChangeName", uuid.uuid4(), {"name": "Nobody"}, 0),
    ]
    response = api.post("/sync", {"client_id": "laptop-a", "commands": batch})
    assert response.status_code == 200
    results = response.json["results"]
    assert [r["command_id"] for r in results] == [c["command_id"] for c in batch]
    assert [(r["status"], r["reason"], r["version"]) for r in results] == [
        ("applied", None, 1),
        ("rejected", "invalid_value", 2),
        ("applied", None, 3),
        ("rejected", "customer_not_found", None),
    ]
    assert response.json["position"] == 4


def test_resending_a_batch_answers_the_same_verdicts_as_duplicates(api):
    customer_id = api.register()
    body = {
        "client_id": "laptop-a",
        "commands": [command("ChangeName", customer_id, {"name": "Beta"}, 0)],
    }
    first = api.post("/sync", body).json["results"]
    again = api.post("/sync", body).json["results"]
    assert [(r["status"], r["version"], r["duplicate"]) for r in again] == [
        (first[0]["status"], first[0]["version"], True)
    ]


def test_a_malformed_command_refuses_the_whole_batch(api):
    customer_id = api.register()
    good = command("ChangeName", customer_id, {"name": "Beta"}, 0)
    bad = command("ChangeNickname", customer_id, {"nick": "B"}, 0)
    response = api.post("/sync", {"client_id": "laptop-a", "commands": [good, bad]})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert "type" in response.json["errors"]["commands"]["1"]
    history = api.get(f"/customers/{customer_id}/history").json
    assert history["version"] == 0


def test_more_than_1000_commands_is_refused(api):
    customer_id = api.register()
    batch = [
        command("ChangeDescription", customer_id, {"description": str(n)}, 0)
        for n in range(1001)
    ]
    response = api.post("/sync", {"client_id": "laptop-a", "commands": batch})
    assert response.status_code == 422
    assert "commands" in response.json["errors"]


def test_a_body_over_one_mebibyte_is_refused(api):
    response = api.post(
        "/sync",
        data=b'{"client_id": "' + b"x" * (1024 * 1024) + b'"}',
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"


def test_the_author_is_the_tokens_employee_never_the_body(api):
    customer_id = api.register()
    batch = [command("ChangeName", customer_id, {"name": "Beta"}, 0)]
    refused = api.as_("bob-token").post(
        "/sync", {"client_id": "laptop-b", "author": "mallory", "commands": batch}
    )
    assert refused.status_code == 422
    assert "author" in refused.json["errors"]
    api.as_("bob-token").post("/sync", {"client_id": "laptop-b", "commands": batch})
    events = api.get(f"/customers/{customer_id}/history").json["events"]
    assert [e["author"] for e in events] == ["alice", "bob"]


def test_results_are_written_as_the_result_schema_dumps_them(api):
    from flask import Flask

    from application.results import Result as Verdict
    from web.json_provider import COMPACT, MsgspecJSONProvider
    from web.schemas import Result, dump_result

    customer_id = api.register()
    stale = [command("ChangeName", customer_id, {"name": name}, 0) for name in ("B", "C")]
    api.post("/sync", {"client_id": "laptop-a", "commands": stale[:1]})
    answers = api.post(
        "/sync",
        {
            "client_id": "laptop-b",
            "commands": [
                stale[1],
                command("ChangeName", uuid.uuid4(), {"name": "Nobody"}, 0),
                command("ChangePhone", customer_id, {"phone": "?"}, 0),
            ],
        },
    ).json["results"]
    assert {a["status"] for a in answers} == {"conflict", "rejected"}
    assert any(a["conflict_id"] for a in answers)
    made = [
        Verdict(
            **{
                **answer,
                "command_id": uuid.UUID(answer["command_id"]),
                "customer_id": uuid.UUID(answer["customer_id"]),
                "conflict_id": answer["conflict_id"] and uuid.UUID(answer["conflict_id"]),
            }
        )
        for answer in answers
    ]
    encoder = MsgspecJSONProvider(Flask(__name__))
    written = json.loads(encoder.dumps([dump_result(r) for r in made], **COMPACT))
    assert written == Result().dump(made, many=True) == answers

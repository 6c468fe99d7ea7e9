"""Whole-request errors: clear 4xx problems, never a 500."""

from __future__ import annotations

import pytest
from eventsourcing.persistence import OperationalError

from tests.web.conftest import command


@pytest.mark.parametrize(
    "body",
    [
        b"{",
        b"[1, 2]",
        b'"text"',
        b"null",
        b"\xff\xfe{}",
        b'{"client_id": NaN}',
        b'{"a": Infinity}',
        b"[" * 100_000 + b"]" * 100_000,
        b'{"client_id": "\\ud800"}',
    ],
)
def test_a_body_that_is_not_a_json_object_is_400(api, body):
    response = api.post("/sync", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert set(response.json) >= {"type", "title", "status", "detail"}


@pytest.mark.parametrize("path", ["/customers/not-a-uuid", "/nowhere"])
def test_unknown_paths_are_404_problems(api, path):
    response = api.get(path)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_a_busy_store_is_503_with_retry_after(api, monkeypatch):
    customer_id = api.register()
    deployment = api.client.application.extensions["deployment"]

    def busy(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(deployment.customers, "submit", busy)
    response = api.post(
        "/sync",
        {
            "client_id": "laptop-a",
            "commands": [command("ChangeName", customer_id, {"name": "Beta"}, 0)],
        },
    )
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"


@pytest.mark.parametrize(
    ("headers", "error"),
    [
        ({}, None),
        ({"Authorization": "Basic YWxpY2U6c2VjcmV0"}, None),
        ({"Authorization": "Bearer"}, None),
        ({"Authorization": "Bearer not-a-token"}, "invalid_token"),
        ({"Authorization": "Bearer alice-token-revoked"}, "invalid_token"),
    ],
)
def test_missing_malformed_and_unknown_tokens_are_401(api, headers, error):
    response = api.client.get("/customers", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    if error:
        assert error in response.headers["WWW-Authenticate"]


def test_health_and_the_openapi_document_need_no_token(api):
    assert api.client.get("/health").status_code == 200
    assert api.client.get("/openapi.json").status_code == 200


def test_hostile_requests_get_their_clear_answers(api):
    from soak.hostile import cases

    customer_id = api.register()
    for what, path, body, status, verdicts in cases(customer_id):
        response = api.post(path, data=body, content_type="application/json")
        assert response.status_code == status, (what, response.status_code, response.text)
        if verdicts:
            results = response.json["results"]
            assert [
                f"{r['status']} duplicate" if r["duplicate"] else r["status"]
                for r in results
            ] == verdicts, what
            first_version = {}
            for result in results:  # a re-sent command answers its first version
                first = first_version.setdefault(result["command_id"], result["version"])
                assert result["version"] == first, what
        else:
            assert response.mimetype == "application/problem+json", what


@pytest.mark.parametrize(
    "query", ["since=99999999999999999999", "min_position=9223372036854775808"]
)
def test_positions_beyond_what_a_store_holds_are_422(api, query):
    customer_id = api.register()
    path = "/customers" if query.startswith("since") else f"/customers/{customer_id}"
    response = api.get(f"{path}?{query}")
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize(
    "issued_at", ["0001-01-01T00:00:00+00:01", "9999-12-31T23:59:59-00:01"]
)
def test_a_time_utc_cannot_hold_is_422(api, issued_at):
    customer_id = api.register()
    edit = command("ChangeName", customer_id, {"name": "Beta"}, 0, issued_at=issued_at)
    for path, body in [
        ("/sync", {"client_id": "laptop-a", "commands": [edit]}),
        (f"/customers/{customer_id}/commands", {"client_id": "laptop-a", **edit}),
        ("/customers", {"client_id": "laptop-a", "name": "Acme", "issued_at": issued_at}),
    ]:
        for _ in range(2):  # the second time, as a re-send of the same command
            response = api.post(path, body)
            assert response.status_code == 422, (path, response.json)
            assert "issued_at" in str(response.json["errors"]), response.json

"""Responses encoded by msgspec (web.json_provider): the text Flask's own
provider writes, but for characters beyond ASCII, written as UTF-8."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal

import pytest
from flask import Flask
from flask.json.provider import DefaultJSONProvider

from web.json_provider import COMPACT, MsgspecJSONProvider


@pytest.fixture
def providers():
    app = Flask(__name__)
    return MsgspecJSONProvider(app), DefaultJSONProvider(app)


def test_a_response_is_the_text_flask_writes(providers):
    ours, flasks = providers
    answer = {
        "results": [
            {
                "status": "conflict",
                "command_id": uuid.uuid4(),
                "conflict_id": None,
                "version": 7,
                "duplicate": False,
                "detail": 'a "quoted" \\ value\n',
            }
        ],
        "position": 12,
        "amount": Decimal("1.50"),
    }
    assert ours.dumps(answer, **COMPACT) == flasks.dumps(answer, **COMPACT)


def test_characters_beyond_ascii_are_written_as_utf8(providers):
    ours, flasks = providers
    answer = {"name": "Blåbær AS ✓"}
    written = ours.dumps(answer, **COMPACT)
    assert written == '{"name":"Blåbær AS ✓"}'
    assert json.loads(written) == json.loads(flasks.dumps(answer, **COMPACT))


def test_what_msgspec_cannot_write_is_left_to_flask(providers):
    ours, flasks = providers
    for answer in ({"name": "\ud800"}, {"errors": {1: ["Not a valid UUID."]}}):
        assert ours.dumps(answer, **COMPACT) == flasks.dumps(answer, **COMPACT)
    indented = {"b": 1, "a": [1, 2]}
    assert ours.dumps(indented, indent=2) == flasks.dumps(indented, indent=2)
    with pytest.raises(TypeError):
        ours.dumps({"what": object()}, **COMPACT)


def test_the_app_answers_through_it(api):
    customer_id = api.register("Blåbær AS")
    answer = api.get(f"/customers/{customer_id}?min_position=1")
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.json["name"] == "Blåbær AS"
    assert answer.get_data(as_text=True) == (
        json.dumps(answer.json, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        + "\n"
    )

"""The OpenAPI document: complete, valid, and the source of fuzzed requests."""

from __future__ import annotations

import os
import re

import pytest

from soak.fuzz import OPERATIONS, fuzz_operation, known_ids
from tests.web.conftest import TOKENS

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))


def test_the_document_describes_every_route(api):
    document = api.client.get("/openapi.json").json
    assert document["openapi"].startswith("3.")
    documented = {(path, method.upper()) for path, item in document["paths"].items()
                  for method in item if method in ("get", "post")}
    routes = {(re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), method)
              for rule in api.client.application.url_map.iter_rules()
              if rule.endpoint != "static"
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == routes


def test_request_schemas_are_the_validating_ones(api):
    components = api.client.get("/openapi.json").json["components"]["schemas"]
    command = components["Command"]
    assert set(command["required"]) == {"command_id", "type", "customer_id", "issued_at",
                                        "payload"}
    assert command["properties"]["type"]["enum"][0] == "RegisterCustomer"
    assert components["SyncRequest"]["properties"]["commands"]["maxItems"] == 1000


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_no_generated_request_gets_a_server_error(make_app, path, method):
    """Requests generated from the document (valid and not), as any token holder.
    The one 5xx allowed is the contract's 503 for a min_position not reached."""
    app = make_app(READ_WAIT_SECONDS=0.01)
    token = TOKENS.split(",")[0].split("=")[0]
    known = known_ids(app.test_client(), ("alice-token", "bob-token"))
    counts = fuzz_operation(app, path, method, FUZZ_EXAMPLES, token, known)
    assert sum(counts.values()) >= 1

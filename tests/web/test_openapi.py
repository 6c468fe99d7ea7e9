"""The OpenAPI document: complete, valid, and the source of fuzzed requests."""

from __future__ import annotations

import re

import pytest
import schemathesis
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from tests.web.conftest import TOKENS, Api, command
from web.openapi import build_spec

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


def known_ids(api: Api) -> dict[str, str]:
    """A customer with an open conflict, for generated requests to find."""
    customer_id = api.register()
    for token, name in (("alice-token", "John"), ("bob-token", "Joan")):
        [result] = api.as_(token).post("/sync", {"client_id": token, "commands": [
            command("ChangeName", customer_id, {"name": name}, 0)]}).json["results"]
    return {"customer_id": customer_id, "conflict_id": result["conflict_id"]}


OPERATIONS = [(path, method) for path, item in build_spec()["paths"].items()
              for method in item if method in ("get", "post")]


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_no_generated_request_gets_a_server_error(make_app, path, method):
    """Requests generated from the document (valid and not), as any token holder.
    The one 5xx allowed is the contract's 503 for a min_position not reached."""
    app = make_app(READ_WAIT_SECONDS=0.01)
    operation = schemathesis.openapi.from_wsgi("/openapi.json", app)[path][method.upper()]
    token = TOKENS.split(",")[0].split("=")[0]
    known = known_ids(Api(app.test_client()))
    path_parameters = {name: value for name, value in known.items() if name in path}
    strategies = [operation.as_strategy(mode) for mode in GenerationMode]
    if path_parameters:  # also aim at a customer and a conflict that exist
        strategies += [operation.as_strategy(mode, path_parameters=path_parameters)
                       for mode in GenerationMode]

    @given(case=st.one_of(strategies))
    @settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def no_server_error(case):
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        behind = response.status_code == 503 and "read-model-behind" in response.text
        assert response.status_code < 500 or behind, (case.as_curl_command(), response.text)
        if response.status_code >= 400:
            [content_type] = [v for k, v in response.headers.items()
                              if k.lower() == "content-type"]
            assert "application/problem+json" in str(content_type), response.text

    no_server_error()

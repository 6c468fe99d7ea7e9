"""The OpenAPI document: complete, typed for a generated client, and the source
of fuzzed requests whose answers it must describe."""

from __future__ import annotations

import os
import re

import pytest

from application.envelopes import PAYLOAD_SCHEMAS
from soak.fuzz import OPERATIONS, fuzz_operation, known_ids
from tests.web.conftest import TOKENS
from web.openapi import build_spec

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))


def test_the_document_describes_every_route(api):
    document = api.client.get("/openapi.json").json
    assert document["openapi"].startswith("3.")
    documented = {
        (path, method.upper())
        for path, item in document["paths"].items()
        for method in item
        if method in ("get", "post")
    }
    routes = {
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), method)
        for rule in api.client.application.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert documented == routes


def test_request_schemas_are_the_validating_ones(api):
    components = api.client.get("/openapi.json").json["components"]["schemas"]
    assert components["SyncRequest"]["properties"]["commands"] == {
        "type": "array",
        "maxItems": 1000,
        "items": {"$ref": "#/components/schemas/Command"},
    }
    assert set(components["RegisterRequest"]["required"]) == {"client_id", "name"}
    assert "customer_id" not in components["ChangeNameCustomerCommandRequest"]["required"]


@pytest.mark.parametrize("union", ["Command", "CustomerCommandRequest"])
def test_a_command_is_one_of_a_schema_per_type_with_its_payload(api, union):
    components = api.client.get("/openapi.json").json["components"]["schemas"]
    mapping = components[union]["discriminator"]["mapping"]
    assert components[union]["discriminator"]["propertyName"] == "type"
    assert set(mapping) == set(PAYLOAD_SCHEMAS)
    assert sorted(v["$ref"] for v in components[union]["oneOf"]) == sorted(
        mapping.values()
    )
    for kind, ref in mapping.items():
        variant = components[ref.rsplit("/", 1)[1]]
        assert variant["properties"]["type"] == {"type": "string", "enum": [kind]}
        assert variant["properties"]["payload"] == {
            "$ref": f"#/components/schemas/{kind}Payload"
        }
        payload = components[f"{kind}Payload"]
        assert set(payload["properties"]) == set(PAYLOAD_SCHEMAS[kind].fields)
    based = components["ChangeNameCommand"]
    assert "base_version" in based["required"]
    assert components["RegisterCustomerCommand"]["properties"]["base_version"] == {
        "enum": [None]
    }


def test_every_operation_is_named_and_ids_and_times_have_formats(api):
    document = api.client.get("/openapi.json").json
    names = [
        operation["operationId"]
        for item in document["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "responses" in operation
    ]
    assert len(names) == len(set(names)) == len(OPERATIONS)
    for name, schema in document["components"]["schemas"].items():
        for field, spec in schema.get("properties", {}).items():
            if field.endswith("_id") and field != "client_id":
                assert spec.get("format") == "uuid", (name, field)
            if field.endswith("_at"):
                assert spec.get("format") == "date-time", (name, field)


def test_a_nullable_address_refers_to_the_address_schema(api):
    components = api.client.get("/openapi.json").json["components"]["schemas"]
    nullable = {"anyOf": [{"$ref": "#/components/schemas/Address"}, {"type": "null"}]}
    assert components["CustomerView"]["properties"]["address"] == nullable
    assert components["RegisterRequest"]["properties"]["address"] == nullable


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_generated_requests_are_answered_as_documented(make_app, path, method):
    """Requests generated from the document, valid and not, as a token holder:
    none gets a server error (but the contract's 503 for a min_position not
    reached), each answer is one the document describes (schemathesis's checks
    in ``fuzz_operation``), and invalid input is refused."""
    app = make_app(READ_WAIT_SECONDS=0.01)
    token = TOKENS.split(",")[0].split("=")[0]
    known = known_ids(app.test_client(), ("alice-token", "bob-token"))
    counts = fuzz_operation(app, path, method, FUZZ_EXAMPLES, token, known)
    document = build_spec()
    operation = document["paths"][path][method]
    assert counts and set(counts) <= {int(code) for code in operation["responses"]}
    takes_input = operation.get("requestBody") or any(
        parameter["in"] in ("query", "path")
        for item in (operation, document["paths"][path])
        for parameter in item.get("parameters", [])
    )
    if takes_input:
        assert any(400 <= status < 500 for status in counts), counts

"""Requests generated from the API's own OpenAPI document, valid and not."""

from __future__ import annotations

from collections import Counter
from datetime import UTC

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi import checks

from customer_domain.vocabulary import COMMAND_OF_FIELD
from web.openapi import build_spec

# Schemathesis's checks of an answer against the document: its status, media type,
# headers and body are documented, and a request the document forbids is refused.
# Left out: positive_data_acceptance, since the document cannot say all the server
# refuses (1.0 as an integer, a lone UTF-16 surrogate, a choice's companion field).
CHECKS = [
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
    checks.negative_data_rejection,
    checks.missing_required_header,
    checks.unsupported_method,
    checks.ignored_auth,
]
PRECONDITION_FAILED = 412  # If-Match is decided before the body is read (RFC 9110)

OPERATIONS = [
    (path, method)
    for path, item in build_spec()["paths"].items()
    for method in item
    if method in ("get", "post")
]


def fuzz_operation(
    app, path: str, method: str, examples: int, token: str, known: dict[str, str]
) -> Counter:
    """Send ``examples`` generated requests, valid and not, to one operation of
    the WSGI ``app`` with ``token``; counts answers by status code. Raises
    AssertionError on a server error (the contract's 503 for a read model
    behind ``min_position`` excepted) or an error answered without
    problem+json, and schemathesis's failure on an answer the document does
    not describe or an invalid request accepted (``CHECKS``)."""
    operation = schemathesis.openapi.from_wsgi("/openapi.json", app)[path][method.upper()]
    token_header = {"Authorization": f"Bearer {token}"}  # the token is never negated
    aimed = {name: value for name, value in known.items() if name in path}
    strategies = [
        operation.as_strategy(mode, headers=token_header) for mode in GenerationMode
    ]
    if aimed:  # also at a customer and a conflict that exist
        strategies += [
            operation.as_strategy(mode, headers=token_header, path_parameters=aimed)
            for mode in GenerationMode
        ]
    counts: Counter = Counter()  # by status code

    @given(case=st.one_of(strategies))
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def answered_as_documented(case):
        response = case.call()
        counts[response.status_code] += 1
        behind = response.status_code == 503 and "read-model-behind" in response.text
        assert response.status_code < 500 or behind, (
            case.as_curl_command(),
            response.text,
        )
        if response.status_code >= 400:
            [content_type] = [
                v for k, v in response.headers.items() if k.lower() == "content-type"
            ]
            assert "application/problem+json" in str(content_type), response.text
        case.validate_response(
            response,
            checks=[
                check
                for check in CHECKS
                if response.status_code != PRECONDITION_FAILED
                or check is not checks.negative_data_rejection
            ],
        )

    answered_as_documented()
    return counts


def known_ids(client, tokens: tuple[str, str]) -> dict[str, str]:
    """A customer with an open conflict, for generated requests to find."""
    import uuid
    from datetime import datetime

    first, second = ({"Authorization": f"Bearer {token}"} for token in tokens)
    created = client.post(
        "/customers", headers=first, json={"client_id": "fuzz", "name": "Acme"}
    ).json
    for headers, name in ((first, "John"), (second, "Joan")):
        [result] = client.post(
            "/sync",
            headers=headers,
            json={
                "client_id": name,
                "commands": [
                    {
                        "command_id": str(uuid.uuid4()),
                        "type": COMMAND_OF_FIELD["name"],
                        "customer_id": created["customer_id"],
                        "base_version": 0,
                        "issued_at": datetime.now(UTC).isoformat(),
                        "payload": {"name": name},
                    }
                ],
            },
        ).json["results"]
    return {"customer_id": created["customer_id"], "conflict_id": result["conflict_id"]}


def run(examples: int = 2000) -> dict:
    """Every operation fuzzed with ``examples`` requests, and the hostile cases."""
    from soak.hostile import cases
    from system.runtime import Deployment
    from web import create_app

    totals: Counter = Counter()
    with Deployment({"PERSISTENCE_MODULE": "eventsourcing.popo"}) as deployment:
        app = create_app(
            {
                "DEPLOYMENT": deployment,
                "READ_WAIT_SECONDS": 0.01,
                "AUTH_TOKENS": "fuzz-a=alice,fuzz-b=bob",
            }
        )
        known = known_ids(app.test_client(), ("fuzz-a", "fuzz-b"))
        for path, method in OPERATIONS:
            totals += fuzz_operation(app, path, method, examples, "fuzz-a", known)
        client, hostile = app.test_client(), cases(known["customer_id"])
        for what, path, body, status, _ in hostile:
            response = client.post(
                path,
                data=body,
                content_type="application/json",
                headers={"Authorization": "Bearer fuzz-a"},
            )
            assert response.status_code == status, (what, response.status_code)
            totals[response.status_code] += 1
    return {
        "operations": len(OPERATIONS),
        "examples_per_operation": examples,
        "hostile_cases": len(hostile),
        "requests": sum(totals.values()),
        "answers": {str(k): v for k, v in sorted(totals.items())},
        "server_errors": sum(v for k, v in totals.items() if k >= 500 and k != 503),
        "read_model_behind_503": totals[503],
    }

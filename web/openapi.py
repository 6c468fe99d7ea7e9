"""The OpenAPI 3.1 document, made from the schemas that validate the requests."""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import Schema

from application.envelopes import AddressSchema
from web import schemas
from web.openapi_commands import register_commands


def _json(schema: str) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": "Problem"}},
    }


ERRORS = {
    "400": _problem("the body is not a JSON object (or a header is malformed)"),
    "401": _problem("no valid bearer token"),
    "413": _problem("the body is over 1 MiB"),
    "422": _problem("the request does not have the expected shape; nothing applied"),
    "503": _problem(
        "the store is busy, or the read model behind; retry after Retry-After"
    ),
}


def _operation(
    operation_id: str,
    summary: str,
    ok: dict[str, Any],
    *,
    body: str | None = None,
    query: type[Schema] | None = None,
    errors: tuple[str, ...] = ("401", "422", "503"),
    extra: dict[str, Any] | None = None,
    public: bool = False,
) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": operation_id,
        "summary": summary,
        "responses": {**ok, **{code: ERRORS[code] for code in errors}, **(extra or {})},
    }
    if body:
        operation["requestBody"] = {"required": True, "content": _json(body)}
        operation["responses"].setdefault("400", ERRORS["400"])
        operation["responses"].setdefault("413", ERRORS["413"])
    if query:
        operation["parameters"] = [{"in": "query", "schema": query}]
    if public:
        operation["security"] = []
    return operation


def _ok(schema: str, code: str = "200", description: str = "done") -> dict[str, Any]:
    return {code: {"description": description, "content": _json(schema)}}


def _path_id(name: str) -> dict[str, Any]:
    return {
        "in": "path",
        "name": name,
        "required": True,
        "schema": {"type": "string", "format": "uuid"},
    }


def build_spec() -> dict[str, Any]:
    plugin = MarshmallowPlugin()
    spec = APISpec(
        title="Customers, offline",
        version="1.0.0",
        openapi_version="3.1.0",
        plugins=[plugin],
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.options["security"] = [{"bearer": []}]
    spec.components.schema("Address", schema=AddressSchema)
    register_commands(spec, plugin)
    for name in (
        "Result",
        "PositionedResult",
        "Conflict",
        "CustomerView",
        "SyncRequest",
        "SyncResponse",
        "RegisterRequest",
        "ResolveRequest",
        "CustomerPage",
        "ConflictList",
        "History",
        "Health",
        "Me",
        "OpenApiDocument",
        "Problem",
    ):  # parts first
        spec.components.schema(name, schema=getattr(schemas, name))
    not_found = {"404": _problem("no such customer or conflict")}
    spec.path(
        "/health",
        operations={
            "get": _operation(
                "health", "liveness and positions", _ok("Health"), errors=(), public=True
            )
        },
    )
    spec.path(
        "/openapi.json",
        operations={
            "get": _operation(
                "openapi",
                "this document",
                _ok("OpenApiDocument", description="OpenAPI 3.1"),
                errors=(),
                public=True,
            )
        },
    )
    spec.path(
        "/me",
        operations={
            "get": _operation(
                "me", "the employee the token belongs to", _ok("Me"), errors=("401",)
            )
        },
    )
    spec.path(
        "/sync",
        operations={
            "post": _operation(
                "sync",
                "submit an offline outbox: one verdict per command",
                _ok("SyncResponse"),
                body="SyncRequest",
            )
        },
    )
    spec.path(
        "/customers",
        operations={
            "post": _operation(
                "register_customer",
                "register a customer",
                {
                    **_ok("PositionedResult", "201", "registered (Location names it)"),
                    **_ok("PositionedResult", "200", "a re-sent registration"),
                },
                body="RegisterRequest",
                extra={"409": _problem("the customer exists")},
            ),
            "get": _operation(
                "list_customers",
                "customer views changed after a position",
                _ok("CustomerPage"),
                query=schemas.CustomersQuery,
            ),
        },
    )
    spec.path(
        "/customers/{customer_id}",
        parameters=[_path_id("customer_id")],
        operations={
            "get": _operation(
                "get_customer",
                "one customer view (ETag: its version)",
                _ok("CustomerView"),
                query=schemas.CustomerQuery,
                extra=not_found,
            )
        },
    )
    spec.path(
        "/customers/{customer_id}/commands",
        parameters=[
            _path_id("customer_id"),
            {
                "in": "header",
                "name": "If-Match",
                "required": False,
                "schema": {"type": "string", "example": '"20"'},
                "description": "strict expected version: 412 unless current",
            },
        ],
        operations={
            "post": _operation(
                "send_command",
                "one command on one customer (base_version: If-Match, or "
                "the body's, which is then required)",
                _ok("PositionedResult"),
                body="CustomerCommandRequest",
                extra={
                    **not_found,
                    "412": _problem("If-Match is not the current version"),
                },
            )
        },
    )
    spec.path(
        "/customers/{customer_id}/history",
        parameters=[_path_id("customer_id")],
        operations={
            "get": _operation(
                "get_history",
                "every recorded command, from the event store",
                _ok("History"),
                errors=("401", "503"),
                extra=not_found,
            )
        },
    )
    spec.path(
        "/conflicts",
        operations={
            "get": _operation(
                "list_conflicts",
                "the conflict inbox",
                _ok("ConflictList"),
                query=schemas.ConflictsQuery,
            )
        },
    )
    spec.path(
        "/conflicts/{conflict_id}/resolve",
        parameters=[_path_id("conflict_id")],
        operations={
            "post": _operation(
                "resolve_conflict",
                "resolve a conflict",
                _ok("PositionedResult"),
                body="ResolveRequest",
                extra=not_found,
            )
        },
    )
    return spec.to_dict()

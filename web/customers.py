"""Customers: registration, one command with If-Match, the directory, history."""

from __future__ import annotations

import re
import uuid

from flask import Blueprint, request, url_for

from application import Registration
from customer_domain.vocabulary import Reason, Verdict
from system.views import history_event
from web import schemas
from web.bodies import json_object, load_body, load_query
from web.context import deployment, employee, positioned, wait_for_read_model
from web.problems import Problem

blueprint = Blueprint("customers", __name__)
REGISTER_REQUEST = schemas.RegisterRequest()
COMMAND_REQUEST = schemas.CustomerCommandRequest()
CUSTOMERS_QUERY = schemas.CustomersQuery()
CUSTOMER_QUERY = schemas.CustomerQuery()
IF_MATCH = re.compile(r'\s*(?:W/)?"(\d{1,18})"\s*')


@blueprint.post("/customers")
def register():
    registration = Registration.of(load_body(REGISTER_REQUEST))
    result = deployment().customers.register(employee(), registration)
    if result.reason == Reason.CUSTOMER_EXISTS:
        raise Problem(
            409,
            f"customer {result.customer_id} exists",
            "customer-exists",
            result=positioned(result),
        )
    if result.status == Verdict.REJECTED:
        raise Problem(
            422,
            result.detail or result.reason,
            result.reason.replace("_", "-"),
            result=positioned(result),
        )
    location = url_for("customers.view", customer_id=result.customer_id)
    return positioned(result), 200 if result.duplicate else 201, {"Location": location}


@blueprint.post("/customers/<uuid:customer_id>/commands")
def command(customer_id: uuid.UUID):
    customers, expected = deployment().customers, _if_match()
    envelope = customers.command_envelope(customer_id, json_object(), expected)
    client_id, command = COMMAND_REQUEST.load(envelope)
    return positioned(
        customers.change(
            employee(), client_id, customer_id, command, expected_version=expected
        )
    )


def _if_match() -> int | None:
    header = request.headers.get("If-Match")
    if header is None:
        return None
    match = IF_MATCH.fullmatch(header)
    if match is None:
        raise Problem(
            400, 'If-Match must be one quoted version, e.g. "20"', "bad-if-match"
        )
    return int(match.group(1))


@blueprint.get("/customers")
def views():
    query = load_query(CUSTOMERS_QUERY)
    directory = deployment().directory
    position = directory.position()
    items = directory.customer_views_since(query["since"], query["limit"])
    return {
        "items": items,
        "next": items[-1]["position"] if items else query["since"],
        "position": position,
    }


@blueprint.get("/customers/<uuid:customer_id>")
def view(customer_id: uuid.UUID):
    query = load_query(CUSTOMER_QUERY)
    wait_for_read_model(query.get("min_position"))
    found = deployment().directory.customer_view(customer_id)
    if found is None:
        raise Problem(404, f"customer {customer_id} not found", "customer-not-found")
    return found, 200, {"ETag": f'"{found["version"]}"'}


@blueprint.get("/customers/<uuid:customer_id>/history")
def history(customer_id: uuid.UUID):
    events = deployment().customers.history(customer_id)
    return {
        "customer_id": str(customer_id),
        "version": events[-1].originator_version,
        "events": [history_event(event) for event in events],
    }

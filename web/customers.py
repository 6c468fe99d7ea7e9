"""Customers: registration, one command with If-Match, the directory, history."""

from __future__ import annotations

import re
import uuid

from flask import Blueprint, request, url_for

from customer_domain import VersionMismatchError
from customer_domain.commands import REGISTER, Command
from customer_domain.fields import FIELDS
from system.views import history_event
from web import schemas
from web.bodies import json_object, load_body, load_query
from web.context import deployment, employee, now, positioned, wait_for_read_model
from web.problems import Problem

blueprint = Blueprint("customers", __name__)
REGISTER_REQUEST = schemas.RegisterRequest()
COMMAND_REQUEST = schemas.CustomerCommandRequest()
CUSTOMERS_QUERY = schemas.CustomersQuery()
CUSTOMER_QUERY = schemas.CustomerQuery()
NAMESPACE = uuid.UUID("8f4b9a52-5f0e-4f61-9a57-2f1c1b7e1d00")
IF_MATCH = re.compile(r'\s*(?:W/)?"(\d{1,18})"\s*')


@blueprint.post("/customers")
def register():
    sent = load_body(REGISTER_REQUEST)
    command_id = sent.get("command_id") or uuid.uuid4()
    # Without a customer_id, re-sending the same command_id must name the same customer.
    customer_id = sent.get("customer_id") or uuid.uuid5(NAMESPACE, str(command_id))
    payload = {f: sent[f] for f in FIELDS if f in sent}
    command = Command(command_id=command_id, type=REGISTER, customer_id=customer_id,
                      base_version=None, issued_at=sent.get("issued_at") or now(),
                      payload=payload, issued_at_defaulted="issued_at" not in sent)
    [result] = deployment().customers.submit(sent["client_id"], employee(), [command])
    if result.reason == "customer_exists":
        raise Problem(409, f"customer {customer_id} exists", "customer-exists",
                      result=positioned(result))
    if result.status == "rejected":
        raise Problem(422, result.detail or result.reason, result.reason.replace("_", "-"),
                      result=positioned(result))
    location = url_for("customers.view", customer_id=customer_id)
    status = 200 if result.duplicate else 201
    return positioned(result), status, {"Location": location}


@blueprint.post("/customers/<uuid:customer_id>/commands")
def command(customer_id: uuid.UUID):
    body = json_object()
    expected = _if_match()
    customers = deployment().customers
    if expected is not None:
        # Checked before the rest of the body (RFC 9110 13.2.1), unless a re-send.
        current = customers.version_of(customer_id)
        if current != expected and not customers.has_processed(
                customer_id, body.get("command_id")):
            raise VersionMismatchError(customer_id, current)
        body["base_version"] = expected
    body.setdefault("customer_id", str(customer_id))
    client_id, command = COMMAND_REQUEST.load(body)
    if command.customer_id != customer_id:
        raise Problem(422, "customer_id must be the customer of the path",
                      "validation-error", errors={"customer_id": ["not the path's customer"]})
    [result] = customers.submit(client_id, employee(), [command], expected_version=expected)
    if result.reason == "customer_not_found":
        raise Problem(404, f"customer {customer_id} not found", "customer-not-found")
    return positioned(result)


def _if_match() -> int | None:
    header = request.headers.get("If-Match")
    if header is None:
        return None
    match = IF_MATCH.fullmatch(header)
    if match is None:
        raise Problem(400, 'If-Match must be one quoted version, e.g. "20"', "bad-if-match")
    return int(match.group(1))


@blueprint.get("/customers")
def views():
    query = load_query(CUSTOMERS_QUERY)
    directory = deployment().directory
    position = directory.position()
    items = directory.customer_views_since(query["since"], query["limit"])
    return {"items": items, "next": items[-1]["position"] if items else query["since"],
            "position": position}


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
    return {"customer_id": str(customer_id), "version": events[-1].originator_version,
            "events": [history_event(event) for event in events]}


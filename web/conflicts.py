"""The conflict inbox, and resolving a conflict."""

from __future__ import annotations

import uuid

from flask import Blueprint, current_app

from customer_domain.commands import RESOLVE, Command
from web import schemas
from web.bodies import load_body, load_query
from web.context import deployment, employee, now, positioned
from web.problems import Problem

blueprint = Blueprint("conflicts", __name__)
CONFLICTS_QUERY = schemas.ConflictsQuery()
RESOLVE_REQUEST = schemas.ResolveRequest()


@blueprint.get("/conflicts")
def list_conflicts():
    query = load_query(CONFLICTS_QUERY)
    status = None if query["status"] == "all" else query["status"]
    return {"items": deployment().directory.conflicts(status, query.get("customer_id"))}


@blueprint.post("/conflicts/<uuid:conflict_id>/resolve")
def resolve(conflict_id: uuid.UUID):
    sent = load_body(RESOLVE_REQUEST)
    customer_id = _customer_of(conflict_id)
    customers = deployment().customers
    payload = {"conflict_id": str(conflict_id), "choice": sent["choice"]}
    if "candidate_command_id" in sent:
        payload["candidate_command_id"] = str(sent["candidate_command_id"])
    if "value" in sent:
        payload["value"] = sent["value"]
    base_version = sent.get("base_version")
    command = Command(
        command_id=sent["command_id"], type=RESOLVE, customer_id=customer_id,
        base_version=customers.version_of(customer_id) if base_version is None
        else base_version,
        issued_at=sent.get("issued_at") or now(), payload=payload,
        issued_at_defaulted="issued_at" not in sent)
    [result] = customers.submit(sent["client_id"], employee(), [command])
    if result.reason == "conflict_not_found":
        raise Problem(404, f"conflict {conflict_id} not found", "conflict-not-found")
    return positioned(result)


def _customer_of(conflict_id: uuid.UUID) -> uuid.UUID:
    """The conflict's customer, from the inbox once it has caught up with the store."""
    system = deployment()
    conflict = system.directory.conflict(conflict_id)
    if conflict is None:
        recorded = system.customers.recorder.max_notification_id() or 0
        system.wait_for(recorded, timeout=current_app.config["READ_WAIT_SECONDS"])
        conflict = system.directory.conflict(conflict_id)
    if conflict is None:
        raise Problem(404, f"conflict {conflict_id} not found", "conflict-not-found")
    return uuid.UUID(conflict["customer_id"])

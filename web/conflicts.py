"""The conflict inbox, and resolving a conflict."""

from __future__ import annotations

import uuid
from functools import partial

from flask import Blueprint, current_app

from application import Resolution
from web import schemas
from web.bodies import load_body, load_query
from web.context import deployment, employee, positioned

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
    resolution = Resolution(conflict_id=conflict_id, **load_body(RESOLVE_REQUEST))
    system = deployment()
    customer_of = partial(
        system.customer_of_conflict, timeout=current_app.config["READ_WAIT_SECONDS"]
    )
    return positioned(system.customers.resolve(employee(), resolution, customer_of))

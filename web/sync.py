"""POST /sync: an offline client's whole outbox, one verdict per command."""

from __future__ import annotations

from flask import Blueprint

from web import schemas
from web.bodies import load_body
from web.context import batch_position, deployment, employee

blueprint = Blueprint("sync", __name__)
SYNC_REQUEST = schemas.SyncRequest()


@blueprint.post("/sync")
def sync():
    request = load_body(SYNC_REQUEST)
    results = deployment().customers.sync(
        employee(), request["client_id"], request["commands"]
    )
    return {
        "results": [schemas.dump_result(result) for result in results],
        "position": batch_position(results),
    }

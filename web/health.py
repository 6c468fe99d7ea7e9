"""GET /health and GET /openapi.json: the two public endpoints."""

from __future__ import annotations

from flask import Blueprint, current_app

from web.context import deployment

blueprint = Blueprint("health", __name__)


@blueprint.get("/health")
def health():
    system = deployment()
    error = system.projection_error
    return {
        "status": "ok" if error is None else f"projection stopped: {error}",
        "persistence": {
            "customers": type(system.customers.factory).__module__,
            "customer_directory": type(system.directory.factory).__module__,
        },
        "event_store_position": system.customers.recorder.max_notification_id() or 0,
        "read_model_position": system.directory.position(),
    }


@blueprint.get("/openapi.json")
def openapi():
    return current_app.extensions["openapi"]

"""GET /health and GET /openapi.json: the two public endpoints."""

from __future__ import annotations

from eventsourcing.application import Application
from eventsourcing.persistence import InfrastructureFactory
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
            "customers": _persistence(system.customers),
            "customer_directory": _persistence(system.directory),
        },
        "event_store_position": system.customers.recorder.max_notification_id() or 0,
        "read_model_position": system.directory.position(),
    }


def _persistence(app: Application) -> str:
    """The persistence module the application was configured with."""
    return app.env.get(InfrastructureFactory.PERSISTENCE_MODULE) or "eventsourcing.popo"


@blueprint.get("/openapi.json")
def openapi():
    return current_app.extensions["openapi"]

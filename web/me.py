"""GET /me: the employee the bearer token belongs to."""

from __future__ import annotations

from flask import Blueprint

from web.context import employee

blueprint = Blueprint("me", __name__)


@blueprint.get("/me")
def me():
    return {"employee": employee()}

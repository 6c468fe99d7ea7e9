"""The HTTP API: a thin Flask layer over the application and the read model."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from system import settings
from system.runtime import Deployment
from web import auth, conflicts, customers, health, me, sync
from web.json_provider import MsgspecJSONProvider
from web.openapi import build_spec
from web.problems import register_error_handlers
from web.webapp import WebAppShell

MAX_BODY_BYTES = 1024 * 1024


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` may hold ``DEPLOYMENT`` (a running Deployment),
    else ``PERSISTENCE`` (environment for one) and ``PROJECTION``;
    ``AUTH_TOKENS`` ("token=employee,..." or a dict) and ``READ_WAIT_SECONDS``
    default to the environment variables of the same names."""
    app = Flask(__name__)
    app.json = MsgspecJSONProvider(app)
    app.config.update(
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES, PROJECTION="threads", PERSISTENCE={}
    )
    app.config.update(config or {})
    if "AUTH_TOKENS" not in app.config:
        app.config["AUTH_TOKENS"] = settings.auth_tokens(os.environ)
    if "READ_WAIT_SECONDS" not in app.config:
        app.config["READ_WAIT_SECONDS"] = settings.read_wait_seconds(os.environ)
    if isinstance(app.config["AUTH_TOKENS"], str):
        app.config["AUTH_TOKENS"] = settings.parse_tokens(app.config["AUTH_TOKENS"])
    deployment = app.config.get("DEPLOYMENT") or Deployment(
        app.config["PERSISTENCE"], projection=app.config["PROJECTION"]
    )
    app.extensions["deployment"] = deployment
    app.extensions["openapi"] = build_spec()
    register_error_handlers(app)
    app.before_request(auth.authenticate)
    for module in (health, me, sync, customers, conflicts):
        app.register_blueprint(module.blueprint)
    app.wsgi_app = WebAppShell(app.wsgi_app)  # the employees' web app at /
    return app

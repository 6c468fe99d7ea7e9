"""Bearer tokens: every request's employee, never taken from the body."""

from __future__ import annotations

import hmac

from flask import current_app, g, request

from web.problems import Problem

PUBLIC_ENDPOINTS = {"health.health", "health.openapi", "static"}


def employee_of(presented: str, tokens: dict[str, str]) -> str | None:
    """The employee whose token this is, comparing every token in constant time."""
    found = None
    for token, employee in tokens.items():
        if hmac.compare_digest(presented.encode(), token.encode()):
            found = employee
    return found


def authenticate() -> None:
    """Before every request but the public ones: set ``g.employee`` or answer 401."""
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    challenge = {"WWW-Authenticate": 'Bearer realm="customers"'}
    if scheme.lower() != "bearer" or not presented.strip():
        raise Problem(
            401, "send Authorization: Bearer <token>", "unauthorized", headers=challenge
        )
    employee = employee_of(presented.strip(), current_app.config["AUTH_TOKENS"])
    if employee is None:
        raise Problem(
            401,
            "the token is not valid",
            "unauthorized",
            headers={
                **challenge,
                "WWW-Authenticate": 'Bearer realm="customers", error="invalid_token"',
            },
        )
    g.employee = employee

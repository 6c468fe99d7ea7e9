"""Every error answer, in one place: application/problem+json (RFC 9457)."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from eventsourcing.persistence import OperationalError, PersistenceError
from flask import Flask, Response, jsonify
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from application import ConcurrencyError
from customer_domain.errors import (
    ConflictNotFoundError,
    CustomerNotFoundError,
    MalformedCommandError,
    VersionMismatchError,
)

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = "1"


class Problem(Exception):
    """Raised by a route to answer with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str,
        slug: str | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.slug = slug or HTTPStatus(status).phrase.lower().replace(" ", "-")
        self.headers = headers or {}
        self.extra = extra


def problem_response(problem: Problem) -> Response:
    body = {
        "type": f"/problems/{problem.slug}",
        "title": HTTPStatus(problem.status).phrase,
        "status": problem.status,
        "detail": problem.detail,
        **problem.extra,
    }
    response = jsonify(body)
    response.status_code = problem.status
    response.mimetype = "application/problem+json"
    response.headers.update(problem.headers)
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(Problem)
    def handle_problem(problem: Problem) -> Response:
        return problem_response(problem)

    @app.errorhandler(ValidationError)
    def handle_invalid(error: ValidationError) -> Response:
        return problem_response(
            Problem(
                422,
                "the request does not have the expected shape",
                "validation-error",
                errors=error.normalized_messages(),
            )
        )

    @app.errorhandler(MalformedCommandError)
    def handle_malformed(error: MalformedCommandError) -> Response:
        return problem_response(
            Problem(
                422,
                "a command does not have the shape of a command",
                "validation-error",
                errors=error.errors,
            )
        )

    @app.errorhandler(CustomerNotFoundError)
    def handle_not_found(error: CustomerNotFoundError) -> Response:
        return problem_response(Problem(404, str(error), "customer-not-found"))

    @app.errorhandler(ConflictNotFoundError)
    def handle_conflict_not_found(error: ConflictNotFoundError) -> Response:
        return problem_response(Problem(404, str(error), "conflict-not-found"))

    @app.errorhandler(VersionMismatchError)
    def handle_version_mismatch(error: VersionMismatchError) -> Response:
        return problem_response(
            Problem(
                412,
                f"If-Match names another version; the customer is at version "
                f"{error.current_version}",
                "version-mismatch",
                headers={"ETag": f'"{error.current_version}"'},
                current_version=error.current_version,
            )
        )

    @app.errorhandler(OperationalError)
    @app.errorhandler(ConcurrencyError)
    def handle_busy(error: Exception) -> Response:
        logger.warning("store busy: %s", error)
        return problem_response(
            Problem(
                503,
                "the store is busy; nothing of this request was lost or half-done, "
                "retry it",
                "store-busy",
                headers={"Retry-After": RETRY_AFTER_SECONDS},
            )
        )

    @app.errorhandler(PersistenceError)
    def handle_store_error(error: PersistenceError) -> Response:
        logger.exception("store unavailable")
        return problem_response(
            Problem(
                503,
                "the store is unavailable; retry later",
                "store-unavailable",
                headers={"Retry-After": RETRY_AFTER_SECONDS},
            )
        )

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException) -> Response:
        status = error.code or 500
        problem = Problem(status, error.description or HTTPStatus(status).phrase)
        response = problem_response(problem)
        for name, value in error.get_headers():
            if name.lower() not in ("content-type", "content-length"):
                response.headers[name] = value
        return response

"""A thin HTTP client for the server: timeouts, and retries with backoff for
failures that re-sending can mend (every write of the API is idempotent)."""

from __future__ import annotations

import math
import time
from typing import Any

import requests

TRANSIENT_STATUSES = {502, 503, 504}
MAX_RETRY_AFTER = 60.0


class Unreachable(Exception):
    """Raised when the server cannot be reached (after the retries)."""


class AuthenticationRefused(Exception):
    """Raised when the server refuses the token."""


class Refused(Exception):
    """Raised when the server refuses a request as malformed (a 4xx problem)."""

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        super().__init__(problem.get("detail") or f"HTTP {status}")
        self.status = status
        self.problem = problem


class Api:
    def __init__(
        self,
        server: str,
        token: str,
        *,
        timeout: float = 60,
        attempts: int = 4,
        backoff: float = 0.5,
    ) -> None:
        self.server = server.rstrip("/")
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.timeout = timeout
        self.attempts = attempts
        self.backoff = backoff

    def request(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        delay = self.backoff
        for attempt in range(1, self.attempts + 1):
            try:
                response = self.session.request(
                    method, self.server + path, timeout=(5, self.timeout), **kwargs
                )
            except requests.RequestException as error:
                failure = f"{self.server} unreachable ({type(error).__name__})"
            else:
                if response.status_code not in TRANSIENT_STATUSES:
                    return self._answer(response)
                failure = f"{self.server} answered {response.status_code}"
                delay = max(delay, retry_after(response))
            if attempt < self.attempts:
                time.sleep(delay)
                delay *= 2
        raise Unreachable(failure)

    @staticmethod
    def _answer(response: requests.Response) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError:
            body = None
        problem = body if isinstance(body, dict) else {"detail": response.text[:200]}
        if response.status_code == 401:
            raise AuthenticationRefused(problem.get("detail", "token refused"))
        if response.status_code >= 400:
            raise Refused(response.status_code, problem)
        if not isinstance(body, dict):  # not this API: a web page, say
            raise Refused(
                response.status_code,
                {"detail": f"the answer is not this API's JSON: {response.text[:200]!r}"},
            )
        return body

    def sync(self, client_id: str, commands: list[dict[str, Any]]) -> dict[str, Any]:
        return self.request(
            "POST", "/sync", json={"client_id": client_id, "commands": commands}
        )

    def views(self, since: int, limit: int = 1000) -> dict[str, Any]:
        return self.request("GET", "/customers", params={"since": since, "limit": limit})

    def me(self) -> dict[str, Any]:
        """``{"employee": ...}``: whose token this is."""
        return self.request("GET", "/me")


def retry_after(response: requests.Response) -> float:
    """The seconds a 503 asks to wait, at most a minute; 0 if it says none we
    read (an HTTP date, say: the backoff then decides)."""
    try:
        seconds = float(response.headers.get("Retry-After", 0) or 0)
    except ValueError:
        return 0.0
    return min(max(seconds, 0.0), MAX_RETRY_AFTER) if math.isfinite(seconds) else 0.0

"""The employees' web app: its built shell served at ``/`` in front of the API.

The shell is static files (``webapp/`` built into ``web/static/app/``), so it
is served by a small WSGI layer around the API rather than by API routes: the
API's routes, its authentication and its OpenAPI document stay the API's own.
Every shell answer carries a strict Content-Security-Policy (this origin only:
no inline script or style, nothing from elsewhere)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from werkzeug.security import safe_join
from werkzeug.utils import send_file
from werkzeug.wrappers import Request, Response

BUILD_DIR = Path(__file__).with_name("static") / "app"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
# Top-level files of the build (the service worker and what it imports).
TOP_LEVEL_FILE = re.compile(
    r"/([A-Za-z0-9_-][A-Za-z0-9_.-]*\.(?:js|css|html|svg|webmanifest))"
)
ASSET = re.compile(r"/assets/([A-Za-z0-9_.-]+)")
ONE_YEAR = 365 * 24 * 3600
NOT_BUILT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Customers: web app not built</title></head>
<body><h1>The web app is not built</h1>
<p>The API is running. To build the employees' web app, run
<code>make webapp</code> (or <code>npm ci &amp;&amp; npm run build</code> in
<code>webapp/</code>), then reload.</p>
</body></html>
"""

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class WebAppShell:
    """WSGI: answers GET and HEAD for the shell's files, passes the rest to the API."""

    def __init__(self, api: WsgiApp, build_dir: Path = BUILD_DIR) -> None:
        self.api = api
        self.build_dir = build_dir

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        request = Request(environ)
        response = self.answer(request) if request.method in ("GET", "HEAD") else None
        if response is None:
            return self.api(environ, start_response)
        response.headers.update(SECURITY_HEADERS)
        return response(environ, start_response)

    def answer(self, request: Request) -> Response | None:
        path = request.path
        if path in ("/", "/index.html"):
            index = self.build_dir / "index.html"
            if not index.is_file():
                return Response(
                    NOT_BUILT,
                    status=503,
                    mimetype="text/html",
                    headers={"Retry-After": "60", "Cache-Control": "no-store"},
                )
            return self._file(request, index, cache="no-cache")
        if match := ASSET.fullmatch(path):
            found = self._existing(self.build_dir / "assets", match.group(1))
            return found and self._file(
                request, found, f"public, max-age={ONE_YEAR}, immutable"
            )
        if match := TOP_LEVEL_FILE.fullmatch(path):
            found = self._existing(self.build_dir, match.group(1))
            response = found and self._file(request, found, cache="no-cache")
            if response is not None and match.group(1) == "sw.js":
                response.headers["Service-Worker-Allowed"] = "/"
            return response
        return None

    @staticmethod
    def _existing(folder: Path, name: str) -> Path | None:
        joined = safe_join(str(folder), name)
        return Path(joined) if joined and Path(joined).is_file() else None

    @staticmethod
    def _file(request: Request, path: Path, cache: str) -> Response:
        response = send_file(path, request.environ, conditional=True)
        response.headers["Cache-Control"] = cache
        return response

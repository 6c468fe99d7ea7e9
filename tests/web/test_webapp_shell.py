"""The web app's shell in front of the API: its files and their headers; the rest
goes to the API."""

from __future__ import annotations

import pytest
from werkzeug.test import Client
from werkzeug.wrappers import Response

from web.webapp import WebAppShell


def api(environ, start_response):
    return Response("the API", status=401)(environ, start_response)


@pytest.fixture
def build(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>Customers</title>")
    (tmp_path / "sw.js").write_text("self.addEventListener('fetch', () => {});")
    (tmp_path / "assets" / "index-abc.js").write_text("console.log(1)")
    return tmp_path


def test_the_shell_is_served_at_the_root_with_a_strict_policy(build):
    response = Client(WebAppShell(api, build)).get("/")
    assert response.status_code == 200
    assert b"<title>Customers</title>" in response.data
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-cache"


def test_the_service_worker_is_never_cached_and_may_control_the_whole_origin(build):
    response = Client(WebAppShell(api, build)).get("/sw.js")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert "javascript" in response.headers["Content-Type"]


def test_hashed_assets_are_cached_for_good(build):
    response = Client(WebAppShell(api, build)).get("/assets/index-abc.js")
    assert response.status_code == 200
    assert "immutable" in response.headers["Cache-Control"]


@pytest.mark.parametrize(
    "path",
    [
        "/customers",
        "/assets/missing.js",
        "/missing.js",
        "/assets/../index.html",
        "/health",
    ],
)
def test_everything_else_goes_to_the_api(build, path):
    response = Client(WebAppShell(api, build)).get(path)
    assert (response.status_code, response.data) == (401, b"the API")


def test_a_write_to_the_root_goes_to_the_api(build):
    assert Client(WebAppShell(api, build)).post("/").data == b"the API"


def test_an_unbuilt_app_is_a_clear_page_saying_how_to_build_it(tmp_path):
    response = Client(WebAppShell(api, tmp_path / "nothing")).get("/")
    assert response.status_code == 503
    assert b"make webapp" in response.data
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")

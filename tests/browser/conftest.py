"""The web app in Debian's Chromium, driven by Playwright, against a real
``customers-server`` started by each test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness.server import ServerProcess
from tests.browser.employee import Employee
from web.webapp import BUILD_DIR

CHROMIUM = Path("/usr/bin/chromium")
TOKENS = "alice-token=alice,bob-token=bob,carol-token=carol"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(config, items):
    """Without Chromium or the built app the browser tests are skipped, unless
    REQUIRE_BROWSER is set (as in CI): then they fail."""
    missing = [
        why
        for why, absent in (
            (f"{CHROMIUM} is missing (apt-get install chromium)", not CHROMIUM.exists()),
            (
                "the web app is not built (make webapp)",
                not (BUILD_DIR / "index.html").exists(),
            ),
        )
        if absent
    ]
    if not missing or os.environ.get("REQUIRE_BROWSER"):
        return
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.skip(reason="; ".join(missing)))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def start_server(tmp_path):
    """Starts ``customers-server`` (its data in the test's folder); stops it after."""
    servers = []

    def start(**env: str) -> ServerProcess:
        server = ServerProcess(tmp_path / "var", tokens=TOKENS, env=env).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        if server.process.poll() is None:
            server.stop()


@pytest.fixture
def server(start_server):
    return start_server()


@pytest.fixture
def new_employee(browser, server):
    """Opens the app in a browser context of its own (a laptop), signed in."""
    employees = []

    def open_as(token: str | None = None, url: str | None = None):
        employee = Employee(browser.new_context(), url or server.url)
        employees.append(employee)
        if token:
            employee.sign_in(token)
        return employee

    yield open_as
    for employee in employees:
        employee.context.close()
    assert [e for employee in employees for e in employee.errors] == []

"""The spec's budgets, measured in the browser and reported as figures (printed,
and written to budgets.json in the test's folder or to WEBAPP_BUDGETS_FILE):
the shell's compressed size, the first pull of 10,000 customers, a search."""

from __future__ import annotations

import gzip
import json
import os
import time
import uuid
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.employee import wait_for_service_worker
from tests.envelopes import command

CUSTOMERS = 10_000
CITIES = ["Paris", "Lyon", "Berlin", "Madrid", "Lisbon", "Oslo", "Rome", "Vienna"]
SHELL_BUDGET_BYTES = 250 * 1024


def seed(server, count: int) -> None:
    """Registers ``count`` customers through POST /sync, a thousand at a time."""
    session = server.session("carol-token")
    for start in range(0, count, 1000):
        commands = [
            command(
                "RegisterCustomer",
                str(uuid.uuid4()),
                {
                    "name": f"Customer {n:05d}",
                    "email": f"customer{n}@example.com",
                    "address": {
                        "street": f"{n} Main Street",
                        "city": CITIES[n % len(CITIES)],
                        "postal_code": f"{10000 + n}",
                        "country": "FR",
                    },
                },
                None,
            )
            for n in range(start, min(start + 1000, count))
        ]
        answer = session.post(
            f"{server.url}/sync",
            timeout=300,
            json={"client_id": "office", "commands": commands},
        )
        assert answer.status_code == 200, answer.text
    server.wait_projected()


def measure(page, name: str) -> float:
    """The duration of the app's last performance measure of that name, in ms."""
    return page.evaluate(
        "(name) => performance.getEntriesByName(name).at(-1).duration", name
    )


def test_the_budgets_of_the_spec(server, new_employee, tmp_path):
    seed(server, CUSTOMERS)
    employee = new_employee()
    page = employee.page
    requests, shell = [], {}
    page.on("request", lambda request: requests.append(request.url))
    page.on(
        "response",
        lambda response: (
            shell.setdefault(response.url, response)
            if response.request.resource_type in ("document", "script", "stylesheet")
            else None
        ),
    )
    page.reload()

    started = time.perf_counter()
    employee.sign_in("alice-token")
    count = page.get_by_text(f"{CUSTOMERS} of {CUSTOMERS} customers")
    expect(count).to_be_visible(timeout=120_000)
    first_pull = time.perf_counter() - started
    sync_ms = measure(page, "customers:sync")

    search = page.get_by_role("searchbox", name="Search customers")
    started = time.perf_counter()
    search.fill("customer 0732")
    expect(page.get_by_text(f"10 of {CUSTOMERS} customers")).to_be_visible()
    search_wall = time.perf_counter() - started
    search_ms = measure(page, "customers:search")
    search.fill("lyon")
    expect(
        page.get_by_text(f"{CUSTOMERS // len(CITIES)} of {CUSTOMERS} customers")
    ).to_be_visible()
    city_search_ms = measure(page, "customers:search")

    wait_for_service_worker(page)
    shell_files = {url: len(response.body()) for url, response in shell.items()}
    compressed = {url: len(gzip.compress(shell[url].body(), 9)) for url in shell_files}
    worker = page.request.get(
        f"{server.url}/sw.js"
    ).body()  # fetched by the browser itself
    shell_files[f"{server.url}/sw.js"] = len(worker)
    compressed[f"{server.url}/sw.js"] = len(gzip.compress(worker, 9))
    figures = {
        "shell_files": sorted(u.removeprefix(server.url) for u in shell_files),
        "shell_bytes": sum(shell_files.values()),
        "shell_gzip_bytes": sum(compressed.values()),
        "first_pull_customers": CUSTOMERS,
        "first_pull_seconds_sign_in_to_list": round(first_pull, 2),
        "first_sync_and_pull_ms_in_app": round(sync_ms),
        "search_ms_in_app_name": round(search_ms, 2),
        "search_ms_in_app_city": round(city_search_ms, 2),
        "search_seconds_typed_to_shown": round(search_wall, 3),
    }
    print("\nweb app budgets:", json.dumps(figures, indent=2))
    for target in filter(
        None, (tmp_path / "budgets.json", os.environ.get("WEBAPP_BUDGETS_FILE"))
    ):
        Path(target).write_text(json.dumps(figures, indent=2) + "\n")

    assert all(url.startswith(server.url) for url in requests)  # nothing from elsewhere
    assert figures["shell_gzip_bytes"] <= SHELL_BUDGET_BYTES

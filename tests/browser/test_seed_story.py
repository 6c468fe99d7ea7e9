"""The seed's story in two browsers: Alice and Bob edit customer Acme offline."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.employee import history, register

SCREENSHOTS = os.environ.get("WEBAPP_SCREENSHOTS_DIR")


def screenshot(page, tmp_path: Path, name: str) -> None:
    """Into the test's folder, and into WEBAPP_SCREENSHOTS_DIR when set
    (``make screenshots``)."""
    for folder in filter(None, (tmp_path, SCREENSHOTS)):
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def test_the_seed_story_with_alice_and_bob(server, new_employee, tmp_path):
    customer_id = register(
        server,
        "Acme",
        supplier="Initial",
        email="office@acme.example",
        phone="+33 1 23 45 67 89",
        description="Wholesale, pays on time",
        address={
            "street": "8 Rue Cler",
            "city": "Paris",
            "postal_code": "75007",
            "country": "FR",
        },
    )
    alice, bob = new_employee("alice-token"), new_employee("bob-token")
    for employee in (alice, bob):
        employee.open_customer("Acme")
        employee.offline()

    alice.edit(name="John Doe")
    bob.edit(name="Joan d'Arc", supplier="Rivoli Supplies")
    expect(bob.status).to_contain_text("Offline")
    expect(bob.status).to_contain_text("2 pending")
    expect(bob.field("Name")).to_have_value(
        "Joan d'Arc"
    )  # queued values over the local copy

    alice.offline(False)  # back online: the app syncs by itself
    alice.synced()
    bob.offline(False)
    bob.synced()

    verdicts = bob.page.get_by_role("region", name="Verdicts")
    expect(verdicts).to_contain_text("conflict")
    expect(verdicts).to_contain_text("Joan d'Arc")
    expect(verdicts).to_contain_text("John Doe")  # the other value...
    expect(verdicts).to_contain_text("alice")  # ...and who made it
    expect(bob.field("Supplier")).to_have_value("Rivoli Supplies")  # merged
    expect(bob.field("Name")).to_have_value("John Doe")
    expect(bob.page.get_by_text("Open conflict on Name")).to_be_visible()

    bob.page.get_by_role("link", name="Conflicts").click()
    conflict = bob.page.get_by_role("region", name="Conflict on Name of John Doe")
    expect(conflict).to_contain_text("Acme")  # the base value
    expect(conflict).to_contain_text("by alice")
    expect(conflict).to_contain_text("by bob")
    screenshot(bob.page, tmp_path, "webapp-conflicts.png")
    conflict.get_by_role("button", name="Take this value").click()
    bob.synced()
    expect(bob.page.get_by_text("No open conflicts.")).to_be_visible()

    alice.synced()
    for employee in (alice, bob):
        employee.open_customer("Joan d'Arc")
        expect(employee.field("Name")).to_have_value("Joan d'Arc")
        expect(employee.field("Supplier")).to_have_value("Rivoli Supplies")
        expect(employee.field("Name").locator("xpath=..")).to_contain_text(
            "changed by bob"
        )
    bob.page.get_by_role("button", name="Dismiss").click()
    screenshot(bob.page, tmp_path, "webapp-customer.png")

    events = history(server, customer_id)
    from_browsers = [e for e in events if e["client_id"].startswith("browser-")]
    assert Counter(e["command_id"] for e in from_browsers).most_common(1)[0][1] == 1
    assert [(e["author"], e["type"], e["status"]) for e in from_browsers] == [
        ("alice", "NameChanged", "applied"),
        ("bob", "ConflictOpened", "conflict"),
        ("bob", "SupplierChanged", "merged"),
        ("bob", "ConflictResolved", "applied"),
    ]
    bob.page.get_by_role("link", name="History").click()
    expect(bob.page.get_by_role("table")).to_contain_text("ConflictResolved")

"""After the first visit the app works with no connection at all: the service
worker serves the shell, IndexedDB the local copy and the outbox."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.employee import register, wait_for_service_worker


def test_an_offline_reload_shows_the_local_copy_and_the_outbox(server, new_employee):
    customer_id = register(server, "Acme")
    alice = new_employee("alice-token")
    wait_for_service_worker(alice.page)
    alice.open_customer("Acme")

    alice.offline()
    server.stop()  # no server either: nothing can come from the network
    alice.edit(name="Written offline")
    alice.page.reload()

    expect(alice.status).to_contain_text("Offline")
    expect(alice.status).to_contain_text("1 pending")
    expect(alice.field("Name")).to_have_value("Written offline")
    expect(alice.page.get_by_text("pending: queued on this browser")).to_be_visible()

    server.start()  # the same port and data
    alice.offline(False)
    alice.synced()
    answer = server.session().get(f"{server.url}/customers/{customer_id}", timeout=30)
    assert answer.json()["name"] == "Written offline"


def test_a_customer_made_offline_is_listed_marked_and_registered_at_the_next_sync(
    server, new_employee
):
    alice = new_employee("alice-token")
    alice.offline()
    alice.page.get_by_role("button", name="New customer").click()
    alice.page.get_by_role("textbox", name="Name").fill("Initech")
    alice.page.get_by_role("textbox", name="City").fill("Austin")
    alice.page.get_by_role("button", name="Save changes").click()
    expect(alice.field("Street")).to_have_attribute("aria-invalid", "true")  # all parts
    for label, value in (
        ("Street", "1 Main St"),
        ("Postal code", "73301"),
        ("Country", "us"),
    ):
        alice.field(label).fill(value)
    alice.page.get_by_role("button", name="Save changes").click()
    expect(alice.page.get_by_role("heading", level=1)).to_have_text("Initech")
    expect(alice.status).to_contain_text("1 pending")

    alice.page.get_by_role("link", name="Customers").click()
    row = alice.page.get_by_role("listitem").filter(has_text="Initech")
    expect(row.get_by_role("link", name="Initech")).to_be_visible()
    expect(row).to_contain_text("pending")
    alice.page.get_by_role("searchbox", name="Search customers").fill("austin")
    expect(alice.page.get_by_text("1 of 1 customers")).to_be_visible()

    alice.offline(False)
    alice.synced()
    expect(row).not_to_contain_text("pending")
    listed = server.session().get(f"{server.url}/customers?since=0", timeout=30).json()
    [initech] = listed["items"]
    assert (initech["name"], initech["address"]["country"]) == ("Initech", "US")
    assert initech["customer_id"] == alice.stored("views")[0]["customer_id"]

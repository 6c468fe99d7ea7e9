"""After the first visit the app works with no connection at all: the service
worker serves the shell, IndexedDB the local copy and the outbox."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.employee import register


def test_an_offline_reload_shows_the_local_copy_and_the_outbox(server, new_employee):
    customer_id = register(server, "Acme")
    alice = new_employee("alice-token")
    alice.page.wait_for_function("navigator.serviceWorker.controller !== null")
    alice.open_customer("Acme")

    alice.offline()
    server.stop()                     # no server either: nothing can come from the network
    alice.edit(name="Written offline")
    alice.page.reload()

    expect(alice.status).to_contain_text("Offline")
    expect(alice.status).to_contain_text("1 pending")
    expect(alice.field("Name")).to_have_value("Written offline")
    expect(alice.page.get_by_text("pending: queued on this browser")).to_be_visible()

    server.start()                    # the same port and data
    alice.offline(False)
    alice.synced()
    answer = server.session().get(f"{server.url}/customers/{customer_id}", timeout=30)
    assert answer.json()["name"] == "Written offline"

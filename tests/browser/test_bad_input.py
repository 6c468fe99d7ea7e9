"""Bad input is caught at the field; a refused token brings back sign-in and
keeps the outbox."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.employee import register


def test_an_invalid_email_is_refused_at_the_field_before_queuing(server, new_employee):
    register(server, "Acme")
    alice = new_employee("alice-token")
    alice.open_customer("Acme")
    alice.field("Email").fill("not an address")
    alice.field("Country").fill("Atlantis")
    alice.page.get_by_role("button", name="Save changes").click()

    expect(alice.field("Email")).to_have_attribute("aria-invalid", "true")
    expect(alice.page.get_by_text("not a valid email address")).to_be_visible()
    expect(alice.field("Street")).to_have_attribute(
        "aria-invalid", "true"
    )  # all or nothing
    expect(alice.status).to_contain_text("All synced")
    assert alice.stored("outbox") == []

    alice.field("Email").fill("jane@example.com")
    expect(alice.field("Email")).not_to_have_attribute("aria-invalid", "true")


def test_a_refused_token_brings_back_sign_in_with_the_outbox_kept(server, new_employee):
    customer_id = register(server, "Acme")
    wrong = new_employee()
    wrong.page.get_by_role("textbox", name="Token").fill("not-a-token")
    wrong.page.get_by_role("button", name="Sign in").click()
    expect(wrong.page.get_by_role("alert")).to_contain_text("refused")

    alice = new_employee("alice-token")
    alice.open_customer("Acme")
    alice.offline()
    alice.edit(email="jane@example.com")
    server.stop()
    server.env["AUTH_TOKENS"] = "new-alice-token=alice"  # alice's old token is revoked
    server.start()
    alice.offline(False)

    expect(alice.page.get_by_role("alert")).to_contain_text("sign in again")
    expect(alice.page.get_by_text("1 queued edit is kept")).to_be_visible()
    assert len(alice.stored("outbox")) == 1
    alice.sign_in("new-alice-token")
    alice.synced()
    answer = server.session("new-alice-token").get(
        f"{server.url}/customers/{customer_id}", timeout=30
    )
    assert answer.json()["email"] == "jane@example.com"

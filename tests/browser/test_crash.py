"""The server killed in the middle of a sync of 200 queued edits: after a
restart and the next sync every edit has exactly one verdict and one event."""

from __future__ import annotations

from collections import Counter

from playwright.sync_api import expect

from tests.browser.employee import history, register

EDITS = 200
BATCH = 20


def test_a_server_killed_during_a_sync_loses_and_duplicates_nothing(server, new_employee):
    customer_id = register(server, "Acme")
    alice = new_employee("alice-token")
    alice.open_customer("Acme")
    alice.set_setting("batch_size", BATCH)  # the sync takes ten requests
    alice.offline()
    for number in range(EDITS):
        alice.edit(description=f"edit {number}")
    queued = [c["command_id"] for c in alice.stored("outbox")]
    assert len(queued) == EDITS

    syncs = []

    def drop_the_second_answer(route) -> None:
        """The second batch reaches the server, but its answer is lost on the way."""
        syncs.append(route.request)
        if len(syncs) == 2:
            route.fetch()
            route.abort("connectionreset")
        else:
            route.continue_()

    alice.page.route("**/sync", drop_the_second_answer)
    # requests: batch 1, batch 2 (answer lost), batch 2 again, batch 3, batch 4
    sent = []

    def fifth_request(request) -> bool:
        if request.method == "POST" and request.url.endswith("/sync"):
            sent.append(request)
        return len(sent) == 5

    with alice.page.expect_request(fifth_request):
        alice.offline(False)  # the app starts syncing by itself
    server.kill()  # SIGKILL with the fourth batch sent
    expect(alice.status).to_contain_text("Sync failed", timeout=60_000)
    expect(alice.status).to_contain_text(f"{EDITS - 3 * BATCH} pending")

    server.start()
    alice.synced()
    events = Counter(e["command_id"] for e in history(server, customer_id))
    assert {c: events[c] for c in queued} == dict.fromkeys(queued, 1)
    stored = alice.stored("verdicts")
    verdicts = {v["command_id"]: v["status"] for v in stored}
    duplicates = {v["command_id"] for v in stored if v["duplicate"]}
    print(f"answered as duplicates: {len(duplicates)} of {EDITS}")
    assert set(queued[BATCH : 2 * BATCH]) <= duplicates  # the batch whose answer was lost
    assert sorted(verdicts) == sorted(queued)
    assert set(verdicts.values()) == {"applied"}
    assert alice.stored("outbox") == []
    expect(alice.field("Description")).to_have_value(f"edit {EDITS - 1}")

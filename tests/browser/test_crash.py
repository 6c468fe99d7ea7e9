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

    batches = []

    def fourth_batch(request) -> bool:
        if request.method == "POST" and request.url.endswith("/sync"):
            batches.append(request)
        return len(batches) == 4

    with alice.page.expect_request(fourth_batch):
        alice.offline(False)  # the app starts syncing by itself
    server.kill()  # SIGKILL while the fourth batch is applied
    expect(alice.status).to_contain_text("Sync failed", timeout=60_000)
    expect(alice.status).to_contain_text(
        f"{EDITS - 3 * BATCH} pending"
    )  # 3 verdicts stored

    server.start()
    alice.synced()
    events = Counter(e["command_id"] for e in history(server, customer_id))
    assert {command_id: events[command_id] for command_id in queued} == dict.fromkeys(
        queued, 1
    )
    stored = alice.stored("verdicts")
    verdicts = {v["command_id"]: v["status"] for v in stored}
    print(
        f"recorded before the kill (answered as duplicates after it): "
        f"{sum(v['duplicate'] for v in stored)} of {EDITS}"
    )
    assert sorted(verdicts) == sorted(queued)
    assert set(verdicts.values()) == {"applied"}
    assert alice.stored("outbox") == []
    expect(alice.field("Description")).to_have_value(f"edit {EDITS - 1}")

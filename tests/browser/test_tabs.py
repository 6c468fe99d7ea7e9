"""Two tabs of one browser share the outbox; only one syncs at a time, so no
command is sent twice at once and the server records each exactly once."""

from __future__ import annotations

from collections import Counter

from playwright.sync_api import expect

from tests.browser.employee import history, register, sent_commands

EDITS_PER_TAB = 15


def test_two_tabs_syncing_at_once_send_each_command_once(server, new_employee):
    first_id, second_id = register(server, "Acme"), register(server, "Globex")
    alice = new_employee("alice-token")
    first, second = alice.page, alice.open_tab()
    requests = []
    for tab in (first, second):
        tab.on("request", lambda request: requests.append(request))
    alice.open_customer("Acme", first)
    alice.open_customer("Globex", second)
    alice.offline()
    for number in range(EDITS_PER_TAB):  # both tabs queue, interleaved
        alice.edit(first, description=f"first tab {number}")
        alice.edit(second, description=f"second tab {number}")
    expect(second.get_by_role("status")).to_contain_text(f"{2 * EDITS_PER_TAB} pending")
    queued = [c["command_id"] for c in alice.stored("outbox")]

    alice.offline(False)  # both tabs hear 'online' and sync
    first.get_by_role("button", name="Sync now").click()
    second.get_by_role("button", name="Sync now").click()
    for tab in (first, second):
        alice.synced(tab)  # the other tab sees the result too

    sent = [command_id for batch in sent_commands(requests) for command_id in batch]
    assert Counter(sent) == Counter(queued)  # each sent once, by one tab
    recorded = Counter(
        e["command_id"] for e in history(server, first_id) + history(server, second_id)
    )
    assert all(recorded[command_id] == 1 for command_id in queued)
    assert len(alice.stored("verdicts")) == len(queued)

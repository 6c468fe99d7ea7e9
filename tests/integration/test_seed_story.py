"""The seed's story: A and B open customer #123 at version 20 and go offline."""

from __future__ import annotations

import pytest

from tests.devices import Device, customer_at_version_20


@pytest.fixture
def story(make_customers, request):
    app = make_customers(**getattr(request, "param", {}))
    office = Device(app, "office-pc", "carol")
    customer_id = customer_at_version_20(office)
    alice = Device(app, "laptop-a", "alice")
    bob = Device(app, "laptop-b", "bob")
    return app, customer_id, alice, bob


@pytest.mark.parametrize("alice_first", [True, False])
def test_disjoint_offline_edits_merge_in_both_orders(story, alice_first):
    app, customer_id, alice, bob = story
    batches = [
        (alice, alice.edit(customer_id, 20, name="John Doe")),
        (
            bob,
            bob.edit(
                customer_id,
                20,
                address={
                    "street": "1 Rue de Rivoli",
                    "city": "Paris",
                    "postal_code": "75001",
                    "country": "FR",
                },
            ),
        ),
    ]
    if not alice_first:
        batches.reverse()
    (first_device, first), (second_device, second) = batches
    [r1] = first_device.sync(first)
    [r2] = second_device.sync(second)
    assert (r1.status, r1.version) == ("applied", 21)
    assert (r2.status, r2.version) == ("merged", 22)
    customer = app.get_customer(customer_id)
    assert customer.value("name") == "John Doe"
    assert customer.value("address")["city"] == "Paris"
    assert customer.fields["name"].changed_by == "alice"
    assert customer.fields["address"].changed_by == "bob"


def same_field_edits(story):
    app, customer_id, alice, bob = story
    return (
        app,
        customer_id,
        (alice, alice.edit(customer_id, 20, name="John Doe")),
        (bob, bob.edit(customer_id, 20, name="Joan d'Arc")),
    )


def test_same_field_opens_a_conflict_under_manual_then_resolved(story):
    app, customer_id, (alice, a), (bob, b) = same_field_edits(story)
    [ra] = alice.sync(a)
    [rb] = bob.sync(b)
    assert (ra.status, rb.status, rb.version) == ("applied", "conflict", 22)
    conflict = app.get_customer(customer_id).conflicts[rb.conflict_id]
    assert conflict.base_value == "Acme"
    assert (conflict.current["value"], conflict.current["author"]) == (
        "John Doe",
        "alice",
    )
    assert [(c["value"], c["author"]) for c in conflict.candidates] == [
        ("Joan d'Arc", "bob")
    ]
    assert app.get_customer(customer_id).value("name") == "John Doe"

    [resolved] = bob.sync(
        [
            bob.resolve(
                customer_id,
                rb.conflict_id,
                22,
                "candidate",
                candidate_command_id=b[0]["command_id"],
            )
        ]
    )
    assert (resolved.status, resolved.version) == ("applied", 23)
    customer = app.get_customer(customer_id)
    assert customer.value("name") == "Joan d'Arc"
    assert customer.fields["name"].changed_by == "bob"
    assert not customer.conflicts[rb.conflict_id].is_open


@pytest.mark.parametrize(
    "story", [{"CONFLICT_POLICY": "last-writer-wins"}], indirect=True
)
@pytest.mark.parametrize("alice_first", [True, False])
def test_last_writer_wins_keeps_the_later_edit_in_both_orders(story, alice_first):
    app, customer_id, (alice, a), (bob, b) = same_field_edits(story)  # bob's is later
    if alice_first:
        [ra], [rb] = alice.sync(a), bob.sync(b)
        assert (ra.status, rb.status, rb.reason) == (
            "applied",
            "applied",
            "overwrote_concurrent_edit",
        )
    else:
        [rb], [ra] = bob.sync(b), alice.sync(a)
        assert (rb.status, ra.status) == ("applied", "superseded")
    customer = app.get_customer(customer_id)
    assert customer.value("name") == "Joan d'Arc"
    assert customer.fields["name"].changed_by == "bob"


@pytest.mark.parametrize("story", [{"CONFLICT_POLICY": "first-sync-wins"}], indirect=True)
@pytest.mark.parametrize("alice_first", [True, False])
def test_first_sync_wins_keeps_whichever_synced_first(story, alice_first):
    app, customer_id, (alice, a), (bob, b) = same_field_edits(story)
    (first, fa), (second, sb) = (
        ((alice, a), (bob, b)) if alice_first else ((bob, b), (alice, a))
    )
    [r1] = first.sync(fa)
    [r2] = second.sync(sb)
    assert r1.status == "applied"
    assert (r2.status, r2.reason, r2.version) == ("rejected", "concurrent_edit", 22)
    customer = app.get_customer(customer_id)
    assert customer.value("name") == fa[0]["payload"]["name"]
    rejected = app.history(customer_id)[22]
    assert rejected.current["value"] == fa[0]["payload"]["name"]
    assert rejected.current["author"] == first.author


def test_every_verdict_is_recorded_in_the_stream(story):
    app, customer_id, (alice, a), (bob, b) = same_field_edits(story)
    results = alice.sync(a) + bob.sync(b)
    history = app.history(customer_id)
    assert [e.originator_version for e in history] == list(range(23))
    for result in results:
        event = history[result.version]
        assert (str(event.command_id), event.verdict) == (
            str(result.command_id),
            result.status,
        )
    assert history[22].author == "bob" and history[22].client_id == "laptop-b"

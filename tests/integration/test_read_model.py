"""The read side: customer views and the conflict inbox, projected exactly once."""

from __future__ import annotations

import pytest

from system import maintenance, views
from system.directory import CustomerDirectory
from system.runtime import Deployment
from tests.backends import needs_empty_store
from tests.devices import Device, customer_at_version_20


def seed_conflict(deployment):
    office = Device(deployment.customers, "office", "carol")
    customer_id = customer_at_version_20(office)
    alice = Device(deployment.customers, "laptop-a", "alice")
    bob = Device(deployment.customers, "laptop-b", "bob")
    alice.sync(alice.edit(customer_id, 20, name="John Doe", supplier="Alice Supplies"))
    [conflict, merged] = bob.sync(
        bob.edit(customer_id, 20, name="Joan d'Arc", phone="+33 1 23 45 67 89")
    )
    return customer_id, conflict, merged, bob


def test_the_view_shows_values_provenance_and_open_conflicts(deployment):
    customer_id, conflict, merged, _ = seed_conflict(deployment)
    view = deployment.directory.customer_view(customer_id)
    assert (view["version"], view["name"], view["supplier"], view["phone"]) == (
        24,
        "John Doe",
        "Alice Supplies",
        "+33 1 23 45 67 89",
    )
    assert view["fields"]["name"]["changed_by"] == "alice"
    phone_set = deployment.customers.history(customer_id)[24]
    assert view["fields"]["phone"] == {
        "version": 24,
        "changed_by": "bob",
        "changed_at": phone_set.effective_at.isoformat(),
    }
    assert view["position"] == merged.position == deployment.directory.position()
    [open_conflict] = view["conflicts"]
    assert open_conflict["conflict_id"] == str(conflict.conflict_id)
    assert (open_conflict["base_value"], open_conflict["current"]["value"]) == (
        "Acme",
        "John Doe",
    )
    assert [c["value"] for c in open_conflict["candidates"]] == ["Joan d'Arc"]


def test_the_conflict_inbox_follows_resolution(deployment):
    customer_id, conflict, _, bob = seed_conflict(deployment)
    directory = deployment.directory
    assert [c["conflict_id"] for c in directory.conflicts("open", customer_id)] == [
        str(conflict.conflict_id)
    ]
    bob.sync(
        [bob.resolve(customer_id, conflict.conflict_id, 24, "value", value="Jean Dupont")]
    )
    assert directory.conflicts("open", customer_id) == []
    [resolved] = directory.conflicts("resolved", customer_id)
    assert resolved["resolution"]["value"] == "Jean Dupont"
    assert resolved["resolution"]["resolved_by"] == "bob"
    view = directory.customer_view(customer_id)
    assert (view["name"], view["conflicts"]) == ("Jean Dupont", [])
    assert directory.conflict(conflict.conflict_id)["status"] == "resolved"


@needs_empty_store
def test_views_changed_after_a_position_come_in_position_order(deployment):
    office = Device(deployment.customers, "office", "carol")
    ids = [office.register(f"Customer {i}") for i in range(5)]
    office.sync(office.edit(ids[1], 0, name="Changed"))
    directory = deployment.directory
    first = directory.customer_views_since(0, limit=3)
    assert [v["name"] for v in first] == ["Customer 0", "Customer 2", "Customer 3"]
    rest = directory.customer_views_since(first[-1]["position"], limit=3)
    assert [v["name"] for v in rest] == ["Customer 4", "Changed"]
    assert directory.customer_views_since(rest[-1]["position"], limit=3) == []


def test_projection_stopped_mid_stream_resumes_exactly_once(store_env, monkeypatch):
    with Deployment(store_env, projection="off") as writer:
        office = Device(writer.customers, "office", "carol")
        customer_id = office.register()
        for n in range(6):
            office.sync(office.edit(customer_id, n, description=f"note {n}"))
        monkeypatch.setattr(CustomerDirectory, "pull_section_size", 2)  # pages of 2
        projected, real_project = [], views.project

        def failing_project(event, position, store, *given):
            if event.originator_version == 4:
                raise RuntimeError("projection interrupted")
            projected.append(event.originator_version)
            real_project(event, position, store, *given)

        monkeypatch.setattr(views, "project", failing_project)
        directory = maintenance.follower(writer.customers, store_env)
        with pytest.raises(RuntimeError):
            directory.catch_up()
        # The page holding versions 4 and 5 failed as a whole; 0 to 3 stay.
        assert directory.customer_view(customer_id)["version"] == 3
        assert projected == [0, 1, 2, 3]
        directory.close()

        after_restart = []

        def counting_project(event, position, store, *given):
            after_restart.append(event.originator_version)
            real_project(event, position, store, *given)

        monkeypatch.setattr(views, "project", counting_project)
        restarted = maintenance.follower(writer.customers, store_env)
        restarted.catch_up()
        assert restarted.customer_view(customer_id)["version"] == 6
        if store_env.get("PERSISTENCE_MODULE") != "eventsourcing.popo":  # kept its tables
            assert after_restart == [4, 5, 6]  # each event projected once
        assert maintenance.differences(writer.customers, restarted) == []
        restarted.close()


def test_rebuilding_from_scratch_gives_the_live_model(deployment):
    seed_conflict(deployment)
    live = deployment.directory.contents()
    assert maintenance.differences(deployment.customers, deployment.directory) == []
    position = maintenance.rebuild(deployment.directory)
    assert position == live["position"]
    assert deployment.directory.contents() == live


def test_a_damaged_read_model_is_reported(deployment):
    customer_id, *_ = seed_conflict(deployment)
    deployment.directory.clear()
    found = maintenance.differences(deployment.customers, deployment.directory)
    assert found and any(str(customer_id) in line for line in found)


def test_writes_return_before_the_projection_with_the_threaded_runner(
    make_deployment, held_projection
):
    deployment = make_deployment("threads")
    office = Device(deployment.customers, "office", "carol")
    customer_id = office.register()
    [result] = office.sync(office.edit(customer_id, 0, name="Later"))
    assert deployment.directory.customer_view(customer_id) is None
    assert not deployment.wait_for(result.position, timeout=0.2)
    held_projection.set()
    assert deployment.wait_for(result.position, timeout=10)
    assert deployment.directory.customer_view(customer_id)["name"] == "Later"


def test_documents_keep_every_character_of_their_values(deployment):
    """Quotes, backslashes, braces, commas, non-ASCII and astral characters, in
    a view and in a conflict, written and read back as sent."""
    office = Device(deployment.customers, "office", "carol")
    alice = Device(deployment.customers, "laptop-a", "alice")
    bob = Device(deployment.customers, "laptop-b", "bob")
    awkward = 'Ærø "Co" \\ {a,b} (c) — 株式会社 🚚'
    customer_id = office.register("Acme", description=awkward)
    alice.sync(alice.edit(customer_id, 0, supplier=awkward + " A"))
    [conflict] = bob.sync(bob.edit(customer_id, 0, supplier=awkward + " B"))
    view = deployment.directory.customer_view(customer_id)
    assert (view["description"], view["supplier"]) == (awkward, awkward + " A")
    stored = deployment.directory.conflict(conflict.conflict_id)
    assert stored["base_value"] is None
    assert [c["value"] for c in stored["candidates"]] == [awkward + " B"]
    assert maintenance.differences(deployment.customers, deployment.directory) == []

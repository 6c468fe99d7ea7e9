"""The stored event format: MessagePack through the library's transcoder, old
JSON rows still read, old event versions upcast, times in UTC."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from application import Customers
from application.event_format import EventStateTranscoder
from bench.workload import Workload, registrations
from customer_domain.customer import Customer
from system import maintenance
from system.runtime import Deployment
from tests.backends import backend_env

LIBRARY_JSON = {"TRANSCODER_TOPIC": "eventsourcing.persistence:JSONTranscoder"}


def edit(app: Customers, customers: int, commands: int, seed: int) -> list[uuid.UUID]:
    """Register ``customers`` and submit ``commands`` mixed commands (some stale)."""
    ids = [uuid.uuid4() for _ in range(customers)]
    app.submit("office", "carol", registrations(ids))
    workload = Workload(ids, seed=seed)
    for client, batch in workload.batches(commands, 50):
        workload.saw(app.submit(client, "employee", batch))
    return ids


def snapshot_of(app: Customers, customer_ids, first: dict | None = None) -> dict:
    """Each customer's events (its ``first[customer]`` first ones), as read."""
    return {
        customer_id: [
            (event.__class__.__name__, dict(vars(event)))
            for event in app.history(customer_id)
        ][: (first or {}).get(customer_id)]
        for customer_id in customer_ids
    }


def test_events_are_stored_as_messagepack_and_read_back_equal(store_env):
    app = Customers(env=store_env)
    try:
        ids = edit(app, 5, 120, seed=3)
        stored = list(app.recorder.select_events(ids[0]))
        assert stored and all(event.state[:1] != b"{" for event in stored)
        mapper = app.mapper
        for event in app.history(ids[0]):
            stored = mapper.to_stored_event(event)
            assert mapper.to_domain_event(stored).__dict__ == event.__dict__
    finally:
        app.close()


def test_a_store_written_in_the_old_json_format_reads_and_grows(tmp_path):
    """An existing user's SQLite file: its JSON rows are read as they are, new
    rows are MessagePack, and every reader (the application, the history, the
    projection and its rebuild) reads both."""
    with backend_env("sqlite", tmp_path) as env:
        old = Customers(env={**env, **LIBRARY_JSON})
        ids = edit(old, 4, 100, seed=5)
        before = snapshot_of(old, ids)
        old.close()

        with Deployment(env, projection="sync") as deployment:
            app = deployment.customers
            assert snapshot_of(app, ids) == before
            rows = list(app.recorder.select_events(ids[0]))
            assert all(row.state[:1] == b"{" for row in rows)
            workload = Workload(ids, seed=6)
            workload.seen = {cid: app.version_of(cid) for cid in ids}
            for client, batch in workload.batches(60, 30):
                results = app.submit(client, "employee", batch)
                assert all(r.reason != "command_id_reused" for r in results)
                workload.saw(results)
            states = [
                row.state[:1] for cid in ids for row in app.recorder.select_events(cid)
            ]
            assert b"{" in states and any(first != b"{" for first in states)
            assert snapshot_of(app, ids, {cid: len(before[cid]) for cid in ids}) == before
            resent = app.submit("office", "carol", registrations(ids[:1]))
            # A registration with another command id: the customer exists.
            assert resent[0].status == "rejected"
            assert maintenance.differences(app, deployment.directory) == []
            assert maintenance.rebuild(deployment.directory) > 0
            assert maintenance.differences(app, deployment.directory) == []


def test_a_resent_command_of_the_old_format_gets_its_first_verdict(tmp_path):
    with backend_env("sqlite", tmp_path) as env:
        old = Customers(env={**env, **LIBRARY_JSON})
        registration = registrations([uuid.uuid4()])
        [first] = old.submit("office", "carol", registration)
        old.close()
        app = Customers(env=env)
        try:
            [again] = app.submit("office", "carol", registration)
        finally:
            app.close()
        assert (again.status, again.duplicate, again.version) == (first.status, True, 0)


class Evolving(Aggregate):
    """An aggregate whose event gained an attribute in its second version."""

    class Renamed(Aggregate.Event):
        class_version = 2
        name: str
        reason: str

        @staticmethod
        def upcast_v1_v2(state: dict) -> None:
            state["reason"] = "not recorded before version 2"


def test_an_old_version_of_an_event_is_upcast_in_either_stored_format():
    mapper = Customers(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}).mapper
    transcoder = EventStateTranscoder()
    at = datetime(2026, 11, 26, 9, 15, tzinfo=UTC)
    version_1 = {"timestamp": at, "name": "Acme"}  # as the first version stored it
    aggregate_id = uuid.uuid4()
    for state in (transcoder.encode(version_1), transcoder.legacy.encode(version_1)):
        event = mapper.to_domain_event(
            StoredEvent(
                originator_id=aggregate_id,
                originator_version=3,
                topic=get_topic(Evolving.Renamed),
                state=state,
            )
        )
        assert isinstance(event, Evolving.Renamed)
        assert (event.originator_id, event.originator_version, event.timestamp) == (
            aggregate_id,
            3,
            at,
        )
        assert (event.name, event.reason) == ("Acme", "not recorded before version 2")
    current = Evolving.Renamed(
        originator_id=aggregate_id,
        originator_version=4,
        timestamp=at,
        name="Acme Ltd",
        reason="merger",
    )
    stored = mapper.to_stored_event(current)
    assert transcoder.decode(stored.state)["class_version"] == 2
    assert mapper.to_domain_event(stored).__dict__ == current.__dict__


def test_times_are_normalised_to_utc_at_intake():
    paris = timezone(timedelta(hours=1))
    app = Customers(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"},
        clock=lambda: datetime(2026, 11, 26, 10, 20, tzinfo=paris),
    )
    try:
        [registration] = registrations([uuid.uuid4()])
        registration["issued_at"] = "2026-11-26T10:15:00+01:00"
        [result] = app.submit("laptop", "alice", [registration])
        [event] = app.history(result.customer_id)
        assert isinstance(event, Customer.Registered)
        assert event.issued_at == datetime(2026, 11, 26, 9, 15, tzinfo=UTC)
        for moment in (event.issued_at, event.received_at, event.effective_at):
            assert moment.utcoffset() == timedelta(0)
            assert moment.isoformat().endswith("+00:00")
        # The same command sent with its time in UTC is the same command.
        registration["issued_at"] = "2026-11-26T09:15:00+00:00"
        [again] = app.submit("laptop", "alice", [registration])
        assert again.duplicate
    finally:
        app.close()


def test_the_api_answers_times_in_utc(make_deployment):
    from tests.web.conftest import TOKENS, Api
    from web import create_app

    api = Api(
        create_app({"DEPLOYMENT": make_deployment(), "AUTH_TOKENS": TOKENS}).test_client()
    )
    customer_id = api.register(issued_at="2026-11-26T10:15:00.123+01:00")
    [registered] = api.get(f"/customers/{customer_id}/history").json["events"]
    assert registered["issued_at"] == "2026-11-26T09:15:00.123000+00:00"
    assert registered["received_at"].endswith("+00:00")


def test_recording_an_event_checks_its_attributes():
    import pytest

    at = datetime(2026, 11, 26, 9, 15, tzinfo=UTC)
    customer = Customer.register(
        uuid.uuid4(),
        command_id=uuid.uuid4(),
        client_id="office",
        author="carol",
        issued_at=at,
        effective_at=at,
        received_at=at,
        base_version=None,
        verdict="applied",
        reason=None,
        detail=None,
        conflict_id=None,
        fingerprint="f",
        latest_effective_at=at,
        name="Acme",
        email=None,
        phone=None,
        address=None,
        supplier=None,
        description=None,
        status="active",
    )
    with pytest.raises(TypeError, match="SupplierChanged records"):
        customer.record(Customer.SupplierChanged, value="Initech")
    assert customer.version == 0

"""The guarantees of the spec as properties: random customers, 2-4 offline
clients editing random fields from stale bases with clocks that run behind,
values drawn from small pools that include the current ones."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from application import Customers
from soak import lww
from tests.backends import backend_env

POOLS = {
    "name": ["Acme", "Beta", "Gamma", ""],  # "" breaks the rule: rejected, recorded
    "supplier": ["Old Co", "New Co", None],
    "description": ["first", "second"],
    "status": ["active", "on_hold"],
}
COMMAND_OF = {
    "name": "ChangeName",
    "supplier": "ChangeSupplier",
    "description": "ChangeDescription",
    "status": "ChangeStatus",
}
DAY_AGO = datetime.now(UTC) - timedelta(days=1)

edits = st.lists(
    st.tuples(st.sampled_from(sorted(POOLS)), st.integers(0, 3)), min_size=1, max_size=4
)


@st.composite
def scenarios(draw):
    """Office edits up to version V0, then clients' offline batches."""
    customer_id = uuid.UUID(int=draw(st.integers(1, 2**64)))
    clock = itertools.count(1)

    def envelope(field, pick, base, lag_minutes):
        value = POOLS[field][pick % len(POOLS[field])]
        tick = next(clock)
        issued = DAY_AGO + timedelta(seconds=tick * 10 - lag_minutes * 60)
        # Drawn at random, so command ids and client ids order stamps differently.
        return {
            "command_id": str(draw(st.uuids(version=4))),
            "type": COMMAND_OF[field],
            "customer_id": str(customer_id),
            "base_version": base,
            "issued_at": issued.isoformat(),
            "payload": {field: value},
        }

    register = {
        "command_id": str(uuid.uuid4()),
        "type": "RegisterCustomer",
        "customer_id": str(customer_id),
        "base_version": None,
        "issued_at": DAY_AGO.isoformat(),
        "payload": {"name": "Acme", "supplier": "Old Co", "description": "first"},
    }
    office = [
        envelope(f, p, version, 0)
        for version, (f, p) in enumerate(
            draw(
                st.lists(
                    st.tuples(st.sampled_from(sorted(POOLS)), st.integers(0, 3)),
                    max_size=4,
                )
            )
        )
    ]
    v0 = len(office)
    clients = []
    for _ in range(draw(st.integers(2, 4))):
        base = draw(st.integers(0, v0))
        lag = draw(st.sampled_from([0, 5, 600]))  # clocks behind, never ahead
        commands = [envelope(f, p, base, lag) for f, p in draw(edits)]
        split = draw(st.integers(0, len(commands)))
        clients.append([b for b in (commands[:split], commands[split:]) if b])
    return customer_id, [register, *office], clients


def arrival_orders(clients, data):
    """Interleavings of the clients' batches, each client's own in its order."""
    slots = [i for i, batches in enumerate(clients) for _ in batches]
    orders = {
        tuple(slots),
        tuple(sorted(slots, reverse=True)),
        tuple(data.draw(st.permutations(slots))),
    }
    return [list(order) for order in orders]


def play(app, setup, clients, order):
    results = []
    for envelope in setup:
        app.submit("office", "carol", [envelope])
    queues = [list(batches) for batches in clients]
    for client in order:
        batch = queues[client].pop(0)
        results.append(
            (client, batch, app.submit(f"laptop-{client}", f"emp{client}", batch))
        )
    return results


def final_fields(app, customer_id):
    customer = app.get_customer(customer_id)
    return {f: (v.value, v.changed_by, v.changed_at) for f, v in customer.fields.items()}


BACKENDS = ["popo", "sqlite"]
property_settings = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.mark.parametrize("backend", BACKENDS)
@property_settings
@given(scenario=scenarios(), data=st.data())
def test_last_writer_wins_converges_whatever_the_arrival_order(
    backend, tmp_path_factory, scenario, data
):
    customer_id, setup, clients = scenario
    finals = []
    for order in arrival_orders(clients, data):
        with backend_env(backend, tmp_path_factory.mktemp("lww")) as env:
            app = Customers(env={**env, "CONFLICT_POLICY": "last-writer-wins"})
            play(app, setup, clients, order)
            finals.append(final_fields(app, customer_id))
            expected = winners_computed_apart(app, customer_id, setup, clients)
            app.close()
    assert all(final == finals[0] for final in finals)
    assert {field: value for field, (value, _, _) in finals[0].items()} == expected


def winners_computed_apart(app, customer_id, setup, clients) -> dict:
    """The final values by the stamp formula alone (soak.lww), from the commands
    in the order the store recorded them (rejected ones compete for nothing)."""
    envelopes = {e["command_id"]: e for e in setup}
    envelopes.update(
        {e["command_id"]: e for batches in clients for b in batches for e in b}
    )
    recorded = [
        {
            **envelopes[str(event.command_id)],
            "version": event.originator_version,
            "client_id": event.client_id,
            "rejected": event.verdict == "rejected",
        }
        for event in app.history(customer_id)
    ]
    return lww.winners(recorded)[str(customer_id)]


@pytest.mark.parametrize("backend", BACKENDS)
@property_settings
@given(
    scenario=scenarios(),
    data=st.data(),
    detection=st.sampled_from(["field", "aggregate"]),
)
def test_manual_loses_nothing_and_resending_changes_nothing(
    backend, tmp_path_factory, scenario, data, detection
):
    customer_id, setup, clients = scenario
    with backend_env(backend, tmp_path_factory.mktemp("manual")) as env:
        app = Customers(env={**env, "CONFLICT_DETECTION": detection})
        [order] = arrival_orders(clients, data)[:1]
        played = play(app, setup, clients, order)
        history = app.history(customer_id)
        final = app.get_customer(customer_id)

        recorded = 0
        for _, batch, results in played:
            for envelope, result in zip(batch, results, strict=True):
                field, value = next(iter(envelope["payload"].items()))
                event = history[result.version]
                recorded += 1
                assert str(event.command_id) == envelope["command_id"]
                assert event.verdict == result.status
                if result.status in ("applied", "merged"):
                    assert event.changes() == {field: value}
                elif result.status == "unchanged":
                    assert (
                        app.get_customer(customer_id, result.version).value(field)
                        == value
                    )
                elif result.status == "conflict":
                    candidates = final.conflicts[result.conflict_id].candidates
                    assert {
                        "value": value,
                        "command_id": envelope["command_id"],
                    }.items() <= next(
                        c for c in candidates if c["command_id"] == envelope["command_id"]
                    ).items()
                else:
                    assert (result.status, result.reason) == ("rejected", "invalid_value")
                    assert event.reason == "invalid_value"
        assert len(history) == len(setup) + recorded  # one event per recorded command

        for field, state in final.fields.items():
            last = [e for e in history if field in e.changes()][-1]
            assert state.value == last.changes()[field]

        version = final.version
        for client, batch, results in played:
            prefix = batch[: data.draw(st.integers(1, len(batch)))]
            rebased = [{**e, "base_version": version} for e in prefix]
            again = app.submit(f"laptop-{client}", f"emp{client}", rebased)
            assert [(r.status, r.version, r.conflict_id) for r in again] == [
                (r.status, r.version, r.conflict_id) for r in results[: len(prefix)]
            ]
            assert all(r.duplicate for r in again)
        assert app.get_customer(customer_id).version == version
        app.close()

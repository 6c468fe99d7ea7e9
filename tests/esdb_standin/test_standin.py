"""Tests of the protocol-level EventStoreDB stand-in's own rules, driven
through the real ``kurrentdbclient.KurrentDBClient`` and the
``eventsourcing_eventstoredb`` recorders (the stand-in is not EventStoreDB)."""

from __future__ import annotations

import threading
from uuid import UUID, uuid4

import grpc
import pytest
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing_eventstoredb.recorders import EventStoreDBApplicationRecorder
from kurrentdbclient import (
    DEFAULT_EXCLUDE_FILTER,
    KurrentDBClient,
    NewEvent,
    StreamState,
)
from kurrentdbclient.exceptions import (
    GrpcError,
    InvalidCommitPositionError,
    NotFoundError,
    ServiceUnavailableError,
    UnknownError,
    WrongCurrentVersionError,
)
from kurrentdbclient.protos.v1 import shared_pb2, streams_pb2, streams_pb2_grpc

from . import StandInServer


@pytest.fixture
def server():
    with StandInServer() as server:
        yield server


@pytest.fixture
def client(server):
    client = KurrentDBClient(server.uri)
    yield client
    client.close()


def new_events(*types: str) -> list[NewEvent]:
    return [NewEvent(type=t, data=b"{}") for t in types]


def append(client, stream, *types, version=StreamState.ANY) -> int:
    events = new_events(*types)
    return client.append_events(stream, current_version=version, events=events)


def within(seconds: float, function, *args):
    """Call the function in a thread: fail, rather than hang, if it blocks."""
    outcome: list = []

    def run() -> None:
        try:
            outcome.append((True, function(*args)))
        except BaseException as e:  # noqa: BLE001
            outcome.append((False, e))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, f"{function!r} still blocked after {seconds}s"
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


def take(subscription, count: int) -> list:
    return within(5, lambda: [next(subscription) for _ in range(count)])


def test_uri_is_insecure_single_node_on_free_port(server):
    assert server.uri == f"esdb://127.0.0.1:{server.port}?Tls=false"
    with StandInServer() as other:
        assert other.port != server.port


def test_no_stream_passes_only_for_missing_stream(client):
    append(client, "s", "A", version=StreamState.NO_STREAM)
    with pytest.raises(WrongCurrentVersionError) as info:
        append(client, "s", "B", version=StreamState.NO_STREAM)
    assert info.value.actual_version == 0


def test_exact_revision_must_equal_last_revision(client):
    with pytest.raises(WrongCurrentVersionError) as info:
        append(client, "s", "A", version=0)
    assert info.value.actual_version is StreamState.NO_STREAM
    append(client, "s", "A", "B", version=StreamState.NO_STREAM)
    with pytest.raises(WrongCurrentVersionError) as info:
        append(client, "s", "C", version=0)
    assert info.value.actual_version == 1
    append(client, "s", "C", version=1)
    assert [e.type for e in client.get_stream("s")] == ["A", "B", "C"]


def test_stream_exists_needs_an_event_and_any_always_passes(client):
    with pytest.raises(WrongCurrentVersionError):
        append(client, "s", "A", version=StreamState.EXISTS)
    append(client, "s", "A", version=StreamState.ANY)
    append(client, "s", "B", version=StreamState.EXISTS)
    append(client, "s", "C", version=StreamState.ANY)
    assert client.get_current_version("s") == 2


def test_single_event_append_rpc_follows_same_rules(client):
    first = client.append_event(
        "s", current_version=StreamState.NO_STREAM, event=NewEvent("A", b"")
    )
    with pytest.raises(WrongCurrentVersionError, match="last event is 0 not 5"):
        client.append_event("s", current_version=5, event=NewEvent("B", b""))
    assert client.get_stream("s")[0].commit_position == first


def test_failed_append_writes_nothing(client):
    append(client, "s", "A")
    before = client.get_commit_position(filter_exclude=())
    with pytest.raises(WrongCurrentVersionError):
        append(client, "s", "B", "C", version=StreamState.NO_STREAM)
    assert len(client.get_stream("s")) == 1
    assert client.get_commit_position(filter_exclude=()) == before


def test_repeating_an_append_is_idempotent(client):
    events = new_events("A", "B")
    no_stream = StreamState.NO_STREAM
    position = client.append_events("s", current_version=no_stream, events=events)
    again = client.append_events("s", current_version=no_stream, events=events)
    assert again == position
    assert len(client.get_stream("s")) == 2


def test_positions_increase_by_varying_steps_and_append_reports_last(client):
    returned = append(client, "s", "A", "BB", "CCCCCCCC")
    positions = [e.commit_position for e in client.get_stream("s")]
    assert returned == positions[-1]
    steps = [b - a for a, b in zip(positions, positions[1:])]
    assert all(step > 1 for step in steps)
    assert len(set(steps)) > 1
    assert all(e.commit_position == e.prepare_position for e in client.get_stream("s"))


def test_read_stream_forwards_from_revision_and_backwards(client):
    append(client, "s", "A", "B", "C", "D")

    def types(**kwargs) -> list[str]:
        return [e.type for e in client.get_stream("s", **kwargs)]

    assert types(stream_position=1, limit=2) == ["B", "C"]
    assert types(backwards=True, limit=1) == ["D"]
    assert types(stream_position=1, backwards=True) == ["B", "A"]
    assert client.get_stream("s", stream_position=9) == ()


def test_missing_stream_is_a_message_not_a_grpc_error(server, client):
    with pytest.raises(NotFoundError):
        client.get_stream("missing")
    options = streams_pb2.ReadReq.Options(
        stream=streams_pb2.ReadReq.Options.StreamOptions(
            stream_identifier=shared_pb2.StreamIdentifier(stream_name=b"missing"),
            start=shared_pb2.Empty(),
        ),
        count=10,
        no_filter=shared_pb2.Empty(),
        uuid_option=streams_pb2.ReadReq.Options.UUIDOption(string=shared_pb2.Empty()),
    )
    with grpc.insecure_channel(f"{server.host}:{server.port}") as channel:
        stub = streams_pb2_grpc.StreamsStub(channel)
        responses = list(stub.Read(streams_pb2.ReadReq(options=options)))
    assert [r.WhichOneof("content") for r in responses] == ["stream_not_found"]


def test_read_all_from_position_includes_that_event(client):
    append(client, "s", "A")
    position = append(client, "s", "B")
    append(client, "s", "C")
    assert [e.type for e in client.read_all(commit_position=position)] == ["B", "C"]


def test_read_all_from_inside_a_record_fails_and_past_end_is_empty(client):
    position = append(client, "s", "A", "B")
    with pytest.raises(InvalidCommitPositionError):
        list(client.read_all(commit_position=position - 1))
    with pytest.raises(UnknownError, match="Unexpected ReadAllResult: InvalidPosition"):
        list(client.read_all(commit_position=position - 1, filter_exclude=()))
    assert list(client.read_all(commit_position=position + 10_000)) == []


def test_system_events_are_excluded_only_by_filters(client):
    append(client, "s", "A")
    unfiltered = list(client.read_all(filter_exclude=()))
    assert any(e.type.startswith("$") for e in unfiltered)
    filtered = list(client.read_all(filter_exclude=["NoSuchType"]))
    for events in (unfiltered, filtered):  # the default $all rule still applies
        assert "$metadata" in [e.type for e in events]
        assert "$epoch-information" not in [e.stream_name for e in events]
    assert [e.type for e in client.read_all()] == ["A"]
    assert client.get_commit_position() == client.get_stream("s")[0].commit_position


def test_event_type_regex_is_searched_for_like_the_server_does(client):
    types = ("topic2", "xtopic2", "topic2x", "PersistentConfig1", "OrderSnapshot")
    append(client, "s", *types)
    included = [e.type for e in client.read_all(filter_include=["topic1", "topic2"])]
    assert included == ["topic2", "xtopic2"]  # "^topic1|topic2$" matches "xtopic2"
    adapter_exclude = (*DEFAULT_EXCLUDE_FILTER, ".*Snapshot")
    remaining = [e.type for e in client.read_all(filter_exclude=adapter_exclude)]
    assert remaining == ["topic2", "xtopic2", "topic2x"]


def test_stream_name_filter(client):
    append(client, "order-1", "A")
    append(client, "user-1", "B")
    events = client.read_all(filter_include=["order-.*"], filter_by_stream_name=True)
    assert [e.stream_name for e in events] == ["order-1"]


def test_subscription_catches_up_after_position_then_goes_live(client):
    append(client, "s", "A")
    position = append(client, "s", "B")
    append(client, "s", "C")
    subscription = client.subscribe_to_all(
        commit_position=position, include_caught_up=True
    )
    received = take(subscription, 2)
    assert [received[0].type, received[1].is_caught_up] == ["C", True]
    append(client, "t", "D")
    assert take(subscription, 1)[0].type == "D"
    subscription.stop()


def test_subscription_from_inside_a_record_fails(client):
    position = append(client, "s", "A", "B")
    subscription = client.subscribe_to_all(commit_position=position - 1)
    with pytest.raises(GrpcError, match="invalid position"):
        take(subscription, 1)


def test_stopping_server_cancels_live_subscription(server, client):
    subscription = client.subscribe_to_all()
    threading.Timer(0.2, server.stop).start()
    with pytest.raises(ServiceUnavailableError):
        within(5, list, subscription)
    with pytest.raises(ServiceUnavailableError):  # no longer listening
        client.get_commit_position()


def test_concurrent_appends_get_distinct_ordered_positions(client):
    def write(n: int) -> None:
        for i in range(20):
            append(client, f"s{n}", "E", version=i - 1 if i else StreamState.NO_STREAM)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    positions = [e.commit_position for e in client.read_all()]
    assert len(positions) == 160
    assert positions == sorted(set(positions))


def test_discover_scheme_uses_gossip(server):
    uri = f"esdb+discover://{server.host}:{server.port}?Tls=false"
    with KurrentDBClient(uri) as client:
        assert client.read_gossip()[0].state == "NODE_STATE_LEADER"
        assert client.get_commit_position(filter_exclude=()) > 0


def test_adapter_recorder_conflict_is_integrity_error(client):
    recorder = EventStoreDBApplicationRecorder(client)
    stored = StoredEvent(
        originator_id=uuid4(), originator_version=0, topic="t", state=b""
    )
    recorder.insert_events([stored])
    with pytest.raises(IntegrityError):
        recorder.insert_events([stored])


class Dog(Aggregate):
    INITIAL_VERSION = 0  # the adapter maps versions to stream revisions (from 0)

    def __init__(self, name: str) -> None:
        self.name = name
        self.tricks: list[str] = []

    @event("TrickAdded")
    def add_trick(self, trick: str) -> None:
        self.tricks.append(trick)


def test_application_saves_reloads_and_reads_notifications(server):
    env = {"PERSISTENCE_MODULE": "eventsourcing_eventstoredb"}
    app = Application(env={**env, "EVENTSTOREDB_URI": server.uri})
    start = app.recorder.max_notification_id()
    subscription = app.recorder.subscribe(gt=start)
    dog = Dog("Fido")
    dog.add_trick("roll over")
    app.save(dog)
    assert app.repository.get(dog.id).tricks == ["roll over"]

    notifications = app.notification_log.select(start, 10, inclusive_of_start=False)
    versions = [(n.originator_id, n.originator_version) for n in notifications]
    assert versions == [(dog.id, 0), (dog.id, 1)]
    assert notifications[0].id < notifications[1].id
    assert notifications[1].id == app.recorder.max_notification_id()
    selected = app.recorder.select_notifications(notifications[1].id, 10)
    assert [n.id for n in selected] == [notifications[1].id]

    with subscription:
        received = take(subscription, 2)
    assert [n.id for n in received] == [n.id for n in notifications]
    assert isinstance(received[0].originator_id, UUID)
    app.close()

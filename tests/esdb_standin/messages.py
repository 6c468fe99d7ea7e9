"""Protobuf messages of the protocol-level EventStoreDB stand-in.

Converts between the v1 gRPC messages shipped with ``kurrentdbclient`` and the
stand-in's log types, in the shapes a KurrentDB node sends (see
``Services/Transport/Grpc/Streams.Append.cs``, ``Streams.BatchAppend.cs``,
``Streams.Read.cs``, ``MetadataHelpers.cs``, ``Status.cs`` and
``WrongExpectedVersion.cs`` in the KurrentDB sources).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING
from uuid import UUID

from google.protobuf import any_pb2, empty_pb2, timestamp_pb2
from kurrentdbclient.protos.v1 import shared_pb2, status_pb2, streams_pb2

from .log import ANY, NO_STREAM, STREAM_EXISTS, ProposedEvent

if TYPE_CHECKING:
    from .log import AppendResult, Record

ReadResp = streams_pb2.ReadResp
JSON = "application/json"
OCTET_STREAM = "application/octet-stream"
GRPC_CODE_ALREADY_EXISTS = 6  # google.rpc.Code.ALREADY_EXISTS
GRPC_CODE_INVALID_ARGUMENT = 3  # google.rpc.Code.INVALID_ARGUMENT


class BadRequestError(ValueError):
    """A proposed message the server would refuse."""


def expected_version(which: str | None, revision: int) -> int:
    """The expected version named by an append's options oneof."""
    named = {"any": ANY, "no_stream": NO_STREAM, "stream_exists": STREAM_EXISTS}
    if which in named:
        return named[which]
    if which in ("revision", "stream_position"):
        return revision
    msg = f"'{which}' is not a valid expected stream revision"
    raise BadRequestError(msg)


def proposed_event(
    message: streams_pb2.AppendReq.ProposedMessage
    | streams_pb2.BatchAppendReq.ProposedMessage,
) -> ProposedEvent:
    """``MetadataHelpers.ParseGrpcMetadata``: "type" and "content-type" are
    required; only "application/json" is recorded as JSON."""
    for key in ("type", "content-type"):
        if key not in message.metadata:
            msg = f"Required metadata property '{key}' is missing"
            raise BadRequestError(msg)
    try:
        event_id = str(UUID(message.id.string))
    except ValueError as e:
        msg = f"Invalid event ID: {message.id.string!r}"
        raise BadRequestError(msg) from e
    return ProposedEvent(
        event_id=event_id,
        event_type=message.metadata["type"],
        is_json=message.metadata["content-type"] == JSON,
        data=message.data,
        custom_metadata=message.custom_metadata,
    )


def read_event(record: Record) -> streams_pb2.ReadResp:
    """An event read from a stream or from "$all" (the same shape for both)."""
    recorded = ReadResp.ReadEvent.RecordedEvent(
        id=shared_pb2.UUID(string=record.event_id),
        stream_identifier=_stream_identifier(record.stream_name),
        stream_revision=record.revision,
        prepare_position=record.position,
        commit_position=record.position,
        metadata={
            "type": record.event_type,
            "created": str(record.created),
            "content-type": JSON if record.is_json else OCTET_STREAM,
        },
        custom_metadata=record.custom_metadata,
        data=record.data,
    )
    read = ReadResp.ReadEvent(event=recorded, commit_position=record.position)
    return ReadResp(event=read)


def stream_not_found(stream_name: str) -> streams_pb2.ReadResp:
    return ReadResp(
        stream_not_found=ReadResp.StreamNotFound(
            stream_identifier=_stream_identifier(stream_name)
        )
    )


def confirmation(subscription_id: str) -> streams_pb2.ReadResp:
    return ReadResp(
        confirmation=ReadResp.SubscriptionConfirmation(subscription_id=subscription_id)
    )


def checkpoint(position: int) -> streams_pb2.ReadResp:
    return ReadResp(
        checkpoint=ReadResp.Checkpoint(
            commit_position=position, prepare_position=position, timestamp=_now()
        )
    )


def caught_up(position: int | None) -> streams_pb2.ReadResp:
    """For "$all" the position is set unless there is no checkpoint yet."""
    message = ReadResp.CaughtUp(timestamp=_now())
    if position is not None:
        message.position.CopyFrom(
            ReadResp.Position(commit_position=position, prepare_position=position)
        )
    return ReadResp(caught_up=message)


def append_resp(result: AppendResult, expected: int) -> streams_pb2.AppendResp:
    """Result of ``Streams.Append``, including the 20.6.0 legacy fields."""
    if result.ok:
        success = streams_pb2.AppendResp.Success()
        if result.revision is None:
            success.no_stream.CopyFrom(shared_pb2.Empty())
        else:
            success.current_revision = result.revision
        if result.position is None:
            success.no_position.CopyFrom(shared_pb2.Empty())
        else:
            success.position.CopyFrom(
                streams_pb2.AppendResp.Position(
                    commit_position=result.position, prepare_position=result.position
                )
            )
        return streams_pb2.AppendResp(success=success)

    wrong = streams_pb2.AppendResp.WrongExpectedVersion()
    if expected == ANY:
        wrong.expected_any.CopyFrom(shared_pb2.Empty())
        wrong.any_20_6_0.CopyFrom(shared_pb2.Empty())
    elif expected == STREAM_EXISTS:
        wrong.expected_stream_exists.CopyFrom(shared_pb2.Empty())
        wrong.stream_exists_20_6_0.CopyFrom(shared_pb2.Empty())
    elif expected == NO_STREAM:
        wrong.expected_no_stream.CopyFrom(shared_pb2.Empty())
        wrong.expected_revision_20_6_0 = 2**64 - 1
    else:
        wrong.expected_revision = expected
        wrong.expected_revision_20_6_0 = expected
    if result.revision is None:
        wrong.current_no_stream.CopyFrom(shared_pb2.Empty())
        wrong.no_stream_20_6_0.CopyFrom(shared_pb2.Empty())
    else:
        wrong.current_revision = result.revision
        wrong.current_revision_20_6_0 = result.revision
    return streams_pb2.AppendResp(wrong_expected_version=wrong)


def batch_append_resp(
    correlation_id: shared_pb2.UUID,
    stream_name: str,
    result: AppendResult,
    expected: int,
) -> streams_pb2.BatchAppendResp:
    """Result of one write of ``Streams.BatchAppend``; a wrong expected
    version is an ``error`` status (code ALREADY_EXISTS) whose details pack
    ``event_store.client.WrongExpectedVersion``."""
    response = streams_pb2.BatchAppendResp(
        correlation_id=correlation_id,
        stream_identifier=_stream_identifier(stream_name),
    )
    if result.ok:
        success = response.success
        if result.revision is None:
            success.no_stream.CopyFrom(empty_pb2.Empty())
        else:
            success.current_revision = result.revision
        if result.position is None:
            success.no_position.CopyFrom(empty_pb2.Empty())
        else:
            success.position.CopyFrom(
                shared_pb2.AllStreamPosition(
                    commit_position=result.position, prepare_position=result.position
                )
            )
        return response

    wrong = shared_pb2.WrongExpectedVersion()
    if result.revision is None:
        wrong.current_no_stream.CopyFrom(empty_pb2.Empty())
    else:
        wrong.current_stream_revision = result.revision
    if expected == ANY:
        wrong.expected_any.CopyFrom(empty_pb2.Empty())
    elif expected == STREAM_EXISTS:
        wrong.expected_stream_exists.CopyFrom(empty_pb2.Empty())
    elif expected == NO_STREAM:
        wrong.expected_no_stream.CopyFrom(empty_pb2.Empty())
    else:
        wrong.expected_stream_position = expected
    response.error.CopyFrom(
        status_pb2.Status(
            code=GRPC_CODE_ALREADY_EXISTS,
            message="WrongExpectedVersion",
            details=_pack(wrong),
        )
    )
    return response


def batch_append_bad_request(
    correlation_id: shared_pb2.UUID, stream_name: str, reason: str
) -> streams_pb2.BatchAppendResp:
    return streams_pb2.BatchAppendResp(
        correlation_id=correlation_id,
        stream_identifier=_stream_identifier(stream_name),
        error=status_pb2.Status(
            code=GRPC_CODE_INVALID_ARGUMENT,
            message="BadRequest",
            details=_pack(shared_pb2.BadRequest(message=reason)),
        ),
    )


def _stream_identifier(stream_name: str) -> shared_pb2.StreamIdentifier:
    return shared_pb2.StreamIdentifier(stream_name=stream_name.encode("utf8"))


def _pack(message: object) -> any_pb2.Any:
    packed = any_pb2.Any()
    packed.Pack(message)
    return packed


def _now() -> timestamp_pb2.Timestamp:
    timestamp = timestamp_pb2.Timestamp()
    timestamp.FromNanoseconds(time.time_ns())
    return timestamp

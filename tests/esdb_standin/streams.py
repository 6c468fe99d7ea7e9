"""The ``event_store.client.streams.Streams`` service of the protocol-level
EventStoreDB stand-in (NOT EventStoreDB).

Implements what ``kurrentdbclient`` (and so ``eventsourcing_eventstoredb``)
uses, following KurrentDB's ``Streams.Append.cs``, ``Streams.BatchAppend.cs``
and ``Streams.Read.cs``:

* ``Append``: options first, then proposed messages; a wrong expected version
  is a normal response carrying ``wrong_expected_version``.
* ``BatchAppend``: writes are keyed by correlation ID and done when a request
  has ``is_final``; one response per write.
* ``Read``: a stream forwards or backwards (a missing stream is answered with
  a ``stream_not_found`` message, not a gRPC error); "$all" forwards or
  backwards, filtered or not (a position inside a record fails with UNKNOWN
  "Unexpected [Filtered]ReadAllResult: InvalidPosition"); catch-up
  subscriptions to "$all" (see ``subscriptions``).

Not implemented (UNIMPLEMENTED): ``Delete``, ``Tombstone`` and subscriptions
to a single stream, which the adapter does not use.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import grpc
from kurrentdbclient.protos.v1 import streams_pb2, streams_pb2_grpc

from . import messages
from .filters import build_all_filter
from .log import InvalidPositionError
from .subscriptions import subscribe_to_all

if TYPE_CHECKING:
    from collections.abc import Iterator

    from .log import EventLog

PAGE_SIZE = 32  # Enumerator.DefaultReadBatchSize
NOT_IMPLEMENTED = "Not implemented by the protocol-level EventStoreDB stand-in"


class StreamsServicer(streams_pb2_grpc.StreamsServicer):
    def __init__(self, log: EventLog) -> None:
        self._log = log

    def Append(  # noqa: N802
        self,
        request_iterator: Iterator[streams_pb2.AppendReq],
        context: grpc.ServicerContext,
    ) -> streams_pb2.AppendResp:
        first = next(request_iterator, None)
        if first is None or first.WhichOneof("content") != "options":
            context.abort(grpc.StatusCode.UNKNOWN, "Exception was thrown by handler.")
        options = first.options
        try:
            expected = messages.expected_version(
                options.WhichOneof("expected_stream_revision"), options.revision
            )
            events = []
            for request in request_iterator:
                if request.WhichOneof("content") != "proposed_message":
                    msg = "Expected a proposed message"
                    raise messages.BadRequestError(msg)
                events.append(messages.proposed_event(request.proposed_message))
        except messages.BadRequestError as e:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(e))
        stream_name = options.stream_identifier.stream_name.decode("utf8")
        result = self._log.append(stream_name, expected, events)
        return messages.append_resp(result, expected)

    def BatchAppend(  # noqa: N802
        self,
        request_iterator: Iterator[streams_pb2.BatchAppendReq],
        context: grpc.ServicerContext,
    ) -> Iterator[streams_pb2.BatchAppendResp]:
        pending: dict[str, tuple[str, int, list]] = {}
        for request in request_iterator:
            correlation_id = request.correlation_id.string
            if request.HasField("options") and correlation_id not in pending:
                options = request.options
                stream_name = options.stream_identifier.stream_name.decode("utf8")
                try:
                    expected = messages.expected_version(
                        options.WhichOneof("expected_stream_position"),
                        options.stream_position,
                    )
                except messages.BadRequestError as e:
                    yield messages.batch_append_bad_request(
                        request.correlation_id, stream_name, str(e)
                    )
                    continue
                pending[correlation_id] = (stream_name, expected, [])
            if correlation_id not in pending:
                continue
            stream_name, expected, events = pending[correlation_id]
            try:
                events.extend(map(messages.proposed_event, request.proposed_messages))
            except messages.BadRequestError as e:
                del pending[correlation_id]
                yield messages.batch_append_bad_request(
                    request.correlation_id, stream_name, str(e)
                )
                continue
            if not request.is_final:
                continue
            del pending[correlation_id]
            result = self._log.append(stream_name, expected, events)
            yield messages.batch_append_resp(
                request.correlation_id, stream_name, result, expected
            )

    def Read(  # noqa: N802
        self, request: streams_pb2.ReadReq, context: grpc.ServicerContext
    ) -> Iterator[streams_pb2.ReadResp]:
        options = request.options
        source = options.WhichOneof("stream_option")
        filtered = options.WhichOneof("filter_option") == "filter"
        backwards = options.read_direction == streams_pb2.ReadReq.Options.Backwards
        subscribe = options.WhichOneof("count_option") == "subscription"
        uuid_option = options.uuid_option.WhichOneof("content")
        if uuid_option is None:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "'uuidOption' is required")
        if uuid_option != "string":  # "structured" IDs: unused by the client
            context.abort(grpc.StatusCode.UNIMPLEMENTED, NOT_IMPLEMENTED)
        if source not in ("stream", "all") or (source == "stream" and filtered):
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "Invalid combination.")
        if subscribe and backwards:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "Invalid combination.")
        if subscribe and source == "stream":
            context.abort(grpc.StatusCode.UNIMPLEMENTED, NOT_IMPLEMENTED)
        if subscribe:
            yield from subscribe_to_all(self._log, options, context)
        elif source == "stream":
            yield from self._read_stream(options, backwards)
        else:
            yield from self._read_all(options, backwards, filtered, context)

    def _read_stream(
        self, options: streams_pb2.ReadReq.Options, backwards: bool
    ) -> Iterator[streams_pb2.ReadResp]:
        stream_name = options.stream.stream_identifier.stream_name.decode("utf8")
        which = options.stream.WhichOneof("revision_option")
        revision = options.stream.revision if which == "revision" else None
        if which == "end" and not backwards:
            return  # forwards from the end: nothing to read
        records = self._log.read_stream(
            stream_name, revision, backwards=backwards, count=options.count
        )
        if records is None:
            yield messages.stream_not_found(stream_name)
            return
        for record in records:
            yield messages.read_event(record)

    def _read_all(
        self,
        options: streams_pb2.ReadReq.Options,
        backwards: bool,
        filtered: bool,
        context: grpc.ServicerContext,
    ) -> Iterator[streams_pb2.ReadResp]:
        try:
            allowed = build_all_filter(options)
        except re.error:
            context.abort(grpc.StatusCode.UNKNOWN, "Exception was thrown by handler.")
        which = options.all.WhichOneof("all_option")
        try:
            if which == "start":
                index = 0
            elif which == "end":
                index = self._log.record_count()
            else:
                position = options.all.position.commit_position
                index = self._log.index_of_position(position)
        except InvalidPositionError as e:
            result = "FilteredReadAllResult" if filtered else "ReadAllResult"
            details = f"Unexpected {result}: InvalidPosition >> {e}"
            context.abort(grpc.StatusCode.UNKNOWN, details)

        remaining = options.count
        while remaining > 0 and context.is_active():
            if backwards:
                page = self._log.records_before(index, PAGE_SIZE)
                index -= len(page)
            else:
                page = self._log.records_from(index, PAGE_SIZE)
                index += len(page)
            if not page:
                return
            for record in page:
                if allowed(record):
                    yield messages.read_event(record)
                    remaining -= 1
                    if remaining == 0:
                        return

    def Delete(self, request, context):  # noqa: ANN001, ANN201, N802
        context.abort(grpc.StatusCode.UNIMPLEMENTED, NOT_IMPLEMENTED)

    def Tombstone(self, request, context):  # noqa: ANN001, ANN201, N802
        context.abort(grpc.StatusCode.UNIMPLEMENTED, NOT_IMPLEMENTED)

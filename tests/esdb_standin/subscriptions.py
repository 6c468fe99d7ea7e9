"""Catch-up subscriptions to "$all" for the protocol-level EventStoreDB stand-in.

Mirrors the message sequence of KurrentDB's ``Enumerator.AllSubscription`` and
``Enumerator.AllSubscriptionFiltered``:

1. a ``confirmation`` comes first;
2. from the start, or from a position before the last record, the
   subscription catches up with the events *strictly after* the position (a
   position inside a record fails the call with INVALID_ARGUMENT "Trying to
   read from an invalid position."); from the end, or from a position at or
   after the last record, it goes live straight away;
3. when it has caught up, or straight away when it goes live at once, it
   sends a ``caught_up`` message (after catching up, filtered subscriptions
   first send a ``checkpoint``);
4. live events follow until the client cancels or the server stops.

Filtered subscriptions also send a ``checkpoint`` each time the configured
number of records (events of all streams, allowed or not) has been
considered, at the position of the last one considered.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from uuid import uuid4

import grpc

from . import messages
from .filters import build_all_filter, checkpoint_interval
from .log import InvalidPositionError

if TYPE_CHECKING:
    from collections.abc import Iterator

    from kurrentdbclient.protos.v1 import streams_pb2

    from .log import EventLog

PAGE_SIZE = 32  # Enumerator.DefaultReadBatchSize
WAIT_SECONDS = 0.25  # re-check for cancellation at least this often


def subscribe_to_all(
    log: EventLog,
    options: streams_pb2.ReadReq.Options,
    context: grpc.ServicerContext,
) -> Iterator[streams_pb2.ReadResp]:
    try:
        allowed = build_all_filter(options)
        interval = checkpoint_interval(options)
    except (re.error, ValueError):
        context.abort(grpc.StatusCode.UNKNOWN, "Exception was thrown by handler.")

    # Wake this thread when the call ends (client cancelled, deadline, stop).
    context.add_callback(log.wake)

    yield messages.confirmation(str(uuid4()))

    which = options.all.WhichOneof("all_option")
    position = options.all.position.commit_position
    last_position = log.last_position()
    live = False
    if which == "start":
        next_index, checkpoint = 0, None
    elif which == "end" or last_position is None or position >= last_position:
        # Live straight away: from the end, or from a position at or after
        # the last record (only events after the position will be sent).
        checkpoint = position if which == "position" else last_position
        next_index = 0 if checkpoint is None else log.index_after(checkpoint)
        yield messages.caught_up(checkpoint)
        live = True
    else:
        try:
            next_index = log.index_after(position)
            log.index_of_position(position)
        except InvalidPositionError:
            context.abort(
                grpc.StatusCode.INVALID_ARGUMENT,
                "Trying to read from an invalid position.",
            )
        checkpoint = position

    considered = 0
    while context.is_active() and not log.is_closed:
        page = log.records_from(next_index, PAGE_SIZE)
        for record in page:
            next_index += 1
            checkpoint = record.position
            if allowed(record):
                yield messages.read_event(record)
            if interval is not None:
                considered += 1
                if considered >= interval:
                    considered = 0
                    yield messages.checkpoint(record.position)
        if page:
            continue
        if not live:
            if interval is not None and checkpoint is not None:
                yield messages.checkpoint(checkpoint)
            yield messages.caught_up(checkpoint)
            live = True
        log.wait_for_records(next_index, WAIT_SECONDS)

    if log.is_closed and context.is_active():
        context.abort(grpc.StatusCode.UNAVAILABLE, "Server is shutting down.")

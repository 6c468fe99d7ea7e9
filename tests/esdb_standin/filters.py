"""Server-side filtering of "$all" for the protocol-level EventStoreDB stand-in.

Mirrors KurrentDB's ``EventFilter`` (``Services/Storage/ReaderIndex/
EventFilter.cs``) as used by the gRPC ``Streams.Read`` handler for "$all":

* Every read or subscription of "$all", filtered or not, first applies the
  default "$all" filter: events of non-system streams pass; of the system
  ("$"-prefixed) streams only "$epoch-information" and the checkpoint and
  parked-message streams of persistent subscriptions to "$all" are dropped.
* A client filter applies to the event type or to the stream name, either as
  a regular expression *searched* for in the value (.NET ``Regex.Match``, not
  a full match) or as a list of prefixes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from kurrentdbclient.protos.v1 import streams_pb2

    from .log import Record

    RecordFilter = Callable[[Record], bool]

EPOCH_INFORMATION_STREAM = "$epoch-information"
_PERSISTENT_ALL_PREFIX = "$persistentsubscription-$all::"


def default_all_filter(record: Record) -> bool:
    """``DefaultAllFilterStrategy``: the first matching rule decides."""
    stream_name = record.stream_name
    if not stream_name.startswith("$"):
        return True
    if stream_name == EPOCH_INFORMATION_STREAM:
        return False
    if stream_name.startswith(_PERSISTENT_ALL_PREFIX):
        return not stream_name.endswith(("-checkpoint", "-parked"))
    return True


def build_all_filter(options: streams_pb2.ReadReq.Options) -> RecordFilter:
    """The filter for a "$all" read or subscription with these options.

    Raises ``re.error`` for a regular expression the server couldn't compile
    either (the server then fails the call with an unhandled exception).
    """
    if options.WhichOneof("filter_option") != "filter":
        return default_all_filter
    filter_options = options.filter
    which = filter_options.WhichOneof("filter")
    expression = getattr(filter_options, which)
    field = "stream_name" if which == "stream_identifier" else "event_type"

    if expression.regex:
        pattern = re.compile(expression.regex)

        def matches(value: str) -> bool:
            return pattern.search(value) is not None

    else:
        prefixes = tuple(expression.prefix)

        def matches(value: str) -> bool:
            return value.startswith(prefixes)

    def allowed(record: Record) -> bool:
        return default_all_filter(record) and matches(getattr(record, field))

    return allowed


def checkpoint_interval(options: streams_pb2.ReadReq.Options) -> int | None:
    """Records to consider between checkpoints of a filtered subscription.

    Mirrors ``AllSubscriptionFiltered``: the search window ("max", default
    32) times the checkpoint interval multiplier, which must not be zero.
    Unfiltered subscriptions send no checkpoints (None).
    """
    if options.WhichOneof("filter_option") != "filter":
        return None
    filter_options = options.filter
    multiplier = filter_options.checkpointIntervalMultiplier
    if multiplier == 0:  # the server throws ArgumentOutOfRangeException
        msg = "checkpointIntervalMultiplier must not be zero"
        raise ValueError(msg)
    window = filter_options.max if filter_options.WhichOneof("window") == "max" else 32
    return max(1, window * multiplier)

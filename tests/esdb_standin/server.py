"""A protocol-level EventStoreDB stand-in for tests: an in-process gRPC server.

This is NOT EventStoreDB (nor KurrentDB).  It speaks just enough of the
EventStoreDB/KurrentDB v1 gRPC protocol, using the generated modules shipped
with ``kurrentdbclient``, for ``kurrentdbclient.KurrentDBClient`` and the
``eventsourcing_eventstoredb`` adapter to work against it over an insecure
single-node connection (``esdb://127.0.0.1:PORT?Tls=false``):

* ``Streams.Append``, ``Streams.BatchAppend`` and ``Streams.Read`` (see
  ``streams``), backed by a thread-safe in-memory log (see ``log``);
* ``Gossip.Read``, answering that this node is the cluster's only member, its
  leader (used by ``esdb+discover://`` URIs and ``read_gossip()``).

Like a fresh node, it starts with a few system events ("$"-prefixed types in
"$"-prefixed streams), so that a client's filters have something to exclude.
Stopping the server cancels every call in progress, live subscriptions
included.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING
from uuid import uuid4

import grpc
from kurrentdbclient.protos.v1 import (
    gossip_pb2,
    gossip_pb2_grpc,
    shared_pb2,
    streams_pb2_grpc,
)

from .log import ANY, EventLog, ProposedEvent
from .streams import StreamsServicer

if TYPE_CHECKING:
    from types import TracebackType
    from typing import Self

# (stream, type, data) of the system events a fresh node has written.
SYSTEM_EVENTS = (
    ("$epoch-information", "$epoch", {"epochNumber": 0, "epochPosition": 0}),
    ("$$$users", "$metadata", {"$acl": {"$r": "$admins", "$w": "$admins"}}),
    ("$users", "$User", {"loginName": "admin"}),
    ("$user-admin", "$user", {"loginName": "admin", "fullName": "Administrator"}),
    ("$settings", "$settings", {"$userStreamAcl": {"$r": "$all"}}),
)


class GossipServicer(gossip_pb2_grpc.GossipServicer):
    """``Gossip.Read``: a single, alive, leader node at the server's address."""

    def __init__(self, server: StandInServer) -> None:
        self._server = server
        self._instance_id = str(uuid4())

    def Read(  # noqa: N802
        self, request: shared_pb2.Empty, context: grpc.ServicerContext
    ) -> gossip_pb2.ClusterInfo:
        member = gossip_pb2.MemberInfo(
            instance_id=shared_pb2.UUID(string=self._instance_id),
            time_stamp=time.time_ns() // 100,
            state=gossip_pb2.MemberInfo.VNodeState.Leader,
            is_alive=True,
            http_end_point=gossip_pb2.EndPoint(
                address=self._server.host, port=self._server.port
            ),
        )
        return gossip_pb2.ClusterInfo(members=[member])


class StandInServer:
    """Protocol-level EventStoreDB stand-in, listening on a free loopback port.

    >>> with StandInServer() as server:
    ...     client = KurrentDBClient(server.uri)
    """

    def __init__(self, host: str = "127.0.0.1", max_workers: int = 128) -> None:
        self.host = host
        self.port = 0
        self.log = EventLog()
        self._max_workers = max_workers
        self._executor: ThreadPoolExecutor | None = None
        self._server: grpc.Server | None = None
        for stream_name, event_type, data in SYSTEM_EVENTS:
            event = ProposedEvent(
                event_id=str(uuid4()),
                event_type=event_type,
                is_json=True,
                data=json.dumps(data).encode("utf8"),
                custom_metadata=b"",
            )
            self.log.append(stream_name, ANY, [event])

    @property
    def uri(self) -> str:
        """Connection string for an insecure single-node connection."""
        if not self.port:
            msg = "Server not started"
            raise RuntimeError(msg)
        return f"esdb://{self.host}:{self.port}?Tls=false"

    def start(self) -> Self:
        if self._server is not None or self.log.is_closed:
            msg = "Server already started (or stopped: create a new one)"
            raise RuntimeError(msg)
        self._executor = ThreadPoolExecutor(
            max_workers=self._max_workers, thread_name_prefix="esdb-standin"
        )
        server = grpc.server(
            self._executor,
            options=[("grpc.so_reuseport", 0)],
            # Calls beyond the worker threads fail (RESOURCE_EXHAUSTED) rather
            # than wait forever behind live subscriptions holding the threads.
            maximum_concurrent_rpcs=self._max_workers,
        )
        streams = StreamsServicer(self.log)
        streams_pb2_grpc.add_StreamsServicer_to_server(streams, server)
        gossip_pb2_grpc.add_GossipServicer_to_server(GossipServicer(self), server)
        self.port = server.add_insecure_port(f"{self.host}:0")
        server.start()
        self._server = server
        return self

    def stop(self, grace: float | None = None) -> None:
        """Stop serving; calls in progress (subscriptions too) are cancelled."""
        server, self._server = self._server, None
        if server is None:
            return
        server.stop(grace).wait()
        self.log.close()
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

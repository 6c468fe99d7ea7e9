"""A protocol-level EventStoreDB stand-in for tests (NOT EventStoreDB).

``StandInServer`` is an in-process gRPC server speaking enough of the
EventStoreDB/KurrentDB gRPC protocol for ``kurrentdbclient`` and the
``eventsourcing_eventstoredb`` adapter::

    with StandInServer() as server:
        client = KurrentDBClient(server.uri)  # esdb://127.0.0.1:PORT?Tls=false
"""

from .server import StandInServer

__all__ = ["StandInServer"]

"""The Customers application: command intake with durable verdicts, and the
use cases the HTTP API offers."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from copy import deepcopy
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.persistence import JSONTranscoder, Recording
from eventsourcing.system import RecordingEvent
from eventsourcing.utils import EnvType

from application.collecting import collected
from application.config import policy_from_env
from application.contention import Contention
from application.envelopes import as_commands
from application.event_format import STORED_FORMAT
from application.history import StoredHistory
from application.intake import Intake
from application.read_ahead import StreamReader, stream_reader
from application.requests import Registration, Resolution
from application.results import Result
from application.schema import prepare_store, with_schema_retries
from application.snapshots import BytesAsBase64, SnapshotWriter, snapshot_due
from customer_domain.commands import Command, Sender
from customer_domain.customer import Customer
from customer_domain.errors import (
    ConflictNotFoundError,
    CustomerNotFoundError,
    MalformedCommandError,
    VersionMismatchError,
)
from customer_domain.snapshot import CustomerSnapshot
from customer_domain.vocabulary import Reason

Envelope = Command | Mapping[str, Any]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Customers(Application):
    """Decides and records a verdict for every command of a batch."""

    name = "Customers"
    # The cache is trusted when deciding (a save that loses to another writer
    # fails and is decided again); reads that must be current catch up first.
    # Events are stored as MessagePack (application.event_format).
    env = {
        "AGGREGATE_CACHE_MAXSIZE": "10000",
        "AGGREGATE_CACHE_FASTFORWARD": "n",
        **STORED_FORMAT,
    }
    LOCK_STRIPES = 64
    is_snapshotting_enabled = True
    snapshot_class = CustomerSnapshot
    SNAPSHOTS_PER_SAVE = 100  # those waiting, written in one transaction
    log_section_size = 1000  # the projection reads the log in pages this large

    def __init__(
        self, env: EnvType | None = None, clock: Callable[[], datetime] = utc_now
    ) -> None:
        super().__init__(env)
        self.policy = policy_from_env(self.env)
        self.clock = clock
        # EventStoreDB appends to one stream at a time; SQL stores save many atomically.
        self.saves_across_customers = "eventstoredb" not in type(self.factory).__module__
        self.contention = Contention()
        self._stripes = [threading.Lock() for _ in range(self.LOCK_STRIPES)]
        self.on_saved: Callable[[], None] | None = None  # told after each save
        self.snapshot_writer = SnapshotWriter(
            self.snapshots.put if self.snapshots is not None else lambda _: None,
            per_save=self.SNAPSHOTS_PER_SAVE if self.saves_across_customers else 1,
        )
        self.stream_reader = self._construct_stream_reader()

    def construct_recorder(self):
        prepare_store(self.factory)
        if type(self.factory).__module__ == "eventsourcing.postgres":
            from application.binary_rows import send_rows_in_binary  # needs psycopg

            send_rows_in_binary(self.factory)
        return with_schema_retries(super().construct_recorder)

    def _construct_stream_reader(self) -> StreamReader | None:
        """Where the store reads many customers in one query (``application.read_ahead``)."""
        if not self.snapshots:
            return None
        return stream_reader(
            type(self.factory).__module__, self.recorder, self.snapshots.recorder
        )

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording]:
        """Save; snapshot the customers it carried past a snapshot point
        (``application.snapshots``); then prompt the projection also on a store
        that reports no positions for what it saved (EventStoreDB's adapter),
        which the library does not pass on to followers."""
        due = (
            [obj for obj in objs if isinstance(obj, Customer) and snapshot_due(obj)]
            if self.snapshots is not None
            else []
        )
        recordings = self._save_collected(collected(objs, kwargs))
        for customer in due:  # the state just saved, with no read
            self.snapshot_writer.write(CustomerSnapshot.take(customer))
        if self.on_saved is not None:
            self.on_saved()
        if not recordings:
            prompt = RecordingEvent(self.name, [], None)
            for follower in getattr(self, "followers", []):  # as a system's leader
                follower.receive_recording_event(prompt)
        return recordings

    def _save_collected(self, processing_event: ProcessingEvent) -> list[Recording]:
        """``Application.save`` after collecting (eventsourcing 9.5): see
        ``application.collecting`` for why."""
        recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)
        self.notify(processing_event.events)  # as the library still does
        return recordings

    def close(self) -> None:
        self.snapshot_writer.close()
        super().close()

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(BytesAsBase64())

    # The use cases

    def register(self, author: str, registration: Registration) -> Result:
        """Register a customer; a command id or customer id left out is derived."""
        [result] = self.submit(
            registration.client_id, author, [registration.command(self.clock())]
        )
        return result

    def command_envelope(
        self,
        customer_id: UUID,
        body: Mapping[str, Any],
        expected_version: int | None = None,
    ) -> dict[str, Any]:
        """A command's body sent for one customer, completed: its customer is that
        one, its base the ``expected_version`` (If-Match), which is checked first,
        before the rest of the body (RFC 9110 13.2.1), unless the body is a re-send.

        Raises VersionMismatchError, or CustomerNotFoundError."""
        envelope = dict(body)
        if expected_version is not None:
            current = self.version_of(customer_id)
            if current != expected_version and not self.has_processed(
                customer_id, envelope.get("command_id")
            ):
                raise VersionMismatchError(customer_id, current)
            envelope["base_version"] = expected_version
        envelope.setdefault("customer_id", str(customer_id))
        return envelope

    def change(
        self,
        author: str,
        client_id: str,
        customer_id: UUID,
        command: Command,
        expected_version: int | None = None,
    ) -> Result:
        """Decide one command on one customer (see ``submit`` for
        ``expected_version``). Raises CustomerNotFoundError."""
        if command.customer_id != customer_id:
            raise MalformedCommandError({"customer_id": ["not the path's customer"]})
        [result] = self.submit(
            client_id, author, [command], expected_version=expected_version
        )
        if result.reason == Reason.CUSTOMER_NOT_FOUND:
            raise CustomerNotFoundError(customer_id)
        return result

    def resolve(
        self,
        author: str,
        resolution: Resolution,
        customer_of: Callable[[UUID], UUID | None],
    ) -> Result:
        """Resolve a conflict of the customer ``customer_of`` names for it (the
        conflict inbox); its base is the customer's version if not given.
        Raises ConflictNotFoundError."""
        customer_id = customer_of(resolution.conflict_id)
        if customer_id is None:
            raise ConflictNotFoundError(resolution.conflict_id)
        base = resolution.base_version
        command = resolution.command(
            customer_id,
            self.version_of(customer_id) if base is None else base,
            self.clock(),
        )
        [result] = self.submit(resolution.client_id, author, [command])
        if result.reason == Reason.CONFLICT_NOT_FOUND:
            raise ConflictNotFoundError(resolution.conflict_id)
        return result

    def sync(
        self, author: str, client_id: str, commands: Sequence[Envelope]
    ) -> list[Result]:
        """An offline client's outbox: one verdict per command, in order."""
        return self.submit(client_id, author, commands)

    def submit(
        self,
        client_id: str,
        author: str,
        commands: Sequence[Envelope],
        *,
        expected_version: int | None = None,
    ) -> list[Result]:
        """Decide every command in request order and return one Result each.

        Raises MalformedCommandError (nothing recorded) if any envelope is
        not a command. With ``expected_version`` (strict optimistic
        concurrency, nothing merged), raises VersionMismatchError unless the
        customer is at that version, or the command was already processed.
        """
        batch = as_commands(list(commands))
        intake = Intake(self, Sender(client_id, author, self.clock()), expected_version)
        with self._locked(command.customer_id for command in batch):
            return intake.process(batch)

    # Reads

    def get_customer(self, customer_id: UUID, version: int | None = None) -> Customer:
        """A copy of the customer as recorded (now, or at ``version``)."""
        if version is None:
            with self._locked([customer_id]):
                return deepcopy(self._current(customer_id))
        try:
            return self.repository.get(customer_id, version=version)
        except AggregateNotFoundError:
            raise CustomerNotFoundError(customer_id) from None

    def version_of(self, customer_id: UUID) -> int:
        """The customer's current version, read without copying the customer."""
        with self._locked([customer_id]):
            return self._current(customer_id).version

    def has_processed(self, customer_id: UUID, command_id: object) -> bool:
        """Whether a command with this id was already recorded for the customer."""
        try:
            command_uuid = UUID(str(command_id))
        except ValueError:
            return False
        with self._locked([customer_id]):
            customer = self._current(customer_id)
            return StoredHistory(self.events, customer).receipt(command_uuid) is not None

    def _current(self, customer_id: UUID) -> Customer:
        """The cached customer, caught up with what other processes recorded."""
        customer = self.load_for_update(customer_id)
        if customer is None:
            raise CustomerNotFoundError(customer_id)
        self.catch_up(customer)
        return customer

    def history(self, customer_id: UUID) -> list[Customer.Recorded]:
        """Every recorded command of the customer, in version order."""
        events = list(self.events.get(customer_id))
        if not events:
            raise CustomerNotFoundError(customer_id)
        return events

    # What the intake needs (application.intake.CustomerStore)

    def load_for_update(self, customer_id: UUID) -> Customer | None:
        """The cached customer itself, not a copy: hold its lock (``submit`` does)."""
        try:
            return self.repository.get(customer_id, deepcopy_from_cache=False)
        except AggregateNotFoundError:
            return None

    def read_ahead(self, customer_ids: Iterable[UUID]) -> dict[UUID, Customer | None]:
        """The customers to decide a batch on, loaded in one query where the
        store can (hold their locks). Cached ones come as they are, except those
        that recently lost a race (all, if the cache is set to fast-forward),
        which are caught up; the rest are read and cached (None: not registered).
        Empty where the store has no such query: the intake then loads the
        customers one at a time."""
        cache = self.repository.cache
        if self.stream_reader is None or cache is None:
            return {}
        loaded: dict[UUID, Customer | None] = {}
        after: dict[UUID, int | None] = {}
        for customer_id in customer_ids:
            try:
                customer = cache.get(customer_id)
            except KeyError:
                after[customer_id] = None
            else:
                loaded[customer_id] = customer
                if customer_id in self.contention or self.repository.fastforward:
                    after[customer_id] = customer.version
        if not after:
            return loaded
        streams = self.stream_reader.read(after)
        for customer_id in after:
            snapshot, events = streams.get(customer_id, (None, []))
            customer = loaded.get(customer_id)
            if snapshot is not None:
                customer = self.snapshots.mapper.to_domain_event(snapshot).mutate(None)
            for stored in events:
                customer = self.mapper.to_domain_event(stored).mutate(customer)
            if customer is not None and customer_id not in loaded:
                cache.put(customer_id, customer)
            loaded[customer_id] = customer
        return loaded

    def stored_versions(self, customer_ids: list[UUID]) -> dict[UUID, int] | None:
        """Each customer's latest stored version (unregistered ones left out),
        read together; None where the store has no such query."""
        if self.stream_reader is None:
            return None
        return self.stream_reader.versions(customer_ids)

    def catch_up(self, customer: Customer) -> None:
        """Apply to a cached customer (its lock held) what other processes recorded."""
        for event in self.events.get(customer.id, gt=customer.version):
            event.mutate(customer)

    def forget(self, customer_ids: Iterable[UUID]) -> None:
        """Drop customers from the cache (their unsaved changes with them)."""
        if self.repository.cache is not None:
            for customer_id in customer_ids:
                with contextlib.suppress(KeyError):
                    self.repository.cache.get(customer_id, evict=True)

    @contextlib.contextmanager
    def _locked(self, customer_ids: Iterable[UUID]) -> Iterator[None]:
        """Serialise this process's writers per customer, since cached customers
        are shared; other processes are met by optimistic concurrency."""
        stripes = sorted({cid.int % self.LOCK_STRIPES for cid in customer_ids})
        with contextlib.ExitStack() as stack:
            for stripe in stripes:
                stack.enter_context(self._stripes[stripe])
            yield

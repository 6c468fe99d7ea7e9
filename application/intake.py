"""One batch being decided and saved: group commit, and the customers that
lost a race decided again and saved together."""

from __future__ import annotations

import random
import re
import time
from collections.abc import Iterable
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.persistence import EventStore, IntegrityError, Recording

from application.contention import Contention
from application.history import StoredHistory
from application.results import Result
from customer_domain.commands import Command, Sender
from customer_domain.customer import Customer
from customer_domain.errors import VersionMismatchError
from customer_domain.merge import Decision, carry_out, decide
from customer_domain.policy import Policy
from customer_domain.vocabulary import Reason

Items = list[tuple[int, Command]]
Decided = dict[UUID, tuple[Customer | None, list[tuple]]]
# How PostgreSQL names the row a save could not insert.
_CONFLICTING_KEY = re.compile(r"\(originator_id, originator_version\)=\(([0-9a-f-]{36}),")
# Refusals that record nothing, for want of a version or a conflict that the
# cached customer may simply not have seen yet.
REFUSED_ON_WHAT_IS_MISSING = frozenset(
    {Reason.BASE_VERSION_AHEAD, Reason.CONFLICT_NOT_FOUND}
)


class CustomerStore(Protocol):
    """What the intake needs of the application that keeps the customers."""

    policy: Policy
    events: EventStore
    saves_across_customers: bool  # whether one save may hold several customers
    contention: Contention  # the customers that recently lost a race

    def load_for_update(self, customer_id: UUID) -> Customer | None: ...

    def read_ahead(self, customer_ids: Iterable[UUID]) -> dict[UUID, Customer | None]: ...

    def stored_versions(self, customer_ids: list[UUID]) -> dict[UUID, int] | None: ...

    def catch_up(self, customer: Customer) -> None: ...

    def save(self, *customers: Customer | None, **kwargs: Any) -> list[Recording]: ...

    def forget(self, customer_ids: Iterable[UUID]) -> None: ...


class ConcurrencyError(Exception):
    """Raised when a customer kept changing under every attempt to record a command."""


class Intake:
    """Decides a batch customer by customer (each in request order), saves the
    events of its customers in as few transactions as the store allows (the
    ones that recently lost a race apart, after the others), and decides
    again, on their new state, the customers another writer changed first,
    saving those together again (with a growing random pause)."""

    MAX_ATTEMPTS = 30

    def __init__(
        self, app: CustomerStore, sender: Sender, expected_version: int | None = None
    ) -> None:
        self.app = app
        self.sender = sender
        self.expected_version = expected_version
        self.results: dict[int, Result] = {}
        self.groups: dict[UUID, Items] = {}
        self.loaded: dict[UUID, Customer | None] = {}  # customers loaded together
        # Contended customers are decided on forks (``Customer.fork``): a save
        # that loses leaves the cached customer as it was, to be caught up.
        self.forked: set[UUID] = set()

    def process(self, batch: list[Command]) -> list[Result]:
        try:
            return self._process(batch)
        except BaseException:
            # A failure (the store busy, say) leaves decided but unsaved events
            # in cached customers: drop them, so the next attempt reloads.
            self.app.forget({command.customer_id for command in batch})
            raise

    def _process(self, batch: list[Command]) -> list[Result]:
        groups = self.groups
        for index, command in enumerate(batch):
            groups.setdefault(command.customer_id, []).append((index, command))
        pending = list(groups)
        for attempt in range(1, self.MAX_ATTEMPTS + 1):
            lost = self._decide_and_save(pending)
            if not lost:
                return [self.results[index] for index in range(len(batch))]
            # Only the customers another writer changed first are decided
            # again, on their new state, and saved together again.
            self.app.contention.lost(lost)
            self.app.forget([cid for cid in lost if cid not in self.forked])
            time.sleep(random.uniform(0, 0.002 * attempt))
            pending = lost
        msg = f"customers {sorted(map(str, pending))} changed under every attempt"
        raise ConcurrencyError(msg)

    def _decide_and_save(self, customer_ids: list[UUID]) -> list[UUID]:
        """Decide and save the calm customers, then the contended ones: read
        last, just before they are decided and saved, so that the time another
        writer has to overtake them is the time to decide them alone. The
        customers whose save lost."""
        contended = self.app.contention
        calm = [cid for cid in customer_ids if cid not in contended]
        hot = [cid for cid in customer_ids if cid in contended]
        lost = self._save_all(self._decide_all(calm)) if calm else []
        # The contended customers together: when one loses, the others most
        # likely lost too, and are all decided again rather than found out one
        # failed transaction at a time. Saved as customers (never as events),
        # so each saved fork takes its customer's place in the cache (unless
        # the cache fast-forwards: then the customer is caught up as it is read).
        if hot:
            lost += self._save_all(self._decide_all(hot), keep_winners=False)
        return lost

    def _save_all(self, decided: Decided, keep_winners: bool = True) -> list[UUID]:
        """Save what was decided in as few transactions as the store allows;
        the customers whose save lost to another writer."""
        if not self.app.saves_across_customers:
            lost = []
            for customer_id, outcome in decided.items():
                try:
                    self._save({customer_id: outcome}, [outcome[0]])
                except IntegrityError:
                    lost.append(customer_id)
            return lost
        return self._save_group(decided, keep_winners)

    def _save_group(self, decided: Decided, keep_winners: bool = True) -> list[UUID]:
        """Save the customers in one transaction; if one lost to another
        writer, those that did not in another (or, without ``keep_winners``,
        none). The customers that lost."""
        events = {
            cid: list(customer.pending_events) if customer else []
            for cid, (customer, _) in decided.items()
        }
        objs: list = [customer for customer, _ in decided.values()]
        lost: list[UUID] = []
        while decided:
            try:
                self._save(decided, objs)
            except IntegrityError as error:
                if not keep_winners:
                    return list(decided)
                losers = self._losers(error, decided, events)
                if not losers or len(losers) == len(decided):
                    return lost + list(decided)
                lost += losers
                # what the others decided still holds: their events, as they are
                decided = {
                    cid: outcome for cid, outcome in decided.items() if cid not in losers
                }
                objs = [event for cid in decided for event in events[cid]]
            else:
                return lost
        return lost

    def _losers(
        self,
        error: IntegrityError,
        decided: Decided,
        events: dict[UUID, list[Customer.Recorded]],
    ) -> list[UUID]:
        """The customers whose save lost to another writer: the one the store
        names (PostgreSQL does), and every one whose stream moved on, found in
        one query, so that customers edited everywhere at once are all found on
        the first failure rather than one failed transaction each. Without
        that query (no snapshots, or the in-memory store): the one named, else
        each one asked in turn. None found: all are decided again."""
        named = _CONFLICTING_KEY.search(str(error))
        losers = {UUID(named.group(1))} if named else set()
        versions = self.app.stored_versions(list(decided))
        if versions is not None:
            losers.update(
                cid
                for cid, pending in events.items()
                if pending
                and cid in versions
                and versions[cid] >= pending[0].originator_version
            )
        elif not losers:
            losers = {cid for cid in decided if self._overtaken(cid, events[cid])}
        return [cid for cid in decided if cid in losers]

    def _overtaken(self, customer_id: UUID, events: list[Customer.Recorded]) -> bool:
        """Whether the store already holds a version these events were to record."""
        if not events:
            return False
        first = events[0].originator_version
        return any(True for _ in self.app.events.get(customer_id, gt=first - 1, limit=1))

    def _decide_all(self, customer_ids: list[UUID]) -> Decided:
        self.loaded = self.app.read_ahead(customer_ids)
        return {cid: self._decide(self.groups[cid]) for cid in customer_ids}

    def _decide(
        self, items: Items, reloaded: bool = False
    ) -> tuple[Customer | None, list[tuple]]:
        customer_id = items[0][1].customer_id
        one_at_a_time = reloaded or customer_id not in self.loaded
        if one_at_a_time:
            customer = self.app.load_for_update(customer_id)
        else:
            customer = self.loaded[customer_id]  # caught up if contended
        if customer is not None and customer_id in self.app.contention:
            if one_at_a_time:
                self.app.catch_up(customer)  # what other processes recorded meanwhile
            customer = customer.fork()
            self.forked.add(customer_id)
        else:  # (no longer contended, between two attempts)
            self.forked.discard(customer_id)
        verdicts = []
        history = None
        for index, command in items:
            if customer is not None and (
                history is None or history.customer is not customer
            ):
                history = StoredHistory(self.app.events, customer)
            try:
                self._check_expected_version(history, command)
            except VersionMismatchError:
                if reloaded:
                    raise
                return self._reloaded(items)
            decision = decide(command, self.sender, customer, history, self.app.policy)
            if decision.reason in REFUSED_ON_WHAT_IS_MISSING and not reloaded:
                return self._reloaded(items)
            customer = carry_out(decision, command, customer)
            version = (
                customer.version if decision.records and customer else decision.version
            )
            verdicts.append((index, command, decision, version))
        return customer, verdicts

    def _reloaded(self, items: Items) -> tuple[Customer | None, list[tuple]]:
        """Decide the customer's commands again on it as stored. The cached
        customer may be behind what other processes recorded; a stale decision
        that records an event fails to save and is retried, but a refusal that
        records nothing would stand."""
        self.app.forget([items[0][1].customer_id])
        return self._decide(items, reloaded=True)

    def _check_expected_version(
        self, history: StoredHistory | None, command: Command
    ) -> None:
        if (
            self.expected_version is not None
            and history is not None
            and history.customer.version != self.expected_version
            and history.receipt(command.command_id) is None
        ):
            raise VersionMismatchError(history.customer.id, history.customer.version)

    def _save(self, decided: Decided, objs: list) -> None:
        """Save ``objs`` (the decided customers, or their events) in one
        transaction, and the results of what was decided."""
        recordings = self.app.save(*objs)
        positions = {
            (r.domain_event.originator_id, r.domain_event.originator_version): (
                r.notification.id
            )
            for r in recordings
        }
        for _, verdicts in decided.values():
            for index, command, decision, version in verdicts:
                self.results[index] = _result(command, decision, version, positions)


def _result(
    command: Command, decision: Decision, version: int | None, positions: dict
) -> Result:
    recorded = decision.records
    return Result(
        command_id=command.command_id,
        customer_id=command.customer_id,
        status=decision.status,
        version=version,
        duplicate=decision.duplicate,
        conflict_id=decision.conflict_id,
        reason=decision.reason,
        detail=decision.detail,
        position=positions.get((command.customer_id, version)) if recorded else None,
    )

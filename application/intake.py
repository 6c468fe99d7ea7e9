"""One batch being decided and saved: group commit with per-customer retry."""

from __future__ import annotations

import random
import time
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from application.history import StoredHistory
from application.results import Result
from customer_domain import Command, Customer, Sender, VersionMismatchError, decide
from customer_domain.merge import Decision

if TYPE_CHECKING:
    from application.customers import Customers

Items = list[tuple[int, Command]]
# Refusals that record nothing, for want of a version or a conflict that the
# cached customer may simply not have seen yet.
REFUSED_ON_WHAT_IS_MISSING = frozenset({"base_version_ahead", "conflict_not_found"})


class ConcurrencyError(Exception):
    """Raised when a customer kept changing under every attempt to record a command."""


class Intake:
    """Decides a batch customer by customer (each in request order), saves the
    events of all customers in as few transactions as the store allows, and
    decides again, on its new state, any customer another writer changed first."""

    MAX_ATTEMPTS = 30

    def __init__(self, app: Customers, sender: Sender,
                 expected_version: int | None = None) -> None:
        self.app = app
        self.sender = sender
        self.expected_version = expected_version
        self.results: dict[int, Result] = {}

    def process(self, batch: list[Command]) -> list[Result]:
        try:
            return self._process(batch)
        except BaseException:
            # A failure (the store busy, say) leaves decided but unsaved events
            # in cached customers: drop them, so the next attempt reloads.
            self.app.forget({command.customer_id for command in batch})
            raise

    def _process(self, batch: list[Command]) -> list[Result]:
        groups: dict[UUID, Items] = {}
        for index, command in enumerate(batch):
            groups.setdefault(command.customer_id, []).append((index, command))
        decided = {cid: self._decide(items) for cid, items in groups.items()}
        if self.app.saves_across_customers:
            parts = [decided]
        else:
            parts = [{cid: outcome} for cid, outcome in decided.items()]
        for part in parts:
            try:
                self._save(part)
            except IntegrityError:
                self.app.forget(part)
                for customer_id in part:
                    self._retry(groups[customer_id])
        return [self.results[index] for index in range(len(batch))]

    def _retry(self, items: Items) -> None:
        customer_id = items[0][1].customer_id
        for attempt in range(self.MAX_ATTEMPTS):
            time.sleep(random.uniform(0, 0.002 * attempt))
            try:
                self._save({customer_id: self._decide(items)})
            except IntegrityError:
                self.app.forget([customer_id])
            else:
                return
        msg = f"customer {customer_id} changed under every attempt"
        raise ConcurrencyError(msg)

    def _decide(self, items: Items, reloaded: bool = False
                ) -> tuple[Customer | None, list[tuple]]:
        customer = self.app.load_for_update(items[0][1].customer_id)
        verdicts = []
        for index, command in items:
            try:
                self._check_expected_version(customer, command)
            except VersionMismatchError:
                if reloaded:
                    raise
                return self._reloaded(items)
            history = StoredHistory(self.app.events, customer) if customer else None
            decision = decide(command, self.sender, customer, history, self.app.policy)
            if decision.reason in REFUSED_ON_WHAT_IS_MISSING and not reloaded:
                return self._reloaded(items)
            if decision.event_class is Customer.Registered:
                customer = Customer._create(
                    Customer.Registered, id=command.customer_id, **decision.attributes
                )
            elif decision.event_class is not None:
                assert customer is not None
                customer.record(decision.event_class, **decision.attributes)
            version = customer.version if decision.event_class else decision.version
            verdicts.append((index, command, decision, version))
        return customer, verdicts

    def _reloaded(self, items: Items) -> tuple[Customer | None, list[tuple]]:
        """Decide the customer's commands again on it as stored. The cached
        customer may be behind what other processes recorded; a stale decision
        that records an event fails to save and is retried, but a refusal that
        records nothing would stand."""
        self.app.forget([items[0][1].customer_id])
        return self._decide(items, reloaded=True)

    def _check_expected_version(self, customer: Customer | None, command: Command) -> None:
        if (self.expected_version is not None and customer is not None
                and command.key not in customer.receipts
                and customer.version != self.expected_version):
            raise VersionMismatchError(customer.id, customer.version)

    def _save(self, decided: dict[UUID, tuple[Customer | None, list[tuple]]]) -> None:
        recordings = self.app.save(*(customer for customer, _ in decided.values()))
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
    recorded = decision.event_class is not None
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

"""CustomerDirectory: the process application that projects the read model."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from eventsourcing.persistence import Notification, ProcessRecorder, Tracking
from eventsourcing.system import ProcessApplication
from eventsourcing.utils import get_topic

from application.event_format import STORED_FORMAT
from application.schema import prepare_store, with_schema_retries
from system.recorders import UPSTREAM, DirectoryRecorder, recorder_class


class ReadModelStoreError(Exception):
    """Raised when the read model is given a store that cannot hold it."""


class CustomerDirectory(ProcessApplication):
    """Follows the customers' notification log and projects, exactly once, the
    customer views and the conflict inbox into its own database."""

    name = "CustomerDirectory"
    # The library decodes a followed application's events with the follower's
    # own transcoder: the customers' format.
    env = STORED_FORMAT
    pull_section_size = 500

    recorder: DirectoryRecorder

    def construct_recorder(self) -> ProcessRecorder:
        module = type(self.factory).__module__
        recorder = recorder_class(module)
        if recorder is None:
            msg = (
                f"the read model cannot live in {module} (it needs tracking "
                "records): set CUSTOMERDIRECTORY_PERSISTENCE_MODULE to "
                "eventsourcing.sqlite or eventsourcing.postgres"
            )
            raise ReadModelStoreError(msg)
        if module == "eventsourcing.popo":
            return recorder()  # the in-memory factory takes no recorder class
        self.factory.env[self.factory.PROCESS_RECORDER_TOPIC] = get_topic(recorder)
        prepare_store(self.factory)
        return with_schema_retries(self.factory.process_recorder)

    def pull_and_process(
        self, leader_name: str, start: int | None = None, stop: int | None = None
    ) -> None:
        """Project each page of the log in one transaction, its tracking record
        the page's last position: exactly once, without a commit per event."""
        if start is None:
            start = self.recorder.max_tracking_id(leader_name)
        for notifications in self.pull_notifications(
            leader_name, start=start, stop=stop, inclusive_of_start=False
        ):
            if notifications:
                self.process_page(
                    leader_name, self.positioned(leader_name, notifications)
                )

    def positioned(
        self, leader_name: str, notifications: list[Notification]
    ) -> list[tuple[Any, int]]:
        """Each notification's event, with its position in the leader's log."""
        to_event = self.mappers[leader_name].to_domain_event
        return [
            (to_event(notification), notification.id) for notification in notifications
        ]

    def process_page(self, leader_name: str, events: list[tuple[Any, int]]) -> None:
        """Project a page of customer events, each with its position, in the
        transaction that records the position of its last."""
        with self.processing_lock:
            self.events.put(
                [],
                tracking=Tracking(
                    application_name=leader_name, notification_id=events[-1][1]
                ),
                customer_events=events,
            )

    def catch_up(
        self, stop: int | None = None, progress: Callable[[int], None] | None = None
    ) -> int:
        """Project the customers' log beyond the current position, up to ``stop``
        (the end if None), telling ``progress`` each page; returns the position."""
        for notifications in self.pull_notifications(
            UPSTREAM, start=self.position(), stop=stop, inclusive_of_start=False
        ):
            if notifications:
                self.process_page(UPSTREAM, self.positioned(UPSTREAM, notifications))
                if progress:
                    progress(notifications[-1].id)
        return self.position()

    def position(self) -> int:
        """The position of the last customer event projected (0: none)."""
        return self.recorder.position()

    def wait_for(self, position: int, timeout: float) -> bool:
        """Wait until the read model has reached ``position``; False on timeout."""
        deadline = time.monotonic() + timeout
        delay = 0.002
        while self.position() < position:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            time.sleep(min(delay, remaining))
            delay = min(delay * 2, 0.05)
        return True

    def customer_view(self, customer_id: str) -> dict | None:
        return self.recorder.customer_view(str(customer_id))

    def customer_views_since(self, position: int, limit: int) -> list[dict]:
        return self.recorder.customer_views_since(position, limit)

    def conflicts(
        self, status: str | None = None, customer_id: str | None = None
    ) -> list[dict]:
        return self.recorder.conflicts(status, customer_id and str(customer_id))

    def conflict(self, conflict_id: str) -> dict | None:
        return self.recorder.conflict(str(conflict_id))

    def contents(self) -> dict[str, Any]:
        """The whole read model, for comparing one with another."""
        views, since = [], 0
        while page := self.customer_views_since(since, 1000):
            views += page
            since = page[-1]["position"]
        return {
            "position": self.position(),
            "customers": {v["customer_id"]: v for v in views},
            "conflicts": {c["conflict_id"]: c for c in self.conflicts()},
        }

    def clear(self) -> None:
        """Forget the read model and its position, to rebuild it from scratch."""
        self.recorder.clear()

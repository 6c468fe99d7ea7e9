"""Running the system: command intake and the projection, as configured.

``projection`` is how the read model follows the customers' log:

- ``sync``: the library's single-threaded runner; a write returns once it is
  projected (embedded use, tests);
- ``threads``: the library's multi-threaded runner; the projection runs
  behind the writes (the server), prompted by every save and every
  ``poll_interval`` seconds so it also sees what other processes wrote;
- ``process``: the projector (``python -m system project``) runs as a child
  of this process, on its own interpreter lock; it stops with this process
  (the server's default on a store other processes can open);
- ``off``: this process only writes and reads; a separate projector
  (``python -m system project``) follows the store.

Reads that wait for ``min_position`` read the position from the read
model's store, so they work whichever process projects.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Mapping

from eventsourcing.system import (
    MultiThreadedRunner,
    RecordingEvent,
    Runner,
    SingleThreadedRunner,
)

from application import Customers
from system import customer_system
from system.directory import CustomerDirectory
from system.projector import ProjectorProcess, shares_store
from system.recorders import UPSTREAM
from system.settings import PROJECTIONS


class Deployment:
    """The applications of one process, and how its projection runs."""

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        projection: str = "sync",
        poll_interval: float = 1.0,
        prompt: Callable[[], None] | None = None,
    ) -> None:
        """``prompt``, with the projection off: what to tell a projector
        running elsewhere after each save."""
        if projection not in PROJECTIONS:
            msg = (
                f"unknown projection {projection!r}: use one of {', '.join(PROJECTIONS)}"
            )
            raise ValueError(msg)
        self.projection = projection
        env = dict(env or {})
        self.runner: Runner | None = None
        self._stopping = threading.Event()
        self.projector: ProjectorProcess | None = None
        if projection in ("off", "process"):
            if projection == "process" and not shares_store({**os.environ, **env}):
                msg = "the projection cannot run in a process of its own on an in-memory store"
                raise ValueError(msg)
            self.customers = Customers(env=env)
            self.directory = CustomerDirectory(env=env)
            if projection == "process":
                self.projector = ProjectorProcess(env)
                prompt = self.projector.prompt
            if prompt is not None:
                self.customers.on_saved = prompt
            return
        runner_class = (
            SingleThreadedRunner if projection == "sync" else MultiThreadedRunner
        )
        self.runner = runner_class(customer_system, env=env)
        self.runner.start()
        self.customers = self.runner.get(Customers)
        self.directory = self.runner.get(CustomerDirectory)
        if projection == "sync":
            self.directory.catch_up()  # whatever was recorded while nothing projected
        else:
            self._ticker = threading.Thread(
                target=self._tick,
                args=(poll_interval,),
                name="projection-ticker",
                daemon=True,
            )
            self._ticker.start()

    def _tick(self, interval: float) -> None:
        # The runner prompts the projection only when this process saves; the
        # library has no poll interval, so its follower thread is prompted here.
        thread = self.runner.threads[CustomerDirectory.name]
        prompt = RecordingEvent(UPSTREAM, [], None)
        while True:
            thread.receive_recording_event(prompt)
            if self._stopping.wait(interval):
                return

    @property
    def projection_error(self) -> Exception | None:
        """Why the projection stopped, if it has."""
        if self.projector is not None:
            return self.projector.error
        if isinstance(self.runner, MultiThreadedRunner):
            # The runner keeps the error that stopped a thread on the thread only.
            return self.runner.threads[CustomerDirectory.name].error
        return None

    def customer_of_conflict(
        self, conflict_id: uuid.UUID, timeout: float
    ) -> uuid.UUID | None:
        """The conflict's customer, from the inbox once it has caught up with the
        store (for at most ``timeout`` seconds); None if no customer has it."""
        conflict = self.directory.conflict(conflict_id)
        if conflict is None:
            self.wait_for(self.customers.recorder.max_notification_id() or 0, timeout)
            conflict = self.directory.conflict(conflict_id)
        return None if conflict is None else uuid.UUID(conflict["customer_id"])

    def wait_for(self, position: int, timeout: float) -> bool:
        """Read-your-writes: wait until the read model has reached ``position``."""
        return self.directory.wait_for(position, timeout)

    def stop(self) -> None:
        self._stopping.set()
        if self.projector is not None:
            self.projector.stop()
        if self.runner is not None:
            self.runner.stop()
        else:
            self.customers.close()
            self.directory.close()

    def __enter__(self) -> Deployment:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

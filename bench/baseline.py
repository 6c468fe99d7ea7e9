"""The raw library on the same kind of store: what a save costs with no product."""

from __future__ import annotations

import time

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event


class Note(Aggregate):
    INITIAL_VERSION = 0

    def __init__(self, text: str) -> None:
        self.text = text

    @event("Changed")
    def change(self, text: str) -> None:
        self.text = text


def raw_rate(env: dict[str, str], events: int, per_save: int, aggregates: int = 1000
             ) -> float:
    """Events per second saving ``per_save`` events of ``aggregates`` per save()."""
    app = Application(env=env)
    try:
        notes = [Note(text="first") for _ in range(aggregates)]
        for start in range(0, aggregates, 500):
            app.save(*notes[start:start + 500])
        started = time.perf_counter()
        for start in range(0, events, per_save):
            batch = []
            for n in range(start, min(start + per_save, events)):
                note = notes[n % aggregates]
                note.change(text=f"text {n}")
                batch.append(note)
            app.save(*batch)
        return events / (time.perf_counter() - started)
    finally:
        app.close()

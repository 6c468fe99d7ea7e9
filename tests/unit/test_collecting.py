"""Collecting a save's events tells customers and events apart by their class,
and collects what the library's own ``ProcessingEvent.collect_events`` would."""

from __future__ import annotations

from copy import deepcopy
from datetime import UTC, datetime

from eventsourcing.application import ProcessingEvent

from application.collecting import collected
from bench.baseline import registered
from customer_domain.customer import Customer


def a_customer(name: str) -> Customer:
    return registered(name, datetime.now(UTC))


def test_customers_events_and_nothing_are_collected_as_the_library_does():
    saved, unsaved = a_customer("Saved"), a_customer("Unsaved")
    [event] = saved.collect_events()
    objs = (unsaved, event, None)
    library = ProcessingEvent()
    library.collect_events(*deepcopy(objs), key="value")

    ours = collected(objs, {"key": "value"})

    assert ours.events == library.events
    assert len(ours.events) == 2
    assert ours.aggregates == {unsaved.id: unsaved}
    assert list(library.aggregates) == [unsaved.id]
    assert ours.saved_kwargs == library.saved_kwargs


def test_customers_and_their_events_skip_the_librarys_protocol_checks(monkeypatch):
    saved, unsaved = a_customer("Saved"), a_customer("Unsaved")
    [event] = saved.collect_events()
    checked = []
    monkeypatch.setattr(
        ProcessingEvent, "collect_events", lambda self, *objs: checked.extend(objs)
    )

    collected((unsaved, event), {})

    assert checked == []

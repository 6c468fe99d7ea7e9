"""Writers that meet on the same customer all get verdicts; none sees an error."""

from __future__ import annotations

import threading
import uuid

import pytest
from eventsourcing.persistence import IntegrityError

from application.intake import ConcurrencyError, Intake
from customer_domain.errors import VersionMismatchError
from tests.devices import Device


def run_together(*jobs):
    barrier = threading.Barrier(len(jobs))
    outcomes, errors = [None] * len(jobs), []

    def run(index, job):
        barrier.wait()
        try:
            outcomes[index] = job()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return outcomes


def test_two_threads_on_one_customer_both_get_verdicts(customers):
    office = Device(customers, "office", "carol")
    customer_id = office.register()
    devices = [Device(customers, f"laptop-{i}", f"emp{i}") for i in range(2)]
    batches = [
        d.edit(customer_id, 0, name=f"Name {i}", description=f"by {i}")
        for i, d in enumerate(devices)
    ]
    outcomes = run_together(
        *(lambda d=d, b=b: d.sync(b) for d, b in zip(devices, batches))
    )
    versions = sorted(r.version for results in outcomes for r in results)
    assert versions == [1, 2, 3, 4]
    assert len(customers.history(customer_id)) == 5


def test_two_applications_on_one_store_retry_when_the_other_wins(
    store_env, make_customers
):
    if store_env.get("PERSISTENCE_MODULE") == "eventsourcing.popo":
        pytest.skip("an in-memory store cannot be shared by two applications")
    first, second = make_customers(), make_customers()
    customer_id = Device(first, "office", "carol").register()
    devices = [
        Device(app, f"laptop-{i}", f"emp{i}") for i, app in enumerate((first, second))
    ]
    for device in devices:  # both cache the customer at version 0
        device.app.get_customer(customer_id)
        device.app.load_for_update(customer_id)
    rounds = 10
    jobs = [
        lambda d=d, i=i: [
            d.sync(d.edit(customer_id, 0, supplier=f"S{i}-{n}")) for n in range(rounds)
        ]
        for i, d in enumerate(devices)
    ]
    outcomes = run_together(*jobs)
    versions = sorted(r.version for per_device in outcomes for [r] in per_device)
    assert versions == list(range(1, 2 * rounds + 1))
    history = first.history(customer_id)
    assert len(history) == 2 * rounds + 1


def test_a_command_is_decided_again_when_another_writer_got_there_first(
    store_env, make_customers, monkeypatch
):
    if store_env.get("PERSISTENCE_MODULE") == "eventsourcing.popo":
        pytest.skip("an in-memory store cannot be shared by two applications")
    first, second = make_customers(), make_customers()
    alice, bob = Device(first, "laptop-a", "alice"), Device(second, "laptop-b", "bob")
    customer_id = alice.register()
    save = first.save
    interleaved = []

    def save_after_bob(*aggregates, **kwargs):
        if not interleaved:  # bob's batch lands between alice's decision and her save
            interleaved.append(bob.sync(bob.edit(customer_id, 0, name="Bob's name")))
        return save(*aggregates, **kwargs)

    monkeypatch.setattr(first, "save", save_after_bob)
    [result] = alice.sync(alice.edit(customer_id, 0, name="Alice's name"))
    [[bobs]] = interleaved
    assert (bobs.status, bobs.version) == ("applied", 1)
    assert (result.status, result.version) == ("conflict", 2)  # decided on bob's state
    assert len(first.history(customer_id)) == 3


def test_a_store_failure_leaves_nothing_half_decided(customers, monkeypatch):
    from eventsourcing.persistence import OperationalError

    office = Device(customers, "office", "carol")
    customer_id = office.register()
    batch = office.edit(customer_id, 0, name="Beta", supplier="New Co")
    real_save = customers.save

    def busy(*aggregates, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(customers, "save", busy)
    with pytest.raises(OperationalError):
        office.sync(batch)
    monkeypatch.setattr(customers, "save", real_save)
    results = office.sync(batch)  # the client's retry
    assert [(r.status, r.version, r.duplicate) for r in results] == [
        ("applied", 1, False),
        ("applied", 2, False),
    ]
    assert len(customers.history(customer_id)) == 3


def test_a_refusal_is_not_decided_on_a_customer_cached_behind_another_writer(
    store_env, make_customers
):
    if store_env.get("PERSISTENCE_MODULE") == "eventsourcing.popo":
        pytest.skip("an in-memory store cannot be shared by two applications")
    first, second = make_customers(), make_customers()
    alice, bob = Device(first, "laptop-a", "alice"), Device(second, "laptop-b", "bob")
    customer_id = alice.register()
    first.load_for_update(customer_id)  # first caches the customer at version 0
    carol = Device(second, "laptop-c", "carol")
    bob.sync(bob.edit(customer_id, 0, name="B1"))
    [opened] = carol.sync(carol.edit(customer_id, 0, name="C1"))  # a conflict, version 2
    assert (opened.status, opened.version) == ("conflict", 2)

    [resolved] = alice.sync(
        [alice.resolve(customer_id, opened.conflict_id, 2, "current")]
    )
    assert (resolved.status, resolved.reason, resolved.version) == ("applied", None, 3)
    bob.sync(bob.edit(customer_id, 3, description="moved on"))  # version 4
    [ahead] = alice.sync(alice.edit(customer_id, 4, supplier="Seen at 4"))
    assert (ahead.status, ahead.version) == ("applied", 5)
    bob.sync(bob.edit(customer_id, 5, description="again"))  # version 6
    [strict] = first.submit(
        "laptop-a", "alice", alice.edit(customer_id, 6, phone="123"), expected_version=6
    )
    assert (strict.status, strict.version) == ("applied", 7)


def test_a_batch_that_lost_on_one_customer_saves_the_others_together(
    store_env, make_customers, monkeypatch
):
    if store_env.get("PERSISTENCE_MODULE") == "eventsourcing.popo":
        pytest.skip("an in-memory store cannot be shared by two applications")
    first, second = make_customers(), make_customers()
    alice, bob = Device(first, "laptop-a", "alice"), Device(second, "laptop-b", "bob")
    customer_ids = [alice.register(f"Customer {n}") for n in range(20)]
    hot = customer_ids[7]
    save = first.save
    saves = []

    def save_after_bob(*objs, **kwargs):
        if not saves:  # bob edits one customer between alice's decisions and her save
            bob.sync(bob.edit(hot, 0, name="Bob's name"))
        saves.append(len(objs))
        return save(*objs, **kwargs)

    monkeypatch.setattr(first, "save", save_after_bob)
    results = alice.sync(
        [c for cid in customer_ids for c in alice.edit(cid, 0, supplier="A")]
    )
    assert [(r.status, r.version) for r in results] == [
        ("merged", 2) if cid == hot else ("applied", 1) for cid in customer_ids
    ]
    if first.saves_across_customers:  # the group; the 19 it still holds; the one again
        assert len(saves) == 3 and saves[2] == 1
    else:  # one customer at a time, and the one that lost again
        assert len(saves) == 21
    assert [len(first.history(cid)) for cid in customer_ids] == [
        3 if cid == hot else 2 for cid in customer_ids
    ]
    assert first.get_customer(hot).value("supplier") == "A"

    before = len(saves)  # the next batch saves the customer that lost apart, caught up
    bob.sync(bob.edit(hot, 2, name="Bob again"))
    results = alice.sync(
        [
            c
            for cid in customer_ids
            for c in alice.edit(cid, 1 if cid != hot else 2, phone="123")
        ]
    )
    assert [r.version for r in results] == [
        4 if cid == hot else 2 for cid in customer_ids
    ]
    if first.saves_across_customers:  # the rest, then the contended one, read last
        assert saves[before:] == [19, 1]


def group_writers(store_env, make_customers):
    """Alice's application and Bob's on one store that saves customers together."""
    if store_env.get("PERSISTENCE_MODULE") == "eventsourcing.popo":
        pytest.skip("an in-memory store cannot be shared by two applications")
    first, second = make_customers(), make_customers()
    if not first.saves_across_customers:
        pytest.skip("the store saves one customer at a time")
    return first, Device(first, "laptop-a", "alice"), Device(second, "laptop-b", "bob")


def probes_of(app, monkeypatch) -> list[uuid.UUID]:
    """The customers the application asks about one event at a time (which
    of a failed group lost), as they are asked."""
    get, probes = app.events.get, []

    def probed(originator_id, **kwargs):
        if kwargs.get("limit") == 1:
            probes.append(originator_id)
        return get(originator_id, **kwargs)

    monkeypatch.setattr(app.events, "get", probed)
    return probes


def saves_once_bob_renamed(app, bob: Device, hot: list[uuid.UUID], monkeypatch) -> list:
    """What the application saves, each save's objects; bob renames ``hot``
    between its first decisions and its first save."""
    save, saves = app.save, []

    def save_after_bob(*objs, **kwargs):
        if not saves:
            bob.sync([c for cid in hot for c in bob.edit(cid, 0, name="Bob's")])
        saves.append(objs)
        return save(*objs, **kwargs)

    monkeypatch.setattr(app, "save", save_after_bob)
    return saves


def sync_supplier_edits(alice: Device, calm: uuid.UUID, hot: list[uuid.UUID]) -> None:
    """Alice sets the supplier of each from version 0: applied on the calm one,
    merged on those bob renamed meanwhile."""
    results = alice.sync(
        [c for cid in (calm, *hot) for c in alice.edit(cid, 0, supplier="A")]
    )
    assert [(r.status, r.version) for r in results] == [("applied", 1)] + [
        ("merged", 2)
    ] * len(hot)


def test_contended_customers_that_lose_are_all_decided_again_at_once(
    store_env, make_customers, monkeypatch
):
    first, alice, bob = group_writers(store_env, make_customers)
    calm, *hot = [alice.register(f"Customer {n}") for n in range(3)]
    first.contention.lost(hot)  # both lost a race before
    save, saves = first.save, []

    def save_after_bob(*objs, **kwargs):
        ids = sorted(obj.id for obj in objs)
        if ids == sorted(hot) and ids not in saves:
            # bob edits both between alice's decisions on them and her save
            bob.sync([c for cid in hot for c in bob.edit(cid, 0, name="Bob's")])
        saves.append(ids)
        return save(*objs, **kwargs)

    monkeypatch.setattr(first, "save", save_after_bob)
    probes = probes_of(first, monkeypatch)
    sync_supplier_edits(alice, calm, hot)
    # the calm one first; the contended pair apart, fails once, is decided again together
    assert saves == [[calm], sorted(hot), sorted(hot)]
    assert probes == []  # not asked which of the pair lost


def test_customers_overtaken_together_are_all_found_on_the_first_failure(
    store_env, make_customers, monkeypatch
):
    first, alice, bob = group_writers(store_env, make_customers)
    calm, *hot = [alice.register(f"Customer {n}") for n in range(3)]
    saves = saves_once_bob_renamed(first, bob, hot, monkeypatch)
    probes = probes_of(first, monkeypatch)
    new_customer = uuid.uuid4()
    registration = alice.command("RegisterCustomer", new_customer, {"name": "N"}, None)

    results = alice.sync(
        [c for cid in (calm, *hot) for c in alice.edit(cid, 0, supplier="A")]
        + [registration]
    )

    assert [(r.status, r.version) for r in results] == [
        ("applied", 1),
        ("merged", 2),
        ("merged", 2),
        ("applied", 0),
    ]
    # all four; the calm one's and the new one's events; the two overtaken,
    # decided again together
    assert [len(objs) for objs in saves] == [4, 2, 2]
    assert {event.originator_id for event in saves[1]} == {calm, new_customer}
    assert {obj.id for obj in saves[2]} == set(hot)
    assert probes == []  # found in one query, none asked one at a time


def test_without_the_versions_query_the_overtaken_are_asked_one_by_one(
    store_env, make_customers, monkeypatch
):
    """Snapshots off, a SQL store reads customers one at a time, and has no
    query of many customers' versions; SQLite names no row that failed."""
    if store_env.get("PERSISTENCE_MODULE") != "eventsourcing.sqlite":
        pytest.skip("the case of a store that names no row and has no such query")
    first = make_customers(IS_SNAPSHOTTING_ENABLED="n")
    alice, bob = Device(first, "laptop-a", "alice"), Device(make_customers(), "b", "bob")
    assert first.stored_versions([uuid.uuid4()]) is None
    calm, *hot = [alice.register(f"Customer {n}") for n in range(3)]
    quiet = alice.register("Quiet")
    resent = alice.edit(quiet, 0, name="Quieter")
    alice.sync(resent)
    saves = saves_once_bob_renamed(first, bob, hot, monkeypatch)
    results = alice.sync(
        [c for cid in (calm, *hot) for c in alice.edit(cid, 0, supplier="A")] + resent
    )

    assert [(r.status, r.version, r.duplicate) for r in results] == [
        ("applied", 1, False),
        ("merged", 2, False),
        ("merged", 2, False),
        ("applied", 1, True),  # a re-sent command: nothing to record
    ]
    # all four; the calm one's event (the quiet one has none); the two
    # overtaken, decided again together
    assert [len(objs) for objs in saves] == [4, 1, 2]
    assert {obj.id for obj in saves[2]} == set(hot)


def test_a_contended_customer_that_loses_a_race_is_caught_up_not_read_again(
    store_env, make_customers, monkeypatch
):
    """It was decided on a fork: the cached customer is as it was, and only
    what the other writer recorded is read."""
    first, alice, bob = group_writers(store_env, make_customers)
    contended = alice.register("Key Account")
    alice.sync(alice.edit(contended, 0, phone="+47 1"))
    first.contention.lost([contended])
    calm = bob.register("Calm Ltd")  # not cached by alice's application
    reads: list[dict] = []
    read = first.stream_reader.read

    def read_while_bob_saves(after):
        reads.append(dict(after))
        streams = read(after)
        if contended in after and len(reads) == 2:  # before alice saves it
            bob.sync(bob.edit(contended, 1, supplier="X"))
        return streams

    monkeypatch.setattr(first.stream_reader, "read", read_while_bob_saves)
    results = alice.sync(
        alice.edit(contended, 1, description="later") + alice.edit(calm, 0, name="C")
    )

    assert [(r.status, r.version) for r in results] == [("merged", 3), ("applied", 1)]
    # the calm customer read (and saved) first, the contended one last; after
    # its save lost, the cached customer, untouched, was caught up from version 1
    assert reads == [{calm: None}, {contended: 1}, {contended: 1}]
    for customer_id in (contended, calm):
        assert vars(first.load_for_update(customer_id)) == vars(
            make_customers().load_for_update(customer_id)
        )


def test_a_calm_customer_that_lost_is_decided_again_beside_a_contended_one(
    store_env, make_customers, monkeypatch
):
    first, alice, bob = group_writers(store_env, make_customers)
    calm, contended = alice.register("Calm"), alice.register("Key Account")
    first.contention.lost([contended])
    save, saves = first.save, []

    def save_after_bob(*objs, **kwargs):
        if not saves:  # bob edits the calm one before alice's first save
            bob.sync(bob.edit(calm, 0, name="Bob's"))
        saves.append(sorted(obj.id for obj in objs))
        return save(*objs, **kwargs)

    monkeypatch.setattr(first, "save", save_after_bob)
    results = alice.sync(
        alice.edit(calm, 0, supplier="A") + alice.edit(contended, 0, supplier="A")
    )

    assert [(r.status, r.version) for r in results] == [("merged", 2), ("applied", 1)]
    # the calm one lost; the contended one saved apart; the calm one again
    assert saves == [[calm], [contended], [calm]]


def test_a_contended_group_is_decided_again_whole_when_one_of_it_lost(
    store_env, make_customers, monkeypatch
):
    """Customers edited everywhere at once most likely all lost: the winners of
    the group are not saved apart, but decided again with the losers."""
    first, alice, bob = group_writers(store_env, make_customers)
    calm, *hot = [alice.register(f"Customer {n}") for n in range(3)]
    first.contention.lost(hot)
    save, saves = first.save, []

    def save_after_bob(*objs, **kwargs):
        ids = sorted(obj.id for obj in objs)
        if ids == sorted(hot) and ids not in saves:  # bob edits one of the two
            bob.sync(bob.edit(hot[0], 0, name="Bob's"))
        saves.append(ids)
        return save(*objs, **kwargs)

    monkeypatch.setattr(first, "save", save_after_bob)
    results = alice.sync(
        [c for cid in (calm, *hot) for c in alice.edit(cid, 0, supplier="A")]
    )

    assert [(r.status, r.version) for r in results] == [
        ("applied", 1),
        ("merged", 2),
        ("applied", 1),
    ]
    assert saves == [[calm], sorted(hot), sorted(hot)]


def test_a_customer_no_longer_contended_between_attempts_is_decided_as_cached(
    store_env, make_customers, monkeypatch
):
    """Contention is remembered for at most so many customers: another batch's
    lost race can push one out while its own batch waits to try again. That
    attempt decides the cached customer itself, so if it loses again, the
    cached customer is dropped and read again, not caught up."""
    from application import intake
    from application.contention import Contention

    first, alice, bob = group_writers(store_env, make_customers)
    hot = alice.register("Hot")
    monkeypatch.setattr(first, "contention", Contention(size=1))
    first.contention.lost([hot])
    save, saves = first.save, []

    def save_after_bob(*objs, **kwargs):
        saves.append(objs)
        if len(saves) <= 2:  # bob wins twice
            bob.sync(bob.edit(hot, len(saves) - 1, name=f"Bob's {len(saves)}"))
        return save(*objs, **kwargs)

    def pause(_seconds):  # meanwhile, another batch loses a race on another customer
        first.contention.lost([uuid.uuid4()])

    monkeypatch.setattr(first, "save", save_after_bob)
    monkeypatch.setattr(intake.time, "sleep", pause)
    [result] = alice.sync(alice.edit(hot, 0, supplier="A"))

    assert (result.status, result.version) == ("merged", 3)
    assert len(saves) == 3
    assert [e.originator_version for e in first.history(hot)] == [0, 1, 2, 3]
    assert vars(first.load_for_update(hot)) == vars(make_customers().load_for_update(hot))


def test_a_strict_command_on_a_customer_that_moved_on_is_refused(customers):
    office = Device(customers, "office", "carol")
    customer_id = office.register()
    office.sync(office.edit(customer_id, 0, name="Beta"))
    with pytest.raises(VersionMismatchError) as refused:
        customers.submit(
            "laptop", "dave", office.edit(customer_id, 0, phone="123"), expected_version=0
        )
    assert refused.value.current_version == 1
    assert len(customers.history(customer_id)) == 2


def test_a_customer_that_changes_under_every_attempt_is_given_up_after_the_last(
    customers, monkeypatch
):
    office = Device(customers, "office", "carol")
    customer_id = office.register()
    attempts = []

    def always_overtaken(*objs, **kwargs):
        attempts.append(objs)
        raise IntegrityError("UNIQUE constraint failed")

    monkeypatch.setattr(customers, "save", always_overtaken)
    monkeypatch.setattr("application.intake.time.sleep", lambda seconds: None)
    with pytest.raises(ConcurrencyError, match=str(customer_id)):
        office.sync(office.edit(customer_id, 0, name="Beta"))
    assert len(attempts) == Intake.MAX_ATTEMPTS


def test_the_customer_the_store_names_as_overtaken_is_the_only_one_decided_again(
    customers, monkeypatch
):
    """PostgreSQL names the row it could not insert: the others save at once."""
    if not customers.saves_across_customers:
        pytest.skip("the store saves one customer at a time")
    office = Device(customers, "office", "carol")
    named, other = office.register("Named"), office.register("Other")
    save, saves = customers.save, []

    def refused_once_naming_one(*objs, **kwargs):
        saves.append(objs)
        if len(saves) == 1:
            msg = (
                'duplicate key value violates unique constraint "stored_events_pkey"\n'
                f"DETAIL:  Key (originator_id, originator_version)=({named}, 1) "
                "already exists."
            )
            raise IntegrityError(msg)
        return save(*objs, **kwargs)

    monkeypatch.setattr(customers, "save", refused_once_naming_one)
    results = office.sync(
        office.edit(named, 0, supplier="A") + office.edit(other, 0, supplier="B")
    )
    assert [(r.status, r.version) for r in results] == [("applied", 1), ("applied", 1)]
    # the two together; the other's event alone; the named one decided again
    assert [len(objs) for objs in saves] == [2, 1, 1]
    assert saves[1][0].originator_id == other
    assert [obj.id for obj in saves[2]] == [named]


def test_a_customer_with_nothing_to_record_is_not_decided_again_for_another(
    store_env, make_customers, monkeypatch
):
    first, alice, bob = group_writers(store_env, make_customers)
    hot, quiet = alice.register("Hot"), alice.register("Quiet")
    resent = alice.edit(quiet, 0, name="Quieter")
    alice.sync(resent)
    save, saves = first.save, []

    def save_after_bob(*objs, **kwargs):
        if not saves:
            bob.sync(bob.edit(hot, 0, name="Bob's name"))
        saves.append(objs)
        return save(*objs, **kwargs)

    monkeypatch.setattr(first, "save", save_after_bob)
    results = alice.sync(alice.edit(hot, 0, supplier="A") + resent)
    assert [(r.status, r.version, r.duplicate) for r in results] == [
        ("merged", 2, False),
        ("applied", 1, True),  # a re-sent command: nothing to record
    ]
    # the two; the quiet one's (no) events; the hot one decided again
    assert [len(objs) for objs in saves] == [2, 0, 1]


def test_a_store_that_saves_one_customer_at_a_time_decides_again_only_the_one_that_lost(
    customers, monkeypatch
):
    """As on EventStoreDB, whose appends hold one stream each."""
    monkeypatch.setattr(customers, "saves_across_customers", False)
    office = Device(customers, "office", "carol")
    first, lost, last = (office.register(name) for name in ("First", "Lost", "Last"))
    save, saves = customers.save, []

    def refused_once_for_one(*objs, **kwargs):
        saves.append([obj.id for obj in objs])
        if saves.count([lost]) == 1 and objs[0].id == lost:
            raise IntegrityError("UNIQUE constraint failed")
        return save(*objs, **kwargs)

    monkeypatch.setattr(customers, "save", refused_once_for_one)
    results = office.sync(
        [c for cid in (first, lost, last) for c in office.edit(cid, 0, supplier="A")]
    )
    assert [(r.customer_id, r.status, r.version) for r in results] == [
        (cid, "applied", 1) for cid in (first, lost, last)
    ]
    assert saves == [[first], [lost], [last], [lost]]
    assert [len(customers.history(cid)) for cid in (first, lost, last)] == [2, 2, 2]


def test_a_strict_registration_of_a_new_customer_is_decided(customers):
    office = Device(customers, "office", "carol")
    customer_id = uuid.uuid4()
    register = office.command("RegisterCustomer", customer_id, {"name": "Acme"}, None)
    [result] = customers.submit("office", "carol", [register], expected_version=0)
    assert (result.status, result.version) == ("applied", 0)


def test_customers_named_overtaken_one_after_another_are_all_decided_again(
    customers, monkeypatch
):
    if not customers.saves_across_customers:
        pytest.skip("the store saves one customer at a time")
    office = Device(customers, "office", "carol")
    first, second, calm = (office.register(name) for name in ("One", "Two", "Calm"))
    save, saves = customers.save, []

    def refused_naming(*objs, **kwargs):
        saves.append(objs)
        if len(saves) <= 2:  # the first save names one, the second the other
            named = (first, second)[len(saves) - 1]
            msg = f"Key (originator_id, originator_version)=({named}, 1) already exists."
            raise IntegrityError(msg)
        return save(*objs, **kwargs)

    monkeypatch.setattr(customers, "save", refused_naming)
    results = office.sync(
        [c for cid in (first, second, calm) for c in office.edit(cid, 0, phone="123")]
    )
    assert [(r.status, r.version) for r in results] == [("applied", 1)] * 3
    # all three; the two not named; the calm one; the two named, decided again
    assert [len(objs) for objs in saves] == [3, 2, 1, 2]
    assert {obj.id for obj in saves[3]} == {first, second}

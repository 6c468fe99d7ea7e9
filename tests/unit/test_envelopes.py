"""The plain reading of an envelope agrees with CommandSchema, which defines it."""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, datetime, timedelta, timezone
from random import Random

from hypothesis import find, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from application.envelopes import COMMAND_SCHEMA, as_command, plain_command
from customer_domain.errors import MalformedCommandError
from customer_domain.vocabulary import FIELD_OF_COMMAND, REGISTER, RESOLVE

ADDRESS = {"street": "1 Main St", "city": "Lyon", "postal_code": "69001", "country": "FR"}
texts = st.text(max_size=8)
odd_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=False),
    texts,
    st.binary(max_size=4),
    st.lists(texts, max_size=2),
    st.just({}),
    st.just(ADDRESS),
    st.just({**ADDRESS, "city": 7}),
    st.just({"street": "x"}),
    st.sampled_from(
        [
            "2026-11-26T09:00:00",
            "2026-11-26T09:00:00Z",
            "2026-11-26",
            "20261126T090000+0100",
            f"{{{uuid.uuid4()}}}",
            f"urn:uuid:{uuid.uuid4()}",
            uuid.uuid4().hex,
            *FIELD_OF_COMMAND,
            REGISTER,
            RESOLVE,
        ]
    ),
).map(copy.deepcopy)


def payloads(kind: str):
    field = FIELD_OF_COMMAND.get(kind)
    if field == "address":
        return st.fixed_dictionaries({field: st.one_of(st.none(), st.just(ADDRESS))}).map(
            copy.deepcopy
        )
    if field is not None:
        return st.fixed_dictionaries({field: st.one_of(st.none(), texts)})
    if kind == REGISTER:
        return st.fixed_dictionaries(
            {"name": texts},
            optional={
                "email": st.one_of(st.none(), texts),
                "address": st.just(ADDRESS),
                "supplier": texts,
            },
        )
    return st.fixed_dictionaries(
        {
            "conflict_id": st.just(str(uuid.uuid4())),
            "choice": st.sampled_from(["current", "value"]),
        }
    )


@st.composite
def envelopes(draw):
    kind = draw(st.sampled_from([REGISTER, RESOLVE, *FIELD_OF_COMMAND]))
    zone = draw(st.sampled_from([UTC, timezone(timedelta(hours=-5)), None]))
    issued = draw(st.datetimes(timezones=st.just(zone)) if zone else st.datetimes())
    envelope = {
        "command_id": str(draw(st.uuids())),
        "type": kind,
        "customer_id": str(draw(st.uuids())),
        "base_version": None if kind == REGISTER else draw(st.integers(0, 50)),
        "issued_at": issued.isoformat(),
        "payload": draw(payloads(kind)),
    }
    if kind == REGISTER and draw(st.booleans()):
        del envelope["base_version"]
    return envelope


@st.composite
def damaged(draw):
    """An envelope with a few keys (of it or of its payload) removed, added or replaced."""
    envelope = draw(envelopes())
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 3]))):
        target = (
            envelope["payload"]
            if draw(st.booleans()) and isinstance(envelope.get("payload"), dict)
            else envelope
        )
        key = draw(st.sampled_from([*target, "extra"]))
        if draw(st.integers(0, 4)) == 0:
            target.pop(key, None)
        else:
            target[key] = draw(odd_values)
    return envelope


def schema_reading(envelope):
    try:
        return COMMAND_SCHEMA.load(envelope)
    except ValidationError:
        return None


@settings(max_examples=1500, deadline=None)
@given(damaged())
def test_a_plain_reading_is_the_schemas_reading(envelope):
    """A plain reading is the schema's; what it declines the schema reads (or
    refuses) alone, so the application's reading is always the schema's."""
    expected = schema_reading(envelope)
    plain = plain_command(envelope)
    if plain is not None:
        assert plain == expected
    try:
        assert as_command(envelope) == expected
    except MalformedCommandError:
        assert expected is None


def test_damaged_envelopes_include_plain_readings_and_refusals():
    """The property above meets both sides: envelopes read plainly, and
    envelopes the plain reading declines that the schema still reads."""
    search = {"settings": settings(max_examples=5000, database=None), "random": Random(0)}
    find(damaged(), lambda e: plain_command(e) is not None, **search)
    find(
        damaged(),
        lambda e: plain_command(e) is None and schema_reading(e) is not None,
        **search,
    )


@settings(max_examples=300, deadline=None)
@given(envelopes())
def test_every_well_formed_change_and_registration_is_read_plainly(envelope):
    expected = schema_reading(envelope)
    naive = datetime.fromisoformat(envelope["issued_at"]).tzinfo is None
    if envelope["type"] == RESOLVE or naive:
        assert plain_command(envelope) is None
    else:
        assert plain_command(envelope) == expected


def test_what_is_not_plain_is_still_read_by_the_schema():
    envelope = {
        "command_id": uuid.uuid4(),
        "type": "ChangeName",
        "customer_id": str(uuid.uuid4()),
        "base_version": 1,
        "issued_at": datetime.now(UTC).isoformat(),
        "payload": {"name": "A"},
    }
    assert plain_command(envelope) is None
    assert as_command(envelope) == COMMAND_SCHEMA.load(envelope)

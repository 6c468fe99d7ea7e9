"""Request and response bodies: the one definition that validates requests,
shapes answers and makes the OpenAPI document."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from marshmallow import INCLUDE, Schema, fields, post_load, validate

from application.envelopes import (
    AddressSchema,
    Commands,
    CommandSchema,
    ResolutionSchema,
    StrictSchema,
    in_utc,
)
from customer_domain.commands import Command
from customer_domain.vocabulary import (
    CHOICES,
    CONFLICT_OPEN,
    CONFLICT_STATUSES,
    STATUSES,
    VERDICTS,
)

MAX_BATCH = 1000
CLIENT_ID = validate.Regexp(
    r"^[A-Za-z0-9._-]{1,100}$",
    error="1 to 100 characters of A-Z, a-z, 0-9, '.', '_', '-'",
)


def client_id_field() -> fields.String:
    return fields.String(required=True, validate=CLIENT_ID)


class SyncRequest(StrictSchema):
    client_id = client_id_field()
    commands = Commands(required=True, validate=validate.Length(max=MAX_BATCH))


class CustomerCommandRequest(CommandSchema):
    """One command for the customer on the path (its customer_id may be left out)."""

    client_id = client_id_field()
    customer_id = fields.UUID(metadata={"description": "the path's customer if left out"})

    @post_load
    def make_command(self, data: dict, **_: object) -> tuple[str, Command]:
        client_id = data.pop("client_id")
        return client_id, Command(**data)


class RegisterRequest(StrictSchema):
    client_id = client_id_field()
    command_id = fields.UUID()
    customer_id = fields.UUID()
    issued_at = fields.AwareDateTime(validate=in_utc)
    name = fields.String(required=True)
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    address = fields.Nested(AddressSchema, allow_none=True)
    supplier = fields.String(allow_none=True)
    description = fields.String(allow_none=True)


class ResolveRequest(ResolutionSchema):
    client_id = client_id_field()
    command_id = fields.UUID(required=True)
    base_version = fields.Integer(strict=True, validate=validate.Range(min=0))
    issued_at = fields.AwareDateTime(validate=in_utc)


POSITION = validate.Range(min=0, max=2**63 - 1)  # what the stores' integers hold


class CustomersQuery(StrictSchema):
    since = fields.Integer(load_default=0, validate=POSITION)
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class CustomerQuery(StrictSchema):
    min_position = fields.Integer(validate=POSITION)


class ConflictsQuery(StrictSchema):
    status = fields.String(
        load_default=CONFLICT_OPEN, validate=validate.OneOf((*CONFLICT_STATUSES, "all"))
    )
    customer_id = fields.UUID()


class Result(Schema):
    command_id = fields.UUID(required=True)
    customer_id = fields.UUID(required=True)
    status = fields.String(required=True, validate=validate.OneOf(VERDICTS))
    version = fields.Integer(allow_none=True, required=True)
    duplicate = fields.Boolean(required=True)
    conflict_id = fields.UUID(allow_none=True, required=True)
    reason = fields.String(allow_none=True, required=True)
    detail = fields.String(allow_none=True, required=True)


RESULT_FIELDS = tuple(Result().fields)


_result_values = attrgetter(*RESULT_FIELDS)


def dump_result(result: object) -> dict[str, Any]:
    """What ``Result().dump(result)`` gives once written as JSON, made
    directly: a result is flat, and the response's encoder writes its UUIDs
    as text (``web.json_provider``)."""
    return dict(zip(RESULT_FIELDS, _result_values(result)))


class PositionedResult(Result):
    position = fields.Integer(
        required=True,
        metadata={
            "description": "wait for this position (min_position) to read your write"
        },
    )


class SyncResponse(Schema):
    results = fields.List(fields.Nested(Result), required=True)
    position = fields.Integer(required=True)


class ValueWithProvenance(Schema):
    value = fields.Raw(allow_none=True, required=True)
    version = fields.Integer()
    author = fields.String(required=True)
    client_id = fields.String(required=True)
    command_id = fields.UUID()
    issued_at = fields.DateTime(required=True)
    changed_at = fields.DateTime()
    effective_at = fields.DateTime()


class Resolution(Schema):
    choice = fields.String(required=True, validate=validate.OneOf(CHOICES))
    value = fields.Raw(allow_none=True, required=True)
    chosen = fields.Nested(ValueWithProvenance, required=True)
    resolved_by = fields.String(required=True)
    resolved_at = fields.DateTime(required=True)
    version = fields.Integer(required=True)


class Conflict(Schema):
    conflict_id = fields.UUID(required=True)
    customer_id = fields.UUID(required=True)
    field = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(CONFLICT_STATUSES))
    base_value = fields.Raw(allow_none=True, required=True)
    current = fields.Nested(ValueWithProvenance, required=True)
    candidates = fields.List(fields.Nested(ValueWithProvenance), required=True)
    opened_at = fields.DateTime(required=True)
    resolution = fields.Nested(Resolution, allow_none=True, required=True)


class FieldProvenance(Schema):
    version = fields.Integer(required=True)
    changed_by = fields.String(required=True)
    changed_at = fields.DateTime(required=True)


class CustomerView(Schema):
    customer_id = fields.UUID(required=True)
    version = fields.Integer(required=True)
    position = fields.Integer(required=True)
    name = fields.String(required=True)
    email = fields.String(allow_none=True, required=True)
    phone = fields.String(allow_none=True, required=True)
    address = fields.Nested(AddressSchema, allow_none=True, required=True)
    supplier = fields.String(allow_none=True, required=True)
    description = fields.String(allow_none=True, required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    fields_ = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(FieldProvenance),
        data_key="fields",
        attribute="fields",
        required=True,
    )
    conflicts = fields.List(fields.Nested(Conflict), required=True)


class CustomerPage(Schema):
    items = fields.List(fields.Nested(CustomerView), required=True)
    next = fields.Integer(
        required=True, metadata={"description": "since, for the next page"}
    )
    position = fields.Integer(required=True)


class ConflictList(Schema):
    items = fields.List(fields.Nested(Conflict), required=True)


class HistoryEvent(Schema):
    """One recorded command; other keys follow (an overwritten value, a conflict)."""

    class Meta:
        unknown = INCLUDE

    version = fields.Integer(required=True)
    type = fields.String(required=True)
    recorded_at = fields.DateTime(required=True)
    command_id = fields.UUID(required=True)
    client_id = fields.String(required=True)
    author = fields.String(required=True)
    issued_at = fields.DateTime(required=True)
    effective_at = fields.DateTime(required=True)
    received_at = fields.DateTime(required=True)
    base_version = fields.Integer(allow_none=True, required=True)
    status = fields.String(required=True, validate=validate.OneOf(VERDICTS))
    reason = fields.String(allow_none=True, required=True)
    detail = fields.String(allow_none=True, required=True)
    conflict_id = fields.UUID(allow_none=True, required=True)
    changes = fields.Dict(required=True)


class History(Schema):
    customer_id = fields.UUID(required=True)
    version = fields.Integer(required=True)
    events = fields.List(fields.Nested(HistoryEvent), required=True)


class Health(Schema):
    status = fields.String(required=True)
    persistence = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    event_store_position = fields.Integer(required=True)
    read_model_position = fields.Integer(required=True)


class Problem(Schema):
    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.Dict()
    result = fields.Nested(PositionedResult)
    current_version = fields.Integer()


class Me(Schema):
    employee = fields.String(
        required=True,
        metadata={"description": "the employee the bearer token belongs to"},
    )


class OpenApiDocument(Schema):
    """An OpenAPI 3.1 document (this one)."""

    class Meta:
        unknown = INCLUDE

    openapi = fields.String(required=True)
    info = fields.Dict(required=True)
    paths = fields.Dict(required=True)
    components = fields.Dict()

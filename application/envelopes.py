"""The shape of a command envelope: one set of schemas, used by the
application to parse plain mappings and by the web layer for requests and
its OpenAPI document."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import MAXYEAR, MINYEAR, UTC, datetime
from typing import Any
from uuid import UUID

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from application.event_format import storable
from customer_domain.commands import Command
from customer_domain.errors import MalformedCommandError
from customer_domain.vocabulary import (
    CHOICE_CANDIDATE,
    CHOICE_VALUE,
    CHOICES,
    COMMAND_TYPES,
    FIELD_OF_COMMAND,
    REGISTER,
    RESOLVE,
)


def in_utc(moment: datetime) -> None:
    """Refuse a time that UTC cannot hold (0001-01-01T00:00+01:00, say)."""
    try:
        moment.astimezone(UTC)
    except OverflowError:
        raise ValidationError("not a time that UTC can hold") from None


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


class AddressSchema(StrictSchema):
    street = fields.String(required=True)
    city = fields.String(required=True)
    postal_code = fields.String(required=True)
    country = fields.String(required=True)


def _nullable_string(**kwargs: Any) -> fields.String:
    return fields.String(allow_none=True, **kwargs)


class RegisterPayloadSchema(StrictSchema):
    name = fields.String(required=True)
    email = _nullable_string()
    phone = _nullable_string()
    address = fields.Nested(AddressSchema, allow_none=True)
    supplier = _nullable_string()
    description = _nullable_string()


def _storable(value: Any) -> None:
    """Refuse a value no event can hold (it would be recorded, even if rejected)."""
    if not storable(value):
        raise ValidationError("cannot be stored: integers are at most 64 bits")


class ResolutionSchema(StrictSchema):
    """How a conflict is resolved: the current value, a candidate, or a new value."""

    choice = fields.String(required=True, validate=validate.OneOf(CHOICES))
    candidate_command_id = fields.UUID()
    value = fields.Raw(allow_none=True, validate=_storable)

    @validates_schema
    def check_choice(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("choice") == CHOICE_CANDIDATE and "candidate_command_id" not in data:
            raise ValidationError(
                "required when choice is candidate", "candidate_command_id"
            )
        if data.get("choice") == CHOICE_VALUE and "value" not in data:
            raise ValidationError("required when choice is value", "value")


class ResolvePayloadSchema(ResolutionSchema):
    conflict_id = fields.UUID(required=True)


def _change_payload(field: str) -> type[Schema]:
    required = {"required": True, "allow_none": field not in ("name", "status")}
    value = (
        fields.Nested(AddressSchema, **required)
        if field == "address"
        else fields.String(**required)
    )
    return StrictSchema.from_dict({field: value}, name=f"{field.title()}PayloadSchema")


PAYLOAD_SCHEMAS: dict[str, Schema] = {
    REGISTER: RegisterPayloadSchema(),
    RESOLVE: ResolvePayloadSchema(),
    **{kind: _change_payload(field)() for kind, field in FIELD_OF_COMMAND.items()},
}


class CommandSchema(StrictSchema):
    command_id = fields.UUID(required=True)
    type = fields.String(required=True, validate=validate.OneOf(COMMAND_TYPES))
    customer_id = fields.UUID(required=True)
    base_version = fields.Integer(
        strict=True, allow_none=True, load_default=None, validate=validate.Range(min=0)
    )
    issued_at = fields.AwareDateTime(required=True, validate=in_utc)
    payload = fields.Dict(keys=fields.String(), required=True)

    @validates_schema
    def check_payload(self, data: dict[str, Any], **_: Any) -> None:
        kind = data.get("type")
        if kind not in PAYLOAD_SCHEMAS or "payload" not in data:
            return
        errors = PAYLOAD_SCHEMAS[kind].validate(data["payload"])
        if errors:
            raise ValidationError(errors, "payload")
        if kind == REGISTER and data.get("base_version") is not None:
            raise ValidationError("must be null for RegisterCustomer", "base_version")
        if kind != REGISTER and data.get("base_version") is None:
            raise ValidationError("required for this command type", "base_version")

    @post_load
    def make_command(self, data: dict[str, Any], **_: Any) -> Command:
        return Command(**data)


COMMAND_SCHEMA = CommandSchema()


def as_command(envelope: Command | Mapping[str, Any]) -> Command:
    """Return the envelope as a Command, or raise MalformedCommandError."""
    if isinstance(envelope, Command):
        return envelope
    command = plain_command(envelope)
    if command is not None:
        return command
    try:
        return COMMAND_SCHEMA.load(envelope)
    except ValidationError as error:
        raise MalformedCommandError(error.normalized_messages()) from None


# What a plain envelope looks like, read off the schemas above.
_ENVELOPE_KEYS = frozenset(COMMAND_SCHEMA.fields)
_ENVELOPE_KEYS_UNBASED = _ENVELOPE_KEYS - {"base_version"}
_ADDRESS_KEYS = frozenset(AddressSchema().fields)
_PAYLOAD_FIELDS = {  # per command type but ResolveConflict: its payload's fields
    kind: {
        name: (field.required, field.allow_none) for name, field in schema.fields.items()
    }
    for kind, schema in PAYLOAD_SCHEMAS.items()
    if kind != RESOLVE
}


def plain_command(envelope: Any) -> Command | None:
    """The envelope as a Command if it is plainly well formed, else None.

    Nearly every envelope is, and reading it directly costs a fraction of a
    schema load. Whatever is not plain (and every error) is left to
    CommandSchema, which stays the one definition of an envelope: a plain
    envelope is one CommandSchema loads to exactly this Command.
    """
    if type(envelope) is not dict:
        return None
    keys = envelope.keys()
    if keys != _ENVELOPE_KEYS and keys != _ENVELOPE_KEYS_UNBASED:
        return None
    kind, payload, base = (
        envelope["type"],
        envelope["payload"],
        envelope.get("base_version"),
    )
    if (
        type(kind) is not str
        or kind not in _PAYLOAD_FIELDS
        or type(payload) is not dict
        or not _plain_payload(_PAYLOAD_FIELDS[kind], payload)
    ):
        return None
    if kind == REGISTER:
        if base is not None:
            return None
    elif type(base) is not int or base < 0:
        return None
    command_text, customer_text, issued_text = (
        envelope["command_id"],
        envelope["customer_id"],
        envelope["issued_at"],
    )
    if (
        type(command_text) is not str
        or type(customer_text) is not str
        or type(issued_text) is not str
    ):
        return None
    try:
        command_id, customer_id = UUID(command_text), UUID(customer_text)
        issued_at = datetime.fromisoformat(issued_text)
    except ValueError:
        return None
    if issued_at.tzinfo is None or issued_at.utcoffset() is None:
        return None
    if issued_at.year in (MINYEAR, MAXYEAR):  # only there may UTC not hold it
        try:
            in_utc(issued_at)
        except ValidationError:
            return None
    return Command(command_id, kind, customer_id, base, issued_at, dict(payload))


def _plain_payload(shape: dict[str, tuple[bool, bool]], payload: dict[str, Any]) -> bool:
    """Whether every value is a string (an address: of strings), or null where allowed."""
    for name, (required, _) in shape.items():
        if required and name not in payload:
            return False
    for name, value in payload.items():
        if name not in shape:
            return False
        if value is None:
            if not shape[name][1]:
                return False
        elif name == "address":
            if (
                type(value) is not dict
                or value.keys() != _ADDRESS_KEYS
                or any(type(part) is not str for part in value.values())
            ):
                return False
        elif type(value) is not str:
            return False
    return True


class Commands(fields.List):
    """A list of command envelopes (a request's batch): each read plainly where
    it can be, by CommandSchema otherwise, so errors are the schema's own."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(fields.Nested(CommandSchema), **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> list:
        if type(value) is list:
            commands = [plain_command(envelope) for envelope in value]
            if None not in commands:
                return commands
        return super()._deserialize(value, attr, data, **kwargs)


def as_commands(envelopes: list[Command | Mapping[str, Any]]) -> list[Command]:
    """Parse every envelope of a batch; report every malformed one by index."""
    commands, errors = [], {}
    for index, envelope in enumerate(envelopes):
        try:
            commands.append(as_command(envelope))
        except MalformedCommandError as error:
            errors[index] = error.errors
    if errors:
        raise MalformedCommandError(errors)
    return commands

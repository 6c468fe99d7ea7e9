"""The shape of a command envelope: one set of schemas, used by the
application to parse plain mappings and by the web layer for requests and
its OpenAPI document."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from customer_domain.commands import (
    CHOICES,
    COMMAND_TYPES,
    FIELD_OF_COMMAND,
    REGISTER,
    RESOLVE,
    Command,
)
from customer_domain.errors import MalformedCommandError


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


class ResolutionSchema(StrictSchema):
    """How a conflict is resolved: the current value, a candidate, or a new value."""

    choice = fields.String(required=True, validate=validate.OneOf(CHOICES))
    candidate_command_id = fields.UUID()
    value = fields.Raw(allow_none=True)

    @validates_schema
    def check_choice(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("choice") == "candidate" and "candidate_command_id" not in data:
            raise ValidationError("required when choice is candidate",
                                  "candidate_command_id")
        if data.get("choice") == "value" and "value" not in data:
            raise ValidationError("required when choice is value", "value")


class ResolvePayloadSchema(ResolutionSchema):
    conflict_id = fields.UUID(required=True)


def _change_payload(field: str) -> type[Schema]:
    required = {"required": True, "allow_none": field not in ("name", "status")}
    value = fields.Nested(AddressSchema, **required) if field == "address" \
        else fields.String(**required)
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
    base_version = fields.Integer(strict=True, allow_none=True, load_default=None,
                                  validate=validate.Range(min=0))
    issued_at = fields.AwareDateTime(required=True)
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
    try:
        return COMMAND_SCHEMA.load(envelope)
    except ValidationError as error:
        raise MalformedCommandError(error.normalized_messages()) from None


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

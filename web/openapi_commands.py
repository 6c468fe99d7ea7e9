"""Commands in the OpenAPI document: one schema per command type, each made from
the schemas that validate commands, joined in a oneOf discriminated by ``type``."""

from __future__ import annotations

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import make_schema_key
from marshmallow import Schema, fields, validate

from application.envelopes import PAYLOAD_SCHEMAS, CommandSchema
from customer_domain.vocabulary import REGISTER
from web.schemas import CustomerCommandRequest


def _base_version(kind: str) -> fields.Field:
    """What ``CommandSchema.check_payload`` asks of a batch's base_version."""
    if kind == REGISTER:
        return fields.Raw(allow_none=True, validate=validate.Equal(None))
    return fields.Integer(strict=True, required=True, validate=validate.Range(min=0))


def _variant(
    base: type[Schema], kind: str, suffix: str, **overrides: fields.Field
) -> type[Schema]:
    """``base`` with ``type`` fixed to ``kind`` and ``payload`` its payload schema."""
    attributes = {
        "type": fields.String(required=True, validate=validate.OneOf([kind])),
        "payload": fields.Nested(PAYLOAD_SCHEMAS[kind], required=True),
        **overrides,
    }
    return type(f"{kind}{suffix}", (base,), attributes)


def _one_of(spec: APISpec, name: str, variants: dict[str, str]) -> None:
    spec.components.schema(
        name,
        {
            "oneOf": [{"$ref": f"#/components/schemas/{v}"} for v in variants.values()],
            "discriminator": {
                "propertyName": "type",
                "mapping": {
                    kind: f"#/components/schemas/{v}" for kind, v in variants.items()
                },
            },
        },
    )


def register_commands(spec: APISpec, plugin: MarshmallowPlugin) -> None:
    """Components ``<Type>Payload``, ``<Type>Command`` (a command of a batch),
    ``<Type>CustomerCommandRequest`` (one command on the path's customer), and
    ``Command`` and ``CustomerCommandRequest``, the oneOf of each kind."""
    commands, requests = {}, {}
    for kind, payload in PAYLOAD_SCHEMAS.items():
        spec.components.schema(f"{kind}Payload", schema=payload)
        commands[kind] = f"{kind}Command"
        spec.components.schema(
            commands[kind],
            schema=_variant(
                CommandSchema, kind, "Command", base_version=_base_version(kind)
            ),
        )
        requests[kind] = f"{kind}CustomerCommandRequest"
        spec.components.schema(
            requests[kind],
            schema=_variant(CustomerCommandRequest, kind, "CustomerCommandRequest"),
        )
    for base, name, variants in (
        (CommandSchema, "Command", commands),
        (CustomerCommandRequest, "CustomerCommandRequest", requests),
    ):
        _one_of(spec, name, variants)
        # Where the validating schema is named (a batch's list of commands, a
        # request body), the document refers to the oneOf: the converter's table
        # of references is public, there for names chosen by hand.
        plugin.converter.refs[make_schema_key(base())] = name

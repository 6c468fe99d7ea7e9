"""Reading request bodies and query strings strictly."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import request
from marshmallow import Schema

from web.problems import Problem

ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def json_object() -> dict[str, Any]:
    """The body as a JSON object, or a 400 problem (never a 500)."""
    raw = request.get_data(cache=True)
    try:
        body = json.loads(raw, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as error:
        detail = str(error) if isinstance(error, ValueError) else "nested too deeply"
        raise Problem(400, f"the body is not JSON: {detail}", "malformed-json") from None
    if not isinstance(body, dict):
        raise Problem(400, "the body must be a JSON object", "malformed-json")
    if ESCAPED_SURROGATE.search(raw):  # "\\ud800" parses, but may not be text
        try:
            json.dumps(body, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise Problem(
                400, "the body holds a string that is not valid Unicode", "malformed-json"
            ) from None
    return body


def load_body(schema: Schema) -> Any:
    return schema.load(json_object())


def load_query(schema: Schema) -> dict[str, Any]:
    return schema.load(request.args.to_dict())

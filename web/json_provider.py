"""Responses in JSON, encoded by msgspec.

The text is the one Flask's own provider writes (keys sorted, compact, UUIDs
as text), but for characters beyond ASCII, written as UTF-8 rather than
escaped; a batch's verdicts are encoded at about a seventh of the cost.
Everything the API answers is JSON's own types or UUIDs: times are text
(``+00:00``) before they reach it, since msgspec would write a datetime its
own way (``Z``), not Flask's. Other types go through Flask's own conversions,
and what msgspec cannot write (a lone surrogate, a map with keys not text: a
batch's errors by index) through Flask's own encoder.
"""

from __future__ import annotations

from typing import Any

import msgspec
from flask import Flask
from flask.json.provider import DefaultJSONProvider

# What Flask asks for when it writes a response (unless debugging).
COMPACT = {"separators": (",", ":")}


class MsgspecJSONProvider(DefaultJSONProvider):
    def __init__(self, app: Flask) -> None:
        super().__init__(app)
        self._encode = msgspec.json.Encoder(order="sorted", enc_hook=self.default).encode

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if kwargs != COMPACT:  # indented (debug), or other options: Flask's own
            return super().dumps(obj, **kwargs)
        try:
            return self._encode(obj).decode("utf-8")
        except (UnicodeEncodeError, TypeError):  # a lone surrogate, a key not text
            return super().dumps(obj, **kwargs)

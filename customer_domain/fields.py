"""The customer's fields and the rule each value must follow."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pycountry
from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email

from customer_domain.errors import InvalidValueError
from customer_domain.vocabulary import ADDRESS_KEYS, FIELDS, STATUSES

__all__ = ["ADDRESS_KEYS", "FIELDS", "STATUSES", "check_value"]

_PHONE = re.compile(r"[0-9 +\-()]{3,40}")
# Addresses of the plainest form (ASCII letters, digits, ``_+-`` and dots in
# the local part; labels of letters and digits joined by single hyphens, at most
# 63 long; an alphabetic top-level domain), which email_validator accepts
# (tests/unit/test_fields.py checks it): told by a pattern, a fortieth of the
# cost. Everything else is email_validator's to judge.
_PLAIN_EMAIL = re.compile(
    r"[A-Za-z0-9_+-]{1,64}(?:\.[A-Za-z0-9_+-]+)*@"
    r"(?:(?=[A-Za-z0-9-]{1,63}\.)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\.)+[A-Za-z]{2,63}"
)
_SPECIAL_USE = tuple(f".{name}" for name in SPECIAL_USE_DOMAIN_NAMES)


def _check_length(field: str, value: Any, low: int, high: int) -> str:
    if not isinstance(value, str):
        raise InvalidValueError(field, "must be a string")
    if not low <= len(value) <= high:
        raise InvalidValueError(field, f"must be {low} to {high} characters long")
    return value


def _nullable(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def check_or_none(value: Any) -> Any:
        return None if value is None else check(value)

    return check_or_none


def check_name(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidValueError("name", "must be a string")
    return _check_length("name", value.strip(), 1, 200)


def plainly_valid_email(value: str) -> bool:
    """Whether ``value`` is an address of the plainest form (see _PLAIN_EMAIL)."""
    local, _, domain = value.rpartition("@")
    return (
        len(value) <= 254
        and len(local) <= 64
        and len(domain) <= 253
        and _PLAIN_EMAIL.fullmatch(value) is not None
        and not f".{domain}".endswith(_SPECIAL_USE)
    )


def check_email(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidValueError("email", "must be a string")
    if plainly_valid_email(value):
        return value
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidValueError("email", f"not a valid address ({error})") from None
    return value


def check_phone(value: Any) -> str:
    if not isinstance(value, str) or not _PHONE.fullmatch(value):
        raise InvalidValueError(
            "phone", "must be 3 to 40 characters of digits, spaces and +-()"
        )
    return value


def check_address(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or set(value) != set(ADDRESS_KEYS):
        raise InvalidValueError("address", f"must have exactly {', '.join(ADDRESS_KEYS)}")
    for key in ("street", "city", "postal_code"):
        _check_length(f"address.{key}", value[key], 1, 200)
    country = value["country"]
    if not (
        isinstance(country, str)
        and re.fullmatch("[A-Z]{2}", country)
        and pycountry.countries.get(alpha_2=country)
    ):
        raise InvalidValueError("address.country", "must be an ISO 3166-1 alpha-2 code")
    return {key: value[key] for key in ADDRESS_KEYS}


def check_supplier(value: Any) -> str:
    return _check_length("supplier", value, 1, 200)


def check_description(value: Any) -> str:
    return _check_length("description", value, 0, 10_000)


def check_status(value: Any) -> str:
    if value not in STATUSES:
        raise InvalidValueError("status", f"must be one of {', '.join(STATUSES)}")
    return value


RULES: dict[str, Callable[[Any], Any]] = {
    "name": check_name,
    "email": _nullable(check_email),
    "phone": _nullable(check_phone),
    "address": _nullable(check_address),
    "supplier": _nullable(check_supplier),
    "description": _nullable(check_description),
    "status": check_status,
}


def check_value(field: str, value: Any) -> Any:
    """Return the value as stored (names trimmed), or raise InvalidValueError."""
    return RULES[field](value)

"""Conflict handling read from the deployment's environment."""

from __future__ import annotations

from eventsourcing.utils import Environment

from customer_domain.policy import Policy
from customer_domain.vocabulary import DETECT_FIELD, DETECTIONS, FIELDS, MANUAL, POLICIES

FIELD_POLICY = "CONFLICT_POLICY_"


def policy_from_env(env: Environment) -> Policy:
    """``CONFLICT_POLICY``, ``CONFLICT_POLICY_<FIELD>``, ``CONFLICT_DETECTION``
    (each also with the application's prefix, as the library reads its own).

    Raises ValueError naming the variable when a value is not understood.
    """
    for key in env:
        for prefix in env.create_keys(FIELD_POLICY):
            field = key.removeprefix(prefix).lower()
            if key.startswith(prefix) and field not in FIELDS:
                msg = f"{key}: no field {field!r} (the fields: {', '.join(FIELDS)})"
                raise ValueError(msg)
    per_field = {}
    for field in FIELDS:
        value = _choice(env, f"{FIELD_POLICY}{field.upper()}", POLICIES, "")
        if value:
            per_field[field] = value
    return Policy(
        default=_choice(env, "CONFLICT_POLICY", POLICIES, MANUAL),
        per_field=per_field,
        detection=_choice(env, "CONFLICT_DETECTION", DETECTIONS, DETECT_FIELD),
    )


def _choice(env: Environment, key: str, allowed: tuple[str, ...], default: str) -> str:
    """The value set for ``key`` (empty: ``default``), if it is one of ``allowed``."""
    for name in env.create_keys(key):
        value = dict.get(env, name)
        if value is not None:
            break
    if not value or not value.strip():
        return default
    chosen = value.strip().lower()
    if chosen not in allowed:
        msg = f"{name}: {value!r} is not one of {', '.join(allowed)}"
        raise ValueError(msg)
    return chosen

"""Conflict handling read from the deployment's environment."""

from __future__ import annotations

from eventsourcing.utils import Environment

from customer_domain.policy import Policy
from customer_domain.vocabulary import DETECT_FIELD, FIELDS, MANUAL


def policy_from_env(env: Environment) -> Policy:
    """``CONFLICT_POLICY``, ``CONFLICT_POLICY_<FIELD>``, ``CONFLICT_DETECTION``.

    Raises ValueError naming the variable when a value is not understood.
    """
    per_field = {}
    for field in FIELDS:
        value = env.get(f"CONFLICT_POLICY_{field.upper()}")
        if value:
            per_field[field] = value.strip().lower()
    return Policy(
        default=(env.get("CONFLICT_POLICY") or MANUAL).strip().lower(),
        per_field=per_field,
        detection=(env.get("CONFLICT_DETECTION") or DETECT_FIELD).strip().lower(),
    )

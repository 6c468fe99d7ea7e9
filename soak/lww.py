"""Last-writer-wins winners computed from the commands alone, apart from the
server's code (only the vocabulary is shared): the check the campaigns hold
the server to."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from customer_domain.vocabulary import ACTIVE, FIELD_OF_COMMAND, FIELDS, REGISTER

TICK = timedelta(microseconds=1)
REGISTERED = tuple(field for field in FIELDS if field != "status")


def winners(recorded: list[dict]) -> dict[str, dict[str, object]]:
    """Each customer's expected final values. ``recorded`` holds every recorded
    command: its envelope and the client that sent it, with ``version``, the
    version its verdict was recorded at (and ``rejected`` true for one refused
    by a rule: its time counts, its value competes for nothing). Clients' clocks are taken to be
    behind the server's, so a stamp is

    ``max(issued_at, latest effective time up to the base + 1 µs,
    the same client's previous effective time + 1 µs)``.
    """
    by_customer: dict[str, list[dict]] = defaultdict(list)
    for command in recorded:
        by_customer[command["customer_id"]].append(command)
    return {
        customer: _winners(sorted(commands, key=lambda c: c["version"]))
        for customer, commands in by_customer.items()
    }


def _winners(commands: list[dict]) -> dict[str, object]:
    latest_up_to: list[datetime] = []  # by version
    previous: dict[str, datetime] = {}  # by client
    best: dict[str, tuple] = {}  # field -> (stamp, value)
    for command in commands:
        issued = datetime.fromisoformat(command["issued_at"])
        candidates = [issued]
        if command["base_version"] is not None:
            candidates.append(latest_up_to[command["base_version"]] + TICK)
        if command["client_id"] in previous:
            candidates.append(previous[command["client_id"]] + TICK)
        effective = max(candidates)
        previous[command["client_id"]] = effective
        latest_up_to.append(max([effective, *latest_up_to[-1:]]))
        stamp = (effective, command["client_id"], command["command_id"])
        payload = command["payload"]
        if command.get("rejected"):
            values = {}
        elif command["type"] == REGISTER:
            values = {f: payload.get(f) for f in REGISTERED} | {"status": ACTIVE}
        elif command["type"] in FIELD_OF_COMMAND:
            field = FIELD_OF_COMMAND[command["type"]]
            values = {field: payload[field]}
        else:
            values = {}
        for field, value in values.items():
            if field not in best or stamp > best[field][0]:
                best[field] = (stamp, value)
    return {field: value for field, (_, value) in best.items()}

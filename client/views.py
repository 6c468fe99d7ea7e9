"""What the CLI prints: readable tables, or JSON with --json."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import click
from tabulate import tabulate

from customer_domain.vocabulary import FIELDS, NOTICED  # NOTICED: shown with who and what


def _json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, sort_keys=True))


def _value(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(
            str(value[k]) for k in ("street", "postal_code", "city", "country")
        )
    return "" if value is None else str(value)


def show_list(customers: list[dict], as_json: bool) -> None:
    if as_json:
        return _json(customers)
    rows = [
        (
            c["customer_id"],
            _value(c.get("name")) + (" *" if c["pending"] else ""),
            c.get("status"),
            "-" if c["version"] is None else c["version"],
            len(c["conflicts"]) or "",
        )
        for c in customers
    ]
    click.echo(tabulate(rows, ("id", "name", "status", "version", "conflicts")))
    if any(c["pending"] for c in customers):
        click.echo("\n* queued edits not yet synced")


def show_customer(customer: dict, as_json: bool) -> None:
    if as_json:
        return _json(customer)
    version = customer["version"]
    click.echo(
        f"customer {customer['customer_id']} "
        f"(version {'not synced yet' if version is None else version})"
    )
    provenance = customer.get("fields", {})
    rows = []
    for field in FIELDS:
        changed = provenance.get(field)
        note = (
            "pending"
            if field in customer["pending"]
            else (
                f"{changed['changed_by']}, {changed['changed_at'][:19]}"
                if changed
                else ""
            )
        )
        rows.append((field, _value(customer.get(field)), note))
    click.echo(tabulate(rows, ("field", "value", "changed by / state")))
    for conflict in customer["conflicts"]:
        click.echo("")
        show_conflicts([conflict], as_json=False)


def show_pending(envelopes: list[dict], as_json: bool) -> None:
    if as_json:
        return _json(envelopes)
    rows = [
        (
            e["command_id"],
            e["type"],
            e["customer_id"],
            e["base_version"],
            _value(next(iter(e["payload"].values()), None)) if e["payload"] else "",
        )
        for e in envelopes
    ]
    click.echo(tabulate(rows, ("command", "type", "customer", "base", "value")))
    click.echo(f"\n{len(envelopes)} command(s) queued")


def show_conflicts(conflicts: list[dict], as_json: bool) -> None:
    if as_json:
        return _json(conflicts)
    if not conflicts:
        click.echo("no open conflicts")
    for c in conflicts:
        current = c["current"]
        click.echo(
            f"conflict {c['conflict_id']} on {c['field']} of customer "
            f"{c['customer_id']} (was {_value(c['base_value'])!r})"
        )
        rows = [
            ("current", _value(current["value"]), current["author"], "--keep-current")
        ]
        rows += [
            ("candidate", _value(k["value"]), k["author"], f"--take {k['command_id']}")
            for k in c["candidates"]
        ]
        click.echo(tabulate(rows, ("", "value", "by", "resolve with")))
        if "queued_resolution" in c:
            queued = _choice(c["queued_resolution"])
            click.echo(f"resolution queued, not yet synced: {queued}")


def _choice(resolution: dict) -> str:
    if resolution["choice"] == "candidate":
        return f"take {resolution['candidate_command_id']}"
    if resolution["choice"] == "value":
        return f"set {_value(resolution['value'])!r}"
    return "keep the current value"


def show_log(verdicts: list[dict], as_json: bool) -> None:
    if as_json:
        return _json(verdicts)
    rows = [
        (
            v["command_id"],
            v["type"],
            v["customer_id"],
            v["status"] + (" (again)" if v["duplicate"] else ""),
            v["version"],
            v["reason"] or "",
            v["detail"] or "",
        )
        for v in verdicts
    ]
    click.echo(
        tabulate(
            rows,
            ("command", "type", "customer", "verdict", "version", "reason", "detail"),
        )
    )


def show_sync(received: list[dict], pulled: int) -> None:
    counts = Counter(v["status"] for v in received)
    summary = (
        ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nothing"
    )
    click.echo(f"sent {len(received)} command(s): {summary}; pulled {pulled} view(s)")
    for verdict in received:
        if verdict["status"] in NOTICED and not verdict["duplicate"]:
            click.echo(
                f"  {verdict['status'].upper()}: {verdict['type']} on "
                f"{verdict['customer_id']}: {verdict['detail'] or verdict['reason']}"
            )

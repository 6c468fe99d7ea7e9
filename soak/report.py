"""docs/reliability.md from the campaigns' latest results."""

from __future__ import annotations

import json
from pathlib import Path

ROWS = {
    "crash-sqlite": (
        "Crash soak, SQLite",
        "4 client processes (the CLI) syncing {commands:,} "
        "commands on {customers} customers (last-writer-wins, many conflicts); "
        "the server SIGKILLed {kills} times and restarted; {syncs} sync runs",
        "every command exactly one verdict; {events:,} events, none lost, none "
        "twice ({answered_as_duplicates} re-sent commands answered as duplicates); "
        "read model equal to a rebuild; final values equal to the winners "
        "computed apart",
    ),
    "crash-postgres": ("Crash soak, PostgreSQL", None, None),
    "projection": (
        "Projection crash",
        "the projector process SIGKILLed {kills} times while "
        "catching up with {events:,} events ({kills_mid_catch_up} mid-way), "
        "restarted each time; each kill, while two pages or more remain, once it has "
        "projected a random 10% to 80% of what remains and up to 20 ms after, so that "
        "it lands inside a page however fast the machine projects",
        "exactly once: position never backwards, read model equal to a rebuild",
    ),
    "contention": (
        "Contention",
        "{threads} threads, {commands:,} commands over HTTP on "
        "{customers} customers ({requests} requests)",
        "{server_errors} 5xx; a verdict for every command ({verdicts}); "
        "last-writer-wins converged to the winners computed apart",
    ),
    "busy": (
        "Busy database",
        "customers.db locked by another process for "
        "{lock_held_seconds:.0f} s, lock timeout {lock_timeout_seconds} s; "
        "{requests_while_locked} requests during the lock",
        "{answered_503} answered 503 with Retry-After, {answered_500} answered 500; "
        "the client's sync retried and {client_sync_after_lock}",
    ),
    "fuzz": (
        "Bad input",
        "{requests:,} requests: up to {examples_per_operation} generated from "
        "/openapi.json for each of {operations} operations (valid and invalid), and "
        "{hostile_cases} hand-written hostile ones (deep nesting, huge strings, invalid "
        "UTF-8, NaN/Infinity, duplicate command ids, far timestamps, base versions "
        "negative or ahead)",
        "{server_errors} 5xx but the contract's 503 for a "
        "min_position the read model had not reached ({read_model_behind_503}); every "
        "rejection a 4xx problem+json (answers by status: {answers})",
    ),
}
ROWS["crash-postgres"] = ("Crash soak, PostgreSQL", *ROWS["crash-sqlite"][1:])


def write(results_dir: Path, page: Path) -> None:
    lines = [
        "# Reliability",
        "",
        "A sync server holds the only copy of work people did offline. Each campaign "
        "below runs from one command and checks what must hold; the suite runs short "
        "versions of each (`tests/soak`, `tests/web`).",
        "",
        "| campaign | what was tried | what held | run |",
        "|---|---|---|---|",
    ]
    for key, (title, tried, held) in ROWS.items():
        path = results_dir / f"{key}.json"
        if not path.exists():
            continue
        result = json.loads(path.read_text())
        figures = {
            key: ", ".join(f"{k} {v}" for k, v in value.items())
            if isinstance(value, dict)
            else value
            for key, value in result["figures"].items()
        }
        lines.append(
            f"| {title} | {tried.format(**figures)} | {held.format(**figures)} | "
            f"{result['date']}, {result['seconds']:.0f} s |"
        )
    lines += [
        "",
        "Access, checked by the suite (`tests/web/test_errors.py`, "
        "`tests/web/test_auth.py`, `tests/web/test_sync.py`, "
        "`tests/e2e/test_server.py`): requests without a token, with a malformed one or"
        " with an unknown or revoked one are 401 with `WWW-Authenticate: Bearer`; "
        "tokens are compared in constant time (`hmac.compare_digest` over every "
        "configured token, whichever matches: `tests/web/test_auth.py` counts the "
        "comparisons) and never logged; the author of every event is the token's "
        "employee (a body naming an author is a 422); bodies over 1 MiB are 413 and "
        "batches over 1,000 commands 422.",
        "",
    ]
    # The sections after the table (written by hand) stay as the page has them.
    sections = page.read_text().split("\n## ", 1) if page.exists() else []
    kept = sections[1] if len(sections) == 2 else REPRODUCE
    page.write_text("\n".join(lines) + "\n## " + kept)


REPRODUCE = "\n".join(
    [
        "Reproduce",
        "",
        "```sh",
        "make soak    # crash soaks (SQLite, PostgreSQL), projection crash, contention, "
        "busy database",
        "make fuzz    # thousands of generated requests and the hostile cases",
        "```",
        "",
        "Machine: the 2-core development machine of this repository; figures are counts, "
        "not timings.",
        "",
    ]
)

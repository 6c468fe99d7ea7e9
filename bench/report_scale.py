"""The page's sections on long-lived customers (B8, B9) and on more than one
server process (B10)."""

from __future__ import annotations


def lines(r: dict) -> list[str]:
    found = []
    if "B8" in r:
        b8 = r["B8"]
        found += [
            "",
            "## B8: a cold start on a long history",
            "",
            f"A customer with {b8['events']:,} events; `customers-server` (SQLite files) "
            f"restarted {b8['restarts']} times and warmed up on another customer. The first "
            "command on the long customer after each restart (the median) loads it from "
            "its latest snapshot and the events after it, against the median of the "
            f"{b8['warm_commands']} warm commands after it. Snapshots are taken every "
            f"{b8['snapshot_every']} events (or a {b8.get('history_share', 100)}th of the "
            "history, if more)." + _when(b8),
            "",
            "| cold first command | warm command | cold / warm | target |",
            "|---|---|---|---|",
            f"| {b8['cold_s'] * 1000:.1f} ms | {b8['warm_s'] * 1000:.1f} ms | "
            f"{b8['ratio']:.2f}x | at most 3x |",
        ]
        found += _cold_batches(b8.get("batches", []))
    if "B9" in r:
        b9 = r["B9"]
        resent = b9["first_resent"]
        found += [
            "",
            "## B9: bounded idempotency",
            "",
            f"A customer with {b9['commands']:,} recorded commands (SQLite), loaded cold. "
            "Its size in memory counts every object it reaches; its snapshot is the "
            "stored state (MessagePack, the command index as bytes). Then its first command "
            "(the registration) is sent again." + _when(b9),
            "",
            "| cached | per command | snapshot | per command | first command re-sent | "
            "target |",
            "|---|---|---|---|---|---|",
            f"| {b9['cached_bytes']:,} B | {b9['cached_per_command']:.1f} B | "
            f"{b9['snapshot_bytes']:,} B | {b9['snapshot_per_command']:.1f} B | "
            f"{resent['status']}, version {resent['version']}, duplicate "
            f"{str(resent['duplicate']).lower()} | at most 16 B each; the first verdict |",
        ]
    if "B10" in r:
        b10 = r["B10"]
        one, two = b10["one"], b10["two"]
        found += [
            "",
            "## B10: two server processes",
            "",
            f"PostgreSQL; {b10['clients']} client threads, each posting "
            f"{b10['batches']} batches of {b10['size']} commands (bodies encoded before the "
            f"clock starts) on {b10['own_customers']} customers of its own and, for "
            f"{b10['hot_share']:.0%} of its commands, on {b10['hot_customers']} customers "
            "every client edits (a key account). The servers run with `PROJECTION=off` "
            "and one `python -m system project` follows the store, started and caught up "
            "with the registrations before the clock starts; the answers are read after "
            "it stops. Two servers, the "
            "clients spread over both, against one server taking all of them. Afterwards "
            "every command is checked to be answered and recorded exactly once, and the "
            "read model, once caught up, against a rebuild."
            + (f" The ratio is {_pairs(b10)}." if _pairs(b10) else "")
            + _when(b10),
            "",
            "| servers | commands/s | CPU left idle | exactly once | read model = rebuild "
            "| ratio | target |",
            "|---|---|---|---|---|---|---|",
            f"| 1 | {one['rate']:,.0f}/s | {_share(one)} | {_yes(one['exactly_once'])} | "
            f"{_yes(one['read_model_equals_rebuild'])} | 1.00x | |",
            f"| 2 | {two['rate']:,.0f}/s | {_share(two)} | {_yes(two['exactly_once'])} | "
            f"{_yes(two['read_model_equals_rebuild'])} | {b10['ratio']:.2f}x | at least 1.3x |",
        ]
        disjoint = b10.get("disjoint")
        if disjoint:
            found += [
                "",
                "The same work with no customer shared, in the same run: one server "
                f"{disjoint['one']['rate']:,.0f}/s, two {disjoint['two']['rate']:,.0f}/s "
                f"({disjoint['ratio']:.2f}x"
                + (f"; {_pairs(disjoint)}" if _pairs(disjoint) else "")
                + "). The two cores of this machine also run "
                "PostgreSQL, the projector and the clients, and rates move by a fifth or "
                "more from run to run. What the key account adds: a customer that lost "
                "a race is, for a minute, decided after the rest of each batch is "
                "saved: caught up, decided on a copy (a lost race drops only the copy) "
                "and saved in a transaction of its own. When such customers lose "
                "again, they are all decided again and saved together, while the rest "
                "of the batch keeps its group commit.",
            ]
    return found


def _pairs(figure: dict) -> str:
    """The ratio of every pair measured, when there were several."""
    ratios = figure.get("ratios", [])
    if len(ratios) < 2:
        return ""
    listed = ", ".join(f"{ratio:.2f}x" for ratio in ratios)
    return f"the median of {len(ratios)} pairs (one server, then two): {listed}"


def _share(run: dict) -> str:
    idle = run.get("cpu_idle")
    return "" if idle is None else f"{idle:.0%}"


def _cold_batches(batches: list[dict]) -> list[str]:
    if not batches:
        return []
    first = batches[0]
    return [
        "",
        f"Many customers at once: {first['commands']} edits over {first['customers']} "
        "customers, each with a short history, sent to a restarted application that has "
        "cached none of them, against its next batch on the same customers, warm (the "
        f"medians of {first['restarts']} restarts, in-process). A batch reads the "
        "customers it has not cached in one query (`application/read_ahead.py`).",
        "",
        "| store | cold first batch | warm batch | cold / warm |",
        "|---|---|---|---|",
        *(
            f"| {b['store']} | {b['cold_s'] * 1000:.0f} ms | {b['warm_s'] * 1000:.0f} ms "
            f"| {b['ratio']:.2f}x |"
            for b in batches
        ),
    ]


def _when(figure: dict) -> str:
    measured = figure.get("measured")
    if not measured:
        return ""
    return f" Measured on {measured['date']} with `{measured['command']}`."


def _yes(value: bool) -> str:
    return "yes" if value else "**no**"

"""The results as JSON, and docs/benchmarks.md with tables and a plot."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from bench import report_scale  # noqa: E402

TARGETS = {
    "B1": "ours >= 0.6 x (b); (c) >= 0.8 x (b)",
    "B2": "ours >= 2.5 x (a) and >= 0.35 x (b)",
    "B3": "(i) <= 1.5 x, (ii) <= 2 x",
    "B4": "catch-up >= write rate",
}


def _ratio(value: float | None, base: float | None) -> str:
    return "-" if not value or not base else f"{value / base:.2f}x"


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}/s"


def write(results: dict, json_path: Path, page: Path, plot: Path) -> None:
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(results, indent=2))
    draw(results, plot)
    page.write_text(render(results, plot.name))


def render(results: dict, plot_name: str) -> str:
    r, machine = results["results"], results["machine"]
    lines = [
        "# Benchmarks",
        "",
        f"Measured on {results['date']} with `{results['command']}` on "
        f"{machine['cores']} cores, Python {machine['python']}, SQLite "
        f"{machine['sqlite']}, PostgreSQL {machine['postgresql'] or 'not reachable'}. "
        f"B1 and B2 and their baselines are the median of {results['repeat']} runs "
        "(B1's in rounds: ours and each baseline back to back; B5 is from the "
        "median B2 run); B3 is the median over its commands; B4, B6 and "
        "B7 are one run each. Every figure has its baseline measured in the same run "
        "(this machine is shared; only ratios compare).",
        *(
            [
                f"This run measured {', '.join(results['only'])} alone; the other figures "
                f"are those of `{results['completes']}`."
            ]
            if results.get("only")
            else []
        ),
        "",
        f"![throughput against the raw library]({plot_name})",
        "",
        "## B1, B2: absorbing the team's offline edits (commands/s; the baselines, events/s)",
        "",
        "Batches of 500 mixed commands over the customers, a tenth from stale bases. "
        "Baselines: the raw library on the same store, (a) one event per `save()`, "
        "(b) 500 events per `save()`. B2 is end to end over HTTP (`customers-server`, "
        "two client threads, the same workload, each thread over half the customers "
        "with its bodies encoded before the clock starts and its bases found by a dry "
        "run that the server's verdicts are checked against), the server "
        + (
            "as it ships (its projector a child process it prompts after each save)"
            if r.get("B2", {}).get("server_projection") == "process"
            else "projecting the read model in a thread of its own (measured before "
            "the server's projector became a child process)"
        )
        + "; B2-apart runs the server with its projection off and "
        "`python -m system project` as a second process.",
        "",
        "(c) is a floor rather than a target: the raw library recording this "
        "product's own events, 500 per `save()`, with no envelope read and no "
        "decision made. Each is one field change with its provenance and verdict "
        "(command id, client, author, issued, effective and received times, base "
        "version, fingerprint) and the value it replaced; the command ids, which "
        "clients make, are made before the clock starts, as B1's commands are. "
        "Whatever the product adds, it cannot be faster than (c).",
        "",
        "| figure | store | ours | (a) | (b) | (c) | ours / (a) | ours / (b) | "
        "(c) / (b) | ours / (c) | target |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for key in ("B1", "B1-postgres", "B2", "B2-apart"):
        if key not in r:
            continue
        base = r["B1"] if key.startswith("B2") else r[key]
        floor = base.get("product_events_500_per_save")
        lines.append(
            f"| {key} | {base['store']} | {_rate(r[key]['ours'])} | "
            f"{_rate(base['raw_one_per_save'])} | {_rate(base['raw_500_per_save'])} | "
            f"{_rate(floor)} | "
            f"{_ratio(r[key]['ours'], base['raw_one_per_save'])} | "
            f"{_ratio(r[key]['ours'], base['raw_500_per_save'])} | "
            f"{_ratio(floor, base['raw_500_per_save'])} | {_ratio(r[key]['ours'], floor)} | "
            f"{TARGETS[key.split('-')[0]]} |"
        )
    lines += _default_collector_lines(r)
    lines += _instruction_lines(r.get("B1-instructions"))
    b3 = r["B3"]
    lines += [
        "",
        "## B3: one command against a long history (median seconds per command)",
        "",
        f"A customer with {b3['long_history']:,} prior events against one with "
        f"{b3['short_history']}; last-writer-wins, so a stale base reads the "
        "effective time of an old event.",
        "",
        "| base | long history | short history | ratio | target |",
        "|---|---|---|---|---|",
        f"| (i) current version | {b3['current']['long'] * 1000:.2f} ms | "
        f"{b3['current']['short'] * 1000:.2f} ms | "
        f"{b3['current']['long'] / b3['current']['short']:.2f}x | at most 1.5x |",
        f"| (ii) version 0 | {b3['zero']['long'] * 1000:.2f} ms | "
        f"{b3['zero']['short'] * 1000:.2f} ms | "
        f"{b3['zero']['long'] / b3['zero']['short']:.2f}x | at most 2x |",
        "",
        "## B4: the projection (events/s) and its lag",
        "",
        "| store | write rate | catch-up rate | catch-up / write | offered load | "
        "lag p50 | lag p99 | samples |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for key in ("B4", "B4-postgres"):
        if key in r:
            b4 = r[key]
            lines.append(
                f"| {b4['store']} | {_rate(b4['write_rate'])} | {_rate(b4['catch_up_rate'])} "
                f"| {_ratio(b4['catch_up_rate'], b4['write_rate'])} | "
                f"{_rate(b4['offered_rate'])} | {_ms(b4['lag_p50'])} | {_ms(b4['lag_p99'])} "
                f"| {b4['samples']} |"
            )
    b5, b6, b7 = r["B5"], r["B6"], r["B7"]
    lines += [
        "",
        "## B5: pulling the view model by cursor over HTTP",
        "",
        f"{b5['pulled_views']:,} views at {_rate(b5['pull_rate'])}, "
        f"{_ratio(b5['pull_rate'], r['B2']['ours'])} B2's command rate.",
        "",
        "## B6: server memory",
        "",
        f"{b6['customers']:,} customers of {b6['events_each']} events each (SQLite): "
        f"{b6['idle_rss_kib'] / 1024:.0f} MiB resident when idle, peak "
        f"{b6['peak_rss_kib'] / 1024:.0f} MiB after pulling every view and writing to "
        f"{b6['touched']:,} customers ({b6['peak_rss_kib'] / b6['idle_rss_kib']:.2f}x idle).",
        "",
        *_disk_lines(r.get("B6-disk")),
        "## B7: against the naive design",
        "",
        "Load the latest, apply, save, per command, no conflict detection, on B1's "
        "workload (SQLite).",
        "",
        "| design | commands/s | edits silently lost |",
        "|---|---|---|",
        f"| naive | {_rate(b7['naive'])} | {b7['naive_lost_edits']} |",
        f"| ours | {_rate(r['B1']['ours'])} ({_ratio(r['B1']['ours'], b7['naive'])}) | "
        f"{b7['ours_lost_edits']} |",
    ]
    lines += report_scale.lines(r)
    lines += [
        "",
        "## Reproduce",
        "",
        "```sh",
        "make bench            # full sizes; writes bench/results/<date>.json and this page",
        "python -m bench --quick   # tiny sizes, a minute",
        "python -m bench --only B1 --only B8   # some parts; the rest from the latest full run",
        "```",
        "",
    ]
    return "\n".join(lines)


def _default_collector_lines(r: dict) -> list[str]:
    """B1's ours under the interpreter's own collector thresholds, beside the table."""
    measured = [
        f"{r[key]['store']}: {_rate(r[key]['ours_default_gc'])} "
        f"({_ratio(r[key]['ours_default_gc'], r[key]['raw_500_per_save'])} (b))"
        for key in ("B1", "B1-postgres")
        if "ours_default_gc" in r.get(key, {})
    ]
    if not measured:
        return []
    return [
        "",
        "B1 and its baselines run in one process under the collector thresholds the "
        "server and the projector set (`system/interpreter.py`: the youngest objects "
        "collected every 20,000, not 700). Ours under the interpreter's defaults, in "
        "the same rounds: " + "; ".join(measured) + ".",
    ]


def _instruction_lines(counted: dict | None) -> list[str]:
    heading = ["", "### B1 counted in instructions", ""]
    if not counted:
        return [*heading, "Not measured (valgrind missing, or a quick run)."]
    raw, floor, ours = (
        counted[key]
        for key in ("raw_500_per_save", "product_events_500_per_save", "ours")
    )
    return [
        *heading,
        "The same three workloads on SQLite under valgrind's callgrind, each run at "
        f"{counted['small']:,} and {counted['large']:,} commands (or events): the "
        "difference in instructions executed, per command or event. Exact, where the "
        "timings above move by a fifth from run to run. Ours leaves out making the "
        "commands (the clients' work, counted apart: "
        f"{counted.get('making_commands', 0):,.0f} a command), as the timed B1 does; "
        "(c) still counts making its command ids, which its timed figure leaves out. "
        "Each process runs under the server's collector thresholds, as the timed B1 does.",
        "",
        "| ours | (b) | (c) | ours / (b) | (c) / (b) | ours / (c) |",
        "|---|---|---|---|---|---|",
        f"| {ours:,.0f} | {raw:,.0f} | {floor:,.0f} | {raw / ours:.2f}x | "
        f"{raw / floor:.2f}x | {floor / ours:.2f}x |",
        "",
        "As rates, a ratio of instructions is inverted: ours / (b) is (b)'s "
        "instructions over ours.",
    ]


def _disk_lines(disk: dict | None) -> list[str]:
    heading = ["## B6': bytes on disk per recorded command", ""]
    if not disk:
        return [*heading, "Not measured in this run.", ""]
    return [
        *heading,
        f"B1's workload on a SQLite file, vacuumed: {disk['file_bytes']:,} bytes for "
        f"{disk['events']:,} events, {disk['bytes_per_event']:,.0f} bytes each (every "
        "recorded command, with its provenance, its verdict and the store's indexes). "
        "Target: at most 450.",
        "",
    ]


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.0f} ms"


def draw(results: dict, path: Path) -> None:
    r = results["results"]
    labels, ours, raw_a, raw_b, floor = [], [], [], [], []
    for key in ("B1", "B1-postgres", "B2", "B2-apart"):
        if key in r:
            base = r["B1"] if key.startswith("B2") else r[key]
            labels.append(f"{key} ({base['store']})")
            ours.append(r[key]["ours"])
            raw_a.append(base["raw_one_per_save"])
            raw_b.append(base["raw_500_per_save"])
            floor.append(base.get("product_events_500_per_save", 0))
    figure, axes = plt.subplots(figsize=(7.5, 3.5))
    positions = range(len(labels))
    width = 0.21
    bars = [
        ("raw (a) 1 event/save", raw_a),
        ("ours", ours),
        ("raw (c) our events, 500/save", floor),
        ("raw (b) 500 events/save", raw_b),
    ]
    for offset, (label, values) in enumerate(bars):
        axes.bar(
            [p + (offset - 1.5) * width for p in positions], values, width, label=label
        )
    axes.set_xticks(list(positions), labels)
    axes.set_ylabel("commands or events per second")
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)

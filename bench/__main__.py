"""``python -m bench``: run B1-B7 (or some of them, ``--only``) and write the
results and docs/benchmarks.md."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import sys
from datetime import date
from pathlib import Path

import click

from bench import (
    instructions,
    long_lived,
    measures,
    naive,
    over_http,
    report,
    scale_out,
)
from harness.postgres import connect, postgres_reachable
from system.interpreter import tune_garbage_collector

ROOT = Path(__file__).resolve().parents[1]
SIZES = {  # full, quick
    "commands": (10_000, 1_000),
    "customers": (1_000, 200),
    "long_history": (10_000, 500),
    "short_history": (10, 10),
    "b3_commands": (200, 30),
    "lag_seconds": (15, 3),
    "pull_views": (10_000, 500),
    "b6_customers": (100_000, 1_000),
    "b6_touched": (20_000, 500),
    "b8_events": (10_000, 500),
    "b8_warm": (30, 5),
    "b8_restarts": (5, 1),
    "b8_batch": (500, 100),  # commands, over a half as many customers
    "b9_commands": (100_000, 1_000),
    "b10_batches": (30, 1),  # each client's: the first, cold ones weigh little
    "b10_size": (500, 100),
    "b10_pairs": (5, 1),  # at least: its ratio moves the most from run to run
}


def measure_alone(name: str, size: dict, repeat: int) -> dict:
    """One of the figures that need no other's result."""
    if name == "B8":
        batch = size["b8_batch"]
        return {
            **long_lived.b8(size["b8_events"], size["b8_warm"], size["b8_restarts"]),
            "batches": [
                long_lived.cold_batch(kind, batch // 2, batch, size["b8_restarts"])
                for kind in ("sqlite", "postgres")
                if kind == "sqlite" or postgres_reachable()
            ],
        }
    if name == "B9":
        return long_lived.b9(size["b9_commands"])
    return scale_out.b10(
        clients=4,
        batches=size["b10_batches"],
        size=size["b10_size"],
        repeat=max(repeat, size["b10_pairs"]),
    )


def postgres_version() -> str | None:
    if not postgres_reachable():
        return None
    with connect() as connection:
        return connection.execute("SHOW server_version").fetchone()[0].split()[0]


PARTS = (
    "B1",
    "B1-instructions",
    "B2",
    "B3",
    "B4",
    "B6",
    "B6-disk",
    "B7",
    "B8",
    "B9",
    "B10",
)
ALONE = ("B8", "B9", "B10")  # the parts that need no other's result


@click.command()
@click.option("--quick", is_flag=True, help="Tiny sizes: proves the benchmarks work.")
@click.option("--repeat", default=3, show_default=True, type=click.IntRange(1))
@click.option(
    "--only",
    multiple=True,
    type=click.Choice(PARTS),
    help="Measure these parts alone (repeatable); the other figures on the "
    "page stay those of the latest full run in --out.",
)
@click.option(
    "--out", default=str(ROOT / "bench" / "results"), type=click.Path(path_type=Path)
)
@click.option(
    "--page",
    default=str(ROOT / "docs" / "benchmarks.md"),
    type=click.Path(path_type=Path),
)
def main(quick: bool, repeat: int, only: tuple[str, ...], out: Path, page: Path) -> None:
    size = {name: values[1 if quick else 0] for name, values in SIZES.items()}
    tune_garbage_collector()  # what is measured in this process runs as the server does
    pg = postgres_version()
    wanted = set(only or PARTS)
    # B2's ratios are against B1's baselines, and B7's against B1's rate: measured together
    if wanted & {"B1", "B2", "B7"}:
        wanted |= {"B1", "B2", "B7"}
    completed = latest_full_run(out) if only else None
    results = completed["results"] if completed else {}

    def step(name: str) -> None:
        click.echo(f"{name} ...", err=True)

    if "B1" in wanted:
        step("B1 submit on SQLite")
        results["B1"] = measures.b1("sqlite", size["commands"], size["customers"], repeat)
        if pg:
            step("B1 submit on PostgreSQL")
            results["B1-postgres"] = measures.b1(
                "postgres", size["commands"], size["customers"], repeat
            )
    if "B1-instructions" in wanted and not quick:
        step("B1 counted in instructions (valgrind)")
        results["B1-instructions"] = instructions.b1(1_000, 3_000)
    if "B2" in wanted:
        step("B2 over HTTP, then B5 pulling views")
        for key, apart in (("B2", False), ("B2-apart", True)):
            runs = [
                over_http.http_submit_rate(
                    size["commands"],
                    size["customers"],
                    size["pull_views"],
                    projection_apart=apart,
                )
                for _ in range(repeat)
            ]
            results[key] = {
                **sorted(runs, key=lambda run: run["ours"])[len(runs) // 2],
                "store": "sqlite",
            }
        results["B5"] = results["B2"]
    if "B3" in wanted:
        step("B3 long histories")
        results["B3"] = measures.b3(
            size["long_history"], size["short_history"], size["b3_commands"]
        )
    if "B4" in wanted:
        stores = (("sqlite", "B4"), *((("postgres", "B4-postgres"),) if pg else ()))
        for kind, key in stores:
            step(f"{key} projection")
            results[key] = measures.b4(
                kind,
                size["commands"],
                size["customers"],
                offered_rate=results["B2"]["ours"] / 2,
                seconds=size["lag_seconds"],
            )
    if "B6" in wanted:
        step("B6 server memory")
        results["B6"] = over_http.server_memory(
            size["b6_customers"], 10, size["b6_touched"]
        )
    if "B6-disk" in wanted:
        step("B6' bytes on disk per recorded command")
        results["B6-disk"] = measures.disk_per_event(size["commands"], size["customers"])
    if "B7" in wanted:
        step("B7 the naive design")
        results["B7"] = {
            **naive.naive(size["commands"], size["customers"]),
            "ours_lost_edits": naive.ours_lost(size["commands"], size["customers"]),
        }
    for name in ALONE:
        if name in wanted:
            if name == "B10" and not pg:
                if only:
                    raise click.ClickException(
                        "B10 needs PostgreSQL, which is not reachable"
                    )
                continue
            step(name)
            results[name] = measure_alone(name, size, repeat)
    command = "python -m bench" + (" --quick" if quick else "") + f" --repeat {repeat}"
    run = {
        "date": date.today().isoformat(),
        "command": command + "".join(f" --only {part}" for part in only),
        "repeat": repeat,
        "quick": quick,
        "only": [part for part in PARTS if only and part in wanted],
        "completes": completed and completed["command"] + " of " + completed["date"],
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "postgresql": pg,
            "platform": platform.platform(),
        },
        "results": results,
    }
    suffix = "-quick" if quick else "-parts" if only else ""
    json_path = out / f"{run['date']}{suffix}.json"
    report.write(run, json_path, page, page.with_suffix(".png"))
    click.echo(f"wrote {json_path} and {page}")


def latest_full_run(out: Path) -> dict:
    """The latest full run's results, which a run of some parts completes."""
    runs = sorted(
        path
        for path in out.glob("*.json")
        if not path.stem.endswith(("-quick", "-parts"))
    )
    if not runs:
        raise click.UsageError(f"--only completes a full run, and {out} has none")
    return json.loads(runs[-1].read_text())


if __name__ == "__main__":
    sys.exit(main())

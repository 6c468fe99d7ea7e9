"""``python -m bench``: run B1-B7 and write the results and docs/benchmarks.md."""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
from datetime import date
from pathlib import Path

import click

from bench import instructions, measures, naive, over_http, report
from harness.postgres import connect, postgres_reachable

ROOT = Path(__file__).resolve().parents[1]
SIZES = {  # full, quick
    "commands": (10_000, 1_000), "customers": (1_000, 200),
    "long_history": (10_000, 500), "short_history": (10, 10), "b3_commands": (200, 30),
    "lag_seconds": (15, 3), "pull_views": (10_000, 500),
    "b6_customers": (100_000, 1_000), "b6_touched": (20_000, 500),
}


def postgres_version() -> str | None:
    if not postgres_reachable():
        return None
    with connect() as connection:
        return connection.execute("SHOW server_version").fetchone()[0].split()[0]


@click.command()
@click.option("--quick", is_flag=True, help="Tiny sizes: proves the benchmarks work.")
@click.option("--repeat", default=3, show_default=True, type=click.IntRange(1))
@click.option("--out", default=str(ROOT / "bench" / "results"), type=click.Path(path_type=Path))
@click.option("--page", default=str(ROOT / "docs" / "benchmarks.md"),
              type=click.Path(path_type=Path))
def main(quick: bool, repeat: int, out: Path, page: Path) -> None:
    size = {name: values[1 if quick else 0] for name, values in SIZES.items()}
    pg = postgres_version()

    def step(name: str) -> None:
        click.echo(f"{name} ...", err=True)

    results = {}
    step("B1 submit on SQLite")
    results["B1"] = measures.b1("sqlite", size["commands"], size["customers"], repeat)
    if pg:
        step("B1 submit on PostgreSQL")
        results["B1-postgres"] = measures.b1("postgres", size["commands"],
                                             size["customers"], repeat)
    if not quick:
        step("B1 counted in instructions (valgrind)")
        results["B1-instructions"] = instructions.b1(1_000, 3_000)
    step("B2 over HTTP, then B5 pulling views")
    for key, apart in (("B2", False), ("B2-apart", True)):
        runs = [over_http.http_submit_rate(size["commands"], size["customers"],
                                           size["pull_views"], projection_apart=apart)
                for _ in range(repeat)]
        results[key] = {**sorted(runs, key=lambda run: run["ours"])[len(runs) // 2],
                        "store": "sqlite"}
    results["B5"] = results["B2"]
    step("B3 long histories")
    results["B3"] = measures.b3(size["long_history"], size["short_history"],
                                size["b3_commands"])
    for kind, key in (("sqlite", "B4"), *((("postgres", "B4-postgres"),) if pg else ())):
        step(f"{key} projection")
        results[key] = measures.b4(kind, size["commands"], size["customers"],
                                   offered_rate=results["B2"]["ours"] / 2, seconds=size["lag_seconds"])
    step("B6 server memory")
    results["B6"] = over_http.server_memory(size["b6_customers"], 10, size["b6_touched"])
    step("B7 the naive design")
    results["B7"] = {**naive.naive(size["commands"], size["customers"]),
                     "ours_lost_edits": naive.ours_lost(size["commands"], size["customers"])}
    run = {
        "date": date.today().isoformat(),
        "command": "python -m bench" + (" --quick" if quick else "") + f" --repeat {repeat}",
        "repeat": repeat, "quick": quick,
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                    "sqlite": sqlite3.sqlite_version, "postgresql": pg,
                    "platform": platform.platform()},
        "results": results,
    }
    json_path = out / f"{run['date']}{'-quick' if quick else ''}.json"
    report.write(run, json_path, page, page.with_suffix(".png"))
    click.echo(f"wrote {json_path} and {page}")


if __name__ == "__main__":
    sys.exit(main())

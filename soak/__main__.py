"""``python -m soak``: the reliability campaigns; results in soak/results and
docs/reliability.md."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import click

from soak import busy, contention, crash, fuzz, projection, report

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "soak" / "results"


def campaigns(quick: bool, fuzz_examples: int) -> dict:
    from bench.stores import fresh_store
    from harness.postgres import postgres_reachable

    def crash_on_postgres():
        with fresh_store("postgres") as env:
            return crash.run(
                commands=400 if quick else 5000, kills=3 if quick else 10, store_env=env
            )

    found = {
        "crash-sqlite": lambda: crash.run(
            commands=400 if quick else 5000, kills=3 if quick else 10
        ),
        "projection": lambda: projection.run(
            events=20_000 if quick else 100_000, kills=4 if quick else 20
        ),
        "contention": lambda: contention.run(batches=5 if quick else 40),
        "busy": busy.run,
        "fuzz": lambda: fuzz.run(fuzz_examples),
    }
    if postgres_reachable():
        found["crash-postgres"] = crash_on_postgres
    return found


@click.command()
@click.option("--quick", is_flag=True, help="Short versions (as in the suite).")
@click.option("--only", multiple=True, help="Run only these campaigns.")
@click.option(
    "--fuzz-examples",
    default=2000,
    show_default=True,
    help="Generated requests per operation.",
)
@click.option("--results", default=str(RESULTS), type=click.Path(path_type=Path))
@click.option(
    "--page",
    default=str(ROOT / "docs" / "reliability.md"),
    type=click.Path(path_type=Path),
)
def main(
    quick: bool, only: tuple[str, ...], fuzz_examples: int, results: Path, page: Path
) -> None:
    """Run the campaigns; exit 1 if anything did not hold."""
    results.mkdir(parents=True, exist_ok=True)
    failed = []
    for name, campaign in campaigns(quick, fuzz_examples).items():
        if only and name not in only:
            continue
        click.echo(f"{name} ...", err=True)
        started = time.monotonic()
        try:
            figures = campaign()
        except Exception as failure:  # noqa: BLE001 - any failure: report it, go on
            click.echo(
                f"{name}: DID NOT HOLD: {type(failure).__name__}: {failure}", err=True
            )
            failed.append(name)
            (results / f"{name}.json").unlink(missing_ok=True)  # no stale "held"
            continue
        seconds = time.monotonic() - started
        (results / f"{name}.json").write_text(
            json.dumps(
                {
                    "date": date.today().isoformat(),
                    "quick": quick,
                    "seconds": seconds,
                    "figures": figures,
                },
                indent=2,
            )
        )
        click.echo(f"{name}: held ({seconds:.0f} s) {figures}", err=True)
    report.write(results, page)
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()

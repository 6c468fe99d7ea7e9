"""The benchmarks, once, on tiny sizes: they run and write their report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench import instructions

ROOT = Path(__file__).resolve().parents[2]


def test_the_benchmarks_run_and_write_json_and_the_page(tmp_path):
    page = tmp_path / "benchmarks.md"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--quick",
            "--repeat",
            "1",
            "--out",
            str(tmp_path / "results"),
            "--page",
            str(page),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    [result_file] = (tmp_path / "results").glob("*-quick.json")
    results = json.loads(result_file.read_text())["results"]
    assert {
        "B1",
        "B2",
        "B2-apart",
        "B3",
        "B4",
        "B5",
        "B6",
        "B6-disk",
        "B7",
        "B8",
        "B9",
    } <= set(results)
    assert 0 < results["B6-disk"]["bytes_per_event"] < results["B6-disk"]["file_bytes"]
    assert results["B7"]["ours_lost_edits"] == 0
    assert results["B2"]["verdicts_as_dry_run"], results["B2"]["verdicts"]
    assert results["B9"]["first_resent"] == {
        "status": "applied",
        "version": 0,
        "duplicate": True,
    }
    assert results["B9"]["commands"] == 1_000  # its bytes a command: test_command_index
    assert "sqlite" in {batch["store"] for batch in results["B8"]["batches"]}
    assert all(batch["cold_s"] > 0 for batch in results["B8"]["batches"])
    if "B10" in results:  # PostgreSQL reachable
        for run in (results["B10"]["one"], results["B10"]["two"]):
            assert run["exactly_once"] and run["read_model_equals_rebuild"], run
    assert results["B1"]["ours"] > 0 and results["B1"]["raw_500_per_save"] > 0
    assert results["B1"]["product_events_500_per_save"] > 0
    text = page.read_text()
    assert all(f"## {name}" in text for name in ("B3", "B5", "B6", "B7"))
    assert "| store | cold first batch | warm batch | cold / warm |" in text
    assert page.with_suffix(".png").stat().st_size > 0


def test_some_parts_alone_complete_the_latest_full_run(tmp_path):
    results_dir = tmp_path / "results"
    results_dir.mkdir()
    full = json.loads((ROOT / "bench" / "results" / "2026-11-26.json").read_text())
    (results_dir / "2026-11-26.json").write_text(json.dumps(full))
    page = tmp_path / "benchmarks.md"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--quick",
            "--repeat",
            "1",
            "--only",
            "B6-disk",
            "--out",
            str(results_dir),
            "--page",
            str(page),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    [result_file] = results_dir.glob("*-quick.json")
    run = json.loads(result_file.read_text())
    assert run["only"] == ["B6-disk"] and "2026-11-26" in run["completes"]
    assert run["results"]["B7"] == full["results"]["B7"]
    assert run["results"]["B6-disk"]["events"] > 0
    assert "This run measured B6-disk alone" in page.read_text()


@pytest.mark.skipif(not instructions.available(), reason="valgrind is not installed")
def test_instruction_counts_take_start_up_out():
    counted = instructions.per_unit(("raw_500_per_save",), 20, 60)
    assert 10_000 < counted["raw_500_per_save"] < 10_000_000

"""The reliability page: the soak report rewrites its table, and keeps the
sections written by hand after it."""

from __future__ import annotations

import json

from soak import report


def test_the_table_is_rewritten_and_the_sections_after_it_are_kept(tmp_path):
    results = tmp_path / "results"
    results.mkdir()
    (results / "projection.json").write_text(
        json.dumps(
            {
                "date": "2026-11-27",
                "seconds": 36.4,
                "figures": {"events": 1000, "kills": 4, "kills_mid_catch_up": 3},
            }
        )
    )
    page = tmp_path / "reliability.md"
    page.write_text(
        "# Reliability\n\n| an old table |\n\n## Mutation testing\n\nWritten by hand.\n"
    )
    report.write(results, page)
    text = page.read_text()
    assert "| an old table |" not in text
    assert "SIGKILLed 4 times while catching up with 1,000 events (3 mid-way)" in text
    assert text.endswith("## Mutation testing\n\nWritten by hand.\n")


def test_a_new_page_says_how_to_reproduce(tmp_path):
    page = tmp_path / "reliability.md"
    report.write(tmp_path, page)
    assert "## Reproduce" in page.read_text()


def test_a_page_with_no_section_after_the_table_gains_how_to_reproduce(tmp_path):
    page = tmp_path / "reliability.md"
    page.write_text("# Reliability\n\n| an old table |\n")
    report.write(tmp_path, page)
    assert "## Reproduce" in page.read_text()

"""A short mutation run in the suite: the stamp formula's mutants must all be
killed (or listed as equivalent). `make mutation` runs them all."""

from __future__ import annotations

import shutil
import subprocess
import sys

from tests.mutation.run import ROOT

SAMPLE = "customer_domain.stamps*"


def test_every_mutant_of_the_stamp_formula_is_killed(tmp_path):
    tree = tmp_path / "tree"
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in files:
        if (ROOT / name).is_file():
            (tree / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, tree / name)
    done = subprocess.run(
        [sys.executable, "-m", "tests.mutation.run", SAMPLE],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "| customer_domain.stamps |" in done.stdout
    assert "| 100.0% |" in done.stdout  # every mutant killed, none without a test

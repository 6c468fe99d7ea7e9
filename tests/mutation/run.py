"""`make mutation`: run mutmut (configured in pyproject.toml's [tool.mutmut]),
then report the kill rate per module and every survivor, each either listed as
equivalent in docs/reliability.md or not. Exits 1 when a survivor is not listed.

    python -m tests.mutation.run [PATTERN ...]   # e.g. 'customer_domain.stamps*'
"""

from __future__ import annotations

import fnmatch
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EQUIVALENTS = ROOT / "docs" / "reliability.md"
REPORT = ROOT / "var" / "mutation-report.md"
MUTMUT = [sys.executable, "-m", "mutmut"]
CAUGHT = {"killed", "timeout", "caught by type check"}


def mutmut(*args: str, cwd: Path = ROOT) -> str:
    done = subprocess.run([*MUTMUT, *args], cwd=cwd, capture_output=True, text=True)
    if done.returncode not in (0, 1) or "Traceback" in done.stderr:
        raise RuntimeError(
            f"mutmut {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        )
    return done.stdout


def statuses(cwd: Path = ROOT) -> dict[str, str]:
    """Every mutant's status, by mutmut's name for it."""
    found = {}
    for line in mutmut("results", "--all", "true", cwd=cwd).splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and "__mutmut_" in name:
            found[name] = status
    return found


def where(name: str) -> tuple[str, str]:
    """(module, function) of a mutant: 'system.views.x_project__mutmut_3' ->
    ('system.views', 'project'); methods as 'Class.method'."""
    stem = name.rsplit("__mutmut_", 1)[0]
    module = re.split(r"\.x(?=[_ǁ])", stem, maxsplit=1)[0]
    mangled = stem[len(module) + 2 :]
    if mangled.startswith("ǁ"):
        cls, method = mangled[1:].split("ǁ", 1)
        return module, f"{cls}.{method}"
    return module, mangled[1:]


def mutation_of(name: str, cwd: Path = ROOT) -> tuple[str, str]:
    """What the mutant changes: (the original lines, the mutated lines), stripped."""
    removed, added = [], []
    for line in mutmut("show", name, cwd=cwd).splitlines():
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("-"):
            removed.append(line[1:].strip())
        elif line.startswith("+"):
            added.append(line[1:].strip())
    return " / ".join(removed), " / ".join(added)


def equivalents(path: Path = EQUIVALENTS) -> set[tuple[str, str, str]]:
    """(module.function, original, mutated) of the mutants listed as equivalent: the
    rows of the table under '## Equivalent mutants', code in backticks."""
    listed, inside = set(), False
    for line in path.read_text().splitlines():
        if line.startswith("## "):
            inside = line.strip() == "## Equivalent mutants"
        elif inside and line.startswith("| `"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            code = [cell.strip("`") for cell in cells[:3]]
            listed.add(
                (code[0], code[1].replace("\\|", "|"), code[2].replace("\\|", "|"))
            )
    return listed


def summarise(found: dict[str, str], cwd: Path = ROOT) -> tuple[str, list[tuple]]:
    """A report in Markdown, and the survivors not listed as equivalent."""
    per_module: dict[str, Counter] = defaultdict(Counter)
    for name, status in found.items():
        per_module[where(name)[0]][status] += 1
    listed = equivalents()
    survivors, unlisted = [], []
    for name, status in sorted(found.items()):
        if status != "survived":
            continue
        module, function = where(name)
        original, mutated = mutation_of(name, cwd)
        key = (f"{module}.{function}", original, mutated)
        survivors.append((name, *key, key in listed))
        if key not in listed:
            unlisted.append(key)
    lines = [
        "| module | mutants | killed | survived (equivalent) | no tests | kill rate |",
        "|---|---|---|---|---|---|",
    ]
    for module, counts in sorted(per_module.items()):
        total = sum(counts.values())
        caught = sum(counts[s] for s in CAUGHT)
        equivalent = sum(1 for s in survivors if s[1].startswith(module + ".") and s[4])
        rate = caught / (total - equivalent) if total > equivalent else 1.0
        lines.append(
            f"| {module} | {total} | {caught} | {counts['survived']} "
            f"({equivalent}) | {counts['no tests']} | {rate:.1%} |"
        )
    lines += ["", "Survivors (module.function: original -> mutated):", ""]
    lines += [
        f"- {'equivalent' if ok else 'NOT LISTED'}: `{where_}`: `{orig}` -> `{mut}`"
        for _, where_, orig, mut, ok in survivors
    ]
    return "\n".join(lines), unlisted


def main(patterns: list[str]) -> int:
    started = time.monotonic()
    subprocess.run(
        [*MUTMUT, "run", "--max-children", "2", *patterns],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    found = statuses()
    if patterns:
        found = {
            n: s for n, s in found.items() if any(fnmatch.fnmatch(n, p) for p in patterns)
        }
    report, unlisted = summarise(found)
    seconds = time.monotonic() - started
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(f"# Mutation testing ({seconds:.0f} s)\n\n{report}\n")
    print(report)
    print(
        f"\n{len(found)} mutants in {seconds:.0f} s; report in {REPORT.relative_to(ROOT)}"
    )
    return 1 if unlisted else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

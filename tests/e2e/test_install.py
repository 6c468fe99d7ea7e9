"""``pip install .`` with no extras, in a fresh virtual environment: the
product alone is installed, without psycopg, and ``customers-server --demo``
serves."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from harness.server import ServerProcess

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = {"customer_domain", "application", "system", "web", "client"}
NOT_SHIPPED = {"harness", "bench", "soak", "tests"}


def sources(into: Path) -> Path:
    """A copy of the project's files, so the build leaves the checkout alone."""
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for name in files.split():
        if (ROOT / name).is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, into / name)
    return into


def test_the_plain_install_starts_the_demo_without_psycopg(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    project = sources(tmp_path / "project")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(project)],
        check=True,
        timeout=900,
    )
    assert (
        subprocess.run(
            [str(python), "-c", "import psycopg"], capture_output=True
        ).returncode
        != 0
    )
    site = Path(
        subprocess.run(
            [
                str(python),
                "-c",
                "import sysconfig; print(sysconfig.get_paths()['purelib'])",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    installed = {path.name for path in site.iterdir()}
    assert PRODUCT <= installed and not NOT_SHIPPED & installed

    server = ServerProcess(tmp_path / "var", tokens="", env={"AUTH_TOKENS": ""})
    server.command = [str(venv / "bin" / "customers-server"), "--demo"]
    with server:
        created = server.session("alice-token").post(
            f"{server.url}/customers",
            json={"client_id": "laptop", "name": "Acme"},
            timeout=30,
        )
        assert created.status_code == 201, created.text

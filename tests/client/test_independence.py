"""The client imports no server code: only the domain's pure modules."""

from __future__ import annotations

import subprocess
import sys

CLIENT_MODULES = (
    "client",
    "client.api",
    "client.cli",
    "client.local",
    "client.store",
    "client.sync",
    "client.views",
)
SHARED = {
    "customer_domain",
    "customer_domain.vocabulary",
    "customer_domain.fields",
    "customer_domain.errors",
}
SERVER_PACKAGES = {
    "application",
    "system",
    "web",
    "harness",
    "bench",
    "soak",
    "eventsourcing",
    "flask",
    "marshmallow",
    "waitress",
    "psycopg",
}


def test_the_client_imports_no_server_code():
    code = (
        f"import sys, importlib\nfor name in {CLIENT_MODULES!r}:\n"
        "    importlib.import_module(name)\nprint('\\n'.join(sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert set(CLIENT_MODULES) <= set(loaded)  # what is checked was really imported
    server = sorted(m for m in loaded if m.split(".")[0] in SERVER_PACKAGES)
    domain = {m for m in loaded if m.split(".")[0] == "customer_domain"}
    assert server == []
    assert domain <= SHARED, domain - SHARED

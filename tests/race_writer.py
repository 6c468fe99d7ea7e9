"""A writer process for the race test: waits for a start signal, then submits
each given command (one request each) and prints each verdict as a JSON line."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from application import Customers


def main() -> None:
    start, commands = Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text())
    app = Customers()
    while not start.exists():
        time.sleep(0.001)
    for command in commands:
        [result] = app.submit("laptop-a", "alice", [command])
        print(
            json.dumps(
                {
                    "command_id": command["command_id"],
                    "status": result.status,
                    "version": result.version,
                }
            ),
            flush=True,
        )
    app.close()


if __name__ == "__main__":
    main()

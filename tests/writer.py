"""A writer process for the multi-process tests: edits the given customers in
batches and prints every verdict it got, one JSON line per command."""

from __future__ import annotations

import json
import sys
import uuid

import click

from application import Customers
from tests.devices import Device


@click.command()
@click.option("--client", required=True)
@click.option("--rounds", default=10)
@click.argument("customer_ids", nargs=-1, required=True)
def main(client: str, rounds: int, customer_ids: tuple[str, ...]) -> None:
    app = Customers()
    device = Device(app, client, f"employee-{client}")
    for n in range(rounds):
        batch = [
            command
            for cid in customer_ids
            for command in device.edit(
                uuid.UUID(cid),
                0,
                description=f"{client} {n}",
                supplier=f"{client} {n % 3}",
            )
        ]
        for envelope, result in zip(batch, device.sync(batch), strict=True):
            print(
                json.dumps(
                    {
                        "command_id": envelope["command_id"],
                        "customer_id": envelope["customer_id"],
                        "status": result.status,
                        "version": result.version,
                    }
                )
            )
    sys.stdout.flush()
    app.close()


if __name__ == "__main__":
    main()

"""``python -m system``: run the projection apart, rebuild or check the read model.

Persistence comes from the environment, as for the server.
"""

from __future__ import annotations

import os
import select
import signal
import sys
import threading

import click
from eventsourcing.persistence import IntegrityError

from application import Customers
from system import maintenance, settings
from system.interpreter import tune_garbage_collector


def _stop_on_signals() -> threading.Event:
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    return stopping


def _prompted(stopping: threading.Event):
    """A wait that ends early when a prompt arrives on stdin; at its end (the
    process that prompted is gone), stops."""

    def wait(timeout: float) -> None:
        try:
            ready, _, _ = select.select([sys.stdin.fileno()], [], [], timeout)
        except InterruptedError:
            return
        if ready and not os.read(sys.stdin.fileno(), 65536):
            stopping.set()

    return wait


@click.group()
def cli() -> None:
    """Maintain the customer read model."""
    try:
        settings.check_stores(os.environ)
    except settings.SettingError as error:
        raise click.ClickException(str(error)) from None


@cli.command()
@click.option(
    "--interval",
    default=0.5,
    show_default=True,
    help="Seconds between looks at the store when idle.",
)
@click.option(
    "--parent",
    type=int,
    default=None,
    help="Stop when the process with this id is no longer this one's parent.",
)
@click.option(
    "--prompts",
    is_flag=True,
    help="Look at the store at once on each line read from stdin; stop at its end.",
)
@click.option("--quiet", is_flag=True, help="Say nothing of the positions reached.")
def project(interval: float, parent: int | None, prompts: bool, quiet: bool) -> None:
    """Follow the customers' store and project the read model until stopped."""
    tune_garbage_collector()
    stopping = _stop_on_signals()
    wait = _prompted(stopping) if prompts else stopping.wait
    customers = Customers()
    directory = maintenance.follower(customers)
    if not quiet:
        click.echo(f"projecting from position {directory.position()}", err=True)
    try:
        while not stopping.is_set() and (parent is None or os.getppid() == parent):
            before = directory.position()
            try:
                after = directory.catch_up()
            except IntegrityError:  # another projector recorded that page first
                after = directory.position()
            if after != before and not quiet:
                click.echo(f"projected up to position {after}", err=True)
            wait(interval)
    finally:
        directory.close()
        customers.close()


@cli.command("rebuild-read-model")
def rebuild_read_model() -> None:
    """Rebuild the read model from the event store, from scratch.

    Stop the projection (the server or the projector) first.
    """
    customers = Customers()
    directory = maintenance.follower(customers)
    try:
        position = maintenance.rebuild(
            directory, progress=lambda p: click.echo(f"  at position {p}", err=True)
        )
        click.echo(f"read model rebuilt up to position {position}")
    finally:
        directory.close()
        customers.close()


@cli.command("check-read-model")
def check_read_model() -> None:
    """Compare the read model with one rebuilt in memory; exit 1 if they differ."""
    customers = Customers()
    directory = maintenance.follower(customers)
    try:
        found = maintenance.differences(customers, directory)
    finally:
        directory.close()
        customers.close()
    for line in found:
        click.echo(line)
    if found:
        sys.exit(1)
    click.echo("read model equals a fresh rebuild")


if __name__ == "__main__":
    cli()

"""``customers``: the offline client an employee runs on a laptop.

Exit codes: 0 done, 1 bad usage or value, 2 server unreachable (the outbox is
kept), 3 authentication refused.
"""

from __future__ import annotations

import re
import socket
import sqlite3
import sys
import uuid
from pathlib import Path
from typing import Any

import click

from client import local, options, resolutions, sync, views
from client.api import Api, AuthenticationRefused, Refused, Unreachable
from client.store import Store
from customer_domain.errors import InvalidValueError
from customer_domain.vocabulary import RESOLVE


class Context:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            path = self.data_dir / "customers.sqlite"
            try:
                self._store = Store(path)
            except (OSError, sqlite3.Error) as error:
                raise click.ClickException(f"cannot use {path}: {error}") from None
        return self._store

    def api(self) -> tuple[Api, str]:
        server, token, client_id = (
            self.store.get(k) for k in ("server", "token", "client_id")
        )
        if not (server and token and client_id):
            raise click.UsageError(
                "not logged in: run customers login --server URL --token TOKEN"
            )
        return Api(server, token), client_id


pass_context = click.make_pass_decorator(Context)


@click.group()
@click.option(
    "--data-dir",
    envvar="CUSTOMERS_DATA_DIR",
    show_default="a per-user folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=lambda: click.get_app_dir("customers"),
)
@click.pass_context
def cli(ctx: click.Context, data_dir: Path) -> None:
    """Work on customers offline; sync when connected."""
    ctx.obj = Context(data_dir)


@cli.command()
@click.option("--server", required=True, help="e.g. http://127.0.0.1:5000")
@click.option("--token", required=True)
@pass_context
def login(context: Context, server: str, token: str) -> None:
    """Store the server and token (checked with the server); make this device's id once."""
    if not re.match(r"https?://", server):
        raise click.BadParameter(
            "must start with http:// or https://", param_hint="--server"
        )
    try:
        employee = Api(server, token).me()["employee"]
    except Unreachable as error:
        raise Unreachable(f"{error}; not logged in") from None
    client_id = context.store.get("client_id") or re.sub(
        r"[^A-Za-z0-9._-]", "-", f"{socket.gethostname()[:60]}-{uuid.uuid4().hex[:8]}"
    )
    context.store.put(server=server, token=token, client_id=client_id)
    click.echo(f"logged in to {server} as {employee}, on device {client_id}")


@cli.command()
@pass_context
def pull(context: Context) -> None:
    """Fetch the customers changed since the last pull."""
    api, _ = context.api()
    with options.outbox_kept():
        click.echo(f"pulled {sync.pull(context.store, api)} customer view(s)")


@cli.command("list")
@click.option("--json", "as_json", is_flag=True)
@pass_context
def list_customers(context: Context, as_json: bool) -> None:
    """The local customers, queued edits included (marked *)."""
    views.show_list(local.all_overlaid(context.store), as_json)


@cli.command()
@click.argument("customer_id")
@click.option("--json", "as_json", is_flag=True)
@pass_context
def show(context: Context, customer_id: str, as_json: bool) -> None:
    """One customer: values, who changed them, queued edits, conflicts."""
    customer = local.overlaid(context.store, options.as_id(customer_id))
    views.show_customer(customer, as_json)


def field_options(command):
    for name in ("description", "supplier", "phone", "email"):
        command = click.option(f"--{name}")(command)
    for part in ("country", "postal-code", "city", "street"):
        command = click.option(f"--{part}", help="address (all four, or edits of one)")(
            command
        )
    return command


@cli.command()
@click.option("--name", required=True)
@field_options
@pass_context
def add(context: Context, **given: str | None) -> None:
    """Queue a new customer; prints its id."""
    values = {
        k: v
        for k, v in options.field_values(context.store, None, given).items()
        if v is not None
    }
    with options.flags_named():
        envelope = local.registration(values)
    context.store.queue([envelope])
    click.echo(envelope["customer_id"])


@cli.command()
@click.argument("customer_id")
@click.option("--name")
@click.option("--status", type=click.Choice(["active", "on_hold", "closed"]))
@field_options
@pass_context
def edit(context: Context, customer_id: str, **given: str | None) -> None:
    """Queue one command per changed field, from the local copy's version."""
    customer_id = options.as_id(customer_id)
    changes = options.field_values(context.store, customer_id, given)
    if not changes:
        raise click.UsageError("nothing to change: give at least one field option")
    with options.flags_named():
        envelopes = local.edits(context.store, customer_id, changes)
    context.store.queue(envelopes)
    click.echo(f"queued {len(envelopes)} change(s) on {customer_id}")


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@pass_context
def pending(context: Context, as_json: bool) -> None:
    """The queued commands, oldest first."""
    views.show_pending(context.store.pending(), as_json)


@cli.command("sync")
@click.option(
    "--batch-size",
    default=sync.BATCH_SIZE,
    show_default=True,
    type=click.IntRange(1, sync.BATCH_SIZE),
    help="Commands per request.",
)
@pass_context
def sync_command(context: Context, batch_size: int) -> None:
    """Push the outbox, keep every verdict, then pull."""
    api, client_id = context.api()
    total = len(context.store.pending())
    hidden = total <= batch_size
    with (
        options.outbox_kept(),
        click.progressbar(
            length=total, label="syncing", file=sys.stderr, hidden=hidden
        ) as bar,
    ):
        received, position = sync.push(
            context.store, api, client_id, progress=bar.update, batch_size=batch_size
        )
    with options.outbox_kept():
        pulled = sync.pull(context.store, api, until=position)
    views.show_sync(received, pulled)


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1))
@pass_context
def log(context: Context, as_json: bool, limit: int) -> None:
    """Past verdicts, newest first."""
    views.show_log(context.store.verdicts(limit), as_json)


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@pass_context
def conflicts(context: Context, as_json: bool) -> None:
    """Open conflicts in the local copy, with every competing value."""
    found = [c for v in local.all_overlaid(context.store) for c in v["conflicts"]]
    views.show_conflicts(found, as_json)


@cli.command()
@click.argument("conflict_id")
@click.option("--keep-current", is_flag=True, help="keep the value that stands")
@click.option("--take", metavar="COMMAND_ID", help="take a candidate's value")
@click.option("--value", help="set a new value (JSON for an address)")
@pass_context
def resolve(
    context: Context,
    conflict_id: str,
    keep_current: bool,
    take: str | None,
    value: str | None,
) -> None:
    """Queue the resolution of a conflict."""
    if sum((keep_current, take is not None, value is not None)) != 1:
        raise click.UsageError("give exactly one of --keep-current, --take, --value")
    conflict_id = options.as_id(conflict_id)
    try:
        view, conflict = resolutions.open_conflict(context.store, conflict_id)
    except resolutions.UnknownConflict:
        raise click.UsageError(
            f"no open conflict {conflict_id} in the local copy (pull?)"
        ) from None
    new_value: Any = value
    if value is not None and conflict["field"] == "address":
        new_value = options.address_json(value)
    try:
        payload = resolutions.payload(
            conflict,
            None if take is None else options.as_id(take, "--take"),
            new_value,
            set_value=value is not None,
        )
    except (resolutions.NotACandidate, InvalidValueError) as error:
        raise click.BadParameter(
            str(error), param_hint="--take" if take else "--value"
        ) from None
    earlier = resolutions.queued(context.store, conflict_id)
    context.store.queue(
        [local.envelope(RESOLVE, view["customer_id"], payload, view["version"])]
    )
    if earlier:
        click.echo(
            f"Warning: a resolution of {conflict_id} is already queued (command "
            f"{earlier[0]['command_id']}); the server will apply the first and "
            f"reject this one as conflict_already_resolved",
            err=True,
        )
    click.echo(f"queued the resolution of {conflict_id}; run customers sync")


def main() -> None:
    """Run the CLI with the documented exit codes, never a traceback."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except click.ClickException as error:
        error.show()
        sys.exit(1)
    except (InvalidValueError, local.UnknownCustomer) as error:
        message = f"unknown customer {error}" if isinstance(error, LookupError) else error
        click.echo(f"Error: {message}", err=True)
        sys.exit(1)
    except Refused as error:
        click.echo(f"Error: the server refused the request: {error}", err=True)
        sys.exit(1)
    except Unreachable as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)
    except AuthenticationRefused as error:
        click.echo(
            f"Error: authentication refused ({error}); run customers login again",
            err=True,
        )
        sys.exit(3)

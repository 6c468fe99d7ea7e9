"""``customers-server``: the API on a production WSGI server (waitress)."""

from __future__ import annotations

import logging
import os
import signal
import sys
from pathlib import Path

import click
import waitress
from eventsourcing.persistence import PersistenceError
from waitress import wasyncore

from system import settings
from system.runtime import Deployment
from web import create_app

DEMO_TOKENS = "alice-token=alice,bob-token=bob"
logger = logging.getLogger("customers.server")


class _Shutdown(wasyncore.ExitNow):
    """Raised in the main thread by SIGTERM or SIGINT (an ExitNow, which waitress's
    event loop lets through rather than closing one connection with it)."""


def _fail(message: str) -> None:
    click.echo(f"customers-server: {message}", err=True)
    sys.exit(1)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--data-dir", default="./var", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Where the embedded SQLite files live.")
@click.option("--demo", is_flag=True, help="Use the demo tokens alice-token and bob-token.")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 256),
              help="Worker threads serving requests.")
def main(host: str, port: int, data_dir: Path, demo: bool, threads: int) -> None:
    """Serve the customers API. Persistence comes from the environment
    (the eventsourcing library's variables), SQLite files in --data-dir by default."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    tokens = os.environ.get("AUTH_TOKENS", "")
    if demo and tokens.strip():
        click.echo("--demo: AUTH_TOKENS is set, so its tokens are used, not the demo's",
                   err=True)
    elif demo:
        tokens = DEMO_TOKENS
        click.echo("WARNING: demo mode; anyone with a demo token can write. Tokens: "
                   "alice-token (alice), bob-token (bob)", err=True)
    elif not tokens.strip():
        _fail("no AUTH_TOKENS configured (e.g. AUTH_TOKENS='tokenA=alice,tokenB=bob'), "
              "or use --demo")
    try:
        config = settings.read(os.environ, data_dir, tokens)
    except settings.SettingError as error:
        _fail(str(error))
    env = config.persistence
    try:
        if env:
            data_dir.mkdir(parents=True, exist_ok=True)
        deployment = Deployment(env, projection=config.projection)
    except (OSError, ValueError, PersistenceError) as error:
        _fail(" ".join(str(error).split()))  # one line, whatever the store said
    app = create_app({"DEPLOYMENT": deployment, "AUTH_TOKENS": config.auth_tokens,
                      "READ_WAIT_SECONDS": config.read_wait_seconds})
    try:
        server = waitress.create_server(app, host=host, port=port, threads=threads)
    except OSError as error:
        deployment.stop()
        _fail(f"cannot listen on {host}:{port}: {error}")
    where = f"SQLite files in {data_dir.resolve()}" if env else "the store the environment names"
    click.echo(f"serving on http://{server.effective_host}:{server.effective_port} "
               f"(data: {where}; projection: {config.projection})", err=True)
    serve(server, deployment)


def serve(server, deployment: Deployment) -> None:
    """Run until SIGTERM or SIGINT, then finish the requests in progress and
    stop the projection before exiting."""
    def shut_down(signum, _frame):
        for name in (signal.SIGTERM, signal.SIGINT):  # a second signal must not
            signal.signal(name, signal.SIG_IGN)       # interrupt the clean-up
        raise _Shutdown(signal.Signals(signum).name)

    signal.signal(signal.SIGTERM, shut_down)
    signal.signal(signal.SIGINT, shut_down)
    try:
        server.run()
    except _Shutdown as reason:
        logger.info("%s received: stopping", reason)
    finally:
        server.task_dispatcher.shutdown(cancel_pending=False, timeout=30)
        server.close()
        deployment.stop()
        logger.info("stopped")

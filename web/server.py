"""``customers-server``: the API on a production WSGI server (waitress)."""

from __future__ import annotations

import logging
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

import click
import waitress
from eventsourcing.persistence import PersistenceError
from waitress import wasyncore

from system import settings
from system.interpreter import tune_garbage_collector
from system.projector import ProjectorProcess
from system.runtime import Deployment
from web import create_app
from web import workers as workers_

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
@click.option(
    "--data-dir",
    default="./var",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the embedded SQLite files live.",
)
@click.option(
    "--demo", is_flag=True, help="Use the demo tokens alice-token and bob-token."
)
@click.option(
    "--threads",
    default=8,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Worker threads serving requests (in each worker process).",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes sharing the port, each with its own interpreter.",
)
def main(
    host: str, port: int, data_dir: Path, demo: bool, threads: int, workers: int
) -> None:
    """Serve the customers API. Persistence comes from the environment
    (the eventsourcing library's variables), SQLite files in --data-dir by default."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s"
    )
    tune_garbage_collector()  # before the workers fork: each inherits it
    tokens = os.environ.get("AUTH_TOKENS", "")
    if demo and tokens.strip():
        click.echo(
            "--demo: AUTH_TOKENS is set, so its tokens are used, not the demo's", err=True
        )
    elif demo:
        tokens = DEMO_TOKENS
        click.echo(
            "WARNING: demo mode; anyone with a demo token can write. Tokens: "
            "alice-token (alice), bob-token (bob)",
            err=True,
        )
    elif not tokens.strip():
        _fail(
            "no AUTH_TOKENS configured (e.g. AUTH_TOKENS='tokenA=alice,tokenB=bob'), "
            "or use --demo"
        )
    try:
        config = settings.read(os.environ, data_dir, tokens)
    except settings.SettingError as error:
        _fail(str(error))
    env = config.persistence
    if workers > 1:
        sys.exit(serve_workers(host, port, data_dir, threads, workers, config))
    deployment = _deployment(env, config.projection, data_dir)
    app = create_app(
        {
            "DEPLOYMENT": deployment,
            "AUTH_TOKENS": config.auth_tokens,
            "READ_WAIT_SECONDS": config.read_wait_seconds,
        }
    )
    try:
        server = waitress.create_server(app, host=host, port=port, threads=threads)
    except OSError as error:
        deployment.stop()
        _fail(f"cannot listen on {host}:{port}: {error}")
    _announce(server.effective_host, server.effective_port, data_dir, config)
    serve(server, deployment)


def serve_workers(
    host: str,
    port: int,
    data_dir: Path,
    threads: int,
    workers: int,
    config: settings.Settings,
) -> int:
    """``workers`` server processes on one socket, the projection in a process of
    its own (or off: a projector runs elsewhere)."""
    if config.projection not in ("process", "off"):
        _fail(f"--workers needs PROJECTION=process or off, not {config.projection}")
    env = config.persistence
    _deployment(env, "off", data_dir).stop()  # the stores reachable, their tables made
    try:
        sock = workers_.listening_socket(host, port)
    except OSError as error:
        _fail(f"cannot listen on {host}:{port}: {error}")

    def worker(projector: ProjectorProcess | None) -> None:
        deployment = _deployment(
            env, "off", data_dir, projector.prompt if projector else None
        )
        app = create_app(
            {
                "DEPLOYMENT": deployment,
                "AUTH_TOKENS": config.auth_tokens,
                "READ_WAIT_SECONDS": config.read_wait_seconds,
            }
        )
        serve(waitress.create_server(app, sockets=[sock], threads=threads), deployment)

    effective_host, effective_port = sock.getsockname()[:2]
    projector_env = env if config.projection == "process" else None
    return workers_.run_workers(
        workers,
        worker,
        projector_env,
        lambda: _announce(effective_host, effective_port, data_dir, config, workers),
    )


def _deployment(
    env: dict[str, str],
    projection: str,
    data_dir: Path,
    prompt: Callable[[], None] | None = None,
) -> Deployment:
    try:
        if env:
            data_dir.mkdir(parents=True, exist_ok=True)
        return Deployment(env, projection=projection, prompt=prompt)
    except (OSError, ValueError, PersistenceError) as error:
        _fail(" ".join(str(error).split()))  # one line, whatever the store said
        raise  # unreachable: _fail exits


def _announce(
    host: str, port: int, data_dir: Path, config: settings.Settings, workers: int = 1
) -> None:
    where = (
        f"SQLite files in {data_dir.resolve()}"
        if config.persistence
        else "the store the environment names"
    )
    processes = f"; {workers} worker processes" if workers > 1 else ""
    click.echo(
        f"serving on http://{host}:{port} (data: {where}; projection: "
        f"{config.projection}{processes})",
        err=True,
    )


def serve(server, deployment: Deployment) -> None:
    """Run until SIGTERM or SIGINT, then finish the requests in progress and
    stop the projection before exiting."""

    def shut_down(signum, _frame):
        for name in (signal.SIGTERM, signal.SIGINT):  # a second signal must not
            signal.signal(name, signal.SIG_IGN)  # interrupt the clean-up
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

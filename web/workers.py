"""``customers-server --workers N``: N server processes sharing one listening
socket, each with its own interpreter lock, and one projector.

The parent binds the socket, starts the projector (if the projection runs in
a process) and forks the workers, which write through optimistic concurrency
like servers on separate machines. SIGTERM or SIGINT to the parent stops the
workers (each finishing its requests) and then the projector; a worker or
the projector whose parent is gone (killed) stops by itself.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable

from system.projector import ProjectorProcess

logger = logging.getLogger("customers.server")
FAILED_START_SECONDS = 10  # a worker that exits sooner is not replaced: all stop


def listening_socket(host: str, port: int) -> socket.socket:
    """The socket every worker accepts connections on."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=1024)


def watch_parent(interval: float = 0.5) -> None:
    """Stop this worker (as SIGTERM would) once its parent is gone."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


Worker = Callable[[ProjectorProcess | None], None]


def run_workers(
    count: int, worker: Worker, projector_env: dict | None, started: Callable[[], None]
) -> int:
    """Fork ``count`` processes running ``worker`` (given the projector, to
    prompt it) then call ``started``, and wait for them; with
    ``projector_env``, one projector follows the store meanwhile. Returns the
    exit code: 0 if every worker stopped cleanly."""
    projector = ProjectorProcess(projector_env) if projector_env is not None else None
    projector_started = time.monotonic()
    children: dict[int, float] = {}  # pid: when it started
    stopping = threading.Event()

    def stop(signum, _frame) -> None:
        stopping.set()
        for child in list(children):
            _signal(child, signal.SIGTERM)

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, stop)
    for _ in range(count):
        children[_fork(worker, projector)] = time.monotonic()
    started()
    code = 0
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        if projector is not None and pid == projector.process.pid:
            if stopping.is_set():
                continue
            if time.monotonic() - projector_started > FAILED_START_SECONDS:
                logger.warning("the projector exited: starting another")
                projector, projector_started = (
                    ProjectorProcess(projector_env),
                    time.monotonic(),
                )
            else:  # it could not start: neither would another
                logger.error("the projector could not start: stopping")
                code = 1
                stop(signal.SIGTERM, None)
            continue
        if pid not in children:
            continue
        began = children.pop(pid)
        exit_code = os.waitstatus_to_exitcode(status)
        if stopping.is_set():
            code = code or exit_code
        elif time.monotonic() - began > FAILED_START_SECONDS:
            logger.warning("worker %s exited (%s): starting another", pid, exit_code)
            children[_fork(worker, projector)] = time.monotonic()
        else:  # it could not start: neither will another
            code = exit_code or 1
            stop(signal.SIGTERM, None)
    if projector is not None:
        projector.stop()
    return code


def _fork(worker: Worker, projector: ProjectorProcess | None) -> int:
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, signal.SIG_DFL)
        watch_parent()
        worker(projector)
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    except BaseException:
        logger.exception("worker failed")
    finally:
        logging.shutdown()
        os._exit(code)


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass

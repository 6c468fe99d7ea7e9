"""The server and the projector collect young objects less often than the
interpreter's default (system/interpreter.py)."""

from __future__ import annotations

import gc

import pytest
from click.testing import CliRunner

import system.__main__ as projector_cli
import web.server
from system.interpreter import INTERPRETER_DEFAULTS, YOUNG_OBJECTS


@pytest.fixture
def default_thresholds():
    before = gc.get_threshold()
    gc.set_threshold(*INTERPRETER_DEFAULTS)
    yield
    gc.set_threshold(*before)


def test_the_server_collects_young_objects_less_often(
    default_thresholds, tmp_path, monkeypatch
):
    served = []
    monkeypatch.setenv("PROJECTION", "off")
    monkeypatch.setattr(
        web.server,
        "serve",
        lambda server, deployment: served.append(
            (server.close(), deployment.stop(), gc.get_threshold())
        ),
    )
    done = CliRunner().invoke(
        web.server.main, ["--demo", "--port", "0", "--data-dir", str(tmp_path)]
    )
    assert done.exit_code == 0, done.output
    [(_, _, thresholds)] = served
    assert thresholds == (YOUNG_OBJECTS, *INTERPRETER_DEFAULTS[1:])


def test_the_projector_collects_young_objects_less_often(
    default_thresholds, tmp_path, monkeypatch
):
    monkeypatch.setenv("PERSISTENCE_MODULE", "eventsourcing.sqlite")
    monkeypatch.setenv("SQLITE_DBNAME", str(tmp_path / "events.db"))
    monkeypatch.setenv("CUSTOMERDIRECTORY_SQLITE_DBNAME", str(tmp_path / "views.db"))
    seen = []

    def stop_at_once(signalled):
        seen.append(gc.get_threshold())
        stopping = signalled()
        stopping.set()
        return stopping

    real = projector_cli._stop_on_signals
    monkeypatch.setattr(projector_cli, "_stop_on_signals", lambda: stop_at_once(real))
    done = CliRunner().invoke(projector_cli.cli, ["project", "--quiet"])
    assert done.exit_code == 0, done.output
    assert seen == [(YOUNG_OBJECTS, *INTERPRETER_DEFAULTS[1:])]

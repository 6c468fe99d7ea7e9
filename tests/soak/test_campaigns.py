"""Short versions of the reliability campaigns (make soak runs the long ones)."""

from __future__ import annotations

import pytest

from soak import busy, contention, crash, projection
from tests.backends import backend_env


def test_a_server_killed_under_four_syncing_clients_loses_and_duplicates_nothing():
    figures = crash.run(commands=400, kills=3, batch_size=2, kill_every=(0.05, 0.2))
    assert figures["kills"] >= 1  # killed mid-sync
    assert figures["events"] == 400 + 4  # and the registrations


@pytest.mark.postgres
def test_the_crash_soak_on_postgres(tmp_path):
    with backend_env("postgres", tmp_path) as env:
        figures = crash.run(
            commands=200, kills=2, store_env=env, batch_size=2, kill_every=(0.05, 0.2)
        )
    assert figures["kills"] >= 1


def test_a_projector_killed_mid_catch_up_projects_exactly_once():
    figures = projection.run(events=10_000, kills=3)
    assert figures["kills_mid_catch_up"] >= 1


def test_sixteen_writers_on_three_customers():
    figures = contention.run(batches=3)
    assert figures["server_errors"] == 0
    assert sum(figures["verdicts"].values()) == figures["commands"]


def test_a_locked_database_is_503_and_the_client_retry_succeeds():
    figures = busy.run(hold_seconds=3.5)
    assert figures["answered_503"] >= 1 and figures["answered_500"] == 0

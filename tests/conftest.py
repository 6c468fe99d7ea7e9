from __future__ import annotations

import os
import threading

import pytest
from hypothesis import settings

from application import Customers
from system.directory import CustomerDirectory
from system.runtime import Deployment
from tests.backends import backend_env

APPLICATION_BACKENDS = ["popo", "sqlite", "postgres", "esdb"]
SQL_BACKENDS = ["sqlite", "postgres"]

# `make mutation` runs every property on the same examples, mutant after mutant.
settings.register_profile("mutation", derandomize=True, database=None)


def pytest_collection_modifyitems(config, items):
    """Under a mutant (`make mutation`), the cheapest tests first: its run stops at
    the first failure, and most mutants fall to the engine's own tests."""
    if not os.environ.get("MUTANT_UNDER_TEST"):
        return
    order = ("tests/unit/", "tests/web/", "tests/integration/")

    def cost(item):
        path = item.nodeid
        place = next((n for n, prefix in enumerate(order) if prefix in path), len(order))
        is_property = getattr(getattr(item, "obj", None), "is_hypothesis_test", False)
        return (is_property, place)

    items.sort(key=cost)


def _backend(request, tmp_path):
    if request.param == "postgres":
        request.applymarker(pytest.mark.postgres)
    with backend_env(request.param, tmp_path) as env:
        yield env


@pytest.fixture(params=APPLICATION_BACKENDS)
def store_env(request, tmp_path):
    """The persistence environment of one backend; the suite runs on each."""
    yield from _backend(request, tmp_path)


@pytest.fixture(params=SQL_BACKENDS)
def sql_store_env(request, tmp_path):
    """The environment of a SQL store, for what only they do (reading many
    customers in one query, the projector's document cache)."""
    yield from _backend(request, tmp_path)


@pytest.fixture
def make_customers(store_env):
    """Builds Customers applications on the backend, with extra settings."""
    apps = []

    def make(**settings: str) -> Customers:
        app = Customers(env={**store_env, **settings})
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.close()


@pytest.fixture
def customers(make_customers):
    return make_customers()


@pytest.fixture
def make_deployment(store_env):
    """Builds deployments (Customers and the projected read model) on the backend."""
    deployments = []

    def make(projection: str = "sync", **settings: str) -> Deployment:
        deployment = Deployment({**store_env, **settings}, projection=projection)
        deployments.append(deployment)
        return deployment

    yield make
    for deployment in deployments:
        deployment.stop()


@pytest.fixture
def deployment(make_deployment):
    return make_deployment()


@pytest.fixture
def held_projection(monkeypatch):
    """Holds every page of the projection until the event it returns is set."""
    released = threading.Event()
    real_process_page = CustomerDirectory.process_page

    def held(self, *page):
        released.wait(10)
        real_process_page(self, *page)

    monkeypatch.setattr(CustomerDirectory, "process_page", held)
    yield released
    released.set()

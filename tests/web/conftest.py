from __future__ import annotations

import pytest

from system.runtime import Deployment
from tests.envelopes import command  # noqa: F401 - the web tests import it from here
from web import create_app

TOKENS = "alice-token=alice,bob-token=bob,carol-token=carol"


class Api:
    """The Flask test client, speaking as one employee."""

    def __init__(self, client, token: str = "alice-token") -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    def as_(self, token: str) -> Api:
        return Api(self.client, token)

    def get(self, path, **kwargs):
        return self.client.get(
            path, headers={**self.headers, **kwargs.pop("headers", {})}, **kwargs
        )

    def post(self, path, body=None, **kwargs):
        headers = {**self.headers, **kwargs.pop("headers", {})}
        if body is not None and "data" not in kwargs:
            kwargs["json"] = body
        return self.client.post(path, headers=headers, **kwargs)

    def register(self, name="Acme", client_id="laptop-a", **values) -> str:
        response = self.post(
            "/customers", {"client_id": client_id, "name": name, **values}
        )
        assert response.status_code == 201, response.json
        return response.json["customer_id"]


@pytest.fixture
def make_app(store_env):
    deployments = []

    def make(projection="sync", **config):
        deployment = Deployment(store_env, projection=projection)
        deployments.append(deployment)
        return create_app({"DEPLOYMENT": deployment, "AUTH_TOKENS": TOKENS, **config})

    yield make
    for deployment in deployments:
        deployment.stop()


@pytest.fixture(params=["popo", "sqlite"])
def store_env(request, tmp_path):
    """The API tests run in memory and on SQLite (the other stores have their own suites)."""
    from tests.backends import backend_env

    with backend_env(request.param, tmp_path) as env:
        yield env


@pytest.fixture
def api(make_app):
    return Api(make_app().test_client())

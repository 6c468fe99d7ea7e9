"""A client generated from /openapi.json by openapi-python-client: named types
where the document has them (no anonymous models), commands typed by their
``type``, and the story played through it against the app."""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
import typing
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

GENERATOR = Path(sys.executable).with_name("openapi-python-client")


@pytest.fixture
def generated(api, tmp_path, monkeypatch):
    """The generated package, imported as ``generated_client``."""
    document, config = tmp_path / "openapi.json", tmp_path / "config.json"
    document.write_text(json.dumps(api.client.get("/openapi.json").json))
    config.write_text(json.dumps({"post_hooks": []}))
    package = tmp_path / "generated_client"
    done = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(document),
            "--meta",
            "none",
            "--output-path",
            str(package),
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Warning" not in done.stdout + done.stderr, done.stdout + done.stderr
    monkeypatch.syspath_prepend(str(tmp_path))
    yield importlib.import_module("generated_client")
    for name in [m for m in sys.modules if m.split(".")[0] == "generated_client"]:
        del sys.modules[name]


def test_the_models_are_named_and_commands_typed_by_their_type(generated):
    models = importlib.import_module("generated_client.models")
    names = {**vars(models), **vars(generated.types)}

    def hints(model: type) -> dict[str, typing.Any]:
        return typing.get_type_hints(model, localns=names)

    anonymous = [
        p.name
        for p in Path(models.__file__).parent.glob("*.py")
        if re.search(r"_type_\d+\.py$", p.name)
    ]
    assert anonymous == []
    assert hints(models.CustomerView)["address"] == models.Address | None
    assert hints(models.Problem)["result"] == (
        models.PositionedResult | generated.types.Unset
    )
    command_types = typing.get_args(
        typing.get_args(hints(models.SyncRequest)["commands"])[0]
    )
    assert {t.__name__ for t in command_types} == {
        "RegisterCustomerCommand",
        "ChangeNameCommand",
        "ChangeEmailCommand",
        "ChangePhoneCommand",
        "ChangeAddressCommand",
        "ChangeSupplierCommand",
        "ChangeDescriptionCommand",
        "ChangeStatusCommand",
        "ResolveConflictCommand",
    }
    address_command = hints(models.ChangeAddressCommand)
    assert (address_command["payload"], address_command["base_version"]) == (
        models.ChangeAddressPayload,
        int,
    )
    assert hints(models.ChangeAddressPayload)["address"] == (models.Address | None)


def test_the_story_plays_through_the_generated_client(generated, api):
    from generated_client.api.default import get_customer, me, register_customer, sync
    from generated_client.models import (
        Address,
        ChangeAddressCommand,
        ChangeAddressCommandType,
        ChangeAddressPayload,
        ChangeNameCommand,
        ChangeNameCommandType,
        ChangeNamePayload,
        PositionedResult,
        Problem,
        RegisterRequest,
        SyncRequest,
    )

    transport = httpx.WSGITransport(app=api.client.application)
    alice = generated.AuthenticatedClient(
        base_url="http://api", token="alice-token", httpx_args={"transport": transport}
    )
    assert me.sync(client=alice).employee == "alice"
    registered = register_customer.sync(
        client=alice, body=RegisterRequest(client_id="laptop-a", name="Acme")
    )
    assert isinstance(registered, PositionedResult)
    again = register_customer.sync(
        client=alice,
        body=RegisterRequest(
            client_id="laptop-a",
            name="Acme",
            command_id=uuid.uuid4(),
            customer_id=registered.customer_id,
        ),
    )
    assert isinstance(again, Problem) and isinstance(again.result, PositionedResult)
    now = datetime.now(UTC)
    paris = Address(
        street="1 Rue de Rivoli", city="Paris", postal_code="75001", country="FR"
    )
    answer = sync.sync(
        client=alice,
        body=SyncRequest(
            client_id="laptop-a",
            commands=[
                ChangeNameCommand(
                    command_id=uuid.uuid4(),
                    customer_id=registered.customer_id,
                    base_version=0,
                    issued_at=now,
                    type_=ChangeNameCommandType("ChangeName"),
                    payload=ChangeNamePayload(name="John Doe"),
                ),
                ChangeAddressCommand(
                    command_id=uuid.uuid4(),
                    customer_id=registered.customer_id,
                    base_version=0,
                    issued_at=now,
                    type_=ChangeAddressCommandType("ChangeAddress"),
                    payload=ChangeAddressPayload(address=paris),
                ),
            ],
        ),
    )
    assert [r.status for r in answer.results] == ["applied", "applied"]
    view = get_customer.sync(
        registered.customer_id, client=alice, min_position=answer.position
    )
    assert (view.name, view.address) == ("John Doe", paris)

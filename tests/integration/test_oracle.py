"""The read model (GET /customers, GET /conflicts) equals the oracle folded from
the history API (tests/oracle.py), for random workloads under every policy:
several clients syncing offline edits from stale bases, clocks that tie,
invalid values, closed customers, re-sent commands and resolutions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from system.runtime import Deployment
from tests.backends import backend_env
from tests.oracle import FIELD_OF, CustomerOracle
from tests.web.conftest import TOKENS, Api
from web import create_app

POOLS = {
    "name": ["Acme", "Beta", "Gamma", ""],  # "" breaks the rule: rejected, recorded
    "supplier": ["Old Co", "New Co", None],
    "description": ["first", "second"],
    "status": ["active", "on_hold", "closed"],
}
COMMAND_OF = {field: kind for kind, field in FIELD_OF.items()}
CLIENTS = [
    ("laptop-a", "alice-token"),
    ("laptop-b", "bob-token"),
    ("desk-c", "carol-token"),
]
START = datetime.now(UTC) - timedelta(days=1)
POLICIES = {
    "manual": {},
    "manual-aggregate": {"CONFLICT_DETECTION": "aggregate"},
    "last-writer-wins": {"CONFLICT_POLICY": "last-writer-wins"},
    "first-sync-wins": {"CONFLICT_POLICY": "first-sync-wins"},
    "first-sync-wins-aggregate": {
        "CONFLICT_POLICY": "first-sync-wins",
        "CONFLICT_DETECTION": "aggregate",
    },
    "mixed": {
        "CONFLICT_POLICY_NAME": "last-writer-wins",
        "CONFLICT_POLICY_SUPPLIER": "first-sync-wins",
    },
}


class Workload:
    """Drives one deployment over HTTP with commands drawn step by step."""

    def __init__(self, api: Api, data) -> None:
        self.api = api
        self.data = data
        self.sent: dict[str, dict] = {}  # command_id -> envelope
        self.positions: dict[str, int] = {}  # customer -> position of its last event
        self.versions: dict[str, int] = {}
        self.conflicts: dict[str, dict] = {}  # conflict_id -> customer, field, candidates

    def draw(self, strategy):
        return self.data.draw(strategy)

    def envelope(
        self, kind: str, customer_id: str, payload: dict, base: int | None
    ) -> dict:
        issued = START + timedelta(
            seconds=self.draw(st.integers(0, 6))
        )  # clocks that tie
        return {
            "command_id": str(self.draw(st.uuids(version=4))),
            "type": kind,
            "customer_id": customer_id,
            "base_version": base,
            "issued_at": issued.isoformat(),
            "payload": payload,
        }

    def sync(self, client: int, batch: list[dict]) -> None:
        """Send a batch of one customer's commands (so the batch's position is
        that of the customer's last event when it recorded any)."""
        client_id, token = CLIENTS[client]
        response = self.api.as_(token).post(
            "/sync", {"client_id": client_id, "commands": batch}
        )
        assert response.status_code == 200, response.json
        for envelope, result in zip(batch, response.json["results"], strict=True):
            self.sent.setdefault(envelope["command_id"], envelope)
            customer_id = envelope["customer_id"]
            if result["version"] > self.versions.get(customer_id, -1):  # recorded
                self.positions[customer_id] = response.json["position"]
                self.versions[customer_id] = result["version"]
            if result["status"] == "conflict":
                known = self.conflicts.setdefault(
                    result["conflict_id"],
                    {
                        "customer_id": customer_id,
                        "field": FIELD_OF[envelope["type"]],
                        "candidates": [],
                    },
                )
                known["candidates"].append(envelope["command_id"])

    def register(self) -> str:
        customer_id = str(self.draw(st.uuids(version=4)))
        payload = {"name": "Acme", "supplier": "Old Co", "description": "first"}
        self.sync(
            2,
            [
                {
                    **self.envelope("RegisterCustomer", customer_id, payload, None),
                    "issued_at": (START - timedelta(hours=1)).isoformat(),
                }
            ],
        )
        return customer_id

    def change(self, customer_id: str) -> dict:
        field = self.draw(st.sampled_from(sorted(POOLS)))
        value = self.draw(st.sampled_from(POOLS[field]))
        base = self.draw(st.integers(0, self.versions[customer_id]))  # offline: stale
        return self.envelope(COMMAND_OF[field], customer_id, {field: value}, base)

    def sent_to(self, customer_id: str) -> list[dict]:
        return [e for e in self.sent.values() if e["customer_id"] == customer_id]

    def resolution(self, customer_id: str) -> dict | None:
        ids = sorted(
            c
            for c, known in self.conflicts.items()
            if known["customer_id"] == customer_id
        )
        if not ids:
            return None
        conflict_id = self.draw(st.sampled_from(ids))
        known = self.conflicts[conflict_id]
        choice = self.draw(st.sampled_from(["current", "candidate", "value"]))
        payload = {"conflict_id": conflict_id, "choice": choice}
        if choice == "candidate":  # one of its candidates, or none of them
            payload["candidate_command_id"] = self.draw(
                st.sampled_from([*known["candidates"], str(self.draw(st.uuids()))])
            )
        elif choice == "value":
            payload["value"] = self.draw(st.sampled_from(POOLS[known["field"]]))
        return self.envelope(
            "ResolveConflict", customer_id, payload, self.versions[customer_id]
        )

    def play(self, customers: list[str], steps: int) -> None:
        for _ in range(steps):
            client = self.draw(st.integers(0, len(CLIENTS) - 1))
            customer_id = self.draw(st.sampled_from(customers))
            batch = []
            for _ in range(self.draw(st.integers(1, 3))):
                action = self.draw(
                    st.sampled_from(["change", "change", "change", "resolve", "resend"])
                )
                if action == "resend" and (again := self.sent_to(customer_id)):
                    batch.append(self.draw(st.sampled_from(again)))
                elif action == "resolve" and (resolve := self.resolution(customer_id)):
                    batch.append(resolve)
                else:
                    batch.append(self.change(customer_id))
            self.sync(client, batch)


def read_model(api: Api) -> tuple[dict, dict]:
    views, since = {}, 0
    while page := api.get(f"/customers?since={since}&limit=2").json["items"]:
        for view in page:
            assert view["customer_id"] not in views  # a view once, in position order
            assert view["position"] > since
            since = view["position"]
            views[view["customer_id"]] = view
    conflicts = api.get("/conflicts?status=all").json["items"]
    return views, {c["conflict_id"]: c for c in conflicts}


def expected_from_history(api: Api, workload: Workload) -> tuple[dict, dict]:
    views, conflicts = {}, {}
    for customer_id, version in workload.versions.items():
        history = api.get(f"/customers/{customer_id}/history").json
        oracle = CustomerOracle(customer_id, workload.sent)
        oracle.fold(history["events"])
        assert oracle.version == version == history["version"]
        views[customer_id] = {
            **oracle.view(),
            "position": workload.positions[customer_id],
        }
        conflicts.update(oracle.conflicts)
    return views, conflicts


@pytest.mark.parametrize("backend", ["popo", "sqlite"])
@pytest.mark.parametrize("policy", POLICIES)
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_read_model_is_the_fold_of_the_history(
    backend, policy, tmp_path_factory, data
):
    with (
        backend_env(backend, tmp_path_factory.mktemp("oracle")) as env,
        Deployment({**env, **POLICIES[policy]}) as deployment,
    ):
        api = Api(
            create_app({"DEPLOYMENT": deployment, "AUTH_TOKENS": TOKENS}).test_client()
        )
        workload = Workload(api, data)
        customers = [workload.register() for _ in range(data.draw(st.integers(1, 2)))]
        workload.play(customers, data.draw(st.integers(1, 8)))
        views, conflicts = read_model(api)
        for view in views.values():
            view["conflicts"].sort(key=lambda c: c["conflict_id"])
        assert (views, conflicts) == expected_from_history(api, workload)

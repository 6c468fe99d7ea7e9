"""``make demo``: the seed's story, played by two laptops against a real server.

Alice and Bob both pull customer #123 at version 20, the server goes away,
both edit it offline, the server comes back, Alice syncs, then Bob: Bob's
address merges, his name is a conflict shown to him with Alice's value; he
resolves it, and both see the same customer. Exits 0 only if every outcome
is what the story says.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

from customer_domain.vocabulary import COMMAND_OF_FIELD, Verdict
from harness.server import ServerProcess

BIN = Path(sys.executable).parent
TOKENS = "office-token=carol,alice-token=alice,bob-token=bob"


class StoryFailed(Exception):
    """Raised when an outcome is not what the story says."""


def say(text: str) -> None:
    print(f"\n== {text}", flush=True)


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise StoryFailed(what)
    print(f"   ok: {what}")


class Laptop:
    def __init__(self, name: str, folder: Path) -> None:
        self.name, self.data_dir = name, folder / name

    def run(self, *args: str, show: bool = True) -> str:
        print(f"   {self.name}$ {shlex.join(['customers', *map(str, args)])}", flush=True)
        done = subprocess.run(
            [BIN / "customers", "--data-dir", self.data_dir, *args],
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode != 0:
            raise StoryFailed(f"{self.name}: customers {args[0]} failed: {done.stderr}")
        if show and done.stdout.strip():
            print("     " + done.stdout.strip().replace("\n", "\n     "))
        return done.stdout

    def json(self, *args: str):
        return json.loads(self.run(*args, "--json", show=False))


def play(folder: Path) -> None:
    server = ServerProcess(folder / "server", tokens=TOKENS)
    url = server.start().url
    office, alice, bob = (Laptop(n, folder) for n in ("office", "alice", "bob"))
    try:
        say("The office registers customer #123 and edits it until version 20")
        print(
            "   (each laptop logs in with its employee's token: office-token is"
            " carol's, at the office; alice-token Alice's, bob-token Bob's)"
        )
        for laptop in (office, alice, bob):
            laptop.run("login", "--server", url, "--token", f"{laptop.name}-token")
        customer = office.run(
            "add", "--name", "Acme", "--supplier", "Initial Supplies", show=False
        ).strip()
        office.run("sync")
        for n in range(20):
            office.run(
                "edit", customer, "--description", f"call notes #{n + 1}", show=False
            )
        office.run("sync")

        say("Alice and Bob pull customer #123 at version 20")
        for laptop in (alice, bob):
            laptop.run("pull")
            expect(
                laptop.json("show", customer)["version"] == 20,
                f"{laptop.name} sees version 20",
            )

        say("The server goes away: both work offline")
        server.stop()
        alice.run("edit", customer, "--name", "John Doe")
        bob.run(
            "edit",
            customer,
            "--name",
            "Joan d'Arc",
            "--street",
            "1 Rue de Rivoli",
            "--city",
            "Paris",
            "--postal-code",
            "75001",
            "--country",
            "FR",
        )
        bob.run("show", customer)

        say("The server comes back; Alice syncs first")
        server.start()  # at the same address
        alice.run("sync")
        expect(
            alice.json("log")[0]["status"] == Verdict.APPLIED,
            "Alice's new name is applied",
        )

        say("Bob syncs, still based on version 20")
        bob.run("sync")
        verdicts = {v["type"]: v for v in bob.json("log")}
        expect(
            verdicts[COMMAND_OF_FIELD["address"]]["status"] == Verdict.MERGED,
            "scenario 2: Bob's address merges with Alice's name",
        )
        expect(
            verdicts[COMMAND_OF_FIELD["name"]]["status"] == Verdict.CONFLICT,
            "scenario 1: Bob's name is a conflict, not an overwrite",
        )
        bob.run("conflicts")
        [conflict] = bob.json("conflicts")
        expect(
            (conflict["current"]["value"], conflict["current"]["author"])
            == ("John Doe", "alice"),
            "Bob is shown Alice's value and that it is hers",
        )

        say("Bob resolves the conflict with his value, and syncs")
        bob.run(
            "resolve",
            conflict["conflict_id"],
            "--take",
            conflict["candidates"][0]["command_id"],
        )
        bob.run("sync")

        say("Both pull and see the same customer")
        alice.run("pull")
        seen = [laptop.json("show", customer) for laptop in (alice, bob)]
        alice.run("show", customer)
        expect(seen[0] == seen[1], "Alice and Bob see the same customer")
        expect(
            (seen[0]["name"], seen[0]["address"]["city"], seen[0]["conflicts"])
            == ("Joan d'Arc", "Paris", []),
            "name resolved, address merged, nothing lost",
        )
    finally:
        server.stop()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="customers-demo-") as folder:
        try:
            play(Path(folder))
        except StoryFailed as failure:
            print(f"\nThe story went wrong: {failure}", file=sys.stderr)
            sys.exit(1)
    print("\nThe story went as told.")


if __name__ == "__main__":
    main()

"""The vocabulary: the strings stored in events and sent over HTTP, pinned;
and a module the client may import, since it imports nothing."""

from __future__ import annotations

import ast
from pathlib import Path

from customer_domain import vocabulary
from customer_domain.vocabulary import (
    COMMAND_OF_FIELD,
    COMMAND_TYPES,
    FIELD_OF_COMMAND,
    FIELDS,
    VERDICTS,
    Reason,
)


def test_the_stored_strings_do_not_change():
    assert COMMAND_TYPES == (
        "RegisterCustomer",
        "ChangeName",
        "ChangeEmail",
        "ChangePhone",
        "ChangeAddress",
        "ChangeSupplier",
        "ChangeDescription",
        "ChangeStatus",
        "ResolveConflict",
    )
    assert VERDICTS == (
        "applied",
        "merged",
        "unchanged",
        "conflict",
        "superseded",
        "rejected",
    )
    assert {value for name, value in vars(Reason).items() if name.isupper()} == {
        "customer_not_found",
        "customer_exists",
        "command_id_reused",
        "base_version_ahead",
        "invalid_value",
        "customer_closed",
        "concurrent_edit",
        "overwrote_concurrent_edit",
        "conflict_not_found",
        "conflict_already_resolved",
    }
    assert vocabulary.POLICIES == ("manual", "last-writer-wins", "first-sync-wins")


def test_every_field_has_its_command_and_back():
    assert tuple(FIELD_OF_COMMAND.values()) == FIELDS
    assert all(FIELD_OF_COMMAND[COMMAND_OF_FIELD[field]] == field for field in FIELDS)


def test_the_vocabulary_imports_nothing():
    tree = ast.parse(Path(vocabulary.__file__).read_text())
    assert not [
        node for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)
    ]

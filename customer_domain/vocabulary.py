"""The words of the customer domain: command types, fields, verdicts, reasons.

The one place these are declared. They are the strings stored in events and
carried over HTTP, so their values never change. This module is plain
constants and imports nothing: the server's layers, the ``customers`` client
(which imports no server code), the benchmarks and the campaigns all share it.
"""

REGISTER = "RegisterCustomer"
RESOLVE = "ResolveConflict"

FIELDS = ("name", "email", "phone", "address", "supplier", "description", "status")
FIELD_OF_COMMAND = {
    "ChangeName": "name",
    "ChangeEmail": "email",
    "ChangePhone": "phone",
    "ChangeAddress": "address",
    "ChangeSupplier": "supplier",
    "ChangeDescription": "description",
    "ChangeStatus": "status",
}
COMMAND_OF_FIELD = {field: kind for kind, field in FIELD_OF_COMMAND.items()}
COMMAND_TYPES = (REGISTER, *FIELD_OF_COMMAND, RESOLVE)

ADDRESS_KEYS = ("street", "city", "postal_code", "country")
ACTIVE, ON_HOLD, CLOSED = STATUSES = ("active", "on_hold", "closed")

# How a ResolveConflict chooses the value that stands.
CHOICE_CURRENT, CHOICE_CANDIDATE, CHOICE_VALUE = CHOICES = (
    "current",
    "candidate",
    "value",
)
CONFLICT_OPEN, CONFLICT_RESOLVED = CONFLICT_STATUSES = ("open", "resolved")


class Verdict:
    """What became of a command."""

    APPLIED = "applied"
    MERGED = "merged"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"
    SUPERSEDED = "superseded"
    REJECTED = "rejected"


VERDICTS = (
    Verdict.APPLIED,
    Verdict.MERGED,
    Verdict.UNCHANGED,
    Verdict.CONFLICT,
    Verdict.SUPERSEDED,
    Verdict.REJECTED,
)
# The verdicts an employee is told about with who and what, always.
NOTICED = (Verdict.CONFLICT, Verdict.SUPERSEDED, Verdict.REJECTED)


class Reason:
    """Why a command was rejected, or how it was applied."""

    CUSTOMER_NOT_FOUND = "customer_not_found"
    CUSTOMER_EXISTS = "customer_exists"
    COMMAND_ID_REUSED = "command_id_reused"
    BASE_VERSION_AHEAD = "base_version_ahead"
    INVALID_VALUE = "invalid_value"
    CUSTOMER_CLOSED = "customer_closed"
    CONCURRENT_EDIT = "concurrent_edit"
    OVERWROTE_CONCURRENT_EDIT = "overwrote_concurrent_edit"
    CONFLICT_NOT_FOUND = "conflict_not_found"
    CONFLICT_ALREADY_RESOLVED = "conflict_already_resolved"


# Conflict policies (CONFLICT_POLICY) and how concurrency is detected (CONFLICT_DETECTION).
MANUAL, LAST_WRITER_WINS, FIRST_SYNC_WINS = POLICIES = (
    "manual",
    "last-writer-wins",
    "first-sync-wins",
)
DETECT_FIELD, DETECT_AGGREGATE = DETECTIONS = ("field", "aggregate")

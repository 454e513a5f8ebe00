"""A customers file's credit columns against kacrm's credit decisions (docs/credit.md "A customers file's credit
columns", round 11).

An ERP's weekly export keeps giving the credit limit (信用额度), grade (信用等级) and terms (账期) it gave the
week before; a review or a `credit set` in kacrm since must not be undone by it. The same shape as the owners of
a customers file (kacrm.analysis.pool.team_owner_stands, docs/team.md): a value the file gave before is stale,
a value it changes is news.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# a customers file's credit fields → their keys in the credit history (credit_review.factors, Override)
CREDIT_FIELDS = {
    "credit_limit": "limit_cents",
    "credit_grade": "grade",
    "payment_terms_days": "terms_days",
}

SAME, APPLY, KEEP = "same", "apply", "keep"
UNKNOWN = object()  # what the file gave before cannot be told (a history written before round 11)


@dataclass
class CreditTrail:
    """What a customer's credit history (credit_review rows) says of its customers file.

    ``exists``: any review or decision is stored; ``first_previous``: the values in force before the first of them
    (a manual decision records them, and a review from round 11 on), None when not recorded; ``imported``: the
    values each customers file gave that was recorded (``imported`` rows), oldest first; ``decisions``: the manual
    decisions (their ``set`` or ``cleared``), oldest first."""

    exists: bool = False
    first_previous: dict[str, Any] | None = None
    imported: list[dict[str, Any]] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)


def file_gave(trail: CreditTrail, key: str) -> Any:
    """The value of ``key`` the customers file gave last: the newest recorded file's, else the value in force
    before kacrm's first review or decision (which came from a file, or by hand before any credit history);
    UNKNOWN when neither is recorded."""
    for given in reversed(trail.imported):
        if key in given:
            return given[key]
    if trail.first_previous is not None and key in trail.first_previous:
        return trail.first_previous[key]
    return UNKNOWN


def manual_in_force(trail: CreditTrail, key: str) -> bool:
    """Whether a `credit set` of ``key`` is in force (until `credit set --clear`)."""
    current: dict[str, Any] = {}
    for decision in trail.decisions:
        if decision.get("cleared"):
            current = {}
        current.update(decision.get("set", {}))
    return current.get(key) is not None


def verdict(trail: CreditTrail, key: str, file_value: Any, stored: Any) -> str:
    """SAME: the file gives what is in force; APPLY: its value is put in force (a customer without credit
    history, as ever; or a value the file changed: a new decision from the file); KEEP: kacrm's value stands (the
    file gives what it gave before a review or decision, or a manual decision of that field is in force, or what
    the file gave before cannot be told)."""
    if file_value == stored:
        return SAME
    if not trail.exists:
        return APPLY
    if manual_in_force(trail, key):
        return KEEP
    before = file_gave(trail, key)
    if before is UNKNOWN or before == file_value:
        return KEEP
    return APPLY


def worth_recording(trail: CreditTrail, key: str, file_value: Any) -> bool:
    """Whether the file's value must be recorded (an ``imported`` row) so that next week's file is judged against
    it: the customer has a credit history and the file's value is not the one it gave before."""
    return trail.exists and file_gave(trail, key) != file_value

"""The list of development plans (`plan list`), as textual SQL run by kacrm.store.reader: on a current SQLite file
it loads neither SQLAlchemy nor the ORM (issue 19). Adding a plan and marking it done are in kacrm.store.records."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kacrm.store.reader import SqliteBook, reading

if TYPE_CHECKING:
    from sqlalchemy import Engine

_PLANS = (
    "SELECT p.id, c.code, c.name, p.horizon, p.goal, p.target_date, p.status, p.done_on "
    'FROM "plan" p JOIN customer c ON c.id = p.customer_id{where} '
    "ORDER BY p.target_date IS NULL, p.target_date, p.id"
)


def plan_rows(
    book: SqliteBook | Engine, *, include_done: bool = False, code: str | None = None
) -> list[dict[str, Any]]:
    """The plans (open ones unless ``include_done``; of customer ``code`` only, if given) with their customer's
    code and name, soonest target first, those without a target last."""
    terms = [] if include_done else ["p.status != 'done'"]
    if code:
        terms.append("c.code = :code")
    where = f" WHERE {' AND '.join(terms)}" if terms else ""
    params = {"code": code} if code else {}
    with reading(book) as reader:
        rows = reader.tuples(_PLANS.format(where=where), ("target_date", "done_on"), **params)
    return [
        {
            "id": plan_id,
            "customer_code": customer_code,
            "customer_name": customer_name,
            "horizon": horizon,
            "goal": goal,
            "target_date": target_date,
            "status": status,
            "done_on": done_on,
        }
        for plan_id, customer_code, customer_name, horizon, goal, target_date, status, done_on in rows
    ]

"""Every method's latest tier per customer (the customer's dimensions, SPEC §6), as textual SQL run by
kacrm.store.reader: `customer list` shows them and, on a current SQLite file, loads neither SQLAlchemy nor the
ORM (issue 19)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from kacrm.domain import METHODS
from kacrm.store.reader import SqliteBook, reading

if TYPE_CHECKING:
    from sqlalchemy import Engine

_FILTER_UP_TO = 500  # ids in an IN list; a longer list reads every row of the run instead


def method_tiers(
    book: SqliteBook | Engine, customer_ids: Iterable[int] | None = None
) -> dict[int, dict[str, Any]]:
    """customer_id → {method: tier in the method's latest run by customer, or its pin of that method}; the
    methods a customer has no tier of are left out (callers show them as null)."""
    ids = None if customer_ids is None else list(customer_ids)
    # the ids are integers read from the database
    narrow = (
        f" AND customer_id IN ({', '.join(str(int(i)) for i in ids) or 'NULL'})"
        if ids is not None and len(ids) <= _FILTER_UP_TO
        else ""
    )
    result: dict[int, dict[str, Any]] = {}
    with reading(book) as reader:
        for method in METHODS:
            run_id = reader.scalar(
                """SELECT id FROM tier_run WHERE method = :method AND "by" = 'customer' """
                "ORDER BY as_of DESC, id DESC LIMIT 1",
                method=method,
            )
            if run_id is None:
                continue
            for cid, tier in reader.rows(
                f"SELECT customer_id, tier FROM tier_snapshot WHERE run_id = :run_id{narrow}",
                run_id=run_id,
            ):
                result.setdefault(cid, {})[method] = tier
        pins = reader.rows(f"SELECT customer_id, method, tier FROM tier_pin WHERE 1 = 1{narrow}")
        for cid, method, tier in pins:
            result.setdefault(cid, {})[method] = tier
    return result


def tiers_held(book: SqliteBook | Engine) -> set[str]:
    """The tiers customers hold: their tier in force and their pins."""
    with reading(book) as reader:
        return {
            r.tier
            for r in reader.rows(
                "SELECT tier FROM customer WHERE tier IS NOT NULL "
                "UNION SELECT tier_pinned FROM customer WHERE tier_pinned IS NOT NULL"
            )
        }

"""What a customers file's credit columns read and write beyond the customer rows (docs/credit.md "A customers
file's credit columns"): the customers' credit terms as stored, their credit history (what
kacrm.analysis.credit_file judges by), and the `imported` rows of the values a file gave.

Whole tables are read, as kacrm.store.import_owners reads the ownership history: an IN list of a long file's ids
would pass SQLite's limit of bound variables. Only the first row of each customer and the manual rows (decisions,
holds, files: few) are read whole; the reviews' factors are not parsed."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select

from kacrm.store.clock import utcnow
from kacrm.store.models import CreditReview, Customer


def stored_credit(conn: Connection) -> dict[str, tuple[int, dict[str, Any]]]:
    """Every customer's code → (id, {limit_cents, grade, terms_days} as stored)."""
    query = select(
        Customer.code,
        Customer.id,
        Customer.credit_limit_cents,
        Customer.credit_grade,
        Customer.payment_terms_days,
    )
    return {
        code: (cid, {"limit_cents": limit, "grade": grade, "terms_days": terms})
        for code, cid, limit, grade, terms in conn.execute(query).all()
    }


def credit_histories(
    conn: Connection, ids: set[int]
) -> dict[int, tuple[dict[str, Any] | None, list[dict[str, Any]]]]:
    """The credit history of the customers ``ids`` that have one: the values in force before its first row (its
    ``previous``, when recorded) and its manual rows' records (decisions, holds, files' values), oldest first."""
    found: dict[int, tuple[dict[str, Any] | None, list[dict[str, Any]]]] = {}
    firsts = select(func.min(CreditReview.id)).group_by(CreditReview.customer_id)
    query = select(CreditReview.customer_id, CreditReview.factors).where(
        CreditReview.id.in_(firsts)
    )
    for cid, factors in conn.execute(query).all():
        if cid in ids:
            found[cid] = (json.loads(factors).get("previous"), [])
    manual = (
        select(CreditReview.customer_id, CreditReview.factors)
        .where(CreditReview.manual.is_(True))
        .order_by(CreditReview.id)
    )
    for cid, factors in conn.execute(manual).all():
        if cid in found:
            found[cid][1].append(json.loads(factors))
    return found


def record_imported(conn: Connection, rows: list[dict[str, Any]], today: date, note: str) -> None:
    """The `imported` credit history rows (manual: a decision from the file, which reviews and `credit explain`
    leave out): each of ``rows`` is customer_id, ``given`` (what the file gave), ``previous`` and ``after`` (the
    grade, limit and terms in force before and after the file)."""
    if not rows:
        return
    now = utcnow()
    conn.execute(
        CreditReview.__table__.insert(),
        [
            {
                "customer_id": r["customer_id"],
                "reviewed_on": today,
                "grade": r["after"]["grade"],
                "limit_cents": r["after"]["limit_cents"],
                "payment_terms_days": r["after"]["terms_days"],
                "factors": json.dumps(
                    {"set": {}, "imported": r["given"], "previous": r["previous"]}
                ),
                "manual": True,
                "note": note,
                "created_at": now,
            }
            for r in rows
        ],
    )

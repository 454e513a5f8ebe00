"""Credit in the database: load what the credit analyses need, store reviews and manual decisions, and apply
grades, limits and terms to customers. kacrm.app.credit joins them to the rules.

The reads are textual SQL run by kacrm.store.reader (as store/customer_rows.py), the dates and flags converted
as the models read them, so that `credit`, `aging`, `explain`, `check` and `statement` on a current SQLite file
load neither SQLAlchemy nor the ORM (issue 19); the writes use the ORM."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from kacrm.store.clock import utcnow
from kacrm.store.customer_rows import resolve_customer
from kacrm.store.reader import Reader, SqliteBook, reading

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kacrm.store.models import Customer

Columns = dict[str, list[Any]]  # a table by its columns, as kacrm.analysis.receivables reads it


def columns(names: list[str], rows: Any) -> Columns:
    """The rows of a query as lists of values by column name."""
    values = list(zip(*rows, strict=True)) or [()] * len(names)
    return {name: list(v) for name, v in zip(names, values, strict=True)}


_CUSTOMERS = (
    "SELECT id AS customer_id, code AS customer_code, name AS customer_name, payment_terms_days, "
    "credit_grade, credit_limit_cents FROM customer{where} ORDER BY code"
)
# dates as stored (ISO text on SQLite, dates on PostgreSQL): the ledger parses each day once
_ORDERS = (
    "SELECT customer_id, order_no, order_date, amount_cents, due_date FROM orders "
    "WHERE order_date <= :today{also}"
)
_PAYMENTS = (
    "SELECT customer_id, payment_no, order_no, paid_on, amount_cents FROM payment "
    "WHERE paid_on <= :today{also}"
)


# The grade and limit in force on :today of each customer with a review or decision dated after it: those of its
# newest review or decision up to that day (a row records what was in force after it). A customer with none up to
# that day keeps the stored grade and limit (nothing is kept of what stood before its first review: the stored
# ones, set by import or by hand, are the best known; a NULL limit refused every order on such a day), as do
# customers without a later row.
_TERMS_ON = (
    "SELECT later.customer_id, r.grade, r.limit_cents FROM "
    "(SELECT DISTINCT customer_id FROM credit_review WHERE reviewed_on > :today{also}) later "
    "JOIN (SELECT customer_id, grade, limit_cents, ROW_NUMBER() OVER (PARTITION BY customer_id "
    "ORDER BY reviewed_on DESC, id DESC) AS newest FROM credit_review WHERE reviewed_on <= :today{also}) r "
    "ON r.customer_id = later.customer_id AND r.newest = 1"
)


def load_frames(
    book: SqliteBook | Engine, today: date, customer_id: int | None = None
) -> tuple[Columns, Columns, Columns]:
    """Customers (with their credit grade and limit in force on ``today``), orders and payments up to ``today``
    (for all customers or one), by column; dates as the driver gives them (ISO text on SQLite, dates on
    PostgreSQL): the ledger reads them itself, faster than converting each row here."""
    one = customer_id is not None
    where = " WHERE id = :cid" if one else ""
    also = " AND customer_id = :cid" if one else ""
    params: dict[str, Any] = {"today": today} | ({"cid": customer_id} if one else {})
    with reading(book) as reader:
        customers = columns(*reader.execute(_CUSTOMERS.format(where=where), params if one else {}))
        _terms_on(customers, reader.tuples(_TERMS_ON.format(also=also), **params))
        return (
            customers,
            columns(*reader.execute(_ORDERS.format(also=also), params)),
            columns(*reader.execute(_PAYMENTS.format(also=also), params)),
        )


def limits_on(reader: Reader, today: date) -> dict[int, int | None]:
    """The credit limit in force on ``today`` (cents, None: none) of each customer with a review or decision dated
    after it (``_TERMS_ON``): what `credit check` and `credit` read on that day; every other customer's stored
    limit is in force."""
    rows = reader.tuples(_TERMS_ON.format(also=""), today=today)
    return {cid: None if limit is None else int(limit) for cid, _grade, limit in rows}


def _terms_on(customers: Columns, on_day: list[tuple]) -> None:
    """Put the grade and limit in force on the day (``_TERMS_ON``'s rows) in place of the stored ones."""
    if not on_day:
        return
    position = {cid: i for i, cid in enumerate(customers["customer_id"])}
    for cid, grade, limit_cents in on_day:
        i = position[cid]
        customers["credit_grade"][i], customers["credit_limit_cents"][i] = grade, limit_cents


def _manual_reviews(book: SqliteBook | Engine, customer_id: int | None, order: str) -> list[Any]:
    """customer_id, reviewed_on, factors of the manual decisions (of one customer), in ``order``."""
    also = " AND customer_id = :cid" if customer_id is not None else ""
    params = {"cid": customer_id} if customer_id is not None else {}
    with reading(book) as reader:
        return reader.rows(
            "SELECT customer_id, reviewed_on, factors FROM credit_review "
            f"WHERE manual = :manual{also} ORDER BY {order}",
            ("reviewed_on",),
            manual=True,
            **params,
        )


def load_decisions(
    book: SqliteBook | Engine, customer_id: int | None = None
) -> dict[int, list[dict[str, Any]]]:
    """Each customer's manual decisions (parsed factors JSON), oldest first."""
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in _manual_reviews(book, customer_id, "id"):
        found[row.customer_id].append(json.loads(row.factors))
    return found


def load_holds(
    book: SqliteBook | Engine, customer_id: int | None = None
) -> dict[int, list[tuple[date, bool]]]:
    """Each customer's manual credit holds and releases as (day, hold?), oldest first (SPEC §15)."""
    return _holds(_manual_reviews(book, customer_id, "reviewed_on, id"))


def manual_holds(reader: Reader, also: str = "") -> dict[int, list[tuple[date, bool]]]:
    """``load_holds`` on an open reader, for the customers ``also`` selects (`` AND customer_id IN (…)``)."""
    rows = reader.rows(
        "SELECT customer_id, reviewed_on, factors FROM credit_review "
        f"WHERE manual = :manual{also} ORDER BY reviewed_on, id",
        ("reviewed_on",),
        manual=True,
    )
    return _holds(rows)


def _holds(rows: list[Any]) -> dict[int, list[tuple[date, bool]]]:
    found: dict[int, list[tuple[date, bool]]] = defaultdict(list)
    for row in rows:
        record = json.loads(row.factors)
        if "hold" in record:
            found[row.customer_id].append((row.reviewed_on, bool(record["hold"])))
    return found


@dataclass(frozen=True)
class CustomerCredit:
    """A customer's credit terms as stored."""

    id: int
    code: str
    name: str
    grade: str | None
    limit_cents: int | None
    terms_days: int | None


def _credit(customer: Customer | Any) -> CustomerCredit:
    """The terms of a Customer, or of a row with its column names (customer_credit's query)."""
    return CustomerCredit(
        customer.id,
        customer.code,
        customer.name,
        customer.credit_grade,
        customer.credit_limit_cents,
        customer.payment_terms_days,
    )


_TERMS = (
    "SELECT id, code, name, credit_grade, credit_limit_cents, payment_terms_days, short_name "
    "FROM customer WHERE "
)


def customer_credit(book: SqliteBook | Engine, code: str) -> CustomerCredit:
    """The customer ``code``, else the one of that name or short name (NotFound for a wrong code)."""
    with reading(book) as reader:
        found = resolve_customer(
            code,
            lambda: next(iter(reader.rows(_TERMS + "code = :code", code=code)), None),
            lambda key: reader.rows(_TERMS + "name_key = :key", key=key),
            lambda: reader.rows(_TERMS + "short_name IS NOT NULL"),
        )
    return _credit(found)


def latest_review(
    book: SqliteBook | Engine, customer_id: int, today: date | None = None
) -> dict[str, Any] | None:
    """The newest computed (not manual) review of a customer, up to ``today`` when given, factors parsed."""
    up_to = " AND reviewed_on <= :today" if today is not None else ""
    params = {"today": today} if today is not None else {}
    with reading(book) as reader:
        stored = reader.rows(
            "SELECT reviewed_on, score, grade, limit_cents, factors FROM credit_review "
            f"WHERE customer_id = :cid AND manual = :manual{up_to} "
            "ORDER BY reviewed_on DESC, id DESC LIMIT 1",
            ("reviewed_on",),
            cid=customer_id,
            manual=False,
            **params,
        )
    if not stored:
        return None
    (found,) = stored
    return {
        "reviewed_on": found.reviewed_on,
        "score": found.score,
        "grade": found.grade,
        "limit_cents": found.limit_cents,
        "details": json.loads(found.factors),
    }


def newest_review_on(book: SqliteBook | Engine) -> date | None:
    """The day of the newest computed (not manual) review of any customer, None before the first."""
    with reading(book) as reader:
        (found,) = reader.rows(
            "SELECT MAX(reviewed_on) AS reviewed_on FROM credit_review WHERE manual = :manual",
            ("reviewed_on",),
            manual=False,
        )
    return found.reviewed_on


def save_reviews(
    engine: Engine, reviews: list[dict[str, Any]], grades: list[dict[str, Any]]
) -> None:
    """Insert credit_review rows and set the customers' grades and limits (``grades``: id, credit_grade,
    credit_limit_cents), in one transaction."""
    from sqlalchemy import insert, update
    from sqlmodel import Session

    from kacrm.store.models import CreditReview, Customer

    now = utcnow()
    with Session(engine) as session:
        if reviews:
            session.execute(insert(CreditReview), [{**r, "created_at": now} for r in reviews])
            if grades:
                session.execute(update(Customer), [{**g, "updated_at": now} for g in grades])
        session.commit()


def save_decision(
    engine: Engine,
    customer_id: int,
    today: date,
    terms: tuple[str | None, int | None, int | None],
    record: dict[str, Any],
    note: str | None,
) -> CustomerCredit:
    """Put ``terms`` (grade, limit cents, payment terms days) in force and keep the manual decision ``record``."""
    from sqlmodel import Session

    from kacrm.store.models import CreditReview, Customer

    with Session(engine) as session:
        customer = session.get(Customer, customer_id)
        customer.credit_grade, customer.credit_limit_cents, customer.payment_terms_days = terms
        session.add(
            CreditReview(
                customer_id=customer.id,
                reviewed_on=today,
                grade=customer.credit_grade,
                limit_cents=customer.credit_limit_cents,
                payment_terms_days=customer.payment_terms_days,
                factors=json.dumps(record),
                manual=True,
                note=note,
                created_at=utcnow(),
            )
        )
        customer.updated_at = utcnow()
        session.add(customer)
        session.commit()
        session.refresh(customer)
        return _credit(customer)

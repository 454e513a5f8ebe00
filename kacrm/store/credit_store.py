"""Credit in the database: load what the credit analyses need, store reviews and manual decisions, and apply
grades, limits and terms to customers. kacrm.app.credit joins them to the rules.

The reads name their tables by their columns (Core, as store/customer_rows.py), with the models' types where a
value is converted, so that `credit`, `aging`, `explain`, `check` and `statement` load neither the ORM nor
SQLModel (issue 19); the writes use the ORM."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    Date,
    Engine,
    String,
    column,
    insert,
    select,
    table,
    type_coerce,
    update,
)

from kacrm.store.clock import utcnow
from kacrm.store.customer_rows import resolve_customer
from kacrm.store.raw import raw_rows

if TYPE_CHECKING:
    from kacrm.store.models import Customer

CUSTOMER = table(
    "customer",
    *(
        column(name)
        for name in (
            "id",
            "code",
            "name",
            "payment_terms_days",
            "credit_grade",
            "credit_limit_cents",
            "name_key",
            "short_name",
        )
    ),
)
ORDERS = table(
    "orders",
    column("customer_id"),
    column("order_no"),
    column("order_date", Date),
    column("amount_cents"),
    column("due_date", Date),
)
PAYMENT = table(
    "payment",
    column("customer_id"),
    column("payment_no"),
    column("order_no"),
    column("paid_on", Date),
    column("amount_cents"),
)
REVIEW = table(
    "credit_review",
    column("id"),
    column("customer_id"),
    column("reviewed_on", Date),
    column("score"),
    column("grade"),
    column("limit_cents"),
    column("factors"),
    column("manual", Boolean),
)


def _raw(column: Any) -> Any:
    return type_coerce(column, String).label(column.key)


Columns = dict[str, list[Any]]  # a table by its columns, as kacrm.analysis.receivables reads it


def columns(names: list[str], rows: Any) -> Columns:
    """The rows of a query as lists of values by column name."""
    values = list(zip(*rows, strict=True)) or [()] * len(names)
    return {name: list(v) for name, v in zip(names, values, strict=True)}


def load_frames(
    engine: Engine, today: date, customer_id: int | None = None
) -> tuple[Columns, Columns, Columns]:
    """Customers (with their credit fields), orders and payments up to ``today`` (for all customers or one), by
    column, straight from the DB-API cursor (store/raw.py); dates as the driver gives them (ISO text on SQLite,
    dates on PostgreSQL): the ledger reads them itself, faster than SQLAlchemy's processing of each row."""
    c, o, p = CUSTOMER.c, ORDERS.c, PAYMENT.c
    customers = select(
        c.id.label("customer_id"),
        c.code.label("customer_code"),
        c.name.label("customer_name"),
        c.payment_terms_days,
        c.credit_grade,
        c.credit_limit_cents,
    ).order_by(c.code)
    orders = select(
        o.customer_id, o.order_no, _raw(o.order_date), o.amount_cents, _raw(o.due_date)
    ).where(o.order_date <= today)
    payments = select(
        p.customer_id, p.payment_no, p.order_no, _raw(p.paid_on), p.amount_cents
    ).where(p.paid_on <= today)
    if customer_id is not None:
        customers = customers.where(c.id == customer_id)
        orders = orders.where(o.customer_id == customer_id)
        payments = payments.where(p.customer_id == customer_id)
    with engine.connect() as conn:
        return tuple(columns(*raw_rows(conn, q)) for q in (customers, orders, payments))


def load_decisions(
    engine: Engine, customer_id: int | None = None
) -> dict[int, list[dict[str, Any]]]:
    """Each customer's manual decisions (parsed factors JSON), oldest first."""
    r = REVIEW.c
    query = select(r.customer_id, r.factors).where(r.manual.is_(True))
    if customer_id is not None:
        query = query.where(r.customer_id == customer_id)
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    with engine.connect() as conn:
        for cid, factors in conn.execute(query.order_by(r.id)):
            found[cid].append(json.loads(factors))
    return found


def load_holds(
    engine: Engine, customer_id: int | None = None
) -> dict[int, list[tuple[date, bool]]]:
    """Each customer's manual credit holds and releases as (day, hold?), oldest first (SPEC §15)."""
    r = REVIEW.c
    query = select(r.customer_id, r.reviewed_on, r.factors).where(r.manual.is_(True))
    if customer_id is not None:
        query = query.where(r.customer_id == customer_id)
    found: dict[int, list[tuple[date, bool]]] = defaultdict(list)
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(r.reviewed_on, r.id))
        for cid, on, factors in rows:
            record = json.loads(factors)
            if "hold" in record:
                day = on if isinstance(on, date) else date.fromisoformat(str(on)[:10])
                found[cid].append((day, bool(record["hold"])))
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


def _credit(customer: Customer) -> CustomerCredit:
    return CustomerCredit(
        customer.id,
        customer.code,
        customer.name,
        customer.credit_grade,
        customer.credit_limit_cents,
        customer.payment_terms_days,
    )


def customer_credit(engine: Engine, code: str) -> CustomerCredit:
    """The customer ``code``, else the one of that name or short name (NotFound for a wrong code)."""
    c = CUSTOMER.c
    terms = select(
        c.id,
        c.code,
        c.name,
        c.credit_grade,
        c.credit_limit_cents,
        c.payment_terms_days,
        c.short_name,
    )
    with engine.connect() as conn:
        found = resolve_customer(
            code,
            lambda: conn.execute(terms.where(c.code == code)).first(),
            lambda key: list(conn.execute(terms.where(c.name_key == key))),
            lambda: list(conn.execute(terms.where(c.short_name.is_not(None)))),
        )
    return CustomerCredit(
        found.id,
        found.code,
        found.name,
        found.credit_grade,
        found.credit_limit_cents,
        found.payment_terms_days,
    )


def latest_review(
    engine: Engine, customer_id: int, today: date | None = None
) -> dict[str, Any] | None:
    """The newest computed (not manual) review of a customer, up to ``today`` when given, factors parsed."""
    r = REVIEW.c
    query = select(r.reviewed_on, r.score, r.grade, r.limit_cents, r.factors).where(
        r.customer_id == customer_id, r.manual.is_(False)
    )
    if today is not None:
        query = query.where(r.reviewed_on <= today)
    with engine.connect() as conn:
        stored = conn.execute(query.order_by(r.reviewed_on.desc(), r.id.desc())).first()
    if stored is None:
        return None
    return {
        "reviewed_on": stored.reviewed_on,
        "score": stored.score,
        "grade": stored.grade,
        "limit_cents": stored.limit_cents,
        "details": json.loads(stored.factors),
    }


def save_reviews(
    engine: Engine, reviews: list[dict[str, Any]], grades: list[dict[str, Any]]
) -> None:
    """Insert credit_review rows and set the customers' grades and limits (``grades``: id, credit_grade,
    credit_limit_cents), in one transaction."""
    from sqlmodel import Session

    from kacrm.store.models import CreditReview, Customer

    now = utcnow()
    with Session(engine) as session:
        if reviews:
            session.execute(insert(CreditReview), [{**r, "created_at": now} for r in reviews])
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

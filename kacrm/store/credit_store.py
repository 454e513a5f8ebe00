"""Credit in the database: load what the credit analyses need, store reviews and manual decisions, and apply
grades, limits and terms to customers. kacrm.app.credit joins them to the rules."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, String, insert, select, type_coerce, update
from sqlmodel import Session

from kacrm.store.clock import utcnow
from kacrm.store.models import CreditReview, Customer, Order, Payment
from kacrm.store.repo import customer_by_code

if TYPE_CHECKING:
    import pandas as pd


def _raw(column: Any) -> Any:
    return type_coerce(column, String).label(column.key)


def load_frames(
    engine: Engine, today: date, customer_id: int | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Customers (with their credit fields), orders and payments up to ``today`` (for all customers or one)."""
    import pandas as pd

    customers = select(
        Customer.id.label("customer_id"),
        Customer.code.label("customer_code"),
        Customer.name.label("customer_name"),
        Customer.payment_terms_days,
        Customer.credit_grade,
        Customer.credit_limit_cents,
    ).order_by(Customer.code)
    # Dates as the driver gives them (ISO text on SQLite, dates on PostgreSQL): pandas parses a column at once,
    # many times faster than SQLAlchemy's row-by-row date processing.
    orders = select(
        Order.customer_id,
        Order.order_no,
        _raw(Order.order_date),
        Order.amount_cents,
        _raw(Order.due_date),
    ).where(Order.order_date <= today)
    payments = select(
        Payment.customer_id,
        Payment.payment_no,
        Payment.order_no,
        _raw(Payment.paid_on),
        Payment.amount_cents,
    ).where(Payment.paid_on <= today)
    if customer_id is not None:
        customers = customers.where(Customer.id == customer_id)
        orders = orders.where(Order.customer_id == customer_id)
        payments = payments.where(Payment.customer_id == customer_id)
    with engine.connect() as conn:
        # plain tuples: pandas probing SQLAlchemy Row objects for attributes costs seconds on large tables
        return tuple(
            pd.DataFrame.from_records(
                list(map(tuple, conn.execute(q))), columns=list(q.selected_columns.keys())
            )
            for q in (customers, orders, payments)
        )


def load_decisions(
    engine: Engine, customer_id: int | None = None
) -> dict[int, list[dict[str, Any]]]:
    """Each customer's manual decisions (parsed factors JSON), oldest first."""
    query = select(CreditReview.customer_id, CreditReview.factors).where(
        CreditReview.manual.is_(True)
    )
    if customer_id is not None:
        query = query.where(CreditReview.customer_id == customer_id)
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    with engine.connect() as conn:
        for cid, factors in conn.execute(query.order_by(CreditReview.id)):
            found[cid].append(json.loads(factors))
    return found


def load_holds(
    engine: Engine, customer_id: int | None = None
) -> dict[int, list[tuple[date, bool]]]:
    """Each customer's manual credit holds and releases as (day, hold?), oldest first (SPEC §15)."""
    query = select(CreditReview.customer_id, CreditReview.reviewed_on, CreditReview.factors).where(
        CreditReview.manual.is_(True)
    )
    if customer_id is not None:
        query = query.where(CreditReview.customer_id == customer_id)
    found: dict[int, list[tuple[date, bool]]] = defaultdict(list)
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(CreditReview.reviewed_on, CreditReview.id))
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
    """The customer ``code`` (NotFound for a wrong code)."""
    with Session(engine) as session:
        return _credit(customer_by_code(session, code))


def latest_review(
    engine: Engine, customer_id: int, today: date | None = None
) -> dict[str, Any] | None:
    """The newest computed (not manual) review of a customer, up to ``today`` when given, factors parsed."""
    query = select(CreditReview).where(
        CreditReview.customer_id == customer_id, CreditReview.manual.is_(False)
    )
    if today is not None:
        query = query.where(CreditReview.reviewed_on <= today)
    with Session(engine) as session:
        stored = session.scalars(
            query.order_by(CreditReview.reviewed_on.desc(), CreditReview.id.desc())
        ).first()
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

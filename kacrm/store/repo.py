"""Shared queries: customer lookup, the customer list with its aggregates, and DataFrames for the analyses."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Engine, select
from sqlmodel import Session

from kacrm.store.customer_rows import resolve_customer
from kacrm.store.models import Contact, Customer, Interaction, Order, Payment
from kacrm.store.raw import raw_rows

if TYPE_CHECKING:
    import pandas as pd


def customer_by_code(session: Session, code: str) -> Customer:
    """The customer with this code, else the one with this name or short name (customer_rows.resolve_customer)."""
    return resolve_customer(
        code,
        lambda: session.scalars(select(Customer).where(Customer.code == code)).first(),
        lambda key: list(session.scalars(select(Customer).where(Customer.name_key == key))),
        lambda: list(session.scalars(select(Customer).where(Customer.short_name.is_not(None)))),
    )


def _frame(
    engine: Engine, query, date_columns: tuple[str, ...] = (), *, raw: bool = False
) -> pd.DataFrame:
    """The query's rows as a DataFrame. ``raw``: straight from the DB-API cursor, for the big tables whose columns
    are numbers, text and dates (read_sql_query's SQLAlchemy rows cost about 1 µs each; booleans and timestamps
    would come back untyped this way)."""
    import pandas as pd

    with engine.connect() as conn:
        if raw:
            names, rows = raw_rows(conn, query)
            frame = pd.DataFrame.from_records(rows, columns=names)
        else:
            frame = pd.read_sql_query(query, conn)
    for col in date_columns:
        frame[col] = pd.to_datetime(frame[col])
    return frame


def customers_frame(engine: Engine) -> pd.DataFrame:
    query = select(
        Customer.id.label("customer_id"),
        Customer.code.label("customer_code"),
        Customer.name.label("customer_name"),
        Customer.type,
        Customer.status,
        Customer.region,
        Customer.owner,
        Customer.tier,
        Customer.tier_pinned,
        Customer.cadence_days,
        Customer.credit_grade,
        Customer.credit_limit_cents,
        Customer.payment_terms_days,
        Customer.created_at,
    ).order_by(Customer.code)
    return _frame(engine, query)


def orders_frame(
    engine: Engine, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """Orders with start <= order_date <= end (either bound optional)."""
    query = select(
        Order.id.label("order_id"),
        Order.order_no,
        Order.customer_id,
        Order.order_date,
        Order.amount_cents,
        Order.cost_cents,
        Order.quantity,
        Order.product,
        Order.due_date,
        Order.status,
    )
    if start is not None:
        query = query.where(Order.order_date >= start)
    if end is not None:
        query = query.where(Order.order_date <= end)
    frame = _frame(
        engine,
        query.order_by(Order.order_date, Order.order_no),
        ("order_date", "due_date"),
        raw=True,
    )
    frame["amount_cents"] = frame["amount_cents"].astype("int64")
    frame["cost_cents"] = frame["cost_cents"].astype("float64")
    frame["quantity"] = frame["quantity"].astype("float64")
    return frame


def payments_frame(engine: Engine, end: date | None = None) -> pd.DataFrame:
    query = select(
        Payment.id.label("payment_id"),
        Payment.payment_no,
        Payment.customer_id,
        Payment.order_no,
        Payment.paid_on,
        Payment.amount_cents,
    )
    if end is not None:
        query = query.where(Payment.paid_on <= end)
    frame = _frame(
        engine, query.order_by(Payment.paid_on, Payment.payment_no), ("paid_on",), raw=True
    )
    frame["amount_cents"] = frame["amount_cents"].astype("int64")
    return frame


def interactions_frame(engine: Engine, end: date | None = None) -> pd.DataFrame:
    query = select(
        Interaction.id.label("interaction_id"),
        Interaction.customer_id,
        Interaction.contact_id,
        Interaction.happened_on,
        Interaction.kind,
        Interaction.summary,
        Interaction.cost_cents,
        Interaction.resolved_on,
        Interaction.next_due,
    )
    if end is not None:
        query = query.where(Interaction.happened_on <= end)
    frame = _frame(
        engine,
        query.order_by(Interaction.happened_on),
        ("happened_on", "resolved_on", "next_due"),
        raw=True,
    )
    frame["cost_cents"] = frame["cost_cents"].astype("float64")
    return frame


def contacts_frame(engine: Engine) -> pd.DataFrame:
    query = select(
        Contact.id.label("contact_id"),
        Contact.customer_id,
        Contact.name,
        Contact.title,
        Contact.role,
        Contact.phone,
        Contact.email,
        Contact.birthday,
        Contact.birthday_has_year,
        Contact.lunar_birthday_month,
        Contact.lunar_birthday_day,
        Contact.lunar_birthday_leap,
        Contact.anniversary,
        Contact.hobbies,
    )
    return _frame(engine, query, ("birthday", "anniversary"))

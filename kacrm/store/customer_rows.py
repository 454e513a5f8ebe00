"""The customer list with its aggregates, in SQLAlchemy Core only (issue 19).

`customer list` is a read: it needs neither the ORM nor SQLModel's pydantic classes, whose import costs more than
the query on a book of a few hundred customers. The tables are named here by their columns alone (``table()`` /
``column()``: no types, no metadata); the names are kacrm.store.models' tables, which tests/test_customer_rows.py
checks. Rows come straight from the DB-API cursor (store/raw.py), dates converted there.
"""

from __future__ import annotations

from collections import namedtuple
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import column, func, or_, select, table

from kacrm.store.raw import as_date, raw_rows
from kacrm.values import name_key

if TYPE_CHECKING:
    from sqlalchemy import Engine

# what `customer list` shows of the customer itself (render.customers.list_row)
CUSTOMER_COLUMNS = (
    "id",
    "code",
    "name",
    "name_key",
    "short_name",
    "type",
    "status",
    "region",
    "owner",
    "phone",
    "tier",
    "credit_grade",
)
customer = table("customer", *(column(name) for name in CUSTOMER_COLUMNS))
orders = table("orders", column("customer_id"), column("amount_cents"), column("order_date"))
payment = table("payment", column("customer_id"), column("amount_cents"), column("paid_on"))
interaction = table("interaction", column("customer_id"), column("happened_on"))

CustomerRow = namedtuple("CustomerRow", CUSTOMER_COLUMNS)  # type: ignore[misc]


def customer_summaries(
    engine: Engine,
    today: date,
    *,
    tier: str | None = None,
    owner: str | None = None,
    search: str | None = None,
    codes: list[str] | None = None,
) -> list[dict[str, Any]]:
    """One row per customer with the aggregates of `customer list` (orders and payments dated up to today);
    ``customer`` is a CustomerRow of the list's columns."""
    ordered = (
        select(
            orders.c.customer_id,
            func.count().label("orders"),
            func.sum(orders.c.amount_cents).label("revenue_cents"),
            func.min(orders.c.order_date).label("first_order_on"),
            func.max(orders.c.order_date).label("last_order_on"),
        )
        .where(orders.c.order_date <= today)
        .group_by(orders.c.customer_id)
        .subquery()
    )
    paid = (
        select(payment.c.customer_id, func.sum(payment.c.amount_cents).label("paid_cents"))
        .where(payment.c.paid_on <= today)
        .group_by(payment.c.customer_id)
        .subquery()
    )
    contacted = (
        select(
            interaction.c.customer_id,
            func.max(interaction.c.happened_on).label("last_contact_on"),
        )
        .where(interaction.c.happened_on <= today)
        .group_by(interaction.c.customer_id)
        .subquery()
    )
    c = customer.c
    query = (
        select(
            *(c[name] for name in CUSTOMER_COLUMNS),
            func.coalesce(ordered.c.orders, 0),
            func.coalesce(ordered.c.revenue_cents, 0),
            func.coalesce(paid.c.paid_cents, 0),
            ordered.c.first_order_on,
            ordered.c.last_order_on,
            contacted.c.last_contact_on,
        )
        .select_from(customer)
        .outerjoin(ordered, ordered.c.customer_id == c.id)
        .outerjoin(paid, paid.c.customer_id == c.id)
        .outerjoin(contacted, contacted.c.customer_id == c.id)
        .order_by(func.coalesce(ordered.c.revenue_cents, 0).desc(), c.code)
    )
    if tier:
        query = query.where(c.tier == tier)
    if owner:
        query = query.where(c.owner == owner)
    if search:
        pattern = f"%{search}%"
        key = f"%{name_key(search)}%"
        query = query.where(
            or_(
                c.code.ilike(pattern),
                c.name.ilike(pattern),
                c.name_key.like(key),
                c.short_name.ilike(pattern),
            )
        )
    if codes is not None:
        query = query.where(c.code.in_(codes))
    with engine.connect() as conn:
        _, rows = raw_rows(conn, query)
    width = len(CUSTOMER_COLUMNS)
    out = []
    for row in rows:
        n_orders, revenue, paid_cents, first_on, last_on, contact_on = row[width:]
        out.append(
            {
                "customer": CustomerRow._make(row[:width]),
                "orders": int(n_orders),
                "revenue_cents": int(revenue),
                "paid_cents": int(paid_cents),
                "outstanding_cents": int(revenue) - int(paid_cents),
                "first_order_on": as_date(first_on),
                "last_order_on": as_date(last_on),
                "last_contact_on": as_date(contact_on),
            }
        )
    return out

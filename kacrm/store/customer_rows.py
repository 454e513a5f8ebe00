"""The customer list with its aggregates, and the customer's card, in SQLAlchemy Core only (issue 19).

`customer list` is a read: it needs neither the ORM nor SQLModel's pydantic classes, whose import costs more than
the query on a book of a few hundred customers. The tables are named here by their columns alone (``table()`` /
``column()``: no types, no metadata); the names are kacrm.store.models' tables, which tests/test_customer_rows.py
checks. Rows come straight from the DB-API cursor (store/raw.py), dates converted there. The card
(``card_inputs``) reads the whole customer record and its key persons through Core with the models' column types
for its dates, times and flags, so that they come back as the ORM gives them.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Boolean, Date, DateTime, TypeDecorator, column, func, or_, select, table

from kacrm.errors import AmbiguousCustomer, NotFound
from kacrm.i18n import t
from kacrm.store.raw import as_date, raw_rows
from kacrm.values import name_key

if TYPE_CHECKING:
    from sqlalchemy import Engine

T = TypeVar("T")

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


class UtcTime(TypeDecorator):
    """A timestamp read as the models' (SQLModel's UTCDateTime) reads it: aware, in UTC (SQLite stores it without
    an offset). Here so that the card does not import SQLModel."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# the whole record, for the card (render.customers.customer_card)
CARD_TEXT_COLUMNS = (
    *CUSTOMER_COLUMNS,
    "uscc",
    "industry",
    "address",
    "fax",
    "email",
    "source",
    "notes",
    "tier_method",
    "tier_pinned",
    "cadence_days",
    "credit_limit_cents",
    "payment_terms_days",
    "stage",
    "referred_by_id",
)
card_customer = table(
    "customer",
    *(column(name) for name in CARD_TEXT_COLUMNS),
    column("owner_since", Date),
    column("pool_locked", Boolean),
    column("created_at", UtcTime()),
    column("updated_at", UtcTime()),
)
contact = table(
    "contact",
    *(column(n) for n in ("id", "customer_id", "name", "title", "role", "phone", "email")),
    column("birthday", Date),
    column("birthday_has_year", Boolean),
    column("lunar_birthday_month"),
    column("lunar_birthday_day"),
    column("lunar_birthday_leap", Boolean),
    column("anniversary", Date),
    column("hobbies"),
    column("notes"),
    column("is_primary", Boolean),
)


def resolve_customer(
    code: str,
    by_code: Callable[[], T | None],
    by_name_key: Callable[[str], list[T]],
    with_short_names: Callable[[], list[T]],
) -> T:
    """The customer with this code, else the one whose name or short name is this (compared on the name key,
    so 华为（集团） finds 华为(集团)); several such customers are a usage error listing them (issue 14). The
    three loaders read the database (an ORM session or a Core connection)."""
    found_by_code = by_code()
    if found_by_code is not None:
        return found_by_code
    key = name_key(code)
    found = by_name_key(key)
    if not found:
        found = [c for c in with_short_names() if name_key(c.short_name or "") == key]  # type: ignore[attr-defined]
    if len(found) == 1:
        return found[0]
    if found:
        ordered = sorted(found, key=lambda c: c.code)  # type: ignore[attr-defined]
        listed = ", ".join(f"{c.code} {c.name}" for c in ordered)  # type: ignore[attr-defined]
        words = {"code": code, "listed": listed}
        raise AmbiguousCustomer(
            t("customer_ambiguous", **words), t("customer_ambiguous", "zh", **words)
        )
    raise NotFound(t("customer_not_found", code=code), t("customer_not_found", "zh", code=code))


def card_inputs(
    engine: Engine, code: str, today: date
) -> tuple[dict[str, Any], list[Any], str | None]:
    """What `customer show` needs: the list summary with the whole customer record, the key persons (primary
    first, then by name) and the referrer's code."""
    c = card_customer.c
    everything = select(card_customer)
    with engine.connect() as conn:
        customer = resolve_customer(
            code,
            lambda: conn.execute(everything.where(c.code == code)).first(),
            lambda key: list(conn.execute(everything.where(c.name_key == key))),
            lambda: list(conn.execute(everything.where(c.short_name.is_not(None)))),
        )
        persons = list(
            conn.execute(
                select(contact)
                .where(contact.c.customer_id == customer.id)
                .order_by(contact.c.is_primary.desc(), contact.c.name)
            )
        )
        referrer = (
            conn.execute(select(c.code).where(c.id == customer.referred_by_id)).scalar()
            if customer.referred_by_id
            else None
        )
    (summary,) = customer_summaries(engine, today, codes=[customer.code])
    return {**summary, "customer": customer}, persons, referrer


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

"""The customer list with its aggregates, and the customer's card, as textual SQL (issue 19).

`customer list` and `customer show` are reads: on a current SQLite file they run through the stdlib driver
(kacrm.store.reader) and import neither SQLAlchemy nor the ORM, whose import costs more than the query on a book
of a few hundred customers; on PostgreSQL the same SQL runs through SQLAlchemy's connection. The card's dates,
flags and times are converted by the reader as the models read them (a date, a bool, an aware UTC time), so
the card shows what the ORM gave.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from kacrm.errors import AmbiguousCustomer, NotFound
from kacrm.i18n import t
from kacrm.store.reader import Reader, SqliteBook, reading
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
CustomerRow = namedtuple("CustomerRow", CUSTOMER_COLUMNS)  # type: ignore[misc]

# the whole record, for the card (render.customers.customer_card)
CARD_COLUMNS = (
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
    "owner_since",
    "pool_locked",
    "created_at",
    "updated_at",
)
CONTACT_COLUMNS = (
    "id",
    "customer_id",
    "name",
    "title",
    "role",
    "phone",
    "email",
    "birthday",
    "birthday_has_year",
    "lunar_birthday_month",
    "lunar_birthday_day",
    "lunar_birthday_leap",
    "anniversary",
    "anniversary_has_year",
    "hobbies",
    "notes",
    "is_primary",
)
# the columns the reader converts as the models read them (tests/test_read_paths.py checks them against the models)
CARD_TYPES = {
    "dates": ("owner_since",),
    "flags": ("pool_locked",),
    "times": ("created_at", "updated_at"),
}
CONTACT_TYPES = {
    "dates": ("birthday", "anniversary"),
    "flags": ("birthday_has_year", "lunar_birthday_leap", "anniversary_has_year", "is_primary"),
}


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


_KEYS = "SELECT id, code, name, short_name FROM customer WHERE "


def find_customer(reader: Reader, code: str) -> Any:
    """The customer ``code`` names (resolve_customer), as its id, code, name and short name: for a write that
    only needs to know which customer (kacrm.store.records, pool_store)."""
    return resolve_customer(
        code,
        lambda: next(iter(reader.rows(_KEYS + "code = :code", code=code)), None),
        lambda key: reader.rows(_KEYS + "name_key = :key", key=key),
        lambda: reader.rows(_KEYS + "short_name IS NOT NULL"),
    )


def card_inputs(
    book: SqliteBook | Engine, code: str, today: date
) -> tuple[dict[str, Any], list[Any], str | None]:
    """What `customer show` needs: the list summary with the whole customer record, the key persons (primary
    first, then by name) and the referrer's code."""
    everything = f"SELECT {', '.join(CARD_COLUMNS)} FROM customer WHERE "
    with reading(book) as reader:

        def card(where: str, **params: Any) -> list[Any]:
            return reader.rows(everything + where, **CARD_TYPES, **params)

        customer = resolve_customer(
            code,
            lambda: next(iter(card("code = :code", code=code)), None),
            lambda key: card("name_key = :key", key=key),
            lambda: card("short_name IS NOT NULL"),
        )
        # names by code point on both backends, as the due list and digest choose the key person (due_store)
        by_name = 'name COLLATE "C"' if reader.dialect == "postgresql" else "name"
        persons = reader.rows(
            f"SELECT {', '.join(CONTACT_COLUMNS)} FROM contact WHERE customer_id = :cid "
            f"ORDER BY is_primary DESC, {by_name}",
            **CONTACT_TYPES,
            cid=customer.id,
        )
        referrer = (
            reader.scalar("SELECT code FROM customer WHERE id = :rid", rid=customer.referred_by_id)
            if customer.referred_by_id
            else None
        )
        (summary,) = _summaries(reader, today, " WHERE c.code = :code", {"code": customer.code})
    return {**summary, "customer": customer}, persons, referrer


def customer_summaries(
    book: SqliteBook | Engine,
    today: date,
    *,
    tier: str | None = None,
    owner: str | None = None,
    search: str | None = None,
) -> list[dict[str, Any]]:
    """One row per customer with the aggregates of `customer list` (orders and payments dated up to today);
    ``customer`` is a CustomerRow of the list's columns."""
    conditions, params = [], {}
    if tier:
        conditions.append("c.tier = :tier")
        params["tier"] = tier
    if owner:
        conditions.append("c.owner = :owner")
        params["owner"] = owner
    if search:
        # case-blind on the code, name and short name (as SQLAlchemy's ilike renders on SQLite); the name key
        # also finds 华为(集团) by 华为（集团）; the text is matched as typed: % and _ are no wildcards
        conditions.append(
            "(lower(c.code) LIKE lower(:pattern) ESCAPE '\\' OR lower(c.name) LIKE lower(:pattern) "
            "ESCAPE '\\' OR c.name_key LIKE :key ESCAPE '\\' "
            "OR lower(c.short_name) LIKE lower(:pattern) ESCAPE '\\')"
        )
        params.update(pattern=f"%{_literal(search)}%", key=f"%{_literal(name_key(search))}%")
    where = " WHERE " + " AND ".join(conditions) if conditions else ""
    with reading(book) as reader:
        return _summaries(reader, today, where, params)


def _literal(text: str) -> str:
    """``text`` for a LIKE pattern with ESCAPE '\\': its own %, _ and \\ match themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# One row per customer: its list columns, then orders, revenue, paid, first and last order, last contact.
_SUMMARIES = (
    "SELECT {columns}, COALESCE(o.orders, 0) AS orders, COALESCE(o.revenue, 0) AS revenue, "
    "COALESCE(p.paid, 0) AS paid, o.first_on, o.last_on, i.last_contact FROM customer c "
    "LEFT OUTER JOIN (SELECT customer_id, COUNT(*) AS orders, SUM(amount_cents) AS revenue, "
    "MIN(order_date) AS first_on, MAX(order_date) AS last_on FROM orders WHERE order_date <= :today "
    "GROUP BY customer_id) o ON o.customer_id = c.id "
    "LEFT OUTER JOIN (SELECT customer_id, SUM(amount_cents) AS paid FROM payment WHERE paid_on <= :today "
    "GROUP BY customer_id) p ON p.customer_id = c.id "
    "LEFT OUTER JOIN (SELECT customer_id, MAX(happened_on) AS last_contact FROM interaction "
    "WHERE happened_on <= :today GROUP BY customer_id) i ON i.customer_id = c.id"
    "{where} ORDER BY COALESCE(o.revenue, 0) DESC, c.code"
)


def _summaries(
    reader: Reader, today: date, where: str, params: dict[str, Any]
) -> list[dict[str, Any]]:
    columns = ", ".join(f"c.{name}" for name in CUSTOMER_COLUMNS)
    rows = reader.rows(
        _SUMMARIES.format(columns=columns, where=where),
        ("first_on", "last_on", "last_contact"),
        today=today,
        **params,
    )
    width = len(CUSTOMER_COLUMNS)
    return [
        {
            "customer": CustomerRow._make(row[:width]),
            "orders": int(row.orders),
            "revenue_cents": int(row.revenue),
            "paid_cents": int(row.paid),
            "outstanding_cents": int(row.revenue) - int(row.paid),
            "first_order_on": row.first_on,
            "last_order_on": row.last_on,
            "last_contact_on": row.last_contact,
        }
        for row in rows
    ]

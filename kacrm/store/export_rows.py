"""What `kacrm export` writes, read from the database: per kind its importer headers and rows (SPEC §9).

Values come out in forms the importer's parsers read back (ISO dates, money as plain yuan with two decimals, a
birthday without a year as ``MM-DD`` (not ISO's ``--MM-DD``, which would need neutralising), a lunar birthday as
``MM-DD`` or ``L04-08``), and customers are named by code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import aliased

from kacrm.domain import money
from kacrm.errors import UsageError
from kacrm.i18n import t
from kacrm.store.models import (
    Contact,
    CreditReview,
    Customer,
    Interaction,
    Order,
    Owner,
    Payment,
    PaymentSchedule,
    TierRun,
    TierSnapshot,
)

# in the order a fresh database takes them back: payment plans after the orders they name
IMPORT_KINDS = ("customers", "contacts", "orders", "payments", "interactions", "schedules")
# owners import back too (issue 15), outside the round trip of the customers' records (tests/test_owner_import.py)
READ_ONLY_KINDS = ("tier_history", "credit_reviews", "owners")
KINDS = IMPORT_KINDS + READ_ONLY_KINDS


@dataclass(frozen=True)
class Field:
    header: str
    column: Any  # a SQLAlchemy column expression
    convert: Callable[[Any], Any] | None = None


def _flag(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def _lunar(row: tuple[int | None, int | None, bool]) -> str | None:
    month, day, leap = row
    if not month or not day:
        return None
    return f"{'L' if leap else ''}{month:02d}-{day:02d}"


def _partial_date(row: tuple[date | None, bool]) -> str | date | None:
    """A birthday or anniversary: its date, or ``MM-DD`` when the year is unknown."""
    day, has_year = row
    if day is None:
        return None
    return day if has_year else f"{day.month:02d}-{day.day:02d}"


Referrer = aliased(Customer)
ContactPerson = aliased(Contact)


def _fields(kind: str) -> tuple[list[Field], Any]:
    """The columns of one export kind and the query's FROM/ORDER (a select without columns)."""
    code = Field("customer_code", Customer.code)
    if kind == "customers":
        fields = [
            Field("code", Customer.code),
            Field("name", Customer.name),
            # the keys ERP files name a customer by (客户简称, 统一社会信用代码): a book rebuilt from its export
            # still matches their orders
            Field("short_name", Customer.short_name),
            Field("uscc", Customer.uscc),
            Field("type", Customer.type),
            Field("status", Customer.status),
            Field("region", Customer.region),
            Field("industry", Customer.industry),
            Field("owner", Customer.owner),
            Field("address", Customer.address),
            Field("phone", Customer.phone),
            Field("fax", Customer.fax),
            Field("email", Customer.email),
            Field("source", Customer.source),
            Field("notes", Customer.notes),
            Field("tier", Customer.tier),
            Field("payment_terms_days", Customer.payment_terms_days),
            Field("credit_limit", Customer.credit_limit_cents, money),
            Field("credit_grade", Customer.credit_grade),
            Field("stage", Customer.stage),
            Field("referred_by", Referrer.code),
            Field("cadence_days", Customer.cadence_days),
        ]
        return (
            fields,
            lambda q: (
                q.select_from(Customer)
                .outerjoin(Referrer, Referrer.id == Customer.referred_by_id)
                .order_by(Customer.code)
            ),
        )
    if kind == "contacts":
        fields = [
            code,
            Field("name", Contact.name),
            Field("title", Contact.title),
            Field("role", Contact.role),
            Field("phone", Contact.phone),
            Field("email", Contact.email),
            Field("birthday", (Contact.birthday, Contact.birthday_has_year), _partial_date),
            Field(
                "lunar_birthday",
                (
                    Contact.lunar_birthday_month,
                    Contact.lunar_birthday_day,
                    Contact.lunar_birthday_leap,
                ),
                _lunar,
            ),
            Field(
                "anniversary", (Contact.anniversary, Contact.anniversary_has_year), _partial_date
            ),
            Field("hobbies", Contact.hobbies),
            Field("notes", Contact.notes),
            Field("is_primary", Contact.is_primary, _flag),
        ]
        return (
            fields,
            lambda q: (
                q.select_from(Contact)
                .join(Customer, Customer.id == Contact.customer_id)
                .order_by(Customer.code, Contact.is_primary.desc(), Contact.name)
            ),
        )
    if kind == "orders":
        fields = [
            Field("order_no", Order.order_no),
            code,
            Field("order_date", Order.order_date),
            Field("amount", Order.amount_cents, money),
            Field("quantity", Order.quantity),
            Field("product", Order.product),
            Field("cost", Order.cost_cents, money),
            Field("due_date", Order.due_date),
            Field("salesperson", Order.salesperson),
            Field("status", Order.status),
        ]
        return (
            fields,
            lambda q: (
                q.select_from(Order)
                .join(Customer, Customer.id == Order.customer_id)
                .order_by(Order.order_date, Order.order_no)
            ),
        )
    if kind == "payments":
        fields = [
            Field("payment_no", Payment.payment_no),
            code,
            Field("order_no", Payment.order_no),
            Field("paid_on", Payment.paid_on),
            Field("amount", Payment.amount_cents, money),
            Field("method", Payment.method),
        ]
        return (
            fields,
            lambda q: (
                q.select_from(Payment)
                .join(Customer, Customer.id == Payment.customer_id)
                .order_by(Payment.paid_on, Payment.payment_no)
            ),
        )
    if kind == "interactions":
        fields = [
            code,
            Field("contact", ContactPerson.name),
            Field("happened_on", Interaction.happened_on),
            Field("kind", Interaction.kind),
            Field("summary", Interaction.summary),
            Field("outcome", Interaction.outcome),
            Field("cost", Interaction.cost_cents, money),
            Field("resolved_on", Interaction.resolved_on),
            Field("next_due", Interaction.next_due),
            Field("key", Interaction.key),
        ]  # what import matches on: a re-import updates, never duplicates
        return (
            fields,
            lambda q: (
                q.select_from(Interaction)
                .join(Customer, Customer.id == Interaction.customer_id)
                .outerjoin(ContactPerson, ContactPerson.id == Interaction.contact_id)
                .order_by(Interaction.happened_on, Customer.code, Interaction.id)
            ),
        )
    if kind == "schedules":  # payment plans (SPEC §15): the columns `kacrm import` reads a plan by
        fields = [
            Field("order_no", Order.order_no),
            Field("instalment", PaymentSchedule.instalment),
            Field("due_on", PaymentSchedule.due_on),
            Field("amount", PaymentSchedule.amount_cents, money),
        ]
        return (
            fields,
            lambda q: (
                q.select_from(PaymentSchedule)
                .join(Order, Order.id == PaymentSchedule.order_id)
                .order_by(Order.order_no, PaymentSchedule.instalment)
            ),
        )
    if kind == "tier_history":
        fields = [
            Field("as_of", TierRun.as_of),
            Field("method", TierRun.method),
            Field("metric", TierRun.metric),
            Field("window", TierRun.window),
            code,
            Field("customer_name", Customer.name),
            Field("tier", TierSnapshot.tier),
            Field("value", TierSnapshot.value),
            Field("share", TierSnapshot.share),
            Field("rank", TierSnapshot.rank),
            Field("pinned", TierSnapshot.pinned, _flag),
        ]
        return (
            fields,
            lambda q: (
                q.select_from(TierSnapshot)
                .join(TierRun, TierRun.id == TierSnapshot.run_id)
                .join(Customer, Customer.id == TierSnapshot.customer_id)
                .order_by(TierRun.as_of, TierRun.id, TierSnapshot.rank, Customer.code)
            ),
        )
    if kind == "credit_reviews":
        fields = [
            Field("reviewed_on", CreditReview.reviewed_on),
            code,
            Field("customer_name", Customer.name),
            Field("grade", CreditReview.grade),
            Field("score", CreditReview.score),
            Field("credit_limit", CreditReview.limit_cents, money),
            Field("payment_terms_days", CreditReview.payment_terms_days),
            Field("manual", CreditReview.manual, _flag),
            Field("note", CreditReview.note),
            Field("factors", CreditReview.factors),
        ]
        return (
            fields,
            lambda q: (
                q.select_from(CreditReview)
                .join(Customer, Customer.id == CreditReview.customer_id)
                .order_by(CreditReview.reviewed_on, CreditReview.id)
            ),
        )
    if kind == "owners":  # issue 15: the team's salespeople (`kacrm import` reads them back)
        fields = [
            Field("owner", Owner.name),
            Field("email", Owner.email),
            Field("capacity", Owner.capacity),
        ]
        return fields, lambda q: q.select_from(Owner).order_by(Owner.name)
    kinds = ", ".join(KINDS)
    raise UsageError(  # an argument's value that is not one of its choices: exit 2
        t("export_unknown_kind", "en", kind=kind, kinds=kinds),
        t("export_unknown_kind", "zh", kind=kind, kinds=kinds),
    )


def export_rows(engine: Engine, kind: str) -> tuple[list[str], Iterator[list[Any]]]:
    """The headers and the rows (typed values: str, int, float, Decimal, date, None) of one export kind."""
    fields, shape = _fields(kind)
    columns: list[Any] = []
    slices: list[tuple[int, int, Callable[[Any], Any] | None]] = []
    for f in fields:
        parts = f.column if isinstance(f.column, tuple) else (f.column,)
        slices.append((len(columns), len(parts), f.convert))
        columns += parts
    query = shape(select(*columns))

    def rows() -> Iterator[list[Any]]:
        with engine.connect() as conn:
            for row in conn.execution_options(stream_results=True, yield_per=5000).execute(query):
                out = []
                for start, width, convert in slices:
                    value = row[start] if width == 1 else tuple(row[start : start + width])
                    out.append(convert(value) if convert else value)
                yield out

    return [f.header for f in fields], rows()

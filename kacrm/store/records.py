"""Single-record changes to customers, interactions and plans. The list of plans is read in kacrm.store.plan_rows.

The writes of a salesperson's day (log, customer edit, plan add/done) are textual SQL in one transaction
(kacrm.store.reader.writing): a current SQLite file is written through the stdlib driver without importing
SQLAlchemy and the ORM, which cost more than the write (issue 19); the same SQL runs through SQLAlchemy on
PostgreSQL and on a file to upgrade. The rows are those the ORM wrote: the key of a record entered by hand, the
name key, timestamps and dates stored as the models store them. Adding and removing a customer go through the ORM.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from kacrm.errors import KacrmError, NotFound, input_error
from kacrm.i18n import t
from kacrm.store.clock import log_key, utcnow
from kacrm.store.customer_rows import find_customer
from kacrm.store.reader import AlchemyReader, Reader, SqliteBook, writing
from kacrm.values import name_key, normalize_text

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kacrm.store.models import Customer


def add_customer(
    engine: Engine,
    code: str,
    fields: dict[str, Any],
    referred_by: str | None = None,
    today: date | None = None,
) -> Customer:
    from sqlalchemy import select
    from sqlmodel import Session

    from kacrm.store.models import Customer
    from kacrm.store.repo import customer_by_code

    with Session(engine) as session:
        if session.scalars(select(Customer.id).where(Customer.code == code)).first() is not None:
            raise KacrmError(
                t("customer_exists", "en", code=code), t("customer_exists", "zh", code=code)
            )
        _refuse_taken_uscc(AlchemyReader(session.connection()), fields.get("uscc"), code)
        now = utcnow()
        added = (
            today or date.today()
        )  # "today" as the command reads it: --as-of, else the local date
        customer = Customer(code=code, added_on=added, created_at=now, updated_at=now, **fields)
        if referred_by:
            if referred_by == code:
                raise input_error("customer_refers_itself", code=code)
            customer.referred_by_id = customer_by_code(session, referred_by).id
        session.add(customer)
        session.commit()
        session.refresh(customer)
        return customer


def _refuse_taken_uscc(reader: Reader, uscc: str | None, code: str) -> None:
    """A unified social credit code names one company: the importer matches customers on it first, so two
    customers holding one code would make its matches ambiguous."""
    if not uscc:
        return
    other = reader.rows(
        "SELECT code, name FROM customer WHERE uscc = :uscc AND code <> :code LIMIT 1",
        uscc=uscc,
        code=code,
    )
    if other:
        raise input_error("uscc_taken", uscc=uscc, code=other[0].code, name=other[0].name)


def edit_customer(
    book: SqliteBook | Engine, code: str, fields: dict[str, Any], referred_by: str | None = None
) -> str:
    """Set the columns ``fields`` of the customer ``code`` names (and its referrer: '' clears it); its code."""
    with writing(book) as writer:
        customer = find_customer(writer, code)
        _refuse_taken_uscc(writer, fields.get("uscc"), customer.code)
        values = dict(fields)
        if referred_by is not None:
            if referred_by == code:
                raise input_error("customer_refers_itself", code=code)
            values["referred_by_id"] = (
                find_customer(writer, referred_by).id if referred_by else None
            )
        name = values.get("name", customer.name)
        values["name_key"] = name_key(name) if name else None  # as models._set_name_key keeps it
        values["updated_at"] = utcnow()
        changes = ", ".join(f"{column} = :{column}" for column in values)
        writer.run(f"UPDATE customer SET {changes} WHERE id = :id", id=customer.id, **values)
        return customer.code


def remove_customer(engine: Engine, code: str) -> None:
    """Delete a customer and every record that belongs to it, in one transaction."""
    from sqlalchemy import delete, select
    from sqlmodel import Session

    from kacrm.store.models import (
        Contact,
        CreditReview,
        Customer,
        Interaction,
        Order,
        Payment,
        Plan,
        Task,
        TierRun,
        TierSnapshot,
    )
    from kacrm.store.repo import customer_by_code

    with Session(engine) as session:
        customer = customer_by_code(session, code)
        cid = customer.id
        # snapshots are indexed by (run_id, customer_id): one seek per run instead of a scan of every snapshot
        session.execute(
            delete(TierSnapshot).where(
                TierSnapshot.run_id.in_(select(TierRun.id)), TierSnapshot.customer_id == cid
            )
        )
        for model in (CreditReview, Task, Plan, Interaction, Payment, Order, Contact):
            session.execute(delete(model).where(model.customer_id == cid))
        session.execute(
            Customer.__table__.update()
            .where(Customer.referred_by_id == cid)
            .values(referred_by_id=None)
        )
        session.delete(customer)
        session.commit()


def log_interaction(
    book: SqliteBook | Engine,
    code: str,
    kind: str,
    happened_on: date,
    *,
    summary: str | None = None,
    contact: str | None = None,
    next_due: date | None = None,
    cost_cents: int | None = None,
    outcome: str | None = None,
) -> int:
    """Record an interaction by hand (its id); a contact is named by its name at that customer. Texts are
    normalised as the importer normalises them, so that exporting and importing the row back finds it unchanged."""
    summary, outcome = (
        normalize_text(t) or None if t is not None else None for t in (summary, outcome)
    )
    with writing(book) as writer:
        customer = find_customer(writer, code)
        contact_id = None
        if contact:
            contact_id = writer.scalar(
                "SELECT id FROM contact WHERE customer_id = :cid AND name = :name",
                cid=customer.id,
                name=contact,
            )
            if contact_id is None:
                values = {"code": code, "contact": contact}
                raise NotFound(
                    t("contact_not_found", "en", **values), t("contact_not_found", "zh", **values)
                )
        return writer.insert(
            "interaction",
            key=log_key(),
            customer_id=customer.id,
            contact_id=contact_id,
            happened_on=happened_on,
            kind=kind,
            summary=summary,
            outcome=outcome,
            cost_cents=cost_cents,
            next_due=next_due,
        )


def add_plan(
    book: SqliteBook | Engine, code: str, horizon: str, goal: str, target_date: date | None
) -> int:
    """A new open plan goal for the customer ``code`` names; its id."""
    with writing(book) as writer:
        customer = find_customer(writer, code)
        return writer.insert(
            "plan",
            customer_id=customer.id,
            horizon=horizon,
            goal=goal,
            target_date=target_date,
            status="open",
            created_at=utcnow(),
        )


def complete_plan(book: SqliteBook | Engine, plan_id: int, today: date) -> None:
    """Mark the plan ``plan_id`` done on ``today`` (NotFound when there is none)."""
    with writing(book) as writer:
        # typed as the ORM bound it: an id beyond the column's range is the database's refusal ("out of
        # range"), not a plan that is missing
        if writer.scalar("SELECT id FROM plan WHERE id = CAST(:id AS BIGINT)", id=plan_id) is None:
            raise NotFound(
                t("plan_not_found", "en", id=plan_id), t("plan_not_found", "zh", id=plan_id)
            )
        writer.run(
            "UPDATE plan SET status = 'done', done_on = :today WHERE id = :id",
            today=today,
            id=plan_id,
        )

"""Single-record changes to customers, interactions and plans (the ORM is for single records). The list of plans
is read in kacrm.store.plan_rows."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlmodel import Session

from kacrm.errors import KacrmError, NotFound, input_error
from kacrm.i18n import t
from kacrm.store.clock import utcnow
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
from kacrm.values import normalize_text


def add_customer(
    engine: Engine, code: str, fields: dict[str, Any], referred_by: str | None = None
) -> Customer:
    with Session(engine) as session:
        if session.scalars(select(Customer.id).where(Customer.code == code)).first() is not None:
            raise KacrmError(
                t("customer_exists", "en", code=code), t("customer_exists", "zh", code=code)
            )
        _refuse_taken_uscc(session, fields.get("uscc"), code)
        now = utcnow()
        customer = Customer(code=code, created_at=now, updated_at=now, **fields)
        if referred_by:
            if referred_by == code:
                raise input_error("customer_refers_itself", code=code)
            customer.referred_by_id = customer_by_code(session, referred_by).id
        session.add(customer)
        session.commit()
        session.refresh(customer)
        return customer


def _refuse_taken_uscc(session: Session, uscc: str | None, code: str) -> None:
    """A unified social credit code names one company: the importer matches customers on it first, so two
    customers holding one code would make its matches ambiguous."""
    if not uscc:
        return
    other = session.scalars(
        select(Customer).where(Customer.uscc == uscc, Customer.code != code)
    ).first()
    if other is not None:
        raise input_error("uscc_taken", uscc=uscc, code=other.code, name=other.name)


def edit_customer(
    engine: Engine, code: str, fields: dict[str, Any], referred_by: str | None = None
) -> Customer:
    with Session(engine) as session:
        customer = customer_by_code(session, code)
        _refuse_taken_uscc(session, fields.get("uscc"), customer.code)
        for key, value in fields.items():
            setattr(customer, key, value)
        if referred_by is not None:
            if referred_by == code:
                raise input_error("customer_refers_itself", code=code)
            customer.referred_by_id = (
                customer_by_code(session, referred_by).id if referred_by else None
            )
        customer.updated_at = utcnow()
        session.add(customer)
        session.commit()
        session.refresh(customer)
        return customer


def remove_customer(engine: Engine, code: str) -> None:
    """Delete a customer and every record that belongs to it, in one transaction."""
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
    engine: Engine,
    code: str,
    kind: str,
    happened_on: date,
    *,
    summary: str | None = None,
    contact: str | None = None,
    next_due: date | None = None,
    cost_cents: int | None = None,
    outcome: str | None = None,
    resolved_on: date | None = None,
) -> Interaction:
    """Record an interaction by hand; a contact is named by its name at that customer. Texts are normalised as
    the importer normalises them, so that exporting and importing the row back finds it unchanged."""
    summary, outcome = (
        normalize_text(t) or None if t is not None else None for t in (summary, outcome)
    )
    with Session(engine) as session:
        customer = customer_by_code(session, code)
        contact_id = None
        if contact:
            found = session.scalars(
                select(Contact).where(Contact.customer_id == customer.id, Contact.name == contact)
            ).first()
            if found is None:
                values = {"code": code, "contact": contact}
                raise NotFound(
                    t("contact_not_found", "en", **values), t("contact_not_found", "zh", **values)
                )
            contact_id = found.id
        record = Interaction(
            customer_id=customer.id,
            contact_id=contact_id,
            happened_on=happened_on,
            kind=kind,
            summary=summary,
            outcome=outcome,
            cost_cents=cost_cents,
            next_due=next_due,
            resolved_on=resolved_on,
        )
        session.add(record)
        session.commit()
        session.refresh(record)
        return record


def add_plan(engine: Engine, code: str, horizon: str, goal: str, target_date: date | None) -> Plan:
    with Session(engine) as session:
        customer = customer_by_code(session, code)
        plan = Plan(
            customer_id=customer.id,
            horizon=horizon,
            goal=goal,
            target_date=target_date,
            created_at=utcnow(),
        )
        session.add(plan)
        session.commit()
        session.refresh(plan)
        return plan


def complete_plan(engine: Engine, plan_id: int, today: date) -> Plan:
    with Session(engine) as session:
        plan = session.get(Plan, plan_id)
        if plan is None:
            raise NotFound(
                t("plan_not_found", "en", id=plan_id), t("plan_not_found", "zh", id=plan_id)
            )
        plan.status, plan.done_on = "done", today
        session.add(plan)
        session.commit()
        session.refresh(plan)
        return plan

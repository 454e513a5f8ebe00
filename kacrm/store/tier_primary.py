"""The tier in force (SPEC §6, issue 15): the primary method stored for the team, pins per method, re-deriving
the tier in force from a method's latest run, and every method's latest tier per customer (its dimensions)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date

from sqlalchemy import Engine, delete, func, select
from sqlmodel import Session

from kacrm.domain import METHODS
from kacrm.store.clock import utcnow
from kacrm.store.models import Customer, Setting, TierMovement, TierPin, TierRun, TierSnapshot
from kacrm.store.repo import customer_by_code
from kacrm.store.settings import PRIMARY_KEY


def latest_run_ids(session: Session, methods: Iterable[str] = METHODS) -> dict[str, int]:
    """method → id of its newest stored run by customer (newest as-of day, then newest id)."""
    found: dict[str, int] = {}
    for method in methods:
        run_id = session.scalars(
            select(TierRun.id)
            .where(TierRun.method == method, TierRun.by == "customer")
            .order_by(TierRun.as_of.desc(), TierRun.id.desc())
            .limit(1)
        ).first()
        if run_id is not None:
            found[method] = run_id
    return found


def latest_run_choice(engine: Engine, method: str) -> tuple[str, str] | None:
    """(metric, window) of ``method``'s newest run by customer, the one `tier primary` re-derives the tier in
    force from; None if it never ran."""
    with Session(engine) as session:
        run_id = latest_run_ids(session, [method]).get(method)
        run = session.get(TierRun, run_id) if run_id is not None else None
    return (run.metric, run.window) if run is not None else None


def tiers_lost_without_run(engine: Engine, method: str) -> int:
    """How many customers would lose their tier in force if ``method`` became primary now: none when it has a
    stored run by customer (the switch re-derives from that), else those with a tier in force and no pin of
    ``method``."""
    with Session(engine) as session:
        if latest_run_ids(session, [method]):
            return 0
        pinned = select(TierPin.customer_id).where(TierPin.method == method)
        return session.scalar(
            select(func.count())
            .select_from(Customer)
            .where(
                func.coalesce(Customer.tier_pinned, Customer.tier).is_not(None),
                Customer.id.not_in(pinned),
            )
        )


def switch_primary(
    engine: Engine, choice: dict[str, str], today: date
) -> tuple[int | None, list[tuple[str, str | None, str | None]]]:
    """Store the primary tiering and re-derive the tier in force from its method's latest run plus that method's
    pins, recording every change in tier_movement. Returns (the run used or None, [(code, old, new)])."""
    method = choice["method"]
    now = utcnow()
    with Session(engine) as session:
        row = session.get(Setting, PRIMARY_KEY)
        if row is None:
            row = Setting(key=PRIMARY_KEY, value="", updated_at=now)
        row.value = json.dumps(choice, sort_keys=True)
        row.updated_at = now
        session.add(row)
        run_id = latest_run_ids(session, [method]).get(method)
        tiers: dict[int, str] = {}
        if run_id is not None:
            tiers = dict(
                session.execute(
                    select(TierSnapshot.customer_id, TierSnapshot.tier).where(
                        TierSnapshot.run_id == run_id
                    )
                ).all()
            )
        pins = dict(
            session.execute(
                select(TierPin.customer_id, TierPin.tier).where(TierPin.method == method)
            ).all()
        )
        tiers.update(pins)
        moved: list[tuple[str, str | None, str | None]] = []
        for customer in session.scalars(select(Customer)):
            new = tiers.get(customer.id)
            old = customer.tier_pinned or customer.tier
            pin = pins.get(customer.id)
            if (new, pin, method if new else None) == (
                customer.tier,
                customer.tier_pinned,
                customer.tier_method,
            ):
                continue
            customer.tier, customer.tier_pinned = new, pin
            customer.tier_method = method if new is not None else None
            customer.updated_at = now
            session.add(customer)
            if old != new:
                moved.append((customer.code, old, new))
                session.add(
                    TierMovement(
                        customer_id=customer.id,
                        changed_on=today,
                        method=method,
                        previous_tier=old,
                        tier=new,
                        created_at=now,
                    )
                )
        session.commit()
    return run_id, moved


def pin_tier(
    engine: Engine, code: str, method: str, tier: str | None, primary: str
) -> tuple[str, str | None]:
    """Set (None: clear) a customer's pin for ``method``; returns (code, old pin). A pin of the primary method
    sets the tier in force at once; unpinning it puts back the tier the method's latest run computed."""
    with Session(engine) as session:
        customer = customer_by_code(session, code)
        pin = session.scalars(
            select(TierPin).where(TierPin.customer_id == customer.id, TierPin.method == method)
        ).first()
        old = pin.tier if pin is not None else None
        if tier is None:
            session.execute(
                delete(TierPin).where(TierPin.customer_id == customer.id, TierPin.method == method)
            )
        else:
            if pin is None:
                pin = TierPin(customer_id=customer.id, method=method, tier=tier)
            pin.tier = tier
            session.add(pin)
        if method == primary:
            customer.tier_pinned = tier
            if tier is not None:
                customer.tier, customer.tier_method = tier, method
            elif old is not None:
                customer.tier = _computed_tier(session, customer.id, method)
            customer.updated_at = utcnow()
            session.add(customer)
        session.commit()
        return customer.code, old


def _computed_tier(session: Session, customer_id: int, method: str) -> str | None:
    """The tier the method's latest run computed for the customer (before any pin), None if it never ran."""
    run_id = latest_run_ids(session, [method]).get(method)
    if run_id is None:
        return None
    row = session.execute(
        select(TierSnapshot.tier, TierSnapshot.details).where(
            TierSnapshot.run_id == run_id, TierSnapshot.customer_id == customer_id
        )
    ).first()
    if row is None:
        return None
    tier, details = row
    computed = json.loads(details).get("computed_tier") if details else None
    return computed or tier

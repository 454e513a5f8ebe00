"""Customers by hand: the list, the information card, add, edit, remove; interactions logged and plans kept.

The CLI parses what the user typed (kacrm.values) and passes typed values; these functions load or store the
records and shape them into the SPEC's rows (render.customers).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from kacrm.app.owners import check_owner
from kacrm.app.pool import check_hand_over, clear_owner, complete_hand_over
from kacrm.app.tier_filter import tier_filter
from kacrm.app.tiering import method_tiers
from kacrm.config import Settings
from kacrm.domain import METHODS
from kacrm.render.customers import customer_card, list_row
from kacrm.store.customer_rows import card_inputs, customer_summaries
from kacrm.store.plan_rows import plan_rows
from kacrm.store.pool_store import ownership_history, pool_lock
from kacrm.store.records import add_customer, edit_customer, log_interaction, remove_customer
from kacrm.store.records import add_plan as add_plan_record
from kacrm.store.records import complete_plan as complete_plan_record

EMPTY_TIERS = dict.fromkeys(METHODS)  # a customer no method has reached

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kacrm.store.models import Customer
    from kacrm.store.reader import SqliteBook


def customer_list(
    book: SqliteBook | Engine,
    today: date,
    *,
    tier: str | None = None,
    owner: str | None = None,
    search: str | None = None,
    settings: Settings | None = None,
) -> list[dict[str, Any]]:
    """The customers with their orders, revenue, payments and last contact, biggest first (SPEC §4 keys);
    ``book``: the SQLite file read without SQLAlchemy, or an engine (kacrm.store.reader). An ``owner`` nobody
    has is NotFound and a ``tier`` there is not a usage error (a typo must not look like an empty book);
    ``settings`` say which tiering is primary when the database does not."""
    if owner is not None:
        owner = check_owner(book, owner)
    if tier is not None:
        settings = settings or Settings()
        tier = tier_filter(book, settings.tier, settings.sources, tier)
    summaries = customer_summaries(book, today, tier=tier, owner=owner, search=search)
    ids = [s["customer"].id for s in summaries]
    tiers = method_tiers(book, ids if len(ids) <= 500 else None)
    return [list_row(s, tiers.get(s["customer"].id, EMPTY_TIERS)) for s in summaries]


def card(book: SqliteBook | Engine, code: str, today: date) -> dict[str, Any]:
    """One customer's information card with its key persons and its ownership history (NotFound for a wrong
    code)."""
    summary, contacts, referred_by = card_inputs(book, code, today)
    customer_id = summary["customer"].id
    tiers = method_tiers(book, [customer_id])[customer_id]
    result = customer_card(summary, contacts, referred_by, tiers)
    result["pool_locked"] = pool_lock(book, customer_id)
    result["ownership"] = ownership_history(book, customer_id)
    return result


def add(
    engine: Engine,
    code: str,
    fields: dict[str, Any],
    today: date,
    referred_by: str | None = None,
) -> Customer:
    """A new customer with typed column values (``credit_limit_cents``, ``payment_terms_days``…), added on
    ``today``."""
    return add_customer(engine, code.strip(), fields, referred_by=referred_by, today=today)


def edit(
    book: SqliteBook | Engine,
    settings: Settings,
    today: date,
    code: str,
    fields: dict[str, Any],
    referred_by: str | None = None,
) -> str:
    """Change typed column values of a customer (its code back); ``referred_by`` '' clears the referrer.

    A new ``owner`` is what `customer assign` does (SPEC §14): refused (exit 4, nothing changed) over the
    capacity or within the cooldown, else the day the owner got the account and a history row ``assigned``;
    ``owner`` None (``--owner ""``) puts it in the pool with a history row too (kacrm.app.pool.clear_owner).
    ``book``: the engine when ``owner`` is given (the pool's rules take it), else also the SQLite file written
    without SQLAlchemy (kacrm.store.records)."""
    rest = {key: value for key, value in fields.items() if key != "owner"}
    new_owner = fields.get("owner")
    # the checks first: a refused handover changes none of the other fields either
    allowed = (
        check_hand_over(book, settings, today, code, new_owner, "assigned")
        if new_owner is not None
        else None
    )
    if rest or referred_by is not None:
        code = edit_customer(book, code, rest, referred_by=referred_by)
    if allowed is not None:
        acct, owner = allowed
        complete_hand_over(book, today, acct, owner, "assigned")
        code = acct.code
    elif "owner" in fields:
        clear_owner(book, today, code)
    return code


def name_of(engine: Engine, code: str) -> str:
    """A customer's name (NotFound for a wrong code), to confirm its removal."""
    from sqlmodel import Session

    from kacrm.store.repo import customer_by_code

    with Session(engine) as session:
        return customer_by_code(session, code).name


def remove(engine: Engine, code: str) -> None:
    """Delete a customer with every record that belongs to it."""
    remove_customer(engine, code)


def log(book: SqliteBook | Engine, code: str, kind: str, happened_on: date, **details: Any) -> int:
    """Record an interaction by hand (it restarts the contact cadence), its id; ``details`` are the optional
    fields of ``kacrm.store.records.log_interaction`` (summary, contact, next_due, cost_cents, outcome)."""
    return log_interaction(book, code, kind, happened_on, **details)


def add_plan(
    book: SqliteBook | Engine, code: str, horizon: str, goal: str, target_date: date | None
) -> int:
    """A new plan goal; its id."""
    return add_plan_record(book, code, horizon, goal, target_date)


def plans(
    book: SqliteBook | Engine, *, include_done: bool = False, code: str | None = None
) -> list[dict[str, Any]]:
    """The plans (open ones unless ``include_done``), soonest target first, as rows."""
    return plan_rows(book, include_done=include_done, code=code)


def complete_plan(book: SqliteBook | Engine, plan_id: int, today: date) -> None:
    complete_plan_record(book, plan_id, today)

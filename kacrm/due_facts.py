"""The facts the due rules (kacrm.analysis.due) read and the items they give: the store loads the facts and
records what is done to an item, the rules compute the items.

They live below both, so that the loader and the rules share one description of the data. The records are
named tuples, immutable as frozen dataclasses are but built ten times faster: a whole book's list makes 100,000
customers' facts and 140,000 items on each run (issue 19).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from kacrm.config import Settings

# Interactions that close a follow-up when logged after it: a conversation, not a greeting or a complaint.
GREETING_KINDS = ("card", "gift", "complaint")


class CustomerFacts(NamedTuple):
    """One customer and the aggregates the rules need (dates up to today)."""

    customer_id: int
    code: str
    name: str
    created_on: date
    tier: str | None = None
    owner: str | None = None
    status: str | None = "active"
    type: str | None = "business"
    cadence_days: int | None = None
    primary_contact: str | None = None
    last_interaction_on: date | None = None  # any kind: restarts the cadence
    # the next three are loaded only for a customer with an open follow-up or a recent big order (the rules that
    # read them: kacrm.store.due_store._interaction_facts), None for the others
    last_touch_on: date | None = None  # any kind but complaint: closes an after-sale thank-you
    last_survey_on: date | None = None  # closes a satisfaction call
    last_conversation: tuple[date, int] | None = (
        None  # (happened_on, id), kinds outside GREETING_KINDS
    )
    first_order_on: date | None = None
    last_order_on: date | None = None
    order_days: int = 0  # distinct days with an order
    p_alive: float | None = None  # from the newest clv tiering run
    clv_as_of: date | None = None
    # the public pool (issue 18): the day the owner got the account, the lock, a tier pinned by hand, money owed
    owner_since: date | None = None
    pool_locked: bool = False
    pinned: bool = False
    open_receivables: bool = False


class ContactFacts(NamedTuple):
    contact_id: int
    customer_id: int
    name: str
    birthday: date | None = None  # year 2000 when birthday_has_year is False
    birthday_has_year: bool = True
    lunar_month: int | None = None
    lunar_day: int | None = None
    lunar_leap: bool = False
    anniversary: date | None = None  # year 2000 when anniversary_has_year is False
    anniversary_has_year: bool = True


class OpenRecord(NamedTuple):
    """A follow-up (interaction next_due), task, unresolved complaint or open plan."""

    ref: int  # interaction, task or plan id
    customer_id: int
    on: date  # follow-up: next_due; task: due_on; complaint: happened_on; plan: target_date
    text: str | None = None
    contact: str | None = None
    logged: tuple[date, int] | None = (
        None  # follow-ups: (happened_on, id) of the interaction that set it
    )


class OrderFacts(NamedTuple):
    """An order: above the after-sale threshold (after_sale), or open with its balance (collection)."""

    order_no: str
    customer_id: int
    order_date: date
    amount_cents: int
    due_date: date | None = None
    outstanding_cents: int = 0


@dataclass
class DueData:
    customers: list[CustomerFacts]
    contacts: list[ContactFacts] = field(default_factory=list)
    follow_ups: list[OpenRecord] = field(default_factory=list)
    tasks: list[OpenRecord] = field(default_factory=list)
    complaints: list[OpenRecord] = field(default_factory=list)
    plans: list[OpenRecord] = field(default_factory=list)
    big_orders: list[OrderFacts] = field(default_factory=list)  # after_sale candidates
    open_orders: list[OrderFacts] = field(default_factory=list)  # collection candidates
    done: set[str] = field(default_factory=set)  # item ids marked done
    snoozed: dict[str, date] = field(default_factory=dict)  # item id -> hidden until this day
    # customer_id -> orders − payments up to today, cents, of the customers who owe anything (the digest's
    # credit alerts read them too)
    balances: dict[int, int] = field(default_factory=dict)
    # customer_id -> the hand-made credit holds and releases (day, hold?), oldest first (SPEC §15): a release
    # lifts the hold of the items at the ladder's hold level (kacrm.analysis.collections.released)
    holds: dict[int, list[tuple[date, bool]]] = field(default_factory=dict)


class DueItem(NamedTuple):
    id: str
    due_on: date
    event_on: date | None
    kind: str
    customer_code: str
    customer_name: str
    contact: str | None
    reason: str
    reason_zh: str
    overdue_days: int
    owner: str | None
    tier: str | None
    customer_id: int
    ref: str | None = None  # what `done` acts on: interaction/task/plan/contact id or order no
    action: str | None = None  # collection: the follow-up ladder level's action (SPEC §15)
    recall_on: date | None = (
        None  # collection: the day `done` brings it back (the next level's day)
    )


def collections_until(settings: Settings, end: date) -> date:
    """The latest due date whose collection item can be listed in a window ending ``end``: a ladder that starts
    before the due date (the default reminder 3 days ahead) lists the item from its first level's day, so an
    order due up to that many days after the window belongs in it (store uses it to bound the query)."""
    first = min((int(level["after_days"]) for level in settings.collections.levels), default=0)
    return end + timedelta(days=max(0, -first))


def after_sale_since(settings: Settings, today: date) -> date:
    """The oldest order date that can still give a listed after-sale item (store uses it to bound the query)."""
    due = settings.due
    return today - timedelta(
        days=max(due.after_sale_thanks_days, due.after_sale_call_days) + due.after_sale_call_days
    )

"""The daily digest (SPEC §10): assemble its six sections from data loaded for one period. Pure functions.

The period runs from ``period_start`` (the first day no successful digest covered) to ``today``. What belongs to
a section (docs/digest.md shows a sample):

- due: the due items (kacrm.analysis.due) due today or overdue, birthdays and festivals excepted.
- events: birthdays, anniversaries and festivals whose day falls in the next ``EVENT_DAYS`` days (today
  included), with the key person's phone and hobbies (for the call and the gift).
- credit_alerts: customers over their credit limit today, and customers with an order that became overdue in
  the period (due date + 1 day falls in [period_start, today]) and is still unpaid.
- tier_changes: customers whose tier in the newest tiering run of the period differs from the run in force
  when the period started (same method); a customer new to the run is "new" when it enters a key tier.
- at_risk: the at-risk key accounts (kacrm.analysis.report.at_risk_accounts), as they are today.
- new_orders: orders dated in the period from key accounts (report.KEY_TIERS).
- pool_releases: accounts released to the public pool (issue 18, `kacrm pool release`) in the period, with the
  owner they were released from. The warnings before a release are due items (kind ``pool``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from kacrm.analysis.due import OCCASIONS
from kacrm.analysis.report import KEY_TIERS, TIER_FAMILIES
from kacrm.domain import money
from kacrm.due_facts import DueItem

if TYPE_CHECKING:
    from kacrm.analysis.receivables import Table

EVENT_DAYS = 7
SECTIONS = (
    "due",
    "events",
    "credit_alerts",
    "tier_changes",
    "at_risk",
    "new_orders",
    "pool_releases",
)


class CustomerRef(NamedTuple):
    """A customer a section names. These records are named tuples, immutable as frozen dataclasses are but made
    ten times faster: a whole book's digest makes one per customer (100,000; issue 19)."""

    code: str
    name: str
    tier: str | None = None
    credit_limit_cents: int | None = None


class KeyPerson(NamedTuple):
    """What the events section shows beside a key person's name."""

    phone: str | None = None
    hobbies: str | None = None


class TierMove(NamedTuple):
    """A customer whose tier differs between the run in force at the period start and the newest one."""

    customer_id: int
    method: str
    previous_tier: str | None  # None: not in the earlier run
    tier: str
    as_of: date  # the newest run's as-of date


class NewOrder(NamedTuple):
    order_no: str
    customer_id: int
    order_date: date
    amount_cents: int
    product: str | None = None
    # dated before the period, but imported after the recipient's last digest: no digest showed it yet
    late: bool = False


@dataclass(frozen=True)
class PoolRelease:
    """An account released to the public pool (an ownership row of reason ``released``)."""

    customer_id: int
    released_on: date
    previous_owner: str | None


@dataclass
class DigestInputs:
    """Everything one digest is assembled from (kacrm.app.digest.load_inputs fills it)."""

    customers: Mapping[int, CustomerRef]
    due_items: Sequence[DueItem] = ()
    key_persons: Mapping[tuple[int, str], KeyPerson] = field(
        default_factory=dict
    )  # (customer_id, name)
    # open orders due by the end of the events window (receivables.RECEIVABLE_COLUMNS' customer_id, due_date,
    # outstanding_cents, days_past_due): what is overdue, and what fell overdue in the period
    open_items: Table | None = None
    balances: Mapping[int, int] = field(
        default_factory=dict
    )  # customer_id -> orders − payments, cents
    tier_moves: Sequence[TierMove] = ()
    at_risk: Sequence[Mapping[str, Any]] = ()  # rows of report.at_risk_accounts
    new_orders: Sequence[NewOrder] = ()
    pool_releases: Sequence[PoolRelease] = ()


@dataclass
class Digest:
    period_start: date
    period_end: date
    due: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    credit_alerts: list[dict[str, Any]] = field(default_factory=list)
    tier_changes: list[dict[str, Any]] = field(default_factory=list)
    at_risk: list[dict[str, Any]] = field(default_factory=list)
    new_orders: list[dict[str, Any]] = field(default_factory=list)
    owner: str | None = (
        None  # the salesperson whose customers it covers; None: the whole book (issue 15)
    )
    pool_releases: list[dict[str, Any]] = field(default_factory=list)

    def sections(self) -> dict[str, list[dict[str, Any]]]:
        return {name: getattr(self, name) for name in SECTIONS}

    def is_empty(self) -> bool:
        return not any(self.sections().values())

    def counts(self) -> dict[str, int]:
        """Rows per section, plus ``birthdays`` (birthday and anniversary events) for the email subject."""
        counts = {name: len(rows) for name, rows in self.sections().items()}
        counts["birthdays"] = sum(
            1 for e in self.events if e["kind"] in ("birthday", "anniversary")
        )
        return counts


def _reason(item: DueItem, lang: str) -> str:
    return item.reason_zh if lang == "zh" and item.reason_zh else item.reason


def due_section(items: Iterable[DueItem], today: date, lang: str = "en") -> list[dict[str, Any]]:
    """Items due today or overdue, occasions excepted, in the due list's order, with the keys of `kacrm due`."""
    return [
        {
            "id": i.id,
            "due_on": i.due_on,
            "event_on": i.event_on,
            "kind": i.kind,
            "customer_code": i.customer_code,
            "customer_name": i.customer_name,
            "contact": i.contact,
            "reason": _reason(i, lang),
            "overdue_days": i.overdue_days,
            "action": i.action,  # the ladder level's action for a collection, else None (SPEC §8)
        }
        for i in items
        if i.kind not in OCCASIONS and i.due_on <= today
    ]


def events_section(
    items: Iterable[DueItem],
    key_persons: Mapping[tuple[int, str], KeyPerson],
    today: date,
    lang: str = "en",
) -> list[dict[str, Any]]:
    """Occasions whose day falls in today … today + EVENT_DAYS − 1, soonest first."""
    last = today + timedelta(days=EVENT_DAYS - 1)
    rows = []
    for i in items:
        on = i.event_on or i.due_on
        if i.kind not in OCCASIONS or not today <= on <= last:
            continue
        person = key_persons.get((i.customer_id, i.contact or ""), KeyPerson())
        rows.append(
            {
                "id": i.id,
                "event_on": on,
                "days_until": (on - today).days,
                "kind": i.kind,
                "customer_code": i.customer_code,
                "customer_name": i.customer_name,
                "contact": i.contact,
                "phone": person.phone,
                "hobbies": person.hobbies,
                "reason": _reason(i, lang),
            }
        )
    rows.sort(
        key=lambda r: (
            r["event_on"],
            OCCASIONS.index(r["kind"]),
            r["customer_code"],
            r["contact"] or "",
        )
    )
    return rows


def credit_alerts(
    open_items: Table | None,
    balances: Mapping[int, int],
    customers: Mapping[int, CustomerRef],
    period_start: date,
    today: date,
) -> list[dict[str, Any]]:
    """Customers whose balance is over their limit, or with an order that fell overdue in the period (due date
    + 1 day in [period_start, today]) and is still unpaid; most overdue first."""
    # customer_id -> [overdue cents, newly overdue cents, oldest days]
    overdue: dict[int, list[int]] = {}
    # due on that day: overdue from period_start on
    first_overdue = period_start - timedelta(days=1)
    if open_items is not None:
        for cid, due, cents, days in zip(
            open_items["customer_id"],
            open_items["due_date"],
            open_items["outstanding_cents"],
            open_items["days_past_due"],
            strict=True,
        ):
            if days <= 0:
                continue
            entry = overdue.setdefault(int(cid), [0, 0, 0])
            entry[0] += int(cents)
            entry[1] += int(cents) if due >= first_overdue else 0
            entry[2] = max(entry[2], int(days))
    rows = []
    for cid in sorted(set(balances) | set(overdue)):
        ref = customers.get(cid)
        if ref is None:
            continue
        balance, limit = balances.get(cid, 0), ref.credit_limit_cents
        overdue_cents, newly, oldest = overdue.get(cid, (0, 0, None))
        alerts = []
        if limit is not None and balance > limit:
            alerts.append("over_limit")
        if newly > 0:
            alerts.append("newly_overdue")
        if alerts:
            rows.append(
                {
                    "customer_code": ref.code,
                    "customer_name": ref.name,
                    "alerts": alerts,
                    "outstanding": money(balance),
                    "credit_limit": money(limit),
                    "over_limit_by": money(balance - limit) if "over_limit" in alerts else None,
                    "overdue": money(overdue_cents),
                    "newly_overdue": money(newly),
                    "oldest_overdue_days": oldest,
                    "_sort": (-overdue_cents, -balance, ref.code),
                }
            )
    rows.sort(key=lambda r: r.pop("_sort"))
    return rows


def direction(previous: str | None, tier: str) -> str:
    """new (not in the earlier run), up, down, or changed (tiers of different families, RFM segments)."""
    if previous is None:
        return "new"
    for family in TIER_FAMILIES:
        if previous in family and tier in family:
            return "down" if family.index(tier) > family.index(previous) else "up"
    return "changed"


def tier_section(
    moves: Iterable[TierMove],
    customers: Mapping[int, CustomerRef],
    key_tiers: Sequence[str] = KEY_TIERS,
) -> list[dict[str, Any]]:
    """One row per move; downs first (they need attention), then ups, changes and newcomers. A customer new to
    the run is listed only when it enters a key tier (a new lead-tier buyer is not news)."""
    order = ("down", "up", "changed", "new")
    rows = []
    for m in moves:
        if m.previous_tier == m.tier or m.customer_id not in customers:
            continue
        if m.previous_tier is None and m.tier not in key_tiers:
            continue
        ref = customers[m.customer_id]
        rows.append(
            {
                "customer_code": ref.code,
                "customer_name": ref.name,
                "method": m.method,
                "previous_tier": m.previous_tier,
                "tier": m.tier,
                "direction": direction(m.previous_tier, m.tier),
                "as_of": m.as_of,
            }
        )
    rows.sort(key=lambda r: (order.index(r["direction"]), r["method"], r["customer_code"]))
    return rows


def new_orders_section(
    orders: Iterable[NewOrder],
    customers: Mapping[int, CustomerRef],
    period_start: date,
    today: date,
    key_tiers: Sequence[str] = KEY_TIERS,
) -> list[dict[str, Any]]:
    """Orders from customers whose current tier is a key tier: dated in the period, or late arrivals (dated
    before it, imported after the recipient's last digest: SPEC §10 covers everything since that digest);
    newest, biggest first."""
    rows = []
    for o in orders:
        ref = customers.get(o.customer_id)
        dated = period_start <= o.order_date <= today or (o.late and o.order_date < period_start)
        if ref is None or ref.tier not in key_tiers or not dated:
            continue
        rows.append(
            {
                "order_no": o.order_no,
                "order_date": o.order_date,
                "customer_code": ref.code,
                "customer_name": ref.name,
                "tier": ref.tier,
                "amount": money(o.amount_cents),
                "product": o.product,
                "_sort": (-o.order_date.toordinal(), -o.amount_cents, o.order_no),
            }
        )
    rows.sort(key=lambda r: r.pop("_sort"))
    return rows


def assemble_digest(
    inputs: DigestInputs, period_start: date, today: date, lang: str = "en"
) -> Digest:
    """The digest of the period ``period_start`` … ``today``."""
    return Digest(
        period_start=period_start,
        period_end=today,
        due=due_section(inputs.due_items, today, lang),
        events=events_section(inputs.due_items, inputs.key_persons, today, lang),
        credit_alerts=credit_alerts(
            inputs.open_items, inputs.balances, inputs.customers, period_start, today
        ),
        tier_changes=tier_section(inputs.tier_moves, inputs.customers),
        at_risk=[dict(r) for r in inputs.at_risk],
        new_orders=new_orders_section(inputs.new_orders, inputs.customers, period_start, today),
        pool_releases=pool_releases_section(
            inputs.pool_releases, inputs.customers, period_start, today
        ),
    )


def pool_releases_section(
    releases: Iterable[PoolRelease],
    customers: Mapping[int, CustomerRef],
    period_start: date,
    today: date,
) -> list[dict[str, Any]]:
    """Releases to the public pool dated in the period, oldest first, then by code."""
    rows = []
    for r in releases:
        ref = customers.get(r.customer_id)
        if ref is None or not period_start <= r.released_on <= today:
            continue
        rows.append(
            {
                "released_on": r.released_on,
                "customer_code": ref.code,
                "customer_name": ref.name,
                "tier": ref.tier,
                "previous_owner": r.previous_owner,
            }
        )
    return sorted(rows, key=lambda row: (row["released_on"], row["customer_code"]))

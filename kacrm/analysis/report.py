"""The numbers of `kacrm report` (SPEC §9): revenue windows, concentration and Gini, the Pareto curve, tier
movements, at-risk key accounts and contact coverage.

Pure functions: they take data (DataFrames from kacrm.store.repo, plain dicts) and `today`, and return data.
Money is integer cents inside; rows meant for output carry `Decimal` yuan (`money()`), which every renderer
rounds to 2 decimals.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from kacrm.analysis.receivables import Table, aging, bucket_keys, receivables
from kacrm.analysis.windows import first_day, parse_window
from kacrm.domain import ABC_TIERS, KEY_TIERS, PYRAMID_TIERS, TIER_FAMILIES, money
from kacrm.i18n import t

if TYPE_CHECKING:
    from kacrm.config import Settings
    from kacrm.due_facts import DueItem

# The order tiers are listed in: the families of domain.TIER_FAMILIES (a move to a later tier of the same family
# is a drop), the pyramid first; domain.KEY_TIERS make a customer a key account for at-risk checks and coverage.
TIER_ORDER: tuple[str, ...] = (*PYRAMID_TIERS, *ABC_TIERS)
CONCENTRATION_PERCENTS: tuple[int, ...] = (1, 5, 20)
UPCOMING_DAYS = 7
UPCOMING_KINDS: tuple[str, ...] = ("birthday", "anniversary", "festival", "plan")


def revenue_by_customer(orders: Table, start: date | None, end: date) -> dict[int, int]:
    """Cents per customer_id for orders with start <= order_date <= end (customers without orders are absent),
    by customer_id."""
    totals: dict[int, int] = defaultdict(int)
    for cid, on, cents in zip(
        orders["customer_id"], orders["order_date"], orders["amount_cents"], strict=True
    ):
        if on <= end and (start is None or on >= start):
            totals[int(cid)] += int(cents)
    return dict(sorted(totals.items()))


# --- concentration -------------------------------------------------------------------------------------------


def top_count(n: int, percent: int) -> int:
    """How many customers the top `percent`% of `n` are: ceil(percent·n/100), at least 1 (0 when n = 0)."""
    if n == 0:
        return 0
    return max(1, -(-percent * n // 100))


def top_share(revenues: Sequence[int], percent: int) -> float | None:
    """Revenue share of the top `percent`% of the buying customers (revenue > 0)."""
    buying = sorted((r for r in revenues if r > 0), reverse=True)
    total = sum(buying)
    if not total:
        return None
    return sum(buying[: top_count(len(buying), percent)]) / total


def gini(revenues: Sequence[int]) -> float | None:
    """Gini coefficient over the buying customers: sum((2i - n - 1)·x_i) / (n·sum(x)), x ascending, i = 1…n.

    0 = everyone buys the same, (n-1)/n = one customer buys everything. Exact integer sums, one division.
    """
    buying = sorted(r for r in revenues if r > 0)
    n, total = len(buying), sum(buying)
    if not total:
        return None
    weighted = sum((2 * i - n - 1) * x for i, x in enumerate(buying, start=1))
    return weighted / (n * total)


def concentration(revenues: Sequence[int]) -> dict[str, float | None]:
    shares: dict[str, float | None] = {
        f"top_{p}": top_share(revenues, p) for p in CONCENTRATION_PERCENTS
    }
    shares["gini"] = gini(revenues)
    return shares


# --- pareto --------------------------------------------------------------------------------------------------


def pareto_curve(
    revenue: Mapping[int, int], names: Mapping[int, tuple[str, str]]
) -> list[dict[str, Any]]:
    """Buying customers ranked by revenue (ties by code) with share, cumulative share and customer share.

    `names`: customer_id -> (code, name).
    """
    buying = [(cid, cents) for cid, cents in revenue.items() if cents > 0]
    buying.sort(key=lambda item: (-item[1], names[item[0]][0]))
    total, n = sum(c for _, c in buying), len(buying)
    rows, running = [], 0
    for rank, (cid, cents) in enumerate(buying, start=1):
        running += cents
        code, name = names[cid]
        rows.append(
            {
                "rank": rank,
                "customer_code": code,
                "customer_name": name,
                "revenue": money(cents),
                "share": cents / total,
                "cumulative_share": running / total,
                "customer_share": rank / n,
            }
        )
    return rows


def pareto_headline(curve: Sequence[Mapping[str, Any]], percent: int = 20) -> dict[str, Any] | None:
    """The top `percent`% of customers (ceil, at least 1) and their share of revenue, read off the curve."""
    if not curve:
        return None
    k = top_count(len(curve), percent)
    return {
        "percent": percent,
        "customers": k,
        "of": len(curve),
        "share": curve[k - 1]["cumulative_share"],
    }


# --- tiers and movement --------------------------------------------------------------------------------------


def tier_sort_key(tier: str | None) -> tuple[int, str]:
    if tier is None:
        return (len(TIER_ORDER) + 1, "")
    return (TIER_ORDER.index(tier) if tier in TIER_ORDER else len(TIER_ORDER), tier)


def tier_dropped(previous: str | None, latest: str | None) -> bool:
    """True when both tiers belong to one family and the latest ranks lower (A → B, gold → lead)."""
    for family in TIER_FAMILIES:
        if previous in family and latest in family:
            return family.index(latest) > family.index(previous)
    return False


def tier_breakdown(
    customer_tiers: Mapping[int, str | None], revenue: Mapping[int, int]
) -> list[dict[str, Any]]:
    """Customers and window revenue per current tier (None = not tiered yet), best tier first."""
    counts: Counter[str | None] = Counter(customer_tiers.values())
    cents: Counter[str | None] = Counter()
    for cid, tier in customer_tiers.items():
        cents[tier] += revenue.get(cid, 0)
    total = sum(cents.values())
    return [
        {
            "tier": tier,
            "customers": counts[tier],
            "revenue": money(cents[tier]),
            "share": cents[tier] / total if total else 0.0,
        }
        for tier in sorted(counts, key=tier_sort_key)
    ]


def count_by(values: Iterable[str | None]) -> list[dict[str, Any]]:
    """Customers per value (type, region…), most first; None is kept as its own group."""
    counts = Counter(values)
    return [
        {"value": v, "customers": n}
        for v, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] or ""))
    ]


def movement_matrix(previous: Mapping[int, str], latest: Mapping[int, str]) -> list[dict[str, Any]]:
    """Tier transition counts between two runs: every from×to pair of the tiers seen (zeros included), plus
    customers only in the latest run (from_tier None: new) or only in the previous one (to_tier None: gone)."""
    tiers = sorted(set(previous.values()) | set(latest.values()), key=tier_sort_key)
    counts: Counter[tuple[str | None, str | None]] = Counter(
        (previous.get(cid), latest.get(cid)) for cid in set(previous) | set(latest)
    )
    rows = [
        {"from_tier": f, "to_tier": t, "customers": counts[(f, t)]} for f in tiers for t in tiers
    ]
    rows += [
        {"from_tier": None, "to_tier": t, "customers": counts[(None, t)]}
        for t in tiers
        if counts[(None, t)]
    ]
    rows += [
        {"from_tier": f, "to_tier": None, "customers": counts[(f, None)]}
        for f in tiers
        if counts[(f, None)]
    ]
    return rows


# --- at-risk key accounts ------------------------------------------------------------------------------------


@dataclass
class ReportData:
    """What the reports read (dates up to today): `kacrm.store.report_store.load_report_data` and the due items."""

    # by column (kacrm.analysis.receivables.Table), dates as ``datetime.date``: the columns of report_store._BOOK
    customers: Table
    orders: Table
    payments: Table
    interactions: Table
    p_alive: dict[int, float] = field(
        default_factory=dict
    )  # customer_id -> from the newest clv run
    tier_changes: dict[int, tuple[str, str]] = field(
        default_factory=dict
    )  # customer_id -> (previous, latest)
    due: list[DueItem] = field(default_factory=list)  # due items of the upcoming days
    schedules: Table | None = None  # payment plans (order_no, instalment, due_on, amount_cents)


REVENUE_DROP = (
    0.30  # window revenue down by more than this share vs the window before is a warning sign
)


def _reason(key: str, lang: str, **values: Any) -> str:
    return t(f"risk_{key}", lang, **values)


def order_rhythm(orders: Table, today: date) -> dict[int, tuple[date, float | None]]:
    """customer_id -> (last order day, usual interval in days) from orders dated up to today. The usual interval
    is the mean gap between distinct order days, (last - first) / (distinct days - 1); None with one day."""
    days: dict[int, set[date]] = defaultdict(set)
    for cid, on in zip(orders["customer_id"], orders["order_date"], strict=True):
        if on <= today:
            days[int(cid)].add(on)
    rhythm = {}
    for cid, seen in sorted(days.items()):
        first, last = min(seen), max(seen)
        rhythm[cid] = (last, (last - first).days / (len(seen) - 1) if len(seen) > 1 else None)
    return rhythm


def key_account_ids(
    tiers: Mapping[int, str | None],
    tier_changes: Mapping[int, tuple[str, str]],
    revenue: Mapping[int, int],
    key_tiers: Sequence[str] = KEY_TIERS,
) -> set[int]:
    """Customers whose current tier (``tiers``: customer_id -> tier), or tier in the previous run, is a key tier.
    Before any tiering (no customer has a tier) the key accounts are the top 20% of buying customers of the
    window."""
    if not any(isinstance(t, str) for t in tiers.values()):
        ranked = sorted((c for c, r in revenue.items() if r > 0), key=lambda c: -revenue[c])
        return set(ranked[: top_count(len(ranked), 20)])
    ids = {cid for cid, tier in tiers.items() if tier in key_tiers}
    ids |= {cid for cid, (old, _new) in tier_changes.items() if old in key_tiers and cid in tiers}
    return ids


def overdue_by_customer(open_items: Table) -> dict[int, tuple[int, int]]:
    """customer_id -> (overdue cents, oldest days past due) from receivables' open items, by customer_id."""
    found: dict[int, tuple[int, int]] = {}
    for cid, cents, days in zip(
        open_items["customer_id"],
        open_items["outstanding_cents"],
        open_items["days_past_due"],
        strict=True,
    ):
        if days > 0:
            summed, oldest = found.get(int(cid), (0, 0))
            found[int(cid)] = (summed + int(cents), max(oldest, int(days)))
    return dict(sorted(found.items()))


class RiskFacts(NamedTuple):
    """What the at-risk signs read, per customer_id: taken from the report's frames (``risk_facts``), or summed by
    the database for the digest (kacrm.store.report_store.load_risk_facts). ``at_risk_rows`` applies the same
    rules to either."""

    accounts: list[tuple[int, str, str, str | None]]  # customer_id, code, name, tier
    revenue_now: dict[int, int]  # cents in the window (customers without orders in it: absent or 0)
    revenue_before: dict[int, int]  # cents in the window before it
    rhythm: dict[int, tuple[date, float | None]]  # order_rhythm
    complaints: dict[int, date]  # the oldest complaint open on today
    p_alive: dict[int, float]
    tier_changes: dict[int, tuple[str, str]]


def risk_windows(today: date, months: int | None) -> tuple[date, date]:
    """(first day of the window, first day of the window before it); the one before ends the day before the
    window starts. ``months`` None (``--window all``) compares 12 months."""
    start = first_day(months or 12, today)
    assert start is not None
    before_start = first_day(months or 12, start - timedelta(days=1))
    assert before_start is not None
    return start, before_start


def risk_facts(data: ReportData, today: date, months: int | None) -> RiskFacts:
    """The at-risk facts of the report's frames."""
    start, before_start = risk_windows(today, months)
    c = data.customers
    accounts = [
        (int(cid), code, name, tier if isinstance(tier, str) else None)
        for cid, code, name, tier in zip(
            c["customer_id"], c["customer_code"], c["customer_name"], c["tier"], strict=True
        )
    ]
    return RiskFacts(
        accounts=accounts,
        revenue_now=revenue_by_customer(data.orders, start, today),
        revenue_before=revenue_by_customer(data.orders, before_start, start - timedelta(days=1)),
        rhythm=order_rhythm(data.orders, today),
        complaints=_open_complaints(data.interactions, today),
        p_alive=data.p_alive,
        tier_changes=data.tier_changes,
    )


def at_risk_accounts(
    data: ReportData,
    settings: Settings,
    today: date,
    months: int | None = 12,
    *,
    lang: str = "en",
    open_items: Table | None = None,
    key_tiers: Sequence[str] = KEY_TIERS,
) -> list[dict[str, Any]]:
    """Key accounts with at least one warning sign (``at_risk_rows``) of the report's frames.
    `open_items`: receivables' open items, when at hand."""
    if open_items is None:
        open_items = receivables(
            data.orders, data.payments, data.customers, settings, today, data.schedules
        )
    return at_risk_rows(
        risk_facts(data, today, months),
        overdue_by_customer(open_items),
        settings,
        today,
        months,
        lang=lang,
        key_tiers=key_tiers,
    )


def at_risk_rows(
    facts: RiskFacts,
    overdue: Mapping[int, tuple[int, int]],
    settings: Settings,
    today: date,
    months: int | None = 12,
    *,
    lang: str = "en",
    key_tiers: Sequence[str] = KEY_TIERS,
) -> list[dict[str, Any]]:
    """Key accounts with at least one warning sign, most reasons first (then by code).

    Rows: customer_code, customer_name, tier, reasons (sentences in `lang`). The signs: no order for longer
    than win_back_factor × the usual interval, window revenue down > 30% vs the window before (`months`; None,
    for `--window all`, compares 12 months), anything overdue (``overdue``: overdue_by_customer),
    p_alive < win_back_p_alive, an unresolved complaint, a tier drop between the last two runs.
    """
    months = months or 12
    now_rev, before_rev, rhythm = facts.revenue_now, facts.revenue_before, facts.rhythm
    tiers = {cid: tier for cid, _code, _name, tier in facts.accounts}
    keys = key_account_ids(tiers, facts.tier_changes, now_rev, key_tiers)
    factor, p_alive_min = settings.due.win_back_factor, settings.due.win_back_p_alive
    rows = []
    for cid, code, name, tier in facts.accounts:
        if cid not in keys:
            continue
        reasons = []
        last, interval = rhythm.get(cid, (today, None))
        if interval is not None and (today - last).days > factor * interval:
            reasons.append(
                _reason("quiet", lang, days=(today - last).days, interval=round(interval))
            )
        now, before = now_rev.get(cid, 0), before_rev.get(cid, 0)
        if before > 0 and (before - now) > REVENUE_DROP * before:
            reasons.append(
                _reason(
                    "revenue_down",
                    lang,
                    pct=round(100 * (before - now) / before),
                    months=months,
                    now=f"{money(now):,}",
                    before=f"{money(before):,}",
                )
            )
        overdue_cents, oldest = overdue.get(cid, (0, 0))
        if overdue_cents > 0:
            reasons.append(
                _reason("overdue", lang, amount=f"{money(overdue_cents):,}", days=oldest)
            )
        p_alive = facts.p_alive.get(cid)
        if p_alive is not None and p_alive < p_alive_min:
            reasons.append(_reason("p_alive", lang, p=f"{p_alive:.2f}", limit=p_alive_min))
        if cid in facts.complaints:
            reasons.append(_reason("complaint", lang, on=facts.complaints[cid].isoformat()))
        old, new = facts.tier_changes.get(cid, (None, None))
        if tier_dropped(old, new):
            reasons.append(_reason("tier_dropped", lang, old=old, new=new))
        if reasons:
            rows.append(
                {"customer_code": code, "customer_name": name, "tier": tier, "reasons": reasons}
            )
    rows.sort(key=lambda r: (-len(r["reasons"]), r["customer_code"]))
    return rows


def _open_complaints(interactions: Table, today: date) -> dict[int, date]:
    """customer_id -> the day of the oldest complaint logged up to today and not resolved by today."""
    found: dict[int, date] = {}
    for cid, logged, kind, resolved in zip(
        interactions["customer_id"],
        interactions["happened_on"],
        interactions["kind"],
        interactions["resolved_on"],
        strict=True,
    ):
        if kind == "complaint" and logged <= today and (resolved is None or resolved > today):
            found[int(cid)] = min(logged, found.get(int(cid), logged))
    return found


# --- contact coverage ----------------------------------------------------------------------------------------


def contact_coverage(
    customers: Table,
    interactions: Table,
    cadence_days: Mapping[str, int],
    today: date,
    key_tiers: Sequence[str] = KEY_TIERS,
) -> tuple[float | None, int, int]:
    """(share, contacted, key accounts): key accounts (current tier in `key_tiers`) with an interaction of any
    kind no longer ago than their cadence (the customer's own cadence_days, else the tier's). None: no key
    accounts."""
    last: dict[int, date] = {}
    for cid, day in zip(interactions["customer_id"], interactions["happened_on"], strict=True):
        if day <= today and (int(cid) not in last or day > last[int(cid)]):
            last[int(cid)] = day
    key, contacted = 0, 0
    for cid, tier, own in zip(
        customers["customer_id"], customers["tier"], customers["cadence_days"], strict=True
    ):
        if tier not in key_tiers:
            continue
        key += 1
        cadence = int(own) if own is not None else cadence_days.get(tier, 90)
        seen = last.get(int(cid))
        if seen is not None and (today - seen).days <= cadence:
            contacted += 1
    return (contacted / key if key else None), contacted, key


# --- upcoming ------------------------------------------------------------------------------------------------


def upcoming(
    items: Iterable[DueItem],
    today: date,
    lang: str = "en",
    days: int = UPCOMING_DAYS,
    kinds: Sequence[str] = UPCOMING_KINDS,
) -> list[dict[str, Any]]:
    """Birthdays, anniversaries, festivals and plan targets whose day falls in today … today + days - 1.

    The day of a due item is its `event_on` (the birthday itself, not the day to send the card), else `due_on`.
    """
    end = today + timedelta(days=days - 1)
    rows = []
    for item in items:
        on = item.event_on or item.due_on
        if item.kind in kinds and today <= on <= end:
            rows.append(
                {
                    "on": on,
                    "kind": item.kind,
                    "customer_code": item.customer_code,
                    "customer_name": item.customer_name,
                    "contact": item.contact,
                    "reason": item.reason_zh if lang == "zh" else item.reason,
                }
            )
    rows.sort(key=lambda r: (r["on"], r["kind"], r["customer_code"]))
    return rows


# --- the overview --------------------------------------------------------------------------------------------


@dataclass
class Overview:
    """`kacrm report`: `to_json()` gives exactly the SPEC §9 keys; the rest feeds the table, html and xlsx."""

    as_of: date
    window: str
    customers: int
    revenue_cents: int
    tiers: list[dict[str, Any]]
    concentration: dict[str, float | None]
    receivables_cents: int
    overdue_cents: int
    coverage: tuple[float | None, int, int]  # share, contacted, key accounts
    at_risk: list[dict[str, Any]]
    upcoming: list[dict[str, Any]]
    by_type: list[dict[str, Any]]
    by_region: list[dict[str, Any]]
    aging: list[dict[str, Any]]  # bucket, amount: the book's receivables by days past due
    pareto: list[dict[str, Any]]
    tier_method: str | None = (
        None  # the primary method, whose tiers are the tiers in force (issue 15)
    )
    owner: str | None = None  # one salesperson's customers; None: the whole book
    # the public pool (issue 18): accounts in the pool now, and releases to it in the window
    pool: dict[str, int] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of,
            "customers": self.customers,
            "revenue": money(self.revenue_cents),
            "tiers": self.tiers,
            "concentration": self.concentration,
            "receivables": {
                "total": money(self.receivables_cents),
                "overdue": money(self.overdue_cents),
            },
            "contact_coverage": self.coverage[0],
            "at_risk": self.at_risk,
            "upcoming": self.upcoming,
            "pool": self.pool,
        }


def aging_totals(open_items: Table, buckets: list[int]) -> list[dict[str, Any]]:
    """The whole book's outstanding money per aging bucket (not_due, d1_30 …), every bucket listed."""
    rows = aging(open_items, buckets)
    return [
        {"bucket": key, "amount": money(sum(r[key] for r in rows))} for key in bucket_keys(buckets)
    ]


def build_overview(
    data: ReportData, settings: Settings, today: date, window: str = "12m", lang: str = "en"
) -> Overview:
    months = parse_window(window)
    revenue = revenue_by_customer(data.orders, first_day(months, today), today)
    customers = data.customers
    ids = [int(c) for c in customers["customer_id"]]
    tiers = {
        cid: (t if isinstance(t, str) else None)
        for cid, t in zip(ids, customers["tier"], strict=True)
    }
    names = {
        cid: (code, name)
        for cid, code, name in zip(
            ids, customers["customer_code"], customers["customer_name"], strict=True
        )
    }
    open_items = receivables(data.orders, data.payments, customers, settings, today, data.schedules)
    return Overview(
        as_of=today,
        window=window,
        customers=len(customers["customer_id"]),
        revenue_cents=sum(revenue.values()),
        tiers=tier_breakdown(tiers, revenue),
        concentration=concentration(list(revenue.values())),
        receivables_cents=sum(open_items["outstanding_cents"]),
        overdue_cents=sum(
            cents
            for cents, days in zip(
                open_items["outstanding_cents"], open_items["days_past_due"], strict=True
            )
            if days > 0
        ),
        coverage=contact_coverage(customers, data.interactions, settings.cadence.days, today),
        at_risk=at_risk_accounts(data, settings, today, months, lang=lang, open_items=open_items),
        upcoming=upcoming(data.due, today, lang),
        by_type=count_by(t if isinstance(t, str) else None for t in customers["type"]),
        by_region=count_by(r if isinstance(r, str) else None for r in customers["region"]),
        aging=aging_totals(open_items, settings.credit.aging_buckets),
        pareto=pareto_curve(revenue, names),
    )


# --- redaction -----------------------------------------------------------------------------------------------

REDACTED = "***"
PERSONAL_FIELDS = ("phone", "birthday", "lunar_birthday", "anniversary", "hobbies")
PERSONAL_EVENTS = ("birthday", "anniversary")


def redact(record: Mapping[str, Any]) -> dict[str, Any]:
    """A copy with phones, birthdays (solar and lunar), anniversaries and hobbies hidden where they are set."""
    return {
        k: (REDACTED if k in PERSONAL_FIELDS and v not in (None, "") else v)
        for k, v in record.items()
    }


def redact_upcoming(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Upcoming items without the birthdays and anniversaries (their day would give the date away)."""
    return [dict(r) for r in rows if r["kind"] not in PERSONAL_EVENTS]


# --- the customer card ---------------------------------------------------------------------------------------

RECENT_INTERACTIONS = 10


def purchases_by_year(orders: Table, today: date) -> list[dict[str, Any]]:
    """Orders, revenue and quantity per calendar year (orders dated up to today), oldest year first."""
    years: dict[int, list[float]] = {}
    for day, cents, qty in zip(
        orders["order_date"], orders["amount_cents"], orders["quantity"], strict=True
    ):
        if day > today:
            continue
        entry = years.setdefault(day.year, [0, 0, 0.0])
        entry[0] += 1
        entry[1] += int(cents)
        entry[2] += 0.0 if qty is None else float(qty)  # None: quantity unknown
    return [
        {"year": y, "orders": int(n), "revenue": money(int(c)), "quantity": q}
        for y, (n, c, q) in sorted(years.items())
    ]


def customer_report(
    card: Mapping[str, Any],
    orders: Table,
    exposure: Mapping[str, int | None],
    records: Mapping[str, Any],
    today: date,
    *,
    redacted: bool = False,
) -> dict[str, Any]:
    """`report customer CODE`: profile, key persons, purchases by year, credit, recent interactions, plans and
    tier history as one object.

    card: the information card (kacrm.render.customers.customer_card); orders: the customer's orders (order_date,
    amount_cents, quantity);
    exposure: outstanding_cents, overdue_cents, oldest_overdue_days; records:
    kacrm.store.report_store.load_customer_records. kacrm.app.report.customer gathers all four.
    """
    profile = {k: v for k, v in card.items() if k != "contacts"}
    persons = [dict(c) for c in card["contacts"]]
    if redacted:
        profile, persons = redact(profile), [redact(p) for p in persons]
    review = records["reviews"][0] if records["reviews"] else None
    return {
        "customer_code": card["customer_code"],
        "customer_name": card["customer_name"],
        "profile": profile,
        "key_persons": persons,
        "purchases_by_year": purchases_by_year(orders, today),
        "credit": {
            "credit_grade": card.get("credit_grade"),
            "credit_limit": card.get("credit_limit"),
            "payment_terms_days": card.get("payment_terms_days"),
            "outstanding": money(exposure.get("outstanding_cents") or 0),
            "overdue": money(exposure.get("overdue_cents") or 0),
            "oldest_overdue_days": exposure.get("oldest_overdue_days"),  # None: nothing overdue
            "last_review_on": review.reviewed_on if review else None,
            "score": review.score if review else None,
        },
        "interactions": [
            {
                "happened_on": i.happened_on,
                "kind": i.kind,
                "contact": i.contact,
                "summary": i.summary,
                "outcome": i.outcome,
                "cost": money(i.cost_cents),
                "resolved_on": i.resolved_on,
                "next_due": i.next_due,
            }
            for i in records["interactions"][:RECENT_INTERACTIONS]
        ],
        "plans": [
            {
                "id": p.id,
                "horizon": p.horizon,
                "goal": p.goal,
                "target_date": p.target_date,
                "status": p.status,
                "done_on": p.done_on,
            }
            for p in records["plans"]
        ],
        "tier_history": [
            {"as_of": h.as_of, "method": h.method, "tier": h.tier, "rank": h.rank, "share": h.share}
            for h in records["tier_history"]
        ],
    }

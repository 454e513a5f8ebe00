"""Credit scoring, grades, limits and the order check (SPEC §7). Pure: data and ``today`` in, data out.

The model is documented with a worked example in docs/credit.md. In short, a score of 0–100 is the weighted sum
of five sub-scores in [0, 1] (weights ``settings.credit.weights``, scaled so that they add up to 100):

- punctuality: the amount-weighted credit of every paid part of every order, 1 when paid by the due date, falling
  linearly to 0 at ``grace_days`` late; money still unpaid past its due date counts as late by its days past due.
  Nothing paid or due yet: neutral 0.5.
- overdue_share: 1 − overdue / outstanding (1 when nothing is outstanding).
- utilization: 1 − min(1, outstanding / current limit); nothing outstanding: 1; no limit yet: neutral 0.5;
  a limit of 0 (cash only) with money outstanding: 0.
- tenure: min(1, completed months since the first order / 36).
- volume: the percentile rank of the last 12 months' purchases among the customers reviewed (mid-rank for ties,
  (below + 0.5 × others tied) / (n − 1)); no purchases in 12 months: 0; the only customer: 0.5.

The score is rounded to 2 decimals, then graded by ``grade_cutoffs`` (the first grade whose cut-off it reaches,
else C). The limit is ``limit_multiples[grade]`` × average monthly purchases of the last 12 months, rounded half
up to whole yuan; C has multiple 0: cash only.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from kacrm.config_check import CREDIT_FACTORS, LOWEST_GRADE
from kacrm.errors import ConfigError
from kacrm.i18n import t

if TYPE_CHECKING:
    from kacrm.analysis.receivables import Ledger, Table
    from kacrm.config import CreditSettings

FACTORS = CREDIT_FACTORS  # the keys of [credit] weights
TENURE_FULL_MONTHS = 36
NEUTRAL = 0.5


@dataclass(frozen=True)
class Factor:
    """One factor of a score: what was measured (raw), its sub-score 0–1, its weight and its points of 100."""

    name: str
    raw: float | None
    sub_score: float
    weight: float
    points: float


@dataclass(frozen=True)
class Override:
    """Manual decisions in force (``kacrm credit set``); None = not decided by hand."""

    grade: str | None = None
    limit_cents: int | None = None
    terms_days: int | None = None

    @property
    def empty(self) -> bool:
        return self.grade is None and self.limit_cents is None and self.terms_days is None


@dataclass(frozen=True)
class Exposure:
    """What a customer owes on a day. ``outstanding_cents`` is negative for an unapplied credit balance."""

    outstanding_cents: int = 0
    overdue_cents: int = 0
    oldest_overdue_days: int | None = None


@dataclass(frozen=True)
class CreditScore:
    """A customer's score 0–100 with its factors, and the grade and limit computed and in force."""

    customer_id: int
    score: float
    computed_grade: str
    computed_limit_cents: int
    grade: str  # in force: the manual grade when one is set, else the computed one
    limit_cents: int  # in force: the manual limit, else the limit of the grade in force
    purchases_12m_cents: int
    factors: list[Factor] = field(default_factory=list)
    override: Override = field(default_factory=Override)


@dataclass(frozen=True)
class CheckResult:
    """`credit check`: whether an order fits the customer's credit, and why (English and Chinese)."""

    approved: bool
    reasons: list[str]
    headroom_cents: int | None  # limit − outstanding − this order; None without a limit
    reasons_zh: list[str] = field(default_factory=list)  # the same reasons in Chinese


def yuan(cents: int) -> str:
    """Money for messages: ¥12,345.00."""
    sign = "-" if cents < 0 else ""
    return f"{sign}¥{abs(cents) // 100:,}.{abs(cents) % 100:02d}"


def months_between(start: date, end: date) -> int:
    """Completed calendar months from ``start`` to ``end`` (2024-01-31 → 2024-02-29 is 0, → 2024-03-31 is 2)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return max(0, months - (1 if end.day < start.day else 0))


def year_before(today: date) -> date:
    """The same day a year earlier (29 February → 28 February): the 12-month window is (year_before, today]."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


def exposures(open_items: Table, credits: dict[int, int]) -> dict[int, Exposure]:
    """Outstanding, overdue (days past due > 0) and the oldest overdue days per customer."""
    sums: dict[int, list[Any]] = defaultdict(lambda: [0, 0, None])
    for cid, cents, days in zip(
        open_items["customer_id"],
        open_items["outstanding_cents"],
        open_items["days_past_due"],
        strict=True,
    ):
        entry = sums[int(cid)]
        entry[0] += int(cents)
        if days > 0:
            entry[1] += int(cents)
            entry[2] = max(int(days), entry[2] or 0)
    for cid, credit in credits.items():
        sums[cid][0] -= credit
    return {cid: Exposure(*values) for cid, values in sums.items()}


def purchases_since(items: Table, start: date, today: date) -> dict[int, int]:
    """Net purchases in cents per customer with start < order_date <= today: orders less credit notes."""
    totals: dict[int, int] = defaultdict(int)
    for cid, on, cents in zip(
        items["customer_id"], items["order_date"], items["signed_cents"], strict=True
    ):
        if start < on <= today:
            totals[int(cid)] += int(cents)
    return dict(totals)


def lateness_credit(days_late: float, grace_days: int) -> float:
    """1 when paid by the due date, falling linearly to 0 at ``grace_days`` late."""
    if days_late <= 0:
        return 1.0
    if grace_days <= 0:
        return 0.0
    return max(0.0, 1.0 - days_late / grace_days)


def punctuality(settlements: Table, open_items: Table, grace_days: int) -> dict[int, float]:
    """Amount-weighted on-time share per customer (paid parts, plus unpaid money already past due)."""
    weighted: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])

    def add(cid: Any, cents: Any, late: Any) -> None:
        entry = weighted[int(cid)]
        entry[0] += int(cents) * lateness_credit(float(late), grace_days)
        entry[1] += int(cents)

    for row in zip(
        settlements["customer_id"],
        settlements["amount_cents"],
        settlements["days_late"],
        strict=True,
    ):
        add(*row)
    for cid, cents, days in zip(
        open_items["customer_id"],
        open_items["outstanding_cents"],
        open_items["days_past_due"],
        strict=True,
    ):
        if days > 0:  # money not yet due is neither on time nor late
            add(cid, cents, days)
    return {cid: on_time / total for cid, (on_time, total) in weighted.items() if total > 0}


def volume_ranks(purchases: dict[int, int]) -> dict[int, float]:
    """Percentile rank of each customer's purchases: (below + 0.5 × others tied) / (n − 1); 0 for no purchases."""
    values = sorted(purchases.values())
    n = len(values)
    ranks = {}
    for cid, value in purchases.items():
        if value <= 0:
            ranks[cid] = 0.0
        elif n == 1:
            ranks[cid] = NEUTRAL
        else:
            below = bisect_left(values, value)
            tied = bisect_right(values, value) - below - 1
            ranks[cid] = (below + 0.5 * tied) / (n - 1)
    return ranks


def utilization_sub_score(
    outstanding_cents: int, limit_cents: int | None
) -> tuple[float | None, float]:
    """(outstanding / limit, sub-score) under the rules in the module docstring."""
    if outstanding_cents <= 0:
        return (0.0 if limit_cents else None), 1.0
    if limit_cents is None:
        return None, NEUTRAL
    if limit_cents <= 0:
        return None, 0.0
    used = outstanding_cents / limit_cents
    return used, 1.0 - min(1.0, used)


def check_weights(weights: dict[str, float]) -> float:
    """The sum of the weights, after checking that they name exactly the five factors and are not negative."""
    unknown = sorted(set(weights) - set(FACTORS))
    if unknown:
        raise ConfigError(
            f"credit.weights: unknown factor {unknown[0]!r} (factors: {', '.join(FACTORS)})"
        )
    if any(weights.get(f, 0) < 0 for f in FACTORS) or sum(weights.get(f, 0) for f in FACTORS) <= 0:
        raise ConfigError("credit.weights must be zero or more and add up to more than 0")
    return float(sum(weights.get(f, 0) for f in FACTORS))


def grade_for(score: float, cutoffs: dict[str, float]) -> str:
    """The first grade (highest cut-off first) whose cut-off the score reaches, else C."""
    for grade, cutoff in sorted(cutoffs.items(), key=lambda kv: -kv[1]):
        if score >= cutoff:
            return grade
    return LOWEST_GRADE


def grades(settings: CreditSettings) -> list[str]:
    """All grades, best first."""
    return [g for g, _ in sorted(settings.grade_cutoffs.items(), key=lambda kv: -kv[1])] + [
        LOWEST_GRADE
    ]


def review_change(
    old_grade: str | None,
    new_grade: str,
    old_limit_cents: int | None,
    new_limit_cents: int,
    order: list[str],
) -> str:
    """What a review changed for a customer: ``new`` (no known grade before), ``up``/``down`` by the grade (order:
    best first) or, the grade unchanged, by the limit (a C kept whose imported limit became 0 went down), ``''``
    when neither changed."""
    if old_grade is None or old_grade not in order:
        return "new"
    if old_grade != new_grade:
        return "up" if order.index(new_grade) < order.index(old_grade) else "down"
    if old_limit_cents is None or old_limit_cents == new_limit_cents:
        return ""
    return "up" if new_limit_cents > old_limit_cents else "down"


# `credit explain` shows a factor's raw value, sub-score and points to this many decimals (the score is computed
# from the unrounded ones and rounded to 2).
FACTOR_DECIMALS = 4


def shown_factor(
    name: str, raw: Any, sub_score: float, weight: float, points: float
) -> dict[str, Any]:
    """A factor as `credit explain` shows it: ``raw``, ``sub_score`` and ``points`` rounded to FACTOR_DECIMALS
    (they printed 0.19999999999999996)."""

    def rounded(value: Any) -> Any:
        return round(value, FACTOR_DECIMALS) if isinstance(value, float) else value

    return {
        "factor": name,
        "raw": rounded(raw),
        "sub_score": rounded(sub_score),
        "weight": weight,
        "points": rounded(points),
    }


def limit_for(grade: str, purchases_12m_cents: int, multiples: dict[str, float]) -> int:
    """multiple[grade] × purchases of 12 months / 12, rounded half up to whole yuan, in cents."""
    if grade not in multiples:
        raise ConfigError(f"credit.limit_multiples has no entry for grade {grade!r}")
    monthly = Decimal(max(0, purchases_12m_cents)) * Decimal(str(multiples[grade])) / 12
    return int((monthly / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * 100


def score_factors(
    subs: dict[str, tuple[float | None, float]], weights: dict[str, float]
) -> tuple[float, list[Factor]]:
    """The 0–100 score (rounded to 2 decimals) and its factors from raw values and sub-scores per factor."""
    total_weight = check_weights(weights)
    factors = []
    for name in FACTORS:
        raw, sub = subs[name]
        weight = float(weights.get(name, 0))
        factors.append(Factor(name, raw, sub, weight, 100.0 * weight * sub / total_weight))
    return round(sum(f.points for f in factors), 2), factors


def score_customers(
    ledger: Ledger,
    open_items: Table,
    limits: dict[int, int | None],
    settings: CreditSettings,
    today: date,
    overrides: dict[int, Override] | None = None,
) -> list[CreditScore]:
    """Score, grade and limit every customer with an order up to ``today``.

    ledger/open_items: from kacrm.analysis.receivables (build_ledger, open_items) on ``today``.
    limits: each customer's current credit limit in cents (None = none yet), used for utilization.
    overrides: manual decisions in force; a manual grade or limit replaces the computed one.
    """
    overrides = overrides or {}
    items = ledger.items
    if not items["customer_id"]:
        return []
    first_order: dict[int, date] = {}
    for cid, on in zip(items["customer_id"], items["order_date"], strict=True):
        if int(cid) not in first_order or on < first_order[int(cid)]:
            first_order[int(cid)] = on
    purchases = dict.fromkeys(first_order, 0)
    purchases.update(purchases_since(items, year_before(today), today))
    ranks = volume_ranks(purchases)
    on_time = punctuality(ledger.settlements, open_items, settings.grace_days)
    owed = exposures(open_items, ledger.credits)
    results = []
    for cid, first in first_order.items():
        exposure = owed.get(cid, Exposure())
        outstanding = max(0, exposure.outstanding_cents)
        share = exposure.overdue_cents / outstanding if outstanding else 0.0
        months = months_between(first, today)
        punctual = on_time.get(cid)
        subs = {
            "punctuality": (punctual, NEUTRAL if punctual is None else punctual),
            "overdue_share": (share, 1.0 - share),
            "utilization": utilization_sub_score(outstanding, limits.get(cid)),
            "tenure": (float(months), min(1.0, months / TENURE_FULL_MONTHS)),
            "volume": (purchases[cid] / 100, ranks[cid]),
        }
        score, factors = score_factors(subs, settings.weights)
        grade = grade_for(score, settings.grade_cutoffs)
        limit = limit_for(grade, purchases[cid], settings.limit_multiples)
        override = overrides.get(cid, Override())
        grade_in_force = override.grade or grade
        if override.limit_cents is not None:
            limit_in_force = override.limit_cents
        else:
            limit_in_force = limit_for(grade_in_force, purchases[cid], settings.limit_multiples)
        results.append(
            CreditScore(
                cid,
                score,
                grade,
                limit,
                grade_in_force,
                limit_in_force,
                purchases[cid],
                factors,
                override,
            )
        )
    return results


def fold_overrides(decisions: list[dict[str, Any]]) -> Override:
    """The manual decisions in force after a customer's manual reviews, oldest first.

    Each decision is ``{"set": {"grade": …, "limit_cents": …, "terms_days": …}}`` (only what was decided)
    or ``{"cleared": True}``, which drops everything decided before it.
    """
    current: dict[str, Any] = {}
    for decision in decisions:
        if decision.get("cleared"):
            current = {}
        current.update(decision.get("set", {}))
    return Override(**current)


def check_order(
    code: str,
    amount_cents: int,
    exposure: Exposure,
    overdue_days: list[tuple[int, int, str]],
    limit_cents: int | None,
    grade: str | None,
    grace_days: int,
    hold: bool = False,
) -> CheckResult:
    """Approve or refuse a new order of ``amount_cents``, with every reason for a refusal.

    overdue_days: (days past due, outstanding cents, order_no) of the customer's open orders; hold: the customer
    is on credit hold (kacrm.analysis.collections.on_hold), refused whatever the limit.
    """
    reasons: list[tuple[str, dict[str, Any]]] = []  # (kacrm.i18n.credit key, values)
    if hold:
        reasons.append(("credit_hold_reason", {}))
    if limit_cents is None:
        reasons.append(("credit_no_limit", {"code": code}))
    if grade == LOWEST_GRADE:
        reasons.append(("credit_cash_only", {"grade": LOWEST_GRADE}))
    after = exposure.outstanding_cents + amount_cents
    if limit_cents is not None and after > limit_cents:
        sums = {
            "outstanding": yuan(exposure.outstanding_cents),
            "amount": yuan(amount_cents),
            "after": yuan(after),
            "limit": yuan(limit_cents),
        }
        reasons.append(("credit_over_limit", sums))
    late = [(days, cents, no) for days, cents, no in overdue_days if days > grace_days]
    if late:
        days, _, order_no = max(late)
        total = yuan(sum(c for _, c, _ in late))
        values = {"total": total, "grace": grace_days, "order": order_no, "days": days}
        reasons.append(("credit_overdue", values))
    headroom = None if limit_cents is None else limit_cents - after
    return CheckResult(
        not reasons,
        [t(key, "en", **values) for key, values in reasons],
        headroom,
        [t(key, "zh", **values) for key, values in reasons],
    )


def top_revenue_tier(
    purchases: dict[int, int], codes: dict[int, str], threshold_percent: float
) -> set[int]:
    """Class A of an ABC split of purchases: customers by purchases descending (ties by code), up to and
    including the one where the cumulative share first reaches ``threshold_percent``."""
    ranked = sorted(
        ((v, codes.get(c, ""), c) for c, v in purchases.items() if v > 0),
        key=lambda t: (-t[0], t[1]),
    )
    total = sum(v for v, _, _ in ranked)
    top, running = set(), 0
    for value, _, cid in ranked:
        top.add(cid)
        running += value
        if running * 100 >= threshold_percent * total:
            break
    return top


def credit_flags(
    exposure: Exposure, limit_cents: int | None, big: bool, hold: bool = False
) -> list[str]:
    """over_limit, overdue, big_debtor (a top-revenue-tier customer with anything overdue), hold (§15)."""
    flags = []
    if limit_cents is not None and exposure.outstanding_cents > limit_cents:
        flags.append("over_limit")
    if exposure.overdue_cents > 0:
        flags.append("overdue")
        if big:
            flags.append("big_debtor")
    if hold:
        flags.append("hold")
    return flags

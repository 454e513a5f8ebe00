"""The rules of customer tiering (SPEC §6) that need no pandas: tiers, thresholds, where each abc and
pyramid tier ends, movements and the per-tier summary. `kacrm tier` on the database path (store.tier_ranking)
uses only these, so that a table output never loads pandas (0.37 s of a 1.5 s run)."""

from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from itertools import accumulate
from numbers import Integral
from typing import TYPE_CHECKING, Any

from kacrm.config_check import abc_thresholds_ok, pyramid_ok
from kacrm.domain import PYRAMID_TIERS, TIERS
from kacrm.errors import InputError, input_error

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class TierRequest:
    """What a tiering run is asked to do (`kacrm tier`'s options, the settings filled in)."""

    method: str = "abc"
    metric: str = "revenue"
    window: str = "12m"
    by: str = "customer"
    thresholds: tuple[float, float] = (80.0, 95.0)
    percentages: tuple[float, ...] = (1.0, 4.0, 15.0, 80.0)
    horizon_days: int = 365
    time_unit: str = "week"
    dry_run: bool = False

    def parameters(self) -> dict[str, Any]:
        params: dict[str, Any] = (
            {"thresholds": list(self.thresholds)} if self.method in ("abc", "clv") else {}
        )
        if self.method == "pyramid":
            params["percentages"] = list(self.percentages)
        if self.method == "clv":
            params.update(horizon_days=self.horizon_days, time_unit=self.time_unit)
        return params


@dataclass
class TierOutcome:
    """A tiering run: the per-tier summary, the movements since the previous run and a few rows to show."""

    request: TierRequest
    as_of: date
    summary: list[dict[str, Any]]
    movement_counts: dict[str, int]  # new | same | up | down | changed -> customers (or regions)
    moved: list[
        dict[str, Any]
    ]  # the first few that moved, by rank: code, name, previous_tier, tier, movement
    pin_overrides: list[
        dict[str, Any]
    ]  # the first few whose pin overrode the computed tier: code, tier, computed
    rows: pd.DataFrame | None = (
        None  # every row (tiering.tier_rows columns, name, rfm/clv columns) when asked for
    )
    run_id: int | None = None  # None with --dry-run
    previous_run: dict[str, Any] | None = None  # id and as_of of the run compared with
    unknown_costs: int = 0  # profit: orders in the window without a cost, left out
    fit: dict[str, Any] | None = None  # clv: the fitted model
    # a run of the primary method dated before that method's newest run: stored as history, the tier in force
    # (the newer run's) unchanged; the newer run's day
    newer_in_force: date | None = None


def parse_thresholds(text: str) -> tuple[float, float]:
    """'80,95' -> (80.0, 95.0): the cumulative percentages where A and B end."""
    try:
        values = tuple(float(part) for part in text.split(","))
    except ValueError:
        raise input_error("tier_bad_thresholds", text=text) from None
    if not abc_thresholds_ok(values):  # the rule of [tier] abc_thresholds too
        raise input_error("tier_thresholds_order", text=text)
    return values[0], values[1]


def check_percentages(percentages: list[float]) -> tuple[float, ...]:
    """The four pyramid shares (platinum, gold, iron, lead) in percent; they must be positive and sum to 100."""
    if not pyramid_ok(percentages):
        raise InputError(
            f"tier.pyramid_percentages must be four positive percentages summing to 100, "
            f"not {percentages}"
        )
    return tuple(percentages)


def _exact(number: Any) -> Fraction:
    return Fraction(int(number)) if isinstance(number, Integral) else Fraction(float(number))


def _first_reaching(cumulative: list[Any], total: Any, percent: float) -> int:
    """Index of the first customer whose cumulative value reaches percent % of total (exact arithmetic)."""
    goal = Fraction(str(percent)) / 100 * _exact(total)
    return bisect_left(range(len(cumulative)), True, key=lambda i: _exact(cumulative[i]) >= goal)


def tier_bands(
    method: str,
    positive: list[Any],
    thresholds: tuple[float, float],
    percentages: tuple[float, ...],
) -> list[tuple[str, int]]:
    """Where each tier ends, as (tier, last rank) from the top, for abc (and clv) or the pyramid; every rank after
    the last band gets the method's lowest tier (C, lead).

    ``positive`` holds the values greater than zero in rank order: only they can be above the lowest tier.
    abc: A up to and including the customer whose cumulative value first reaches thresholds[0] % of the total,
    B up to thresholds[1] %. Pyramid: boundary k = ceil(p·n) on the cumulative percentages (1, 5, 20 by default),
    at least one platinum.
    """
    n = len(positive)
    if not n:
        return []
    if method == "pyramid":
        bands, end, cumulative = [], 0, Fraction(0)
        for position, (tier, percent) in enumerate(
            zip(PYRAMID_TIERS[:3], percentages[:3], strict=True)
        ):
            cumulative += Fraction(str(percent)) / 100
            end = max(math.ceil(cumulative * n), 1 if position == 0 else end)
            bands.append((tier, end))
        return bands
    cumulative = list(accumulate(positive))  # sequential, as numpy's cumsum
    total = cumulative[-1]
    a_end = _first_reaching(cumulative, total, thresholds[0]) + 1
    b_end = max(_first_reaching(cumulative, total, thresholds[1]) + 1, a_end)
    return [("A", a_end), ("B", b_end)]


def movement(previous: str | None, current: str, method: str) -> str:
    """new | same | up | down (A>B>C, platinum>gold>iron>lead); rfm segments, or tiers of another family, are
    "changed"."""
    if previous is None:
        return "new"
    if previous == current:
        return "same"
    order = TIERS[method]
    if method == "rfm" or previous not in order or current not in order:
        return "changed"
    return "up" if order.index(current) < order.index(previous) else "down"


def summary_of(
    totals: dict[str, tuple[int, Any]], n: int, positive_total: Any, method: str
) -> list[dict[str, Any]]:
    """tier_summary from per-tier (customers, metric sum), the number of rows and the total of positive values."""
    summary = []
    for tier in TIERS[method]:
        count, total = totals.get(tier, (0, 0))
        summary.append(
            {
                "tier": tier,
                "customers": count,
                "customers_share": count / n if n else 0.0,
                "value": total,
                "value_share": float(total / positive_total) if positive_total > 0 else 0.0,
            }
        )
    return summary

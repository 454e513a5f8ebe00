"""Customer tiering (SPEC §6) in pandas, for clv and abc by region: ranking, ABC and run-to-run movements (abc and the
pyramid by customer rank in SQL, store.tier_ranking; RFM is scored in SQL, store.tier_rfm).

Every function takes plain data and returns data, as pandas frames. Values arrive as per-customer totals already
restricted to the window (the store aggregates them in SQL); the rules that need no pandas (where tiers end,
movements, the summary) are in tier_rules.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from kacrm.analysis.tier_rules import movement, summary_of, tier_bands
from kacrm.domain import METHODS, TIERS
from kacrm.errors import InputError


def _rank_order(values: pd.Series, codes: pd.Series) -> np.ndarray:
    """Positions sorted by value descending, ties by code ascending.

    NumPy on the codes' sort position is about five times faster than a two-key sort_values on a string column
    (100,000 customers: 15 ms instead of 80 ms); codes that do not compare as one type fall back to pandas.
    """
    try:
        by_code = np.argsort(codes.to_numpy(dtype=object), kind="stable")
    except TypeError:
        keys = pd.DataFrame({"value": values.to_numpy(), "code": codes.to_numpy()})
        return keys.sort_values(
            ["value", "code"], ascending=[False, True], kind="mergesort"
        ).index.to_numpy()
    code_position = np.empty(len(by_code), dtype=np.int64)
    code_position[by_code] = np.arange(len(by_code))
    return np.lexsort((code_position, -values.to_numpy(dtype="float64")))


def rank_values(frame: pd.DataFrame) -> pd.DataFrame:
    """Sort by value descending, ties by code; add rank (1…n), share and cumulative_share (fractions)."""
    ranked = frame.take(_rank_order(frame["value"], frame["code"])).reset_index(drop=True)
    ranked["rank"] = np.arange(1, len(ranked) + 1)
    return with_shares(ranked)


def with_shares(ranked: pd.DataFrame) -> pd.DataFrame:
    """Add share and cumulative_share to rows already in rank order.

    Shares are of the total of positive values; customers with zero or negative value do not add to the
    cumulative share (it stays at 1.0 after the last positive one).
    """
    positive = ranked["value"].clip(lower=0)
    total = positive.sum()
    ranked["share"] = ranked["value"] / total if total > 0 else 0.0
    ranked["cumulative_share"] = positive.cumsum() / total if total > 0 else 0.0
    return ranked


def tier_abc(ranked: pd.DataFrame, thresholds: tuple[float, float]) -> pd.Series:
    """A/B/C by tier_bands; zero or negative value is always C. ``ranked`` comes from rank_values. (The pyramid
    is tiered in SQL: kacrm.store.tier_ranking.)"""
    values = ranked["value"].to_numpy()
    tiers = np.full(len(ranked), TIERS["abc"][-1], dtype=object)
    start = 0
    for tier, end in tier_bands("abc", values[values > 0].tolist(), thresholds, ()):
        tiers[start:end] = tier
        start = end
    return pd.Series(tiers, index=ranked.index, name="tier")


def apply_pins(computed: pd.Series, pinned: pd.Series, method: str) -> pd.Series:
    """The stored tier: the pinned tier where one is set and belongs to this method's tiers, else the computed."""
    applies = pinned.notna() & pinned.isin(TIERS[method])
    return computed.where(~applies, pinned)


def movements(previous: pd.Series, current: pd.Series, method: str) -> pd.Series:
    """tier_rules.movement for every row (worked out once per distinct pair of tiers)."""
    pairs = pd.DataFrame({"previous": previous.astype(object), "current": current.astype(object)})
    pairs = pairs.where(pairs.notna(), None)
    kinds = {
        pair: movement(*pair, method) for pair in set(pairs.itertuples(index=False, name=None))
    }
    return pd.Series(
        [kinds[pair] for pair in pairs.itertuples(index=False, name=None)],
        index=current.index,
        dtype=object,
    )


def tier_summary(rows: pd.DataFrame, method: str) -> list[dict[str, Any]]:
    """Per tier: customers, share of customers, the metric sum and its share (of the positive total)."""
    counts = rows.groupby("tier")["value"].agg(["count", "sum"])
    totals = {tier: (int(counts["count"][tier]), counts["sum"][tier]) for tier in counts.index}
    return summary_of(totals, len(rows), rows["value"].clip(lower=0).sum(), method)


def tier_rows(
    entities: pd.DataFrame,
    method: str,
    thresholds: tuple[float, float],
) -> pd.DataFrame:
    """Rank, tier, pin and compare one run of clv, or of abc by region (A/B/C by ``thresholds``; the other
    methods rank in SQL: kacrm.store.tier_ranking, tier_rfm).

    ``entities`` columns: key (customer id or region), code (the tie-breaker), value, pinned (tier or None),
    previous_tier (None where new). Returns them sorted by rank with share,
    cumulative_share, rank, computed_tier, tier, pinned (bool: the pin decided the tier), previous_tier, movement.
    """
    if method not in METHODS:
        raise InputError(f"--method: {method!r} is not one of {', '.join(METHODS)}")
    rows = rank_values(entities)
    rows["computed_tier"] = tier_abc(rows, thresholds)
    pins = rows["pinned"] if "pinned" in rows else pd.Series(None, index=rows.index, dtype=object)
    rows["tier"] = apply_pins(rows["computed_tier"], pins, method)
    rows["pinned"] = pins.notna() & pins.isin(TIERS[method])
    previous = (
        rows["previous_tier"] if "previous_tier" in rows else pd.Series(None, index=rows.index)
    )
    rows["previous_tier"] = previous.astype(object).where(previous.notna(), None)
    rows["movement"] = movements(rows["previous_tier"], rows["tier"], method)
    return rows


NO_REGION = "(none)"


def regions_of(customers: pd.DataFrame, before: dict[str, str]) -> pd.DataFrame:
    """The entities of abc by region: each region's total value (customers without one under NO_REGION), with
    ``before`` (region -> tier of the previous run) as the previous tier."""
    regions = customers.assign(region=customers["region"].fillna(NO_REGION))
    grouped = regions.groupby("region", as_index=False)["value"].sum()
    return grouped.assign(
        key=grouped["region"],
        code=grouped["region"],
        name=None,
        pinned=None,
        previous_tier=grouped["region"].map(before),
    )

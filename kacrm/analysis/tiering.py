"""Customer tiering (SPEC §6): ABC, the customer pyramid, RFM scores and segments, and run-to-run movements.

Every function takes plain data and returns data, as pandas frames. Values arrive as per-customer totals already
restricted to the window (the store aggregates them in SQL); the rules that need no pandas (where tiers end,
movements, the summary) are in tier_rules.
"""

from __future__ import annotations

from datetime import date
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


def _tiers_by_band(
    ranked: pd.DataFrame,
    method: str,
    thresholds: tuple[float, float],
    percentages: tuple[float, ...],
) -> pd.Series:
    values = ranked["value"].to_numpy()
    tiers = np.full(len(ranked), TIERS[method][-1], dtype=object)
    start = 0
    for tier, end in tier_bands(method, values[values > 0].tolist(), thresholds, percentages):
        tiers[start:end] = tier
        start = end
    return pd.Series(tiers, index=ranked.index, name="tier")


def tier_abc(ranked: pd.DataFrame, thresholds: tuple[float, float]) -> pd.Series:
    """A/B/C by tier_bands; zero or negative value is always C. ``ranked`` comes from rank_values."""
    return _tiers_by_band(ranked, "abc", thresholds, ())


def tier_pyramid(ranked: pd.DataFrame, percentages: tuple[float, ...]) -> pd.Series:
    """Platinum/gold/iron/lead by tier_bands among customers with value > 0; zero or no value is lead."""
    return _tiers_by_band(ranked, "pyramid", (), percentages)


def quintile_scores(values: pd.Series, higher_is_better: bool = True) -> pd.Series:
    """Scores 1–5 by position: score = 1 + floor(5·(rank − 1)/n), rank ascending from the worst value.

    Equal values share the rank of the first of them (method "min"), so equal values always get equal scores.
    """
    n = len(values)
    if n == 0:
        return pd.Series([], dtype="int64", index=values.index)
    ranks = (values if higher_is_better else -values).rank(method="min").astype("int64")
    return (1 + (5 * (ranks - 1)) // n).astype("int64")


def rfm_segment(r: int, f: int, m: int) -> str:
    """The segment table of docs/tiering.md; the first matching rule wins."""
    if r >= 4 and f >= 4:
        return "champions"
    if r >= 3 and f >= 3:
        return "loyal"
    if r >= 4 and f <= 1:
        return "new"
    if r >= 3:
        return "potential"
    if f >= 4 and m >= 4:
        return "cannot_lose"
    if f >= 3:
        return "at_risk"
    return "hibernating" if r == 2 else "lost"


def rfm_scores(activity: pd.DataFrame, today: date) -> pd.DataFrame:
    """RFM over the window for customers with orders in it.

    ``activity`` columns: last_order_on (date, None without orders in the window), orders, revenue_cents,
    ordered_before (bool: an order before the window). Returns recency (days), frequency, monetary (cents), r, f,
    m, rfm_code and segment; customers without orders in the window have frequency and monetary 0 (what the window
    holds), no recency, no scores, and the segment "lost" when they bought before the window, "other" when they
    never bought.
    """
    out = pd.DataFrame(index=activity.index)
    active = activity["last_order_on"].notna() & (activity["orders"] > 0)
    last = pd.to_datetime(activity["last_order_on"])
    out["recency"] = (pd.Timestamp(today) - last).dt.days.where(active).astype("Int64")
    out["frequency"] = activity["orders"].where(active, 0).astype("Int64")
    out["monetary"] = activity["revenue_cents"].where(active, 0).astype("Int64")
    scored = out[active]
    scores = pd.DataFrame(
        {
            "r": quintile_scores(scored["recency"].astype("int64"), higher_is_better=False),
            "f": quintile_scores(scored["frequency"].astype("int64")),
            "m": quintile_scores(scored["monetary"].astype("int64")),
        }
    )
    for col in ("r", "f", "m"):
        out[col] = scores[col].reindex(out.index).astype("Int64")
    out["rfm_code"] = None
    out["segment"] = np.where(activity["ordered_before"].astype(bool), "lost", "other")
    if len(scores):
        codes = scores["r"].astype(str) + scores["f"].astype(str) + scores["m"].astype(str)
        segments = [
            rfm_segment(r, f, m) for r, f, m in scores[["r", "f", "m"]].itertuples(index=False)
        ]
        out.loc[scores.index, "rfm_code"] = codes
        out.loc[scores.index, "segment"] = segments
    return out


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
    percentages: tuple[float, ...],
) -> pd.DataFrame:
    """Rank, tier, pin and compare one run.

    ``entities`` columns: key (customer id or region), code (the tie-breaker), value, pinned (tier or None),
    previous_tier (None where new) and, for rfm, segment. Returns them sorted by rank with share,
    cumulative_share, rank, computed_tier, tier, pinned (bool: the pin decided the tier), previous_tier, movement.
    """
    if method not in METHODS:
        raise InputError(f"--method: {method!r} is not one of {', '.join(METHODS)}")
    rows = rank_values(entities)
    if method == "pyramid":
        rows["computed_tier"] = tier_pyramid(rows, percentages)
    elif method == "rfm":
        rows["computed_tier"] = rows["segment"]
    else:
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

"""The tiering rules of SPEC §6 on small tables computed by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from kacrm.analysis.tier_rules import check_percentages, parse_thresholds, tier_bands
from kacrm.analysis.tiering import (
    apply_pins,
    movements,
    rank_values,
    tier_abc,
    tier_summary,
)
from kacrm.errors import InputError


def ranked(values: dict[str, float]) -> pd.DataFrame:
    return rank_values(pd.DataFrame({"code": list(values), "value": list(values.values())}))


def test_abc_cut_includes_the_customer_that_reaches_the_threshold() -> None:
    # total 100: cumulative 50, 75, 85, 93, 97, 100, 100. A ends where 80 % is first reached (C03, 85);
    # B ends where 95 % is first reached (C05, 97); zero value is C.
    table = ranked({"C01": 50, "C02": 25, "C03": 10, "C04": 8, "C05": 4, "C06": 3, "C07": 0})
    assert list(table["code"]) == ["C01", "C02", "C03", "C04", "C05", "C06", "C07"]
    assert list(tier_abc(table, (80, 95))) == ["A", "A", "A", "B", "B", "C", "C"]
    assert list(table["cumulative_share"]) == pytest.approx([0.5, 0.75, 0.85, 0.93, 0.97, 1.0, 1.0])
    assert list(table["rank"]) == [1, 2, 3, 4, 5, 6, 7]


def test_abc_exact_boundary_and_ties_by_code() -> None:
    # total 10; C02 and C01 tie at 3 -> C01 first. Cumulative 4, 7, 10: 80 % = 8 is first reached at the third.
    table = ranked({"C03": 4, "C02": 3, "C01": 3})
    assert list(table["code"]) == ["C03", "C01", "C02"]
    assert list(tier_abc(table, (70, 95))) == [
        "A",
        "A",
        "B",
    ]  # 7 / 10 = 70 % exactly reaches A at C01
    assert list(tier_abc(table, (80, 95))) == ["A", "A", "A"]


def test_abc_one_big_customer_leaves_b_empty_and_nothing_is_c_by_accident() -> None:
    table = ranked({"C01": 96, "C02": 3, "C03": 1})  # cumulative 96 %: A and B both end at C01
    assert list(tier_abc(table, (80, 95))) == ["A", "C", "C"]


def test_abc_with_no_value_at_all_is_all_c() -> None:
    table = ranked({"C01": 0, "C02": 0})
    assert list(tier_abc(table, (80, 95))) == ["C", "C"]
    assert list(table["share"]) == [0.0, 0.0]


def test_abc_negative_profit_is_c_and_does_not_count_in_the_total() -> None:
    # positives total 10: shares 0.8, 0.2; the loss-maker's share is -5 / 10
    table = ranked({"C01": 8, "C02": 2, "C03": -5})
    assert list(tier_abc(table, (80, 95))) == ["A", "B", "C"]
    assert list(table["share"]) == pytest.approx([0.8, 0.2, -0.5])
    assert list(table["cumulative_share"]) == pytest.approx([0.8, 1.0, 1.0])


def test_abc_on_a_float_metric() -> None:
    # quantity: total 5.0; cumulative 2.5 (50 %), 4.0 (80 %: reaches A), 5.0 (reaches B)
    table = ranked({"C01": 2.5, "C02": 1.5, "C03": 1.0})
    assert list(tier_abc(table, (80, 95))) == ["A", "A", "B"]


def tier_pyramid(values: dict[str, float], percentages: tuple[float, ...]) -> list[str]:
    """The pyramid tiers in rank order, from the bands tier_bands gives for the positive values (as the SQL
    ranking applies them: kacrm.store.tier_ranking), every other rank lead."""
    ordered = sorted(values.values(), reverse=True)
    tiers: list[str] = []
    for tier, end in tier_bands("pyramid", [v for v in ordered if v > 0], (), percentages):
        tiers += [tier] * (end - len(tiers))
    return tiers + ["lead"] * (len(ordered) - len(tiers))


def test_pyramid_boundaries_use_ceil_on_cumulative_percentages() -> None:
    # n = 30 buyers: platinum k = ceil(0.01*30) = 1, gold up to ceil(0.05*30) = 2, iron up to ceil(0.20*30) = 6
    values = {f"C{i:02d}": 100 - i for i in range(1, 31)} | {"Z01": 0}
    tiers = list(tier_pyramid(values, (1, 4, 15, 80)))
    assert tiers == ["platinum"] + ["gold"] + ["iron"] * 4 + ["lead"] * 24 + ["lead"]


def test_pyramid_small_n_still_has_one_platinum() -> None:
    # n = 3: ceil(0.03) = 1 platinum, ceil(0.15) = 1 -> no gold, ceil(0.6) = 1 -> no iron
    assert list(tier_pyramid({"A": 5, "B": 4, "C": 3}, (1, 4, 15, 80))) == [
        "platinum",
        "lead",
        "lead",
    ]
    # n = 100: exactly 1, 5, 20 (no float drift: 0.05 * 100 must not become 6)
    values = {f"C{i:03d}": 1000 - i for i in range(100)}
    tiers = list(tier_pyramid(values, (1, 4, 15, 80)))
    assert (tiers.count("platinum"), tiers.count("gold"), tiers.count("iron")) == (1, 4, 15)


def test_pyramid_nobody_buying_is_all_lead() -> None:
    assert list(tier_pyramid({"A": 0}, (1, 4, 15, 80))) == ["lead"]


def test_thresholds_and_percentages_are_checked() -> None:
    assert parse_thresholds("80,95") == (80.0, 95.0)
    for bad in ("80", "95,80", "x,95", "0,95", "80,101"):
        with pytest.raises(InputError, match="--thresholds"):
            parse_thresholds(bad)
    with pytest.raises(InputError, match="pyramid_percentages"):
        check_percentages([1, 4, 15, 70])


def test_pins_apply_only_to_their_own_tier_family() -> None:
    computed = pd.Series(["B", "C", "A"])
    pinned = pd.Series(["A", None, "gold"])
    assert list(apply_pins(computed, pinned, "abc")) == ["A", "C", "A"]
    assert list(apply_pins(pd.Series(["lead"] * 3), pinned, "pyramid")) == ["lead", "lead", "gold"]


def test_movements() -> None:
    def one(previous: str | None, current: str, method: str) -> str:
        return movements(
            pd.Series([previous], dtype=object), pd.Series([current], dtype=object), method
        )[0]

    assert one(None, "A", "abc") == "new"
    assert one("B", "A", "abc") == "up"
    assert one("A", "C", "clv") == "down"
    assert one("iron", "gold", "pyramid") == "up"
    assert one("gold", "gold", "pyramid") == "same"
    assert one("loyal", "champions", "rfm") == "changed"
    assert one("platinum", "A", "abc") == "changed"  # a tier of another family


def test_tier_summary_counts_and_shares() -> None:
    rows = pd.DataFrame({"tier": ["A", "A", "B", "C"], "value": [60, 20, 15, 5]})
    summary = {row["tier"]: row for row in tier_summary(rows, "abc")}
    assert summary["A"]["customers"] == 2 and summary["A"]["customers_share"] == 0.5
    assert summary["A"]["value"] == 80 and summary["A"]["value_share"] == pytest.approx(0.8)
    assert summary["C"]["value_share"] == pytest.approx(0.05)

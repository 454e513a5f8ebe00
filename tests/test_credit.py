"""Credit scoring, grades, limits, overrides and the order check on hand-computed cases (kacrm.analysis.credit)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from kacrm.analysis.credit import (
    Exposure,
    Override,
    check_order,
    credit_flags,
    exposures,
    fold_overrides,
    grade_for,
    lateness_credit,
    limit_for,
    months_between,
    score_customers,
    top_revenue_tier,
    volume_ranks,
    year_before,
)
from kacrm.analysis.receivables import build_ledger, open_items
from kacrm.config import CreditSettings, Settings
from kacrm.errors import ConfigError

D = date.fromisoformat
TODAY = D("2024-06-30")


def frame(columns: list[str], rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


@pytest.fixture
def book():
    """Three customers on 2024-06-30 (terms 30 days, grace 30 days, default weights 35/25/15/10/15).

    C1 (limit ¥10,000): O1 2022-01-15 ¥6,000 due 02-14, paid 02-10 (4 days early);
        O2 2024-03-01 ¥4,000 due 03-31, ¥2,000 paid 04-15 naming O2 (15 days late), ¥2,000 open 91 days past due
        (04: 30 + 05: 31 + 06: 30); O3 2024-06-20 ¥2,000 due 07-20, not due.
    C2 (no limit): O4 2024-05-01 ¥3,000 due 05-31, paid 05-20.
    C3 (no limit): O5 2021-01-01 ¥1,000, never paid.
    """
    orders = frame(
        ["customer_id", "order_no", "order_date", "amount_cents", "due_date"],
        [
            (1, "O1", D("2022-01-15"), 600000, None),
            (1, "O2", D("2024-03-01"), 400000, None),
            (1, "O3", D("2024-06-20"), 200000, None),
            (2, "O4", D("2024-05-01"), 300000, None),
            (3, "O5", D("2021-01-01"), 100000, None),
        ],
    )
    payments = frame(
        ["customer_id", "payment_no", "order_no", "paid_on", "amount_cents"],
        [
            (1, "P1", None, D("2022-02-10"), 600000),
            (1, "P2", "O2", D("2024-04-15"), 200000),
            (2, "P3", None, D("2024-05-20"), 300000),
        ],
    )
    customers = frame(["customer_id", "payment_terms_days"], [(1, 30), (2, 30), (3, 30)])
    ledger = build_ledger(orders, payments, customers, Settings(), TODAY)
    return ledger, open_items(ledger, TODAY)


def scores(book, limits, overrides=None, settings=None):
    ledger, items = book
    result = score_customers(ledger, items, limits, settings or CreditSettings(), TODAY, overrides)
    return {s.customer_id: s for s in result}


def test_score_of_hand_built_customers(book) -> None:
    s = scores(book, {1: 1_000_000, 2: None, 3: None})
    c1 = {f.name: f for f in s[1].factors}
    # punctuality: ¥6,000 on time (credit 1) + ¥2,000 15 days late (1 − 15/30 = 0.5) + ¥2,000 unpaid 91 days
    # past due (0); O3 not due is left out: (6000 + 1000 + 0) / 10000 = 0.7
    assert c1["punctuality"].sub_score == pytest.approx(0.7)
    # overdue share: ¥2,000 overdue of ¥4,000 outstanding = 0.5 → sub-score 0.5
    assert c1["overdue_share"].raw == pytest.approx(0.5) and c1[
        "overdue_share"
    ].sub_score == pytest.approx(0.5)
    # utilization: 4,000 / 10,000 = 0.4 → 0.6
    assert c1["utilization"].raw == pytest.approx(0.4) and c1[
        "utilization"
    ].sub_score == pytest.approx(0.6)
    # tenure: 2022-01-15 → 2024-06-30 = 29 completed months → 29/36
    assert c1["tenure"].raw == 29 and c1["tenure"].sub_score == pytest.approx(29 / 36)
    # volume: 12-month purchases C1 ¥6,000 (O2 + O3), C2 ¥3,000, C3 ¥0: C1 is above both others: 2/2 = 1
    assert c1["volume"].raw == pytest.approx(6000.0) and c1["volume"].sub_score == 1.0
    # score: 35×0.7 + 25×0.5 + 15×0.6 + 10×29/36 + 15×1 = 24.5 + 12.5 + 9 + 8.0556 + 15 = 69.0556 → 69.06
    assert s[1].score == 69.06 and s[1].grade == "BBB"
    # limit: BBB 1.5 × ¥6,000 / 12 = ¥750
    assert s[1].limit_cents == 75000
    assert sum(f.points for f in s[1].factors) == pytest.approx(69.0556, abs=1e-4)

    # C2: all on time (35), nothing outstanding (25 + 15), 1 month (10/36), volume 1/2 (7.5): 82.78 → AA;
    # limit 2.5 × 3,000 / 12 = ¥625
    assert s[2].score == round(35 + 25 + 15 + 10 / 36 + 7.5, 2) == 82.78
    assert (s[2].grade, s[2].limit_cents) == ("AA", 62500)

    # C3: unpaid 3+ years (punctuality 0), all overdue (0), no limit (neutral 0.5 × 15 = 7.5),
    # 41 months (10), nothing bought in 12 months (0): 17.5 → C, cash only
    assert (s[3].score, s[3].grade, s[3].limit_cents) == (17.5, "C", 0)


def test_owing_more_than_the_limit_loses_the_utilization_points(book) -> None:
    # C1 against its computed limit of ¥750: 4,000 / 750 > 1 → sub-score 0; 69.0556 − 15 × 0.6 = 60.0556 → 60.06
    s = scores(book, {1: 75000})
    assert (s[1].score, s[1].grade) == (60.06, "BBB")


def test_weights_are_scaled_to_100(book) -> None:
    # Doubling every weight changes nothing: the score is 100 × Σ w·s / Σ w.
    doubled = CreditSettings()
    doubled.weights = {k: 2 * v for k, v in doubled.weights.items()}
    assert scores(book, {1: 1_000_000}, settings=doubled)[1].score == 69.06


def test_bad_weights_are_a_config_error(book) -> None:
    settings = CreditSettings()
    settings.weights = {**settings.weights, "loyalty": 5.0}
    with pytest.raises(ConfigError, match="loyalty"):
        scores(book, {}, settings=settings)


def test_manual_override_replaces_grade_and_limit_but_keeps_the_score(book) -> None:
    s = scores(
        book, {1: 1_000_000}, overrides={1: Override(grade="A"), 2: Override(limit_cents=5_000_000)}
    )
    # C1: manual grade A, no manual limit → A's limit: 2.0 × 6,000 / 12 = ¥1,000; computed stays BBB / ¥750
    assert (s[1].grade, s[1].limit_cents, s[1].computed_grade, s[1].computed_limit_cents) == (
        "A",
        100000,
        "BBB",
        75000,
    )
    assert s[1].score == 69.06
    # C2: manual limit ¥50,000, computed grade AA kept
    assert (s[2].grade, s[2].limit_cents) == ("AA", 5_000_000)


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (100, "AAA"),
        (90, "AAA"),
        (89.99, "AA"),
        (80, "AA"),
        (79.99, "A"),
        (70, "A"),
        (60, "BBB"),
        (59.99, "BB"),
        (50, "BB"),
        (40, "B"),
        (39.99, "C"),
        (0, "C"),
    ],
)
def test_grade_boundaries(score: float, grade: str) -> None:
    assert grade_for(score, CreditSettings().grade_cutoffs) == grade


def test_limit_arithmetic() -> None:
    multiples = CreditSettings().limit_multiples
    # AA: 2.5 × 1,234,567 cents / 12 = 257,201.46 cents = ¥2,572.01 → ¥2,572
    assert limit_for("AA", 1_234_567, multiples) == 257_200
    # BB: 1.0 × ¥12,006 / 12 = ¥1,000.50 → half up → ¥1,001
    assert limit_for("BB", 1_200_600, multiples) == 100_100
    # C: cash only
    assert limit_for("C", 9_999_999, multiples) == 0
    with pytest.raises(ConfigError, match="ZZ"):
        limit_for("ZZ", 100, multiples)


def test_lateness_credit_falls_linearly_to_the_grace_days() -> None:
    assert [lateness_credit(d, 30) for d in (-3, 0, 15, 30, 45)] == [1.0, 1.0, 0.5, 0.0, 0.0]
    assert lateness_credit(1, 0) == 0.0


def test_months_between_counts_completed_months() -> None:
    assert months_between(D("2024-01-31"), D("2024-02-29")) == 0
    assert months_between(D("2024-01-31"), D("2024-03-31")) == 2
    assert months_between(D("2022-01-15"), D("2024-06-14")) == 28
    assert year_before(D("2024-02-29")) == D("2023-02-28")


def test_volume_ranks_use_mid_ranks() -> None:
    # values 0, 100, 200, 200 (n = 4): 100 → 1 below / 3; 200 → (2 below + 0.5 × 1 tied) / 3; 0 → 0
    ranks = volume_ranks({1: 0, 2: 100, 3: 200, 4: 200})
    assert ranks == pytest.approx({1: 0.0, 2: 1 / 3, 3: 2.5 / 3, 4: 2.5 / 3})
    assert volume_ranks({7: 500}) == {7: 0.5}


def test_fold_overrides_until_cleared() -> None:
    decisions = [
        {"set": {"limit_cents": 100}},
        {"set": {"grade": "A"}},
        {"cleared": True},
        {"set": {"terms_days": 45}},
    ]
    assert fold_overrides(decisions[:2]) == Override(grade="A", limit_cents=100)
    assert fold_overrides(decisions[:3]).empty
    assert fold_overrides(decisions) == Override(terms_days=45)


def test_exposures_with_credit_balance() -> None:
    items = pd.DataFrame(
        {
            "customer_id": [1, 1, 2],
            "outstanding_cents": [500, 300, 100],
            "days_past_due": [10, -2, 40],
        }
    )
    found = exposures(items, {3: 700})
    assert found[1] == Exposure(800, 500, 10)
    assert found[2] == Exposure(100, 100, 40)
    assert found[3] == Exposure(-700, 0, None)


def test_check_approves_within_the_limit() -> None:
    # limit 10,000 − outstanding 4,000 − order 5,000 = headroom 1,000
    result = check_order(
        "C1", 500_000, Exposure(400_000, 0, None), [(-5, 400_000, "O1")], 1_000_000, "A", 30
    )
    assert result.approved and result.reasons == [] and result.headroom_cents == 100_000


def test_check_refuses_with_every_reason() -> None:
    # grade C (limit 0): over limit 0 + 100 > 0; ¥300 overdue 31 days (> 30 grace); the 30-day one is tolerated
    result = check_order(
        "C9",
        10_000,
        Exposure(50_000, 50_000, 31),
        [(31, 30_000, "O7"), (30, 20_000, "O8")],
        0,
        "C",
        30,
    )
    assert not result.approved
    assert result.reasons == [
        "grade C: cash only",
        "over limit with this order: outstanding ¥500.00 + order ¥100.00 = ¥600.00 > limit ¥0.00",
        "¥300.00 overdue by more than 30 days (oldest: order O7, 31 days past due)",
    ]
    assert result.reasons_zh == [
        "信用等级 C：只能现款交易",
        "加上本单超出额度：应收 ¥500.00 + 本单 ¥100.00 = ¥600.00 > 额度 ¥0.00",
        "¥300.00 逾期超过 30 天（最早：订单 O7，逾期 31 天）",
    ]
    assert result.headroom_cents == -60_000


def test_check_without_limit_says_how_to_set_one() -> None:
    result = check_order("C5", 100, Exposure(), [], None, None, 30)
    assert not result.approved and result.headroom_cents is None
    assert result.reasons == [
        "no credit limit for C5: run `kacrm credit review` or `kacrm credit set C5 --limit …`"
    ]


def test_top_revenue_tier_and_flags() -> None:
    # 500 / 1000 = 50% < 80%; + 300 → 80% reaches the threshold: customers 1 and 2 are the top tier
    assert top_revenue_tier(
        {1: 500, 2: 300, 3: 200, 4: 0}, {1: "A", 2: "B", 3: "C", 4: "D"}, 80
    ) == {1, 2}
    assert credit_flags(Exposure(1200, 100, 5), 1000, True) == [
        "over_limit",
        "overdue",
        "big_debtor",
    ]
    assert credit_flags(Exposure(900, 0, None), 1000, True) == []
    assert credit_flags(Exposure(900, 100, 3), None, False) == ["overdue"]

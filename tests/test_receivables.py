"""Receivables and aging on hand-computed ledgers (kacrm.analysis.receivables)."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from kacrm.analysis.receivables import (
    Table,
    aging,
    allocate_payments,
    bucket_keys,
    build_ledger,
    receivables,
    records,
    where,
    with_due_dates,
)
from kacrm.config import Settings
from kacrm.errors import InputError

D = date.fromisoformat


def orders(*rows: tuple) -> pd.DataFrame:
    """(customer_id, order_no, order_date, yuan[, due_date]) -> an orders frame."""
    data = [
        {
            "customer_id": r[0],
            "order_no": r[1],
            "order_date": pd.Timestamp(r[2]),
            "amount_cents": round(r[3] * 100),
            "due_date": pd.Timestamp(r[4]) if len(r) > 4 else pd.NaT,
        }
        for r in rows
    ]
    return pd.DataFrame(
        data, columns=["customer_id", "order_no", "order_date", "amount_cents", "due_date"]
    )


def payments(*rows: tuple) -> pd.DataFrame:
    """(customer_id, payment_no, paid_on, yuan[, order_no]) -> a payments frame."""
    data = [
        {
            "customer_id": r[0],
            "payment_no": r[1],
            "paid_on": pd.Timestamp(r[2]),
            "amount_cents": round(r[3] * 100),
            "order_no": r[4] if len(r) > 4 else None,
        }
        for r in rows
    ]
    return pd.DataFrame(
        data, columns=["customer_id", "payment_no", "order_no", "paid_on", "amount_cents"]
    )


def customers(terms: dict[int, int | None]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": list(terms),
            "payment_terms_days": [float("nan") if t is None else t for t in terms.values()],
        }
    )


def by_order(frame: Table) -> dict[str, dict]:
    return {row["order_no"]: row for row in records(frame)}


def test_partial_payments_settle_the_oldest_order_first() -> None:
    # Terms 30 days. O1 2024-01-10 ¥1,000 (due 02-09), O2 2024-02-05 ¥500 (due 03-06).
    # P1 02-01 ¥600 and P2 03-01 ¥300, neither naming an order: both go to O1 (the oldest).
    # O1: 1000 − 600 − 300 = 100 left; O2 untouched: 500.
    # As of 2024-03-31: O1 is 20 (to 02-29) + 31 = 51 days past due; O2 is 31 − 6 = 25 days past due.
    result = receivables(
        orders((1, "O1", "2024-01-10", 1000), (1, "O2", "2024-02-05", 500)),
        payments((1, "P1", "2024-02-01", 600), (1, "P2", "2024-03-01", 300)),
        customers({1: 30}),
        Settings(),
        D("2024-03-31"),
    )
    rows = by_order(result)
    assert rows["O1"]["paid_cents"] == 90000 and rows["O1"]["outstanding_cents"] == 10000
    assert rows["O1"]["due_date"] == D("2024-02-09") and rows["O1"]["days_past_due"] == 51
    assert rows["O2"]["paid_cents"] == 0 and rows["O2"]["outstanding_cents"] == 50000
    assert rows["O2"]["days_past_due"] == 25
    assert list(result) == [
        "customer_id",
        "order_no",
        "instalment",  # None: an order without a payment plan
        "order_date",
        "due_date",
        "amount_cents",
        "paid_cents",
        "outstanding_cents",
        "days_past_due",
    ]


def test_punctuality_details_of_partial_payments() -> None:
    # Same ledger: P1 paid O1 8 days early (02-01 vs due 02-09), P2 paid it 21 days late (02-09 → 03-01:
    # 20 days to 02-29 + 1). O1's amount-weighted days late = (600 × 0 + 300 × 21) / 900 = 7.0.
    ledger = build_ledger(
        orders((1, "O1", "2024-01-10", 1000), (1, "O2", "2024-02-05", 500)),
        payments((1, "P1", "2024-02-01", 600), (1, "P2", "2024-03-01", 300)),
        customers({1: 30}),
        Settings(),
        D("2024-03-31"),
    )
    parts = records(ledger.settlements)
    assert [(p["payment_no"], p["order_no"], p["amount_cents"], p["days_late"]) for p in parts] == [
        ("P1", "O1", 60000, -8),
        ("P2", "O1", 30000, 21),
    ]
    o1 = by_order(ledger.items)["O1"]
    assert o1["days_late"] == pytest.approx(7.0)
    assert o1["fully_paid_on"] is None


def test_payment_naming_an_order_settles_it_and_the_excess_goes_to_the_oldest() -> None:
    # O1 01-10 ¥1,000, O2 01-20 ¥500, O3 02-01 ¥800.
    # P1 02-15 ¥700 names O2: O2 gets 500 (settled 02-15), the excess 200 goes to O1 (oldest): O1 800 left.
    # P2 03-01 ¥1,000 names O1: O1 gets 800 (settled 03-01), the excess 200 goes to O3: O3 600 left.
    # Check: orders 2,300 − payments 1,700 = 600 outstanding.
    ledger = build_ledger(
        orders(
            (1, "O1", "2024-01-10", 1000),
            (1, "O2", "2024-01-20", 500),
            (1, "O3", "2024-02-01", 800),
        ),
        payments((1, "P1", "2024-02-15", 700, "O2"), (1, "P2", "2024-03-01", 1000, "O1")),
        customers({1: 30}),
        Settings(),
        D("2024-03-31"),
    )
    rows = by_order(ledger.items)
    assert rows["O2"]["outstanding_cents"] == 0 and rows["O2"]["fully_paid_on"] == D("2024-02-15")
    assert rows["O1"]["outstanding_cents"] == 0 and rows["O1"]["fully_paid_on"] == D("2024-03-01")
    assert rows["O3"]["outstanding_cents"] == 60000 and rows["O3"]["paid_cents"] == 20000
    assert sum(ledger.items["outstanding_cents"]) == 230000 - 170000
    assert ledger.credits == {}


def test_a_named_order_already_settled_passes_the_payment_on() -> None:
    # O1 ¥100 paid by P1 (no order named) on 01-05; P2 on 01-10 names O1 (already settled) → all of it to O2.
    ledger = build_ledger(
        orders((1, "O1", "2024-01-01", 100), (1, "O2", "2024-01-02", 100)),
        payments((1, "P1", "2024-01-05", 100), (1, "P2", "2024-01-10", 100, "O1")),
        customers({1: 30}),
        Settings(),
        D("2024-01-31"),
    )
    s = ledger.settlements
    parts = list(zip(s["payment_no"], s["order_no"], s["amount_cents"], strict=True))
    assert parts == [("P1", "O1", 10000), ("P2", "O2", 10000)]


def test_unknown_named_order_is_treated_as_unnamed() -> None:
    # P1 names "X9", which customer 1 does not have: it settles the oldest order O1.
    ledger = build_ledger(
        orders((1, "O1", "2024-01-01", 100)),
        payments((1, "P1", "2024-01-05", 40, "X9")),
        customers({1: 30}),
        Settings(),
        D("2024-01-31"),
    )
    assert by_order(ledger.items)["O1"]["outstanding_cents"] == 6000


def test_payments_beyond_all_orders_are_a_credit_balance() -> None:
    # O1 ¥100; P1 ¥150 → O1 settled, ¥50 unapplied credit; nothing open.
    ledger = build_ledger(
        orders((1, "O1", "2024-01-01", 100)),
        payments((1, "P1", "2024-01-05", 150)),
        customers({1: 30}),
        Settings(),
        D("2024-01-31"),
    )
    assert ledger.credits == {1: 5000}
    assert ledger.items["outstanding_cents"] == [0]


def test_a_prepayment_settles_a_later_order() -> None:
    # P1 2024-01-01 ¥100 before O1 2024-01-05 ¥100 (due 02-04): O1 settled on 01-01, 34 days early.
    ledger = build_ledger(
        orders((1, "O1", "2024-01-05", 100)),
        payments((1, "P1", "2024-01-01", 100)),
        customers({1: 30}),
        Settings(),
        D("2024-03-01"),
    )
    o1 = by_order(ledger.items)["O1"]
    assert o1["fully_paid_on"] == D("2024-01-01") and o1["outstanding_cents"] == 0
    assert ledger.settlements["days_late"] == [-34]


def test_a_credit_note_acts_as_a_payment_on_its_date() -> None:
    # O1 ¥1,000 on 01-01, credit note R1 −¥300 on 01-10: O1 has 700 left, settled by R1 on 01-10.
    ledger = build_ledger(
        orders((1, "O1", "2024-01-01", 1000), (1, "R1", "2024-01-10", -300)),
        payments(),
        customers({1: 30}),
        Settings(),
        D("2024-01-31"),
    )
    rows = by_order(ledger.items)
    assert rows["O1"]["outstanding_cents"] == 70000 and rows["R1"]["outstanding_cents"] == 0


def test_only_orders_and_payments_up_to_today_count() -> None:
    # As of 01-31: O2 (02-01) does not exist yet and P2 (02-01) has not been paid yet.
    result = receivables(
        orders((1, "O1", "2024-01-01", 100), (1, "O2", "2024-02-01", 100)),
        payments((1, "P1", "2024-01-15", 30), (1, "P2", "2024-02-01", 70)),
        customers({1: 30}),
        Settings(),
        D("2024-01-31"),
    )
    assert (result["order_no"], result["outstanding_cents"]) == (["O1"], [7000])


def test_due_dates_explicit_then_customer_terms_then_default() -> None:
    # A1: explicit due 01-15. A2: customer 1's terms 45 days: 01-01 + 45 = 02-15.
    # B1: customer 2 has no terms: the default 30 days: 01-01 + 30 = 01-31.
    settings = Settings()
    settings.credit.default_terms_days = 30
    dated = with_due_dates(
        orders(
            (1, "A1", "2024-01-01", 100, "2024-01-15"),
            (1, "A2", "2024-01-01", 100),
            (2, "B1", "2024-01-01", 100),
        ),
        customers({1: 45, 2: None}),
        settings.credit.default_terms_days,
    )
    assert dict(zip(dated["order_no"], dated["due_date"], strict=True)) == {
        "A1": D("2024-01-15"),
        "A2": D("2024-02-15"),
        "B1": D("2024-01-31"),
    }


def test_every_bucket_boundary() -> None:
    # Ten orders, due so that on 2024-12-31 they are d days past due; amounts are powers of two so that every
    # bucket sum names its orders. Buckets: ≤0 not_due, 1–30, 31–60, 61–90, 91–180, >180.
    today = D("2024-12-31")
    days = [0, 1, 30, 31, 60, 61, 90, 91, 180, 181, -5]
    rows = [
        (1, f"O{d}", "2024-01-01", 2**i, (today - timedelta(days=d)).isoformat())
        for i, d in enumerate(days)
    ]
    result = receivables(orders(*rows), payments(), customers({1: None}), Settings(), today)
    assert sorted(result["days_past_due"]) == sorted(days)
    table = aging(result, [30, 60, 90, 180])
    # cents: amount 2**i yuan = 2**i × 100 cents
    assert table == [
        {
            "customer_id": 1,
            "not_due": (2**0 + 2**10) * 100,  # 0 days and −5 days
            "d1_30": (2**1 + 2**2) * 100,  # 1, 30
            "d31_60": (2**3 + 2**4) * 100,  # 31, 60
            "d61_90": (2**5 + 2**6) * 100,  # 61, 90
            "d91_180": (2**7 + 2**8) * 100,  # 91, 180
            "over_180": 2**9 * 100,  # 181
            "total": (2**11 - 1) * 100,  # all eleven: 1 + 2 + … + 1024 = 2047
        }
    ]


def test_aging_per_customer_with_custom_buckets() -> None:
    # Buckets 15,45: not_due, d1_15, d16_45, over_45.
    # Customer 1: 10 days past due ¥100 → d1_15; 16 days ¥200 → d16_45. Customer 2: 46 days ¥50 → over_45.
    items = pd.DataFrame(
        {
            "customer_id": [1, 1, 2],
            "days_past_due": [10, 16, 46],
            "outstanding_cents": [10000, 20000, 5000],
        }
    )
    assert bucket_keys([15, 45]) == ["not_due", "d1_15", "d16_45", "over_45"]
    assert aging(items, [15, 45]) == [
        {
            "customer_id": 1,
            "not_due": 0,
            "d1_15": 10000,
            "d16_45": 20000,
            "over_45": 0,
            "total": 30000,
        },
        {"customer_id": 2, "not_due": 0, "d1_15": 0, "d16_45": 0, "over_45": 5000, "total": 5000},
    ]


@pytest.mark.parametrize("buckets", [[], [30, 30], [60, 30], [0, 30], [-1]])
def test_bad_buckets_are_refused(buckets: list[int]) -> None:
    with pytest.raises(InputError, match="aging buckets"):
        bucket_keys(buckets)


def test_allocation_is_per_customer() -> None:
    # Customer 2's payment never settles customer 1's order, even when it names it.
    ledger = allocate_payments(
        with_due_dates(
            orders((1, "O1", "2024-01-01", 100), (2, "O2", "2024-01-01", 100)), customers({}), 30
        ),
        payments((2, "P1", "2024-01-05", 100, "O1")),
    )
    rows = by_order(ledger.items)
    assert rows["O1"]["outstanding_cents"] == 10000 and rows["O2"]["outstanding_cents"] == 0


def test_the_ledger_reads_tables_of_iso_texts_as_it_reads_frames_of_timestamps() -> None:
    # The store hands the ledger plain columns with dates as SQLite returns them (ISO text) and None where a
    # value is missing; the tests above give DataFrames of Timestamps and NaT. Same book, same ledger: O1 due by
    # its own due date, O2 by customer 1's 30 days, O3 by the default 30 days (customer 2 has no terms).
    frames = (
        orders(
            (1, "O1", "2024-01-10", 1000, "2024-01-20"),
            (1, "O2", "2024-02-05", 500),
            (2, "O3", "2024-02-01", 300),
        ),
        payments((1, "P1", "2024-02-01", 600, "O2"), (2, "P2", "2024-03-10", 100)),
        customers({1: 30, 2: None}),
    )
    tables = (
        {
            "customer_id": [1, 1, 2],
            "order_no": ["O1", "O2", "O3"],
            "order_date": ["2024-01-10", "2024-02-05", "2024-02-01"],
            "amount_cents": [100000, 50000, 30000],
            "due_date": ["2024-01-20", None, None],
        },
        {
            "customer_id": [1, 2],
            "payment_no": ["P1", "P2"],
            "order_no": ["O2", None],
            "paid_on": ["2024-02-01", "2024-03-10"],
            "amount_cents": [60000, 10000],
        },
        {"customer_id": [1, 2], "payment_terms_days": [30, None]},
    )
    today = D("2024-03-31")
    from_frames = build_ledger(*frames, Settings(), today)
    from_tables = build_ledger(*tables, Settings(), today)
    assert from_tables == from_frames
    # P1 names O2: O2 is paid 500 and the 100 left goes to O1, the oldest open order
    rows = by_order(from_tables.items)
    assert [rows[no]["due_date"] for no in ("O1", "O2", "O3")] == [
        D("2024-01-20"),
        D("2024-03-06"),
        D("2024-03-02"),
    ]
    assert [rows[no]["outstanding_cents"] for no in ("O1", "O2", "O3")] == [90000, 0, 20000]


def test_where_keeps_the_rows_asked_for_in_new_lists() -> None:
    frame = {"a": [1, 2, 3], "b": ["x", "y", "z"]}
    assert where(frame, [True, False, True]) == {"a": [1, 3], "b": ["x", "z"]}
    kept = where(frame, [True, True, True])
    assert kept == frame and kept["a"] is not frame["a"]  # a copy even when every row stays
    assert where(frame, (v > 5 for v in frame["a"])) == {"a": [], "b": []}
    with pytest.raises(ValueError):
        where(frame, [True, False])  # a mask of another table


# Negative payments (round 11): a refund or a reversed receipt is applied, signed; the balance is orders −
# payments, and the open items are the walk of docs/credit.md.


def _ledger(order_rows: tuple, payment_rows: tuple, today: str = "2024-03-31"):
    return build_ledger(
        orders(*order_rows), payments(*payment_rows), customers({1: 30}), Settings(), D(today)
    )


def test_a_refund_of_an_overpayment_uses_up_the_credit() -> None:
    # D1 ¥1,000; R1 ¥1,500 naming D1 → D1 settled, ¥500 credit; R2 −¥500 (no order) refunds it: owes 0, no
    # credit, D1 still settled by R1.
    ledger = _ledger(
        ((1, "D1", "2024-01-01", 1000),),
        ((1, "R1", "2024-01-02", 1500, "D1"), (1, "R2", "2024-01-10", -500)),
    )
    assert ledger.items["outstanding_cents"] == [0] and ledger.credits == {}
    assert ledger.settlements["amount_cents"] == [100000]


def test_a_reversed_receipt_naming_its_order_reopens_it() -> None:
    # E1 ¥2,500.01 (due 01-31); S1 ¥2,500.01 naming E1 on 01-05, reversed by S2 −¥2,500.01 naming E1 on 01-07:
    # E1 open in full again, and no settlement left to score punctuality on.
    ledger = _ledger(
        ((1, "E1", "2024-01-01", 2500.01),),
        ((1, "S1", "2024-01-05", 2500.01, "E1"), (1, "S2", "2024-01-07", -2500.01, "E1")),
    )
    e1 = by_order(ledger.items)["E1"]
    assert e1["outstanding_cents"] == 250001 and e1["paid_cents"] == 0
    assert e1["fully_paid_on"] is None and ledger.settlements["amount_cents"] == []
    assert ledger.credits == {}


def test_an_unnamed_refund_reopens_the_newest_parts() -> None:
    # O1 ¥100 (01-01), O2 ¥100 (01-10); P1 ¥200 settles both; P2 −¥50: balance 50, on the newest order O2.
    ledger = _ledger(
        ((1, "O1", "2024-01-01", 100), (1, "O2", "2024-01-10", 100)),
        ((1, "P1", "2024-01-15", 200), (1, "P2", "2024-01-20", -50)),
    )
    rows = by_order(ledger.items)
    assert rows["O1"]["outstanding_cents"] == 0 and rows["O2"]["outstanding_cents"] == 5000
    # P1's part on O2 shrank from 100 to 50; its part on O1 stays
    assert ledger.settlements["order_no"] == ["O1", "O2"]
    assert ledger.settlements["amount_cents"] == [10000, 5000]


def test_an_unnamed_refund_leaves_an_order_its_named_payments_cover() -> None:
    # O1 ¥100 (01-01), O2 ¥100 (01-10). P1 ¥100 names O2; P2 ¥100 settles O1. P3 −¥50: balance 50. Walk newest
    # first: O2 holds at most 100 − 100 (named) = 0, so O1 holds the 50.
    ledger = _ledger(
        ((1, "O1", "2024-01-01", 100), (1, "O2", "2024-01-10", 100)),
        (
            (1, "P1", "2024-01-11", 100, "O2"),
            (1, "P2", "2024-01-12", 100),
            (1, "P3", "2024-01-13", -50),
        ),
    )
    rows = by_order(ledger.items)
    assert rows["O1"]["outstanding_cents"] == 5000 and rows["O2"]["outstanding_cents"] == 0


def test_a_named_refund_of_an_order_walks_from_the_newest() -> None:
    # O1 ¥100 (01-01), O2 ¥100 (01-10). P1 ¥100 names O1; P2 ¥50 (no order) goes to O2 (O1 settled): O2 50 open.
    # P3 −¥100 names O1: O1's named sum is 0, balance 200 − 50 = 150. Walk newest first: O2 holds 100, O1 50.
    ledger = _ledger(
        ((1, "O1", "2024-01-01", 100), (1, "O2", "2024-01-10", 100)),
        (
            (1, "P1", "2024-01-11", 100, "O1"),
            (1, "P2", "2024-01-12", 50),
            (1, "P3", "2024-01-13", -100, "O1"),
        ),
    )
    rows = by_order(ledger.items)
    assert rows["O1"]["outstanding_cents"] == 5000 and rows["O2"]["outstanding_cents"] == 10000


def test_a_named_refund_beyond_the_order_keeps_what_the_rest_covers() -> None:
    # O1 ¥100; P1 ¥250 naming O1 (covers 100, ¥150 credit); P2 −¥100 naming O1: its named sum 150 still covers
    # the whole order, and the refund comes out of the credit: O1 settled, ¥50 credit.
    ledger = _ledger(
        ((1, "O1", "2024-01-01", 100),),
        ((1, "P1", "2024-01-02", 250, "O1"), (1, "P2", "2024-01-03", -100, "O1")),
    )
    assert ledger.items["outstanding_cents"] == [0] and ledger.credits == {1: 5000}


def test_a_refund_beyond_everything_paid_is_owed_and_settled_first() -> None:
    # O1 ¥100; P1 −¥30 (nothing was paid): balance 130, O1 open 100 and ¥30 owed on no item (credits −30).
    # P2 ¥50 settles the ¥30 first, then ¥20 of O1: balance 80, all on O1.
    first = _ledger(((1, "O1", "2024-01-01", 100),), ((1, "P1", "2024-01-02", -30),))
    assert first.items["outstanding_cents"] == [10000] and first.credits == {1: -3000}
    then = _ledger(
        ((1, "O1", "2024-01-01", 100),),
        ((1, "P1", "2024-01-02", -30), (1, "P2", "2024-01-03", 50)),
    )
    assert then.items["outstanding_cents"] == [8000] and then.credits == {}


def test_a_zero_payment_is_not_applied() -> None:
    ledger = _ledger(((1, "O1", "2024-01-01", 100),), ((1, "P1", "2024-01-02", 0, "O1"),))
    assert ledger.items["outstanding_cents"] == [10000] and ledger.settlements["amount_cents"] == []


def test_a_credit_note_keeps_its_signed_amount_for_purchases() -> None:
    ledger = _ledger(((1, "K1", "2024-01-01", 4800), (1, "K2", "2024-01-05", -800)), ())
    rows = by_order(ledger.items)
    assert rows["K2"]["amount_cents"] == 0 and rows["K2"]["signed_cents"] == -80000
    assert rows["K1"]["outstanding_cents"] == 400000

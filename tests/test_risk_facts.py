"""The digest's at-risk facts summed by the database (store.report_store.load_risk_facts) on a small book whose
sums are worked out by hand, on both backends; and the same rows as the report's pandas path on that book."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from kacrm.analysis.report import (
    ReportData,
    RiskFacts,
    at_risk_rows,
    risk_facts,
    risk_windows,
)
from kacrm.config import Settings
from kacrm.store.clock import utcnow
from kacrm.store.models import Customer, Interaction, Order
from kacrm.store.report_store import load_report_data, load_risk_facts

TODAY = date(2026, 6, 30)  # windows: 2025-07-01 … 2026-06-30 and 2024-07-01 … 2025-06-30


@pytest.fixture
def book(engine) -> dict[str, int]:
    """K1 (A): orders 2025-01-01 ¥100 (before), 2026-01-01 ¥60 twice the same day, 2026-03-02 ¥-10 (a credit
    note), 2026-08-01 ¥999 (after today: not counted); an open complaint of 2026-06-01, a complaint resolved
    2026-05-03, one logged after today. K2 (gold): one order 2024-07-01 ¥50 (the first day of the window before); a
    complaint logged 2026-06-20 and resolved 2026-07-02, after today (still open today). K3 (C): nothing."""
    now = utcnow()
    ids: dict[str, int] = {}
    with Session(engine) as session:
        for code, tier in (("K1", "A"), ("K2", "gold"), ("K3", "C")):
            c = Customer(code=code, name=f"name {code}", tier=tier, created_at=now, updated_at=now)
            session.add(c)
            session.flush()
            ids[code] = c.id
        k1, k2 = ids["K1"], ids["K2"]
        for no, cid, on, cents in (
            ("O1", k1, date(2025, 1, 1), 10_000),
            ("O2", k1, date(2026, 1, 1), 6_000),
            ("O3", k1, date(2026, 1, 1), 6_000),
            ("O4", k1, date(2026, 3, 2), -1_000),
            ("O5", k1, date(2026, 8, 1), 99_900),
            ("O6", k2, date(2024, 7, 1), 5_000),
        ):
            session.add(Order(order_no=no, customer_id=cid, order_date=on, amount_cents=cents))
        for cid, on, resolved in (
            (k1, date(2026, 6, 1), None),
            (k1, date(2026, 5, 1), date(2026, 5, 3)),
            (k1, date(2026, 7, 5), None),
            (k2, date(2026, 6, 20), date(2026, 7, 2)),
        ):
            session.add(
                Interaction(customer_id=cid, happened_on=on, kind="complaint", resolved_on=resolved)
            )
        session.add(Interaction(customer_id=k2, happened_on=date(2026, 6, 2), kind="call"))
        session.commit()
    return ids


def test_sums_of_the_database_worked_out_by_hand(engine, book) -> None:
    start, before_start = risk_windows(TODAY, 12)
    assert (start, before_start) == (date(2025, 7, 1), date(2024, 7, 1))
    facts = load_risk_facts(engine, TODAY, "abc", start, before_start)
    k1, k2, k3 = book["K1"], book["K2"], book["K3"]
    assert sorted(facts["accounts"]) == [
        (k1, "K1", "name K1", "A"),
        (k2, "K2", "name K2", "gold"),
        (k3, "K3", "name K3", "C"),
    ]
    # K1: 6,000 + 6,000 − 1,000 in the window, 10,000 before it; K2: 5,000 on the window before's first day
    assert facts["revenue_now"] == {k1: 11_000, k2: 0}
    assert facts["revenue_before"] == {k1: 10_000, k2: 5_000}
    # K1: 3 distinct days up to today, 2025-01-01 … 2026-03-02 = 425 days, / 2; K2: one day, no interval
    assert facts["rhythm"] == {k1: (date(2026, 3, 2), 212.5), k2: (date(2024, 7, 1), None)}
    assert facts["complaints"] == {k1: date(2026, 6, 1), k2: date(2026, 6, 20)}


def test_same_rows_as_the_report_from_its_frames(engine, book) -> None:
    settings = Settings()
    sql = RiskFacts(**load_risk_facts(engine, TODAY, "abc", *risk_windows(TODAY, 12)))
    frames = ReportData(**load_report_data(engine, TODAY, "abc"))
    overdue = {book["K1"]: (12_300, 40)}
    rows = at_risk_rows(sql, overdue, settings, TODAY, lang="zh")
    assert rows == at_risk_rows(
        risk_facts(frames, TODAY, 12),
        overdue,
        settings,
        TODAY,
        lang="zh",
    )
    # K1 (A): overdue and an open complaint (revenue up 10%; 120 days without an order < 2 × 212.5);
    # K2 (gold): revenue down 100% and the complaint still open today; K3 is C, not a key account
    assert [(r["customer_code"], len(r["reasons"])) for r in rows] == [("K1", 2), ("K2", 2)]
    assert rows[1]["reasons"][1] == "投诉未解决（2026-06-20起）"

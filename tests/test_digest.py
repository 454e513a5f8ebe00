"""The digest: its sections from hand-built data (analysis/digest.py), its renderings (render/digest.py), and
its records in the database: the period and catch-up, skipped and failed runs, the lock (store/digest_store.py).
"""

from __future__ import annotations

import json
import threading
import time
from datetime import date, timedelta
from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy import select

from kacrm.analysis.digest import (
    CustomerRef,
    Digest,
    DigestInputs,
    KeyPerson,
    NewOrder,
    TierMove,
    assemble_digest,
    credit_alerts,
    direction,
    due_section,
    events_section,
    new_orders_section,
    tier_section,
)
from kacrm.due_facts import DueItem
from kacrm.render import digest as render
from kacrm.store import digest_store as store
from kacrm.store.clock import utcnow
from kacrm.store.engine import make_engine
from kacrm.store.models import DigestRun

TODAY = date(2026, 11, 22)
D = date.fromisoformat


def item(
    kind: str,
    due_on: str,
    *,
    event_on: str | None = None,
    cid: int = 1,
    contact: str | None = None,
    overdue: int = 0,
    ref: str | None = None,
) -> DueItem:
    return DueItem(
        id=f"{kind}-{cid}-{due_on}",
        due_on=D(due_on),
        event_on=D(event_on) if event_on else None,
        kind=kind,
        customer_code=f"C{cid:03d}",
        customer_name=f"Customer {cid}",
        contact=contact,
        reason=f"{kind} reason",
        reason_zh=f"{kind} 事由",
        overdue_days=overdue,
        owner=None,
        tier="A",
        customer_id=cid,
        ref=ref,
    )


CUSTOMERS = {
    1: CustomerRef("C001", "华东机电", "A", 100_000),  # limit 1,000.00
    2: CustomerRef("C002", "Beta", "B", None),
    3: CustomerRef("C003", "Gamma", "gold", 500_000),
    4: CustomerRef("C004", "Delta", "C", 100_000),
}


# --- sections ------------------------------------------------------------------------------------------------


def test_due_section_keeps_due_today_and_overdue_but_no_occasions() -> None:
    items = [
        item("complaint", "2026-11-20", overdue=2),
        item("cadence", "2026-11-22"),
        item("follow_up", "2026-11-23"),
        item("birthday", "2026-11-22", event_on="2026-11-25"),
    ]
    rows = due_section(items, TODAY)
    assert [(r["kind"], r["due_on"], r["overdue_days"]) for r in rows] == [
        ("complaint", D("2026-11-20"), 2),
        ("cadence", TODAY, 0),
    ]


def test_events_section_covers_seven_days_with_phone_and_hobbies() -> None:
    items = [
        item(
            "birthday", "2026-11-25", event_on="2026-11-28", contact="王总", ref="7"
        ),  # today + 6: in
        item(
            "birthday", "2026-11-26", event_on="2026-11-29", contact="李总", cid=3
        ),  # today + 7: out
        item("festival", "2026-11-15", event_on="2026-11-22"),  # today: in
        item("cadence", "2026-11-22"),
    ]
    persons = {(1, "王总"): KeyPerson("13800138000", "golf, tea")}
    rows = events_section(items, persons, TODAY)
    assert [(r["kind"], r["event_on"], r["days_until"]) for r in rows] == [
        ("festival", TODAY, 0),
        ("birthday", D("2026-11-28"), 6),
    ]
    assert rows[1]["phone"] == "13800138000" and rows[1]["hobbies"] == "golf, tea"
    assert rows[0]["phone"] is None


def _open(*rows: tuple[int, str, str, int]) -> pd.DataFrame:
    """(customer_id, order_no, due_date, outstanding_cents) -> receivables' open items on TODAY."""
    return pd.DataFrame(
        [(cid, no, D(due), cents, (TODAY - D(due)).days) for cid, no, due, cents in rows],
        columns=["customer_id", "order_no", "due_date", "outstanding_cents", "days_past_due"],
    )


def test_credit_alerts_over_limit_and_newly_overdue() -> None:
    period_start = D("2026-11-21")  # the digest of 11-20 was sent; 11-21 was missed
    open_items = _open(
        (1, "O1", "2026-12-01", 60_000),
        (1, "O2", "2026-12-15", 50_000),  # 1,100.00 > limit 1,000.00, none overdue
        (2, "O3", "2026-11-20", 30_000),  # overdue since 11-21 = period start: newly overdue
        (2, "O4", "2026-11-19", 10_000),  # overdue since 11-20, before the period: not new
        (3, "O5", "2026-11-22", 70_000),  # due today: not overdue yet
    )
    # balances (orders − payments): C001 1,100.00 > its limit 1,000.00; C004 900.00 (an open 1,200.00 order
    # less a 300.00 prepayment) within its 1,000.00; C002 400.00 and C003 700.00 have no limit to exceed
    balances = {1: 110_000, 2: 40_000, 3: 70_000, 4: 90_000}
    rows = credit_alerts(open_items, balances, CUSTOMERS, period_start, TODAY)
    by_code = {r["customer_code"]: r for r in rows}
    assert set(by_code) == {"C001", "C002"}
    assert by_code["C001"]["alerts"] == ["over_limit"]
    assert by_code["C001"]["over_limit_by"] == Decimal("100.00")  # 1,100.00 - 1,000.00
    assert by_code["C002"]["alerts"] == ["newly_overdue"]
    assert by_code["C002"]["newly_overdue"] == Decimal("300.00")  # O3 only
    assert by_code["C002"]["overdue"] == Decimal("400.00")  # O3 + O4
    assert by_code["C002"]["oldest_overdue_days"] == 3  # O4: 11-22 - 11-19
    assert [r["customer_code"] for r in rows] == ["C002", "C001"]  # most overdue first


def test_tier_directions_and_order() -> None:
    assert [
        direction("B", "A"),
        direction("gold", "iron"),
        direction(None, "A"),
        direction("A", "gold"),
        direction("champions", "at_risk"),
    ] == ["up", "down", "new", "changed", "changed"]
    moves = [
        TierMove(1, "abc", "B", "A", TODAY),
        TierMove(3, "pyramid", "gold", "iron", TODAY),
        TierMove(2, "abc", "C", "C", TODAY),
        TierMove(99, "abc", "A", "B", TODAY),  # unchanged; unknown
        TierMove(4, "pyramid", None, "gold", TODAY),
        TierMove(2, "pyramid", None, "lead", TODAY),
    ]
    rows = tier_section(moves, CUSTOMERS)
    assert [(r["customer_code"], r["direction"]) for r in rows] == [
        ("C003", "down"),
        ("C001", "up"),
        ("C004", "new"),
    ]  # a newcomer in lead is not news


def test_new_orders_only_key_accounts_in_the_period() -> None:
    orders = [
        NewOrder("O1", 1, D("2026-11-21"), 50_000, "泵"),
        NewOrder("O2", 3, D("2026-11-22"), 20_000),
        NewOrder("O3", 2, D("2026-11-22"), 90_000),  # tier B: not a key account
        NewOrder("O4", 1, D("2026-11-20"), 10_000),
    ]  # before the period
    rows = new_orders_section(orders, CUSTOMERS, D("2026-11-21"), TODAY)
    assert [(r["order_no"], r["amount"]) for r in rows] == [
        ("O2", Decimal("200.00")),
        ("O1", Decimal("500.00")),
    ]


def _sample_digest() -> Digest:
    items = [
        item("collection", f"2026-11-{d}", cid=1, overdue=22 - d) for d in (18, 19, 20, 21, 22)
    ]
    items += [
        item("birthday", "2026-11-22", event_on="2026-11-24", contact="王总", ref="7"),
        item("anniversary", "2026-11-23", event_on="2026-11-26", contact="李总", cid=3, ref="8"),
    ]
    inputs = DigestInputs(
        customers=CUSTOMERS,
        due_items=items,
        key_persons={(1, "王总"): KeyPerson("13800138000", "高尔夫")},
        open_items=_open((1, "O1", "2026-12-01", 150_000)),
        balances={1: 150_000},
    )
    return assemble_digest(inputs, D("2026-11-21"), TODAY)


def test_subject_names_the_day_and_counts() -> None:
    digest = _sample_digest()
    # 5 collections due, a birthday and an anniversary, C001 owes 1,500.00 over its 1,000.00 limit
    assert render.subject(digest) == "kacrm digest 2026-11-22: 5 due, 2 birthdays, 1 credit alert"
    assert render.subject(digest, "zh") == "kacrm 日报 2026-11-22：待办 5，生日 2，信用预警 1"


def test_json_has_exactly_the_spec_keys() -> None:
    data = json.loads(render.render_json(_sample_digest()))
    assert list(data) == [
        "period_start",
        "period_end",
        "due",
        "events",
        "credit_alerts",
        "tier_changes",
        "at_risk",
        "new_orders",
        "owner",
        "pool_releases",  # issue 18: releases to the public pool in the period
    ]
    assert data["owner"] is None  # the whole book
    assert (data["period_start"], data["period_end"]) == ("2026-11-21", "2026-11-22")
    assert data["credit_alerts"][0]["outstanding"] == 1500.0
    # the line-per-row layout is still the same JSON as the standard encoder's, empty sections included
    assert data == json.loads(json.dumps(render.digest_json(_sample_digest()), indent=2))
    assert any(value == [] for value in data.values())


def test_redact_hides_phones_birthdays_and_hobbies_in_every_format() -> None:
    digest = _sample_digest()
    assert "13800138000" in render.render_text(digest)
    hidden = render.redact(digest)
    for fmt in ("text", "md", "html", "json"):
        out = render.render(hidden, fmt)
        assert "13800138000" not in out and "高尔夫" not in out, fmt
        assert "2026-11-24" not in out and "2026-11-26" not in out, (
            fmt
        )  # the birthday and the anniversary
        assert "王总" in out, fmt  # who to greet stays


def test_zh_labels_and_html_escaping() -> None:
    digest = Digest(
        TODAY,
        TODAY,
        at_risk=[
            {
                "customer_code": "C9",
                "customer_name": "<script>x</script>",
                "tier": "gold",
                "reasons": ["逾期应收 1.00"],
            }
        ],
    )
    html = render.render_html(digest, "zh")
    assert "<script>x" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "风险大客户 (1)" in html and "黄金" in html
    assert "待办与逾期 (0)" in render.render_text(digest, "zh")


def test_long_sections_are_cut_in_text_but_complete_in_json() -> None:
    rows = [
        {
            "order_no": f"O{i}",
            "order_date": TODAY,
            "customer_code": "C001",
            "customer_name": "X",
            "tier": "A",
            "amount": Decimal("1.00"),
            "product": None,
        }
        for i in range(render.MAX_ROWS + 3)
    ]
    digest = Digest(TODAY, TODAY, new_orders=rows)
    assert "… and 3 more" in render.render_text(digest)
    assert len(json.loads(render.render_json(digest))["new_orders"]) == render.MAX_ROWS + 3


def test_empty_digest() -> None:
    digest = Digest(TODAY, TODAY)
    assert digest.is_empty()
    assert "Nothing to report." in render.render_text(digest)


# --- the period, the records and the lock ---------------------------------------------------------------------


def test_first_digest_covers_as_of_then_catches_up_a_missed_day(engine) -> None:
    first = store.claim(engine, "email", D("2026-11-20"))
    assert (first.period_start, first.period_end) == (D("2026-11-20"), D("2026-11-20"))
    store.finish(engine, first.run_id, store.SENT)
    # 11-21 was missed (the machine was off): the run of 11-22 covers both days
    second = store.claim(engine, "email", TODAY)
    assert (second.period_start, second.period_end) == (D("2026-11-21"), TODAY)
    store.finish(engine, second.run_id, store.SENT)
    assert store.claim(engine, "email", TODAY) is None  # covered: nothing is sent twice


def test_failed_run_is_caught_up_and_skipped_run_counts_as_covered(engine) -> None:
    run = store.claim(engine, "email", D("2026-11-20"))
    store.finish(engine, run.run_id, store.FAILED, "SMTP down")
    retry = store.claim(engine, "email", D("2026-11-21"))
    assert retry.period_start == D("2026-11-20")  # the failed first day is caught up too
    store.finish(engine, retry.run_id, store.SKIPPED)
    assert store.next_period(engine, "email", TODAY) == (TODAY, TODAY)


def test_channels_keep_their_own_period(engine) -> None:
    """A look at the terminal does not swallow the morning email."""
    run = store.claim(engine, "stdout", TODAY)
    store.finish(engine, run.run_id, store.WRITTEN)
    email = store.claim(engine, "email", TODAY)
    assert email is not None and email.period_start == TODAY


def test_second_run_waits_then_gives_up_with_a_clear_message(engine) -> None:
    held = store.claim(engine, "email", TODAY)
    started = time.monotonic()
    with pytest.raises(
        store.DigestBusy, match=rf"run #{held.run_id}, email\) has been running since"
    ):
        store.claim(engine, "stdout", TODAY, wait_seconds=0.5)
    assert time.monotonic() - started >= 0.5


def test_stale_lock_is_released(engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            DigestRun.__table__.insert().values(
                period_start=TODAY,
                period_end=TODAY,
                channel="email",
                status=store.RUNNING,
                started_at=utcnow() - store.STALE_AFTER - timedelta(minutes=1),
            )
        )
    run = store.claim(engine, "email", TODAY, wait_seconds=0)
    assert run is not None
    with engine.connect() as conn:
        statuses = dict(conn.execute(select(DigestRun.id, DigestRun.status)).all())
    assert statuses == {run.run_id - 1: store.FAILED, run.run_id: store.RUNNING}


def test_two_concurrent_claims_one_wins_the_other_sees_it_covered(db_url: str) -> None:
    """Two engines (as two processes would have) claim at the same moment; the winner holds the lock a while."""
    make_engine(db_url).dispose()  # create the schema first, as the first use of a database would
    results: list[object] = []
    barrier = threading.Barrier(2)

    def run() -> None:
        eng = make_engine(db_url)
        try:
            barrier.wait()
            claim = store.claim(eng, "email", TODAY, wait_seconds=20, poll_seconds=0.05)
            if claim is not None:
                time.sleep(0.5)  # gathering and sending
                store.finish(eng, claim.run_id, store.SENT)
            results.append(claim)
        finally:
            eng.dispose()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(r is None for r in results) == [False, True]

"""The follow-up ladder and credit hold (SPEC §15): the level of an item on given days, the due rows it gives, the
ladder's config checks, and hold set by the ladder, refused checks, release and re-hold on both backends."""

from __future__ import annotations

import csv
import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, select

from kacrm.analysis.collections import Level, ladder, level_index, on_hold
from kacrm.analysis.due import due_items
from kacrm.config import Settings, load_settings
from kacrm.due_facts import CustomerFacts, DueData, OrderFacts
from kacrm.errors import ConfigError
from kacrm.store.clock import utcnow
from kacrm.store.models import Customer, ImportBatch, Order, Payment

D = date.fromisoformat
DEFAULT = [
    Level(-3, "reminder"),
    Level(1, "call"),
    Level(15, "letter"),
    Level(30, "hold"),
    Level(60, "escalate"),
]


def test_default_ladder_is_the_spec_ladder() -> None:
    assert ladder(Settings()) == DEFAULT


@pytest.mark.parametrize(
    ("days_past_due", "action"),
    [
        (-4, None),  # before the reminder day
        (-3, "reminder"),
        (0, "reminder"),  # due today: still the reminder
        (1, "call"),
        (14, "call"),
        (15, "letter"),
        (29, "letter"),
        (30, "hold"),
        (59, "hold"),
        (60, "escalate"),
        (1000, "escalate"),
    ],
)
def test_level_is_the_last_reached(days_past_due: int, action: str | None) -> None:
    index = level_index(days_past_due, DEFAULT)
    assert (DEFAULT[index].action if index >= 0 else None) == action


def _data(due_on: date, outstanding: int = 123_400) -> DueData:
    c = CustomerFacts(
        customer_id=1,
        code="C001",
        name="华东机电",
        created_on=D("2025-01-01"),
        last_interaction_on=None,
    )
    order = OrderFacts(
        "SO-1", 1, D("2026-03-01"), outstanding, due_date=due_on, outstanding_cents=outstanding
    )
    return DueData(customers=[c], open_orders=[order])


def _collection(due_on: date, today: date, days: int = 0):
    found = [
        i
        for i in due_items(
            _data(due_on), Settings(), today, today, today.fromordinal(today.toordinal() + days)
        )
        if i.kind == "collection"
    ]
    return found[0] if found else None


@pytest.mark.parametrize(
    ("today", "action", "due_on", "overdue_days", "recall_on"),
    [
        # due 2026-04-10; reminder day 04-07 (−3): listed that day, due_on the reminder day
        ("2026-04-07", "reminder", "2026-04-07", 0, "2026-04-11"),  # next: call at 04-10 + 1
        # 04-09: two days after the reminder day, the payment not yet due: not overdue (SPEC §8: the money)
        ("2026-04-09", "reminder", "2026-04-07", 0, "2026-04-11"),
        ("2026-04-11", "call", "2026-04-10", 1, "2026-04-25"),  # 04-10 + 15 = 04-25
        ("2026-04-25", "letter", "2026-04-10", 15, "2026-05-10"),  # 04-10 + 30 = 05-10
        ("2026-05-10", "hold", "2026-04-10", 30, "2026-06-09"),  # 04-10 + 60: 20 + 31 + 9 → 06-09
        ("2026-06-09", "escalate", "2026-04-10", 60, "2026-06-16"),  # last level: a week later
    ],
)
def test_item_climbs_the_ladder_by_itself(
    today: str, action: str, due_on: str, overdue_days: int, recall_on: str
) -> None:
    item = _collection(D("2026-04-10"), D(today))
    assert item is not None and item.id == "col-SO-1"
    assert (item.action, item.due_on, item.overdue_days, item.recall_on) == (
        action,
        D(due_on),
        overdue_days,
        D(recall_on),
    )
    assert item.event_on == D("2026-04-10")
    assert "1,234.00" in item.reason


def test_reasons_name_the_action_in_both_languages() -> None:
    item = _collection(D("2026-04-10"), D("2026-04-25"))
    assert "dunning letter" in item.reason and "催款函" in item.reason_zh
    item = _collection(D("2026-04-10"), D("2026-05-10"))
    assert "credit hold" in item.reason and "信用冻结" in item.reason_zh


def test_item_before_its_reminder_day_is_listed_only_in_a_window_that_reaches_it() -> None:
    # due 04-20: reminder day 04-17; on 04-10 the week ends 04-16 → not listed; 8 days ahead → listed
    assert _collection(D("2026-04-20"), D("2026-04-10"), days=6) is None
    item = _collection(D("2026-04-20"), D("2026-04-10"), days=7)
    assert item is not None and (item.action, item.due_on) == ("reminder", D("2026-04-17"))


def test_manual_hold_and_release_rules() -> None:
    due = [D("2026-01-01")]  # hold level on 01-31, escalate on 03-02
    assert not on_hold(due, DEFAULT, [], D("2026-01-30"))
    assert on_hold(due, DEFAULT, [], D("2026-01-31"))
    # released on 02-05: the item reached the hold level before the release → no hold, even at escalate
    assert not on_hold(due, DEFAULT, [(D("2026-02-05"), False)], D("2026-03-10"))
    # another item due 01-20 reaches the hold level on 02-19, after the release → on hold again
    assert on_hold([*due, D("2026-01-20")], DEFAULT, [(D("2026-02-05"), False)], D("2026-02-19"))
    assert not on_hold(
        [*due, D("2026-01-20")], DEFAULT, [(D("2026-02-05"), False)], D("2026-02-18")
    )
    # held by hand with nothing overdue; a release after it lifts it
    assert on_hold([], DEFAULT, [(D("2026-02-01"), True)], D("2026-02-01"))
    assert not on_hold(
        [], DEFAULT, [(D("2026-02-01"), True), (D("2026-02-03"), False)], D("2026-02-03")
    )
    # a decision dated after today does not count yet
    assert not on_hold([], DEFAULT, [(D("2026-02-01"), True)], D("2026-01-31"))
    # a ladder without hold/escalate never holds
    assert not on_hold(due, DEFAULT[:3], [], D("2027-01-01"))


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        (
            '[[collections.levels]]\nafter_days = 10\naction = "call"\n'
            '[[collections.levels]]\nafter_days = 5\naction = "hold"\n',
            "collections.levels[1].after_days",
        ),
        (
            '[[collections.levels]]\nafter_days = 10\naction = "sue"\n',
            "collections.levels[0].action",
        ),
        ('[[collections.levels]]\nafter_days = "ten"\naction = "call"\n', "after_days"),
        ('[[collections.levels]]\nafter_days = 1\naction = "call"\ncolor = 1\n', "color"),
        ("[collections]\nlevels = []\n", "collections.levels"),
    ],
)
def test_bad_ladder_is_a_config_error_naming_the_key(
    tmp_path: Path, levels: str, message: str
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(levels, encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_settings(cfg)


def test_configured_ladder_is_used(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        '[[collections.levels]]\nafter_days = 0\naction = "call"\n'
        '[[collections.levels]]\nafter_days = 10\naction = "hold"\n',
        encoding="utf-8",
    )
    assert ladder(load_settings(cfg)) == [Level(0, "call"), Level(10, "hold")]


# --- hold end to end, on both backends ---------------------------------------------------------------


@pytest.fixture
def book(engine):
    """C001 (terms 30, limit ¥100,000): O1 2026-01-01 ¥10,000 due 01-31 → hold level (30 days) on 03-02;
    O2 2026-02-01 ¥5,000 due 03-03 → hold level on 04-02. C002: nothing open, limit ¥100,000."""
    now = utcnow()
    with Session(engine) as session:
        ids = {}
        for code in ("C001", "C002"):
            c = Customer(
                code=code,
                name=f"客户{code}",
                payment_terms_days=30,
                credit_limit_cents=10_000_000,
                credit_grade="A",
                created_at=now,
                updated_at=now,
            )
            session.add(c)
            session.flush()
            ids[code] = c.id
        session.add(
            Order(
                order_no="O1",
                customer_id=ids["C001"],
                order_date=D("2026-01-01"),
                amount_cents=1_000_000,
            )
        )
        session.add(
            Order(
                order_no="O2",
                customer_id=ids["C001"],
                order_date=D("2026-02-01"),
                amount_cents=500_000,
            )
        )
        session.commit()
    return ids


def _due_ids(run, day: str, *window: str) -> dict[str, tuple[str, str | None]]:
    result = run("--as-of", day, "due", *window, "--kind", "collection", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return {r["id"]: (r["due_on"], r["action"]) for r in json.loads(result.stdout)}


def test_a_reminder_due_in_the_window_is_listed_though_the_order_falls_due_after_it(
    run, book
) -> None:
    """O2 falls due 03-03 (02-01 + 30 days); the ladder's reminder comes 3 days before, on 02-28. `due --today` on
    02-28 lists it, as `--week` does: the loader must read the orders due up to 3 days after the window."""
    reminder = ("2026-02-28", "reminder")
    for window in (("--today",), ("--days", "2"), ("--week",)):
        assert _due_ids(run, "2026-02-28", *window).get("col-O2") == reminder, window
    assert "col-O2" not in _due_ids(run, "2026-02-27", "--today")  # the day before its reminder
    assert _due_ids(run, "2026-02-27", "--days", "2").get("col-O2") == reminder
    # the day after its reminder day, still before the due date: listed in --today (not overdue: the money
    # is not due yet)
    assert _due_ids(run, "2026-03-01", "--today").get("col-O2") == reminder


def _check(run, day: str, code: str = "C001"):
    return run("--as-of", day, "credit", "check", code, "--amount", "1000", "--format", "json")


def _flags(run, day: str) -> dict[str, list[str]]:
    result = run("--as-of", day, "credit", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return {r["customer_code"]: r["flags"] for r in json.loads(result.stdout)}


def test_ladder_hold_refuses_check_release_and_rehold(run, book) -> None:
    # 03-01: O1 29 days past due (letter level): no hold; limit ample, within grace 30 → approved
    assert "hold" not in _flags(run, "2026-03-01")["C001"]
    assert _check(run, "2026-03-01").exit_code == 0
    # 03-02: O1 30 days past due → hold: refused (exit 4) with the reason "credit hold"
    assert "hold" in _flags(run, "2026-03-02")["C001"]
    refused = _check(run, "2026-03-02")
    assert refused.exit_code == 4
    assert json.loads(refused.stdout)["reasons"][0] == "credit hold"
    zh = run("--lang", "zh", "--as-of", "2026-03-02", "credit", "check", "C001", "--amount", "1000")
    assert zh.exit_code == 4 and "信用冻结" in zh.stdout + zh.stderr
    # released by hand on 03-05 (kept in the history); approved with --grace-days 40 (O1 33 days late)
    released = run(
        "--as-of",
        "2026-03-05",
        "credit",
        "release",
        "C001",
        "--note",
        "承诺月底付清",
        "--format",
        "json",
    )
    assert released.exit_code == 0, released.stderr
    assert json.loads(released.stdout)["hold"] is False
    assert "hold" not in _flags(run, "2026-03-05")["C001"]
    day = ("--as-of", "2026-03-05", "credit", "check", "C001", "--amount", "1000")
    assert run(*day, "--grace-days", "40").exit_code == 0
    # O2 reaches the hold level on 04-02 (03-03 + 30): on hold again
    assert "hold" not in _flags(run, "2026-04-01")["C001"]
    assert "hold" in _flags(run, "2026-04-02")["C001"]
    assert _check(run, "2026-04-02").exit_code == 4


def test_manual_hold_whatever_the_limit(run, book) -> None:
    assert _check(run, "2026-03-01", "C002").exit_code == 0
    held = run(
        "--as-of",
        "2026-03-01",
        "credit",
        "hold",
        "C002",
        "--note",
        "对账有争议",
        "--format",
        "json",
    )
    assert held.exit_code == 0, held.stderr
    assert json.loads(held.stdout)["hold"] is True
    assert _flags(run, "2026-03-01")["C002"] == ["hold"]
    refused = _check(run, "2026-03-01", "C002")
    assert refused.exit_code == 4 and json.loads(refused.stdout)["reasons"] == ["credit hold"]
    assert run("--as-of", "2026-03-02", "credit", "release", "C002", "--note", "ok").exit_code == 0
    assert _check(run, "2026-03-02", "C002").exit_code == 0


def test_hold_needs_a_note_and_a_known_customer(run, book) -> None:
    assert run("credit", "hold", "C001", "--note", " ").exit_code == 2
    assert run("credit", "hold", "NOPE", "--note", "x").exit_code == 1


def test_hold_and_release_do_not_change_terms_or_set_decisions(run, book) -> None:
    assert run("--as-of", "2026-03-01", "credit", "hold", "C001", "--note", "x").exit_code == 0
    rows = {r["customer_code"]: r for r in json.loads(run("credit", "--format", "json").stdout)}
    assert (rows["C001"]["grade"], rows["C001"]["limit"]) == ("A", 100000.0)
    # a later --clear finds no manual grade/limit/terms decision to clear
    assert run("credit", "set", "C001", "--clear").exit_code == 1


# --- aging bases and year buckets ---------------------------------------------------------------------


def _aging(run, day: str, *args: str) -> dict:
    result = run("--as-of", day, "credit", "aging", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    [row] = json.loads(result.stdout)
    return row


def test_aging_by_due_date_and_by_order_date(run, book) -> None:
    # 2026-03-10: O1 (¥10,000, ordered 01-01, due 01-31) 38 days past due, 68 days since ordered;
    # O2 (¥5,000, ordered 02-01, due 03-03) 7 days past due, 37 days since ordered
    due = _aging(run, "2026-03-10")
    assert (due["d1_30"], due["d31_60"], due["d61_90"], due["total"]) == (
        5000.0,
        10000.0,
        0.0,
        15000.0,
    )
    assert _aging(run, "2026-03-10", "--basis", "due") == due
    order = _aging(run, "2026-03-10", "--basis", "order")
    assert (order["d1_30"], order["d31_60"], order["d61_90"]) == (0.0, 5000.0, 10000.0)


def test_aging_in_years(run, book) -> None:
    # 2027-01-05 by order date: O1 365 + 4 = 369 days → d366_730; O2 369 − 31 = 338 days → d1_365
    row = _aging(run, "2027-01-05", "--buckets", "365,730,1095", "--basis", "order")
    assert list(row)[2:] == ["not_due", "d1_365", "d366_730", "d731_1095", "over_1095", "total"]
    assert (row["d1_365"], row["d366_730"]) == (5000.0, 10000.0)
    table = run(
        "--lang", "zh", "--as-of", "2027-01-05", "credit", "aging", "--buckets", "365,730,1095"
    )
    assert table.exit_code == 0
    for label in ("1年以内", "1–2年", "2–3年", "3年以上"):
        assert label in table.stdout
    english = run("--as-of", "2027-01-05", "credit", "aging", "--buckets", "365,730,1095")
    assert "Up to 1 year" in english.stdout and "Over 3 years" in english.stdout


def test_bad_basis_is_a_usage_error(run, book) -> None:
    assert run("credit", "aging", "--basis", "invoice").exit_code == 2


# --- payment plans ---------------------------------------------------------------------------------------


@pytest.fixture
def planned(engine, run):
    """C001 (terms 30): S1 2026-01-01 ¥9,000 in three instalments of ¥3,000 due 01-31, 02-28, 03-31;
    O2 2026-02-10 ¥1,000 (due 03-12). P1 02-15 ¥4,000 naming S1 settles #1 (3,000) and 1,000 of #2;
    P2 03-01 ¥500 naming nothing settles the oldest open item, S1#2: #2 owes 3,000 − 1,000 − 500 = 1,500."""
    now = utcnow()
    with Session(engine) as session:
        c = Customer(
            code="C001",
            name="华东机电",
            payment_terms_days=30,
            credit_limit_cents=10_000_000,
            created_at=now,
            updated_at=now,
        )
        session.add(c)
        session.flush()
        for no, on, cents in (("S1", "2026-01-01", 900_000), ("O2", "2026-02-10", 100_000)):
            session.add(Order(order_no=no, customer_id=c.id, order_date=D(on), amount_cents=cents))
        for no, on, cents, order in (
            ("P1", "2026-02-15", 400_000, "S1"),
            ("P2", "2026-03-01", 50_000, None),
        ):
            session.add(
                Payment(
                    payment_no=no,
                    customer_id=c.id,
                    order_no=order,
                    paid_on=D(on),
                    amount_cents=cents,
                )
            )
        session.commit()
    for n, due in ((1, "2026-01-31"), (2, "2026-02-28"), (3, "2026-03-31")):
        added = run(
            "schedule", "add", "S1", "--instalment", str(n), "--due", due, "--amount", "3000"
        )
        assert added.exit_code == 0, added.stderr


def test_instalments_age_in_their_own_buckets(run, planned) -> None:
    # 2026-04-10, by due date: S1#2 (1,500, due 02-28) 31 + 10 = 41 days → d31_60; S1#3 (3,000, due 03-31)
    # 10 days and O2 (1,000, due 03-12) 19 + 10 = 29 days → d1_30: 4,000
    due = _aging(run, "2026-04-10")
    assert (due["not_due"], due["d1_30"], due["d31_60"], due["total"]) == (
        0.0,
        4000.0,
        1500.0,
        5500.0,
    )
    # by order date: S1's 4,500 ordered 01-01 is 30 + 28 + 31 + 10 = 99 days old → d91_180;
    # O2 ordered 02-10 is 18 + 31 + 10 = 59 days → d31_60
    order = _aging(run, "2026-04-10", "--basis", "order")
    assert (order["d31_60"], order["d91_180"], order["total"]) == (1000.0, 4500.0, 5500.0)
    # without the plan S1 would be due 01-31 and 69 days late: the plan is what puts it in d31_60 / d1_30


def test_instalments_climb_the_ladder_and_hold(run, planned) -> None:
    result = run("--as-of", "2026-04-10", "due", "--kind", "collection", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    # S1#2 41 days past due → hold (30); S1#3 10 days → call (1); O2 29 days → letter (15)
    assert {i: (r["action"], r["event_on"]) for i, r in rows.items()} == {
        "col-S1#2": ("hold", "2026-02-28"),
        "col-S1#3": ("call", "2026-03-31"),
        "col-O2": ("letter", "2026-03-12"),
    }
    assert "1,500.00" in rows["col-S1#2"]["reason"]
    # S1#2 reached the hold level on 02-28 + 30 = 03-30: on hold from then on, not the day before
    assert "hold" not in _flags(run, "2026-03-29")["C001"]
    assert "hold" in _flags(run, "2026-03-30")["C001"]
    # done on the instalment's call brings it back at the next level, escalate: 02-28 + 60 = 04-29
    assert run("--as-of", "2026-04-10", "done", "col-S1#2").exit_code == 0
    back = run(
        "--as-of", "2026-04-29", "due", "--today", "--kind", "collection", "--format", "json"
    )
    assert [(r["id"], r["action"]) for r in json.loads(back.stdout) if r["id"] == "col-S1#2"] == [
        ("col-S1#2", "escalate")
    ]


def test_schedule_list_and_bad_instalments(run, planned) -> None:
    rows = json.loads(run("schedule", "list", "C001", "--format", "json").stdout)
    assert [(r["order_no"], r["instalment"], r["due_on"], r["amount"]) for r in rows] == [
        ("S1", 1, "2026-01-31", 3000.0),
        ("S1", 2, "2026-02-28", 3000.0),
        ("S1", 3, "2026-03-31", 3000.0),
    ]
    # a fourth instalment of ¥1 would make 9,001: 1.00 more than the order's 9,000.00
    over = run("schedule", "add", "S1", "--instalment", "4", "--due", "2026-04-30", "--amount", "1")
    assert over.exit_code == 1 and "1.00 more than its amount 9,000.00" in over.stderr
    zh = run(
        "--lang",
        "zh",
        "schedule",
        "add",
        "S1",
        "--instalment",
        "4",
        "--due",
        "2026-04-30",
        "--amount",
        "1",
    )
    assert "多 1.00" in zh.stderr
    unknown = run(
        "schedule", "add", "NOPE", "--instalment", "1", "--due", "2026-04-30", "--amount", "1"
    )
    assert unknown.exit_code == 1 and "no order NOPE" in unknown.stderr
    assert (
        len(json.loads(run("schedule", "list", "--format", "json").stdout)) == 3
    )  # nothing written


def test_schema_0005_upgrades_to_payment_plans_keeping_every_row(tmp_path: Path) -> None:
    """A database at revision 0005 (issue 14's schema) with a customer and an order upgrades to 0007: the rows
    stay, the payment_schedule table appears empty and takes instalments."""
    from sqlalchemy import inspect, text

    from kacrm.store.engine import SCHEMA_HEAD, current_revision, make_engine
    from kacrm.store.migrate import upgrade

    db = tmp_path / "old.db"
    engine = make_engine(db, migrate=False)
    upgrade(engine, "0005")
    with engine.begin() as conn:
        assert not inspect(conn).has_table("payment_schedule")
        conn.execute(
            text(
                "INSERT INTO customer (code, name, type, status, created_at, updated_at) "
                "VALUES ('C001', '华东机电', 'business', 'active', '2026-01-01', '2026-01-01')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO orders (order_no, customer_id, order_date, amount_cents) "
                "VALUES ('S1', 1, '2026-01-01', 900000)"
            )
        )
    engine = make_engine(db)
    assert current_revision(engine) == SCHEMA_HEAD
    with engine.begin() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM orders")).scalar() == 1
        assert conn.execute(text("SELECT COUNT(*) FROM customer")).scalar() == 1
        assert conn.execute(text("SELECT COUNT(*) FROM payment_schedule")).scalar() == 0
        conn.execute(
            text(
                "INSERT INTO payment_schedule (order_id, instalment, due_on, amount_cents) "
                "VALUES (1, 1, '2026-01-31', 300000)"
            )
        )


def test_schedules_import_replaces_plans_and_rejects_what_does_not_add_up(
    run, planned, tmp_path: Path
) -> None:
    # S1 (¥9,000) in two instalments of 4,500 replaces the three-part plan; detected from 期数 (no --kind)
    good = tmp_path / "回款计划.csv"
    good.write_text(
        '合同号,期次,计划日期,计划金额\nS1,1,2026/1/31,"4,500"\nS1,2,2026年3月31日,0.45万\n',
        encoding="gbk",
    )
    result = run("import", str(good), "--format", "json")
    assert result.exit_code == 0, result.stderr
    [summary] = json.loads(result.stdout)
    # instalment 1 changes amount and 2 its day and amount (updated), 3 goes: nothing inserted
    assert (summary["kind"], summary["rows_read"], summary["inserted"], summary["updated"]) == (
        "schedules",
        2,
        0,
        2,
    )
    rows = json.loads(run("schedule", "list", "--format", "json").stdout)
    assert [(r["instalment"], r["due_on"], r["amount"]) for r in rows] == [
        (1, "2026-01-31", 4500.0),
        (2, "2026-03-31", 4500.0),
    ]
    again = json.loads(run("import", str(good), "--format", "json").stdout)
    assert again[0]["unchanged"] == 2
    # O2 is ¥1,000: 600 + 300 = 900 is 100.00 short; NOPE is no order; one bad date — nothing written
    bad = tmp_path / "plan.csv"
    bad.write_text(
        "order_no,instalment,due_on,amount\nO2,1,2026-03-12,600\nO2,2,2026-04-12,300\n"
        "NOPE,1,2026-03-12,5\nS1,1,2026-02-30,9000\n",
        encoding="utf-8",
    )
    rejected = run("import", str(bad), "--kind", "schedules")
    assert rejected.exit_code == 3
    assert "900.00, 100.00 less than its amount 1,000.00" in rejected.stderr
    assert "no order NOPE" in rejected.stderr and "2026-02-30" in rejected.stderr
    assert json.loads(run("schedule", "list", "--format", "json").stdout) == rows
    # --map applies to a plan file as to any other (SPEC §5): the same columns, read as before
    mapped = run("import", str(good), "--map", "合同号=order_no", "--format", "json")
    assert mapped.exit_code == 0, mapped.stderr
    assert json.loads(mapped.stdout)[0]["unchanged"] == 2
    assert json.loads(run("schedule", "list", "--format", "json").stdout) == rows


def _batches(engine) -> list[tuple]:
    with Session(engine) as session:
        return [
            (
                b.file_name,
                b.kind,
                b.sha256,
                b.rows_read,
                b.inserted,
                b.updated,
                b.unchanged,
                b.rejected,
            )
            for b in session.exec(select(ImportBatch).order_by(ImportBatch.id))
        ]


def _csv_lines(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_plan_import_records_one_import_batch_not_on_dry_run(
    run, planned, engine, tmp_path
) -> None:
    # S1's plan (3 × 3,000 due 01-31, 02-28, 03-31): #1 and #2 as they are, #3 moves to 04-30
    plan = tmp_path / "plan.csv"
    plan.write_text(
        "order_no,instalment,due_on,amount\n"
        "S1,1,2026-01-31,3000\nS1,2,2026-02-28,3000\nS1,3,2026-04-30,3000\n",
        encoding="utf-8",
    )
    sha = hashlib.sha256(plan.read_bytes()).hexdigest()
    assert run("import", str(plan), "--dry-run").exit_code == 0
    assert _batches(engine) == []
    assert run("import", str(plan)).exit_code == 0
    assert _batches(engine) == [(str(plan), "schedules", sha, 3, 0, 1, 2, 0)]
    with Session(engine) as session:
        [batch] = session.exec(select(ImportBatch)).all()
        assert batch.finished_at is not None and batch.started_at <= batch.finished_at


def test_plan_import_writes_its_rejects_file(run, planned, engine, tmp_path) -> None:
    # S1 (¥9,000) in two instalments of 4,500; row 4 names an order that does not exist
    plan = tmp_path / "plan.csv"
    plan.write_text(
        "order_no,instalment,due_on,amount\n"
        "S1,1,2026-01-31,4500\nS1,2,2026-03-31,4500\nNOPE,1,2026-03-12,5\n",
        encoding="utf-8",
    )
    header = ["order_no", "instalment", "due_on", "amount", "file", "row", "reason"]
    bad = ["NOPE", "1", "2026-03-12", "5", str(plan), "4"]
    rejects = tmp_path / "rejects.csv"
    # abort: the file holds the row, nothing is written, no batch is recorded
    aborted = run("import", str(plan), "--rejects", str(rejects))
    assert aborted.exit_code == 3
    assert _csv_lines(rejects) == [
        header,
        [*bad, "order_no: no order NOPE: import the order before its payment plan"],
    ]
    assert _batches(engine) == []
    assert len(json.loads(run("schedule", "list", "--format", "json").stdout)) == 3
    # skip, in Chinese: S1's plan is replaced (#1 and #2 updated, #3 gone), the batch counts the bad row
    rejects.unlink()
    skipped = run(
        "--lang", "zh", "import", str(plan), "--on-error", "skip", "--rejects", str(rejects)
    )
    assert skipped.exit_code == 0, skipped.stderr
    assert _csv_lines(rejects) == [
        header,
        [*bad, "order_no: 没有订单 NOPE：请先导入订单，再导入回款计划"],
    ]
    sha = hashlib.sha256(plan.read_bytes()).hexdigest()
    assert _batches(engine) == [(str(plan), "schedules", sha, 3, 0, 2, 0, 1)]


def test_one_rejects_file_holds_the_data_files_and_the_plan_files_rows(
    run, planned, engine, tmp_path
) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "order_no,customer_code,order_date,amount\nO9,C001,2026-03-01,100\nO8,C001,someday,100\n",
        encoding="utf-8",
    )
    plan = tmp_path / "plan.csv"
    plan.write_text(
        "order_no,instalment,due_on,amount\nO9,1,2026-04-01,100\nNOPE,1,2026-03-12,5\n",
        encoding="utf-8",
    )
    rejects = tmp_path / "rejects.csv"
    result = run("import", str(orders), str(plan), "--on-error", "skip", "--rejects", str(rejects))
    assert result.exit_code == 0, result.stderr
    lines = _csv_lines(rejects)
    # the columns of both files, the orders file's first; a cell a file does not have is empty
    assert lines[0] == [
        "order_no",
        "customer_code",
        "order_date",
        "amount",
        "instalment",
        "due_on",
        "file",
        "row",
        "reason",
    ]
    assert lines[1][:8] == ["O8", "C001", "someday", "100", "", "", str(orders), "3"]
    assert lines[1][8].startswith("order_date: not a date")
    assert lines[2] == [
        "NOPE",
        "",
        "",
        "5",
        "1",
        "2026-03-12",
        str(plan),
        "3",
        "order_no: no order NOPE: import the order before its payment plan",
    ]
    assert len(lines) == 3
    # one batch per file: the orders file (1 inserted, 1 rejected), then the plan (O9's one instalment)
    assert [b[:2] + b[3:] for b in _batches(engine)] == [
        (str(orders), "orders", 2, 1, 0, 0, 1),
        (str(plan), "schedules", 2, 1, 0, 0, 1),
    ]


# --- statement of account ---------------------------------------------------------------------------------


def _statement(run, *args: str) -> dict:
    result = run("--as-of", "2026-04-10", "credit", "statement", "C001", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_statement_balances_lines_and_open_items(run, planned) -> None:
    got = _statement(run, "--from", "2026-02-01")
    # before 02-01: S1's three instalments (ordered 01-01), 3 × 3,000 = 9,000
    assert (got["from"], got["to"], got["opening_balance"]) == ("2026-02-01", "2026-04-10", 9000.0)
    assert [
        (x["date"], x["kind"], x["ref"], x["debit"], x["credit"], x["balance"])
        for x in got["lines"]
    ] == [
        ("2026-02-10", "order", "O2", 1000.0, 0.0, 10000.0),  # 9,000 + 1,000
        ("2026-02-15", "payment", "P1", 0.0, 4000.0, 6000.0),  # 10,000 − 4,000
        ("2026-03-01", "payment", "P2", 0.0, 500.0, 5500.0),  # 6,000 − 500
    ]
    assert got["closing_balance"] == 5500.0
    # open items on 04-10 (see test_instalments_climb_the_ladder_and_hold): 1,500 + 1,000 + 3,000 = 5,500
    assert [
        (i["ref"], i["due_on"], i["amount"], i["days_overdue"], i["action"])
        for i in got["open_items"]
    ] == [
        ("S1#2", "2026-02-28", 1500.0, 41, "hold"),
        ("O2", "2026-03-12", 1000.0, 29, "letter"),
        ("S1#3", "2026-03-31", 3000.0, 10, "call"),
    ]
    whole = _statement(run)  # from the first entry: opening 0, the three instalments first
    assert whole["opening_balance"] == 0.0 and whole["from"] == "2026-01-01"
    assert [x["ref"] for x in whole["lines"][:3]] == ["S1#1", "S1#2", "S1#3"]
    assert whole["closing_balance"] == 5500.0


def test_statement_keeps_an_overpayment_as_a_credit(run, planned, engine) -> None:
    with Session(engine) as session:
        cid = session.exec(select(Customer.id).where(Customer.code == "C001")).one()
        session.add(
            Payment(payment_no="P3", customer_id=cid, paid_on=D("2026-04-01"), amount_cents=600_000)
        )
        session.commit()
    got = _statement(run, "--from", "2026-04-01")
    # 5,500 owed, 6,000 paid: −500, a credit on the account, nothing open
    assert (got["opening_balance"], got["closing_balance"], got["open_items"]) == (
        5500.0,
        -500.0,
        [],
    )
    table = run("--lang", "zh", "--as-of", "2026-04-10", "credit", "statement", "C001")
    assert table.exit_code == 0
    assert "对账单" in table.stdout and "期末余额" in table.stdout and "回款" in table.stdout
    assert "预收款" in table.stderr
    md = run("--as-of", "2026-04-10", "credit", "statement", "C001", "--format", "md")
    assert md.exit_code == 0 and "| S1#1 |" in md.stdout.replace("  ", " ")
    assert run("credit", "statement", "NOPE").exit_code == 1


def test_statement_refuses_a_period_that_starts_after_it_ends(run, planned, tmp_path: Path) -> None:
    """The statement ends on --as-of (2026-04-10 here); a --from after it used to print "2026-05-01 to
    2026-04-10" with exit 0. A start on the last day itself is a one-day statement."""
    page = tmp_path / "s.html"
    late = ("--as-of", "2026-04-10", "credit", "statement", "C001", "--from", "2026-04-11")
    for fmt in (["--format", "json"], ["--format", "html", "-o", str(page)]):
        refused = run(*late, *fmt)
        assert refused.exit_code == 2, refused.output
        assert refused.stdout == ""
        assert (
            "--from 2026-04-11 is after the statement's last day, 2026-04-10 (--as-of or today): give "
            "a first day on or before it" in " ".join(refused.stderr.replace("│", " ").split())
        )
    assert not page.exists()
    zh = run("--lang", "zh", *late)
    assert zh.exit_code == 2 and "晚于对账单的最后一天 2026-04-10" in zh.stderr
    got = _statement(run, "--from", "2026-04-10")
    assert (got["from"], got["to"], got["lines"]) == ("2026-04-10", "2026-04-10", [])
    assert got["opening_balance"] == got["closing_balance"] == 5500.0


def test_report_receivables_use_the_instalments(run, planned) -> None:
    # 2026-03-05: open S1#2 1,500 (due 02-28: overdue), S1#3 3,000 (due 03-31: not yet), O2 1,000 (due 03-12:
    # not yet) → total 5,500, overdue 1,500. Without the plan S1 (due 01-31) would be overdue 4,500.
    result = run("--as-of", "2026-03-05", "report", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["receivables"] == {"total": 5500.0, "overdue": 1500.0}


def test_statement_html_and_xlsx_files_are_private(run, planned, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    page, book = tmp_path / "对账单.html", tmp_path / "statement.xlsx"
    args = ("--as-of", "2026-04-10", "credit", "statement", "C001")
    assert run("--lang", "zh", *args, "--format", "html", "-o", str(page)).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert "对账单" in html and "期末余额" in html and "S1#2" in html and "5,500.00" in html
    assert run(*args, "--format", "xlsx", "-o", str(book)).exit_code == 0
    for path in (page, book):
        assert path.stat().st_mode & 0o777 == 0o600
    sheets = load_workbook(book).worksheets
    cells = [c.value for s in sheets for row in s.iter_rows() for c in row if c.value is not None]
    assert "S1#3" in cells and "closing balance" in cells
    assert run(*args, "--format", "html").exit_code == 2  # a file format needs --output


def test_a_second_done_of_a_collection_is_refused_until_it_comes_back(run, book, engine) -> None:
    """O1 fell due 01-31; on 03-05 it is 33 days past due, at the hold level (30), the next level (escalate, 60
    days) on 04-01: `done` hides it until then. A second `done` the same week logged the same call again."""
    from sqlalchemy import text

    def calls() -> int:
        with engine.connect() as conn:
            return conn.execute(text("SELECT COUNT(*) FROM interaction")).scalar_one()

    assert run("--as-of", "2026-03-05", "done", "col-O1").exit_code == 0
    logged = calls()
    again = run("--as-of", "2026-03-06", "done", "col-O1")
    assert again.exit_code == 1
    assert "was done on 2026-03-05; it comes back on 2026-04-01" in " ".join(again.stderr.split())
    assert calls() == logged  # nothing logged twice
    zh = run("--lang", "zh", "--as-of", "2026-03-06", "done", "col-O1")
    assert zh.exit_code == 1 and "已于 2026-03-05 完成" in zh.stderr
    assert run("--as-of", "2026-04-01", "done", "col-O1").exit_code == 0  # back, at its next level
    assert calls() == logged + 1

"""`kacrm due`, `done`, `snooze` and the iCalendar export through the CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import random
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlmodel import Session, select

from kacrm.cli import due as due_cli
from kacrm.cli.app import app
from kacrm.config import Settings
from kacrm.store.models import Contact, Customer, Interaction, Order, Payment, Plan, Task

if "due" not in {
    c.name for c in app.registered_commands
}:  # until kacrm/cli/app.py registers the commands
    due_cli.register(app)

AS_OF = ("--as-of", "2026-05-04")
KEYS = {
    "id",
    "due_on",
    "event_on",
    "kind",
    "customer_code",
    "customer_name",
    "contact",
    "reason",
    "overdue_days",
    "action",
}
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _customer(s: Session, code: str, **kw) -> int:
    c = Customer(code=code, name=f"客户{code}", created_at=NOW, updated_at=NOW, **kw)
    s.add(c)
    s.flush()
    return c.id


def seed(engine) -> dict[str, int]:
    """A small book with one item of each kind in the week of Monday 2026-05-04."""
    with Session(engine) as s:
        a = _customer(s, "A1", tier="A", owner="张伟")
        b = _customer(s, "B1", tier="B", owner="李娜", payment_terms_days=30)
        c = _customer(s, "C1", tier="C", owner="李娜")
        wang = Contact(customer_id=a, name="王总", is_primary=True, birthday=date(1976, 5, 9))
        s.add(wang)
        s.add(
            Contact(customer_id=b, name="赵姐", lunar_birthday_month=4, lunar_birthday_day=8)
        )  # 2026: 05-24
        # A1: last contact 04-22 → cadence due 05-06; B1: 04-01 + 30 = 05-01, overdue 3
        s.add(
            Interaction(
                customer_id=a,
                happened_on=date(2026, 4, 22),
                kind="visit",
                next_due=date(2026, 5, 5),
                summary="send the quote",
            )
        )
        s.add(Interaction(customer_id=b, happened_on=date(2026, 4, 1), kind="call"))
        s.add(
            Interaction(
                customer_id=c,
                happened_on=date(2026, 5, 3),
                kind="complaint",
                summary="late delivery",
            )
        )
        # B1 owes: order of 03-01 (terms 30: due 03-31) 8,000.00, paid 5,000.00 → 3,000.00 overdue 34 days
        s.add(
            Order(order_no="SO-1", customer_id=b, order_date=date(2026, 3, 1), amount_cents=800_000)
        )
        s.add(
            Payment(
                payment_no="P-1", customer_id=b, paid_on=date(2026, 3, 20), amount_cents=500_000
            )
        )
        s.add(
            Plan(
                customer_id=a,
                horizon="short",
                goal="年度框架协议",
                target_date=date(2026, 5, 8),
                created_at=NOW,
            )
        )
        s.add(
            Task(
                customer_id=b,
                due_on=date(2026, 5, 7),
                kind="follow_up",
                note="寄样品",
                created_at=NOW,
            )
        )
        s.commit()
        return {"a": a, "b": b, "wang": wang.id}


def due_json(run, *args: str) -> list[dict]:
    result = run(*AS_OF, "due", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_due_week_lists_every_kind_with_spec_keys(run, engine) -> None:
    ids = seed(engine)
    rows = due_json(run)
    assert all(set(r) == KEYS for r in rows)
    by_id = {r["id"]: r for r in rows}
    complaint = [r for r in rows if r["kind"] == "complaint"]
    assert complaint and complaint[0]["due_on"] == "2026-05-05"  # 05-03 + 2
    assert by_id[f"cad-{ids['a']}-20260506"]["contact"] == "王总"
    assert by_id[f"cad-{ids['b']}-20260501"]["overdue_days"] == 3
    assert by_id["col-SO-1"]["overdue_days"] == 34 and "3,000.00" in by_id["col-SO-1"]["reason"]
    assert by_id[f"bday-{ids['wang']}-20260509"]["due_on"] == "2026-05-06"
    assert by_id[f"bday-{ids['wang']}-20260509"]["event_on"] == "2026-05-09"
    fu = [r for r in rows if r["id"].startswith("fu-")]
    assert [r["due_on"] for r in fu] == ["2026-05-05"]
    assert [r["due_on"] for r in rows if r["id"].startswith("task-")] == ["2026-05-07"]
    assert [r["due_on"] for r in rows if r["kind"] == "plan"] == ["2026-05-08"]
    assert not [
        r for r in rows if r["kind"] == "birthday" and r["contact"] == "赵姐"
    ]  # 05-24: not this week
    # overdue first: every overdue row comes before every row that is not
    flags = [r["overdue_days"] > 0 for r in rows]
    assert flags == sorted(flags, reverse=True)


def test_due_windows_and_filters(run, engine) -> None:
    seed(engine)
    today_rows = due_json(run, "--today")
    assert {r["due_on"] for r in today_rows} <= {"2026-05-04"} | {
        r["due_on"] for r in today_rows if r["overdue_days"] > 0
    }
    assert not [r for r in today_rows if r["due_on"] > "2026-05-04"]
    assert [r["contact"] for r in due_json(run, "--days", "21", "--kind", "birthday")] == [
        "王总",
        "赵姐",
    ]
    assert {r["customer_code"] for r in due_json(run, "--owner", "李娜")} == {"B1", "C1"}
    assert {r["customer_code"] for r in due_json(run, "--tier", "A")} == {"A1"}
    assert all(r["overdue_days"] > 0 for r in due_json(run, "--overdue"))
    bad = run(*AS_OF, "due", "--kind", "party")
    assert bad.exit_code == 2


def test_done_restarts_cadence_and_records_the_interaction(run, engine) -> None:
    ids = seed(engine)
    cadence = f"cad-{ids['b']}-20260501"
    result = run(*AS_OF, "done", cadence, "--note", "回访")
    assert result.exit_code == 0, result.stderr
    rows = due_json(run)
    assert cadence not in {r["id"] for r in rows}
    assert not [
        r for r in rows if r["kind"] == "cadence" and r["customer_code"] == "B1"
    ]  # next: 05-04 + 30
    with Session(engine) as s:
        logged = s.exec(
            select(Interaction).where(
                Interaction.customer_id == ids["b"], Interaction.happened_on == date(2026, 5, 4)
            )
        ).all()
        assert [(i.kind, i.summary) for i in logged] == [("call", "回访")]


def test_done_birthday_complaint_task_plan(run, engine) -> None:
    ids = seed(engine)
    rows = due_json(run)
    closed = [
        r
        for r in rows
        if r["kind"] in ("birthday", "complaint", "plan") or r["id"].startswith(("task-", "fu-"))
    ]
    for row in closed:
        result = run(*AS_OF, "done", row["id"], "--note", f"closed {row['id']}")
        assert result.exit_code == 0, result.stderr
    left = {r["kind"] for r in due_json(run)}
    assert not left & {"birthday", "complaint", "plan", "follow_up"}
    with Session(engine) as s:
        card = s.exec(select(Interaction).where(Interaction.kind == "card")).one()
        assert card.contact_id == ids["wang"]
        complaint = s.exec(select(Interaction).where(Interaction.kind == "complaint")).one()
        assert complaint.resolved_on == date(2026, 5, 4)
        assert s.exec(select(Plan)).one().status == "done"
        # each done logged its interaction on the day, with the note (SPEC §8), whatever the kind
        logged = s.exec(
            select(Interaction).where(Interaction.happened_on == date(2026, 5, 4))
        ).all()
        assert sorted(i.summary for i in logged) == sorted(f"closed {r['id']}" for r in closed)
        kinds = {i.summary.removeprefix("closed ").split("-")[0]: i.kind for i in logged}
        assert (kinds["cmp"], kinds["plan"], kinds["task"]) == ("service", "meeting", "call")
    # the complaint's customer C1 was last contacted 05-03 (the complaint): now on 05-04, so C-tier cadence
    # (90 days) runs from there
    with Session(engine) as s:
        c1 = s.exec(select(Customer).where(Customer.code == "C1")).one().id
    assert f"cad-{c1}-20260802" in {
        r["id"] for r in due_json(run, "--days", "120", "--kind", "cadence")
    }


def test_done_collection_comes_back_at_the_next_ladder_level(run, engine) -> None:
    # SO-1 fell due 2026-03-31: on 05-04 it is 34 days past due, at the hold level (30); `done` records the
    # contact and hides it until it reaches the next level, escalate at 60 days: 03-31 + 60 = 05-30.
    seed(engine)
    [before] = [r for r in due_json(run) if r["id"] == "col-SO-1"]
    assert before["action"] == "hold"
    assert run(*AS_OF, "done", "col-SO-1").exit_code == 0
    assert "col-SO-1" not in {r["id"] for r in due_json(run)}
    week = json.loads(run("--as-of", "2026-05-11", "due", "--format", "json").stdout)
    assert "col-SO-1" not in {r["id"] for r in week}
    later = json.loads(run("--as-of", "2026-05-30", "due", "--today", "--format", "json").stdout)
    assert [
        (r["due_on"], r["overdue_days"], r["action"]) for r in later if r["id"] == "col-SO-1"
    ] == [("2026-05-30", 60, "escalate")]  # overdue from its due date (round 11), not from 05-30


def test_snooze_hides_until_the_day(run, engine) -> None:
    ids = seed(engine)
    cadence = f"cad-{ids['b']}-20260501"
    result = run(*AS_OF, "snooze", cadence, "--days", "3")
    assert result.exit_code == 0, result.stderr
    assert cadence not in {r["id"] for r in due_json(run, "--today")}
    [row] = [r for r in due_json(run) if r["id"] == cadence]
    assert row["due_on"] == "2026-05-07" and row["overdue_days"] == 0  # 05-04 + 3


def test_unknown_id_is_not_found(run, engine) -> None:
    seed(engine)
    for args in (("done", "cad-999-20260101"), ("snooze", "nope", "--days", "2")):
        result = run(*AS_OF, *args)
        assert result.exit_code == 1
        assert "no open due item" in result.stderr and "Traceback" not in result.stderr


def test_ics_export_parses_back_with_alarms(run, engine, tmp_path) -> None:
    seed(engine)
    path = tmp_path / "due.ics"
    result = run(*AS_OF, "due", "--ics", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    cal = Calendar.from_ical(path.read_bytes())
    events = list(cal.walk("VEVENT"))
    assert len(events) == len(rows) > 0
    by_uid = {str(e["UID"]): e for e in events}
    assert set(by_uid) == {f"{r['id']}@kacrm" for r in rows}
    for event in events:
        alarms = list(event.walk("VALARM"))
        assert len(alarms) == 1 and str(alarms[0]["ACTION"]) == "DISPLAY"
        assert alarms[0]["TRIGGER"].dt == timedelta(hours=9)
    overdue = by_uid["col-SO-1@kacrm"]
    assert overdue["DTSTART"].dt == date(2026, 5, 4)  # overdue items are placed on today
    assert "3,000.00" in str(overdue["DESCRIPTION"])


SEED_WORDS = {
    "late",
    "delivery",
    "send",
    "the",
    "quote",
}  # seed()'s own texts: a complaint, a follow-up


def test_ics_in_chinese_has_no_english_words(run, engine, tmp_path) -> None:
    """`--lang zh due --ics`: the summary, the description's lines and the category in Chinese (a tester found
    "overdue: 45 days (due …)", `complaint` and an ASCII colon)."""
    seed(engine)
    path = tmp_path / "due.ics"
    result = run(*AS_OF, "--lang", "zh", "due", "--ics", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    events = {str(e["UID"]): e for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT")}
    overdue = events["col-SO-1@kacrm"]
    assert str(overdue["SUMMARY"]).startswith("催收：")
    assert [str(c) for c in overdue["CATEGORIES"].cats] == ["催收"]
    description = str(overdue["DESCRIPTION"])
    assert "已逾期 34 天（应于 2026-03-31）" in description  # due 03-31, as of 05-04: 34 days
    for event in events.values():
        *lines, command = str(event["DESCRIPTION"]).split(
            "\n"
        )  # the last: `kacrm done ID`, a command
        categories = " ".join(str(c) for c in event["CATEGORIES"].cats)
        text = "\n".join([str(event["SUMMARY"]), *lines, categories])
        english = set(re.findall(r"[A-Za-z]{3,}", text)) - SEED_WORDS
        assert command.startswith("kacrm done ") and not english, text


def test_table_and_chinese_labels(run, engine) -> None:
    seed(engine)
    result = run(*AS_OF, "--lang", "zh", "due")
    assert result.exit_code == 0, result.stderr
    assert (
        "逾期" in result.stdout and "催收" in result.stdout and "2026-05-06 周三" in result.stdout
    )
    assert result.stdout.index("逾期") < result.stdout.index("2026-05-06")
    zh_json = due_json(run, "--kind", "collection")
    assert zh_json[0]["kind"] == "collection"  # json keeps the machine value of kind


@pytest.mark.parametrize(("oldest", "refunds"), [(400, False), (1500, False), (1500, True)])
def test_open_orders_agree_with_the_receivables_model(engine, oldest: int, refunds: bool) -> None:
    """Independent method: kacrm.analysis.receivables applies every payment in date order. Orders go back
    400 or 1,500 days, past the 120 days the due loader reads for everyone, so the walk into older debts is
    checked, step by step (60, 180, 420, 900 days further back, then the rest). With ``refunds``, payments
    of less than zero too (round 11): the ledger reverses them one by one, the loader walks the signed sums."""
    from kacrm.analysis.receivables import receivables
    from kacrm.store.credit_store import load_frames
    from kacrm.store.due_store import load_due_data

    rng = random.Random(7)
    today = date(2026, 5, 4)
    with Session(engine) as s:
        cids = [
            _customer(s, f"R{i}", payment_terms_days=rng.choice([None, 15, 60])) for i in range(30)
        ]
        n = 0
        for cid in cids:
            for _ in range(rng.randint(0, 6)):
                n += 1
                s.add(
                    Order(
                        order_no=f"O{n}",
                        customer_id=cid,
                        order_date=today - timedelta(days=rng.randint(-5, oldest)),
                        amount_cents=rng.choice([-20_000, 50_000, 120_000, 333_333]),
                        due_date=rng.choice([None, today + timedelta(days=rng.randint(-60, 30))]),
                    )
                )
            for k in range(rng.randint(0, 4)):
                s.add(
                    Payment(
                        payment_no=f"P{cid}-{k}",
                        customer_id=cid,
                        amount_cents=rng.choice(
                            [30_000, 100_000, *((-20_000, -100_000) if refunds else ())]
                        ),
                        paid_on=today - timedelta(days=rng.randint(-3, 150)),
                        order_no=rng.choice([None, f"O{rng.randint(1, max(n, 1))}"]),
                    )
                )
        s.commit()
    settings = Settings()
    customers, orders, payments = load_frames(engine, today)
    expected = receivables(orders, payments, customers, settings, today)
    end = today + timedelta(days=6)
    # the default ladder reminds 3 days before the due date: orders due up to 3 days after the window are read
    last_due = end + timedelta(days=3)
    expected = {
        (no, due, int(cents))
        for no, due, cents in zip(
            expected["order_no"], expected["due_date"], expected["outstanding_cents"], strict=True
        )
        if due <= last_due
    }
    got = {
        (o.order_no, o.due_date, o.outstanding_cents)
        for o in load_due_data(engine, settings, today, end).open_orders
    }
    assert expected and got == expected


@pytest.mark.parametrize(
    "args", [("--today", "--days", "3"), ("--week", "--today"), ("--days", "0")]
)
def test_conflicting_window_options_are_usage_errors(run, args) -> None:
    assert run(*AS_OF, "due", *args).exit_code == 2


def test_scoped_lists_are_the_whole_list_filtered(run, engine) -> None:
    """`due --owner/--tier` load only those customers, and `done`/`snooze` only the customer an id names; the
    result must be what the whole book's list gives for them. Checked on the sample data, with a pinned tier,
    done and snoozed items; owners and tiers come from the customer table, not from the due code."""
    from kacrm.analysis.due import due_items
    from kacrm.app.demo import SAMPLE_FILES, SAMPLE_TODAY, sample_paths
    from kacrm.app.due import find_item
    from kacrm.store.due_store import load_due_data

    as_of = ("--as-of", SAMPLE_TODAY.isoformat())
    with sample_paths() as paths:
        imported = run(*as_of, "import", *(str(paths[kind]) for kind in SAMPLE_FILES))
    assert imported.exit_code == 0, imported.stderr
    assert run(*as_of, "tier").exit_code == 0
    with Session(engine) as s:
        pinned = s.exec(select(Customer).where(Customer.tier == "C")).first()
        pinned.tier_pinned = "A"
        s.add(pinned)
        s.commit()
        customers = {c.code: (c.owner, c.tier_pinned or c.tier) for c in s.exec(select(Customer))}

    def listing(*args: str) -> list[dict]:
        result = run(*as_of, "due", "--days", "30", *args, "--format", "json")
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    whole = listing()
    done, snoozed = whole[0]["id"], whole[-1]["id"]
    assert (
        run(*as_of, "done", done).exit_code == 0
        and run(*as_of, "snooze", snoozed, "--days", "40").exit_code == 0
    )
    whole = listing()
    assert done not in {r["id"] for r in whole} and snoozed not in {r["id"] for r in whole}
    owners = sorted({owner for owner, _ in customers.values() if owner})
    assert len(owners) >= 3
    for owner in owners:
        assert listing("--owner", owner) == [
            r for r in whole if customers[r["customer_code"]][0] == owner
        ]
    for tier in ("A", "B", "C"):
        expected = [r for r in whole if customers[r["customer_code"]][1] == tier]
        assert expected and listing("--tier", tier) == expected
    assert any(r["customer_code"] == pinned.code for r in listing("--tier", "A"))
    typo = run(*as_of, "due", "--days", "30", "--owner", "nobody", "--format", "json")
    assert (typo.exit_code, typo.stdout) == (1, "")
    assert "No customer names 'nobody' as owner" in typo.stderr

    settings, today = Settings(), SAMPLE_TODAY
    end = today + timedelta(days=400)
    items = due_items(load_due_data(engine, settings, today, end), settings, today, today, end)
    by_kind: dict[str, list] = {}
    for item in items:
        by_kind.setdefault(item.id.split("-")[0], []).append(item)
    assert {"cad", "bday", "fest", "col", "wb"} <= set(by_kind)
    for sample in by_kind.values():
        for item in sample[:3]:
            assert find_item(engine, settings, today, item.id) == item


def _overdue_book(engine, customers: int) -> None:
    """``customers`` C-tier customers last called on 2026-01-01: each one's cadence (90 days) is overdue."""
    with Session(engine) as s:
        for n in range(customers):
            cid = _customer(s, f"Q{n:02d}", tier="C")
            s.add(Interaction(customer_id=cid, happened_on=date(2026, 1, 1), kind="call"))
        s.commit()


@pytest.mark.parametrize("per_day", [3, 0])
def test_table_shows_a_few_items_per_day_and_counts_the_rest(
    run, engine, tmp_path, per_day
) -> None:
    _overdue_book(engine, 7)
    config = tmp_path / "config.toml"
    config.write_text(f"[due]\ntable_rows_per_day = {per_day}\n", encoding="utf-8")
    overdue = [r["id"] for r in due_json(run, "--overdue")]
    assert len(overdue) == 7  # one cadence item per customer, every one overdue: worked out above

    result = run("--config", str(config), *AS_OF, "due", "--overdue", env={"COLUMNS": "200"})

    assert result.exit_code == 0, result.stderr
    shown = [item_id for item_id in overdue if item_id in result.stdout]
    if per_day:
        assert (
            shown == overdue[:per_day]
        )  # the first ones of the list (overdue first, oldest first)
        assert f"… {7 - per_day} more of 7 not shown" in result.stdout
        assert "--format csv, json or md" in result.stdout
    else:
        assert shown == overdue and "not shown" not in result.stdout
    as_json = run("--config", str(config), *AS_OF, "due", "--overdue", "--format", "json")
    assert [r["id"] for r in json.loads(as_json.stdout)] == overdue  # json always lists everything


@pytest.fixture(scope="module")
def demo_book(tmp_path_factory: pytest.TempPathFactory) -> str:
    from typer.testing import CliRunner

    db = tmp_path_factory.mktemp("due windows") / "demo.db"
    result = CliRunner().invoke(app, ["demo", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return str(db)


@pytest.mark.parametrize("day", ["2026-03-02", "2026-06-30", "2026-11-20"])
def test_a_longer_window_lists_everything_a_shorter_one_does(demo_book: str, day: str) -> None:
    """An item is listed when it is due (or its event falls) in the window or is overdue: what `--today` lists,
    `--days 3` and `--week` list too, and what any window lists due by today is in `--today` (a collection's
    reminder, listed before its order falls due, was once missing from the shorter windows)."""
    from typer.testing import CliRunner

    def listed(*window: str) -> dict[str, dict]:
        args = ["--db", demo_book, "--as-of", day, "due", *window, "--format", "json"]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        return {row["id"]: row for row in json.loads(result.stdout)}

    today, three, week = listed("--today"), listed("--days", "3"), listed("--week")
    assert today.keys() <= three.keys() <= week.keys()
    for wider in (three, week):
        due_by_today = {i for i, row in wider.items() if row["due_on"] <= day}
        assert due_by_today <= today.keys()
    assert any(row["kind"] == "collection" for row in today.values())

"""One tier in force (SPEC §6, issue 15): only the primary method's runs and pins set it; other methods are kept
as their own dimension; `kacrm tier primary` switches and records the movements. On the demo book, SQLite and
PostgreSQL."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlmodel import Session

from kacrm.app.demo import SAMPLE_TODAY, run_demo
from kacrm.config import Settings
from kacrm.store.engine import make_engine
from kacrm.store.migrate import upgrade
from kacrm.store.models import Customer, TierMovement, TierRun, TierSnapshot

FIXTURES = Path(__file__).parent / "fixtures" / "schema"
NEW_YEAR_WEEK = (
    "2026-12-27"  # 2027-01-01 (元旦) falls in the coming week: festival greetings are due
)


@pytest.fixture
def demo(engine):
    run_demo(
        engine, SAMPLE_TODAY, Settings(), steps=[]
    )  # the sample data only; tiering is the test's
    return engine


def _in_force(engine) -> dict[str, str | None]:
    with Session(engine) as s:
        return {c.code: c.tier_pinned or c.tier for c in s.scalars(select(Customer))}


def _due(run, kinds=("cadence", "festival")) -> list[tuple]:
    result = run("--as-of", NEW_YEAR_WEEK, "due", "--week", "--format", "json")
    assert result.exit_code == 0, result.output
    return sorted(
        (i["customer_code"], i["kind"], i["due_on"])
        for i in json.loads(result.stdout)
        if i["kind"] in kinds
    )


def _latest_snapshot(engine, method: str) -> dict[str, str]:
    with Session(engine) as s:
        run_id = s.scalar(
            select(TierRun.id).where(TierRun.method == method).order_by(TierRun.id.desc())
        )
        rows = s.execute(
            select(Customer.code, TierSnapshot.tier)
            .join(Customer, Customer.id == TierSnapshot.customer_id)
            .where(TierSnapshot.run_id == run_id)
        ).all()
    return dict(rows)


def test_other_methods_never_change_the_tier_in_force(run, demo) -> None:
    asof = ("--as-of", NEW_YEAR_WEEK)
    assert run(*asof, "tier").exit_code == 0  # the primary (abc by default)
    tiers, due = _in_force(demo), _due(run)
    a_list = json.loads(run("customer", "list", "--tier", "A", "--format", "json").stdout)
    # the abc run decided: every tier in force is the run's snapshot (no pins here)
    assert {k: v for k, v in tiers.items() if v} == _latest_snapshot(demo, "abc")
    assert any(kind == "festival" for _, kind, _ in due) and any(k == "cadence" for _, k, _ in due)
    for method in ("rfm", "clv", "pyramid"):
        result = run(*asof, "tier", "--method", method)
        assert result.exit_code == 0, result.output
        assert (
            "tier in force is unchanged" in result.stderr
            and "primary method is abc" in result.stderr
        )
        assert _in_force(demo) == tiers
        assert _due(run) == due
    again = json.loads(run("customer", "list", "--tier", "A", "--format", "json").stdout)
    assert [r["customer_code"] for r in again] == [r["customer_code"] for r in a_list]
    # every method's latest result is its own dimension of the customer
    rows = json.loads(run("customer", "list", "--format", "json").stdout)
    dims = {r["customer_code"]: r["tiers"] for r in rows}
    for method in ("abc", "rfm", "clv", "pyramid"):
        snap = _latest_snapshot(demo, method)
        assert {code: d[method] for code, d in dims.items() if d[method]} == snap
    assert all(r["tier"] == tiers[r["customer_code"]] for r in rows)
    assert run("tier", "primary", "rfm").exit_code == 2


def test_switching_to_a_method_that_never_ran_is_refused(run, demo) -> None:
    """SPEC §6: the switch re-derives the tier in force from the method's latest run. Without one it would only
    take every customer's tier away (no cadence by tier, no greetings, no key accounts: a cron user's call list
    emptied by a command that said exit 0): exit 1 saying which run to make first, and nothing changes. A book
    where no customer has a tier in force yet loses nothing, so choosing the method first is still allowed."""
    asof = ("--as-of", NEW_YEAR_WEEK)
    empty = run(*asof, "tier", "primary", "pyramid")  # nothing tiered yet (the sample data only)
    assert empty.exit_code == 0, empty.output
    assert "pyramid has never run: no customer has a tier in force until" in empty.stderr
    assert (
        run(*asof, "tier", "primary", "abc").exit_code == 0
    )  # nor does abc's, which never ran either
    assert run(*asof, "tier").exit_code == 0  # an abc run: the tiers in force
    before, due_before = _in_force(demo), _due(run)
    tiered = sum(1 for tier in before.values() if tier)
    assert tiered > 0
    lead = next(code for code, tier in before.items() if tier)
    assert run("tier", "pin", lead, "gold").exit_code == 0  # a pyramid pin alone is no run
    for lang, said in (
        (
            "en",
            f"Error: pyramid has never run: as the primary tiering it would leave {tiered - 1} customers "
            "without a tier in force (no cadence by tier, no festival greetings, no key accounts). Run "
            "`kacrm tier --method pyramid` first, then `kacrm tier primary pyramid`; nothing was changed.\n",
        ),
        (
            "zh",
            f"错误：客户金字塔尚未运行过：设为主分级会使 {tiered - 1} 个客户失去现行等级（不再按等级安排联系周期、"
            "节日问候，也没有重点客户）。请先执行 `kacrm tier --method pyramid`，再执行 "
            "`kacrm tier primary pyramid`；未作任何更改。\n",
        ),
    ):
        result = run("--lang", lang, *asof, "tier", "primary", "pyramid")
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", said)
    assert _in_force(demo) == before and _due(run) == due_before
    with Session(demo) as s:
        assert s.scalars(select(TierMovement)).all() == []
    assert "abc by revenue" in run("tier", "primary").stdout
    # once the method has run, the switch goes through
    assert run(*asof, "tier", "--method", "pyramid").exit_code == 0
    assert run(*asof, "tier", "primary", "pyramid").exit_code == 0
    assert _in_force(demo)[lead] == "gold" and _in_force(demo) != before


def test_switching_primary_re_derives_and_records_movements(run, demo) -> None:
    asof = ("--as-of", NEW_YEAR_WEEK)
    run(*asof, "tier")
    run(*asof, "tier", "--method", "pyramid")
    abc, pyramid = _in_force(demo), _latest_snapshot(demo, "pyramid")
    due_abc = _due(run)
    result = run(*asof, "tier", "primary", "pyramid")
    assert result.exit_code == 0, result.output
    after = _in_force(demo)
    assert after == {code: pyramid.get(code) for code in abc}
    with Session(demo) as s:
        moves = {
            (m.customer_id, m.previous_tier, m.tier, m.method, str(m.changed_on))
            for m in s.scalars(select(TierMovement))
        }
        ids = dict(s.execute(select(Customer.code, Customer.id)).all())
    # one movement for every customer whose tier in force changed (A → platinum etc.: all tiered ones)
    expected = {
        (ids[code], abc[code], after[code], "pyramid", NEW_YEAR_WEEK)
        for code in abc
        if abc[code] != after[code]
    }
    assert moves == expected and len(expected) > 0
    # the digest reports the switch as tier movements (A → platinum is a change of family), and only the
    # primary method's: a pyramid run after the switch compares with the last one and adds nothing new here
    digest = run(*asof, "digest", "--format", "json", "--dry-run")
    changes = json.loads(digest.stdout)["tier_changes"]
    assert {r["method"] for r in changes} == {"pyramid"}
    assert {(r["customer_code"], r["previous_tier"], r["tier"]) for r in changes} == {
        (code, abc[code], after[code])
        for code in abc
        if abc[code] != after[code] and after[code] is not None
    }
    assert _due(run) != due_abc  # cadence days and festival tiers follow the pyramid now
    # a pyramid run is now in force, an abc run is not
    assert "unchanged" not in run(*asof, "tier", "--method", "pyramid").stderr
    assert "primary method is pyramid" in run(*asof, "tier", "--method", "abc").stderr
    assert _in_force(demo) == after
    # pins are per method: an abc pin does not touch the tier in force, a pyramid pin does
    code = next(c for c, t in after.items() if t == "lead")
    run("tier", "pin", code, "A")
    assert _in_force(demo)[code] == "lead"
    run("tier", "pin", code, "gold")
    assert _in_force(demo)[code] == "gold"
    run("tier", "unpin", code)  # back to what the latest pyramid run computed
    assert _in_force(demo)[code] == "lead"
    shown = json.loads(run("customer", "show", code, "--format", "json").stdout)
    assert shown["tiers"]["abc"] == "A" and shown["tiers"]["pyramid"] == "lead"


def test_upgrade_makes_the_primary_latest_run_the_tier_in_force(tmp_path: Path) -> None:
    """A 0005-era book whose last run was a pyramid: after the upgrade abc's latest run is in force."""
    db = tmp_path / "old.db"
    shutil.copy(FIXTURES / "0004.db", db)
    engine = make_engine(db, migrate=False)
    upgrade(
        engine, "0005"
    )  # a book as 0005 left it: an abc run, then a pyramid run wrote customer.tier
    with engine.begin() as conn:
        cid = conn.execute(text("SELECT id FROM customer ORDER BY id LIMIT 1")).scalar()
        for method, tier in (("abc", "B"), ("pyramid", "gold")):
            run_id = conn.execute(
                text(
                    "INSERT INTO tier_run (method, metric, window, by, as_of, parameters, created_at) "
                    "VALUES (:m, 'revenue', '12m', 'customer', '2026-11-01', '{}', '2026-11-01') "
                    "RETURNING id"
                ),
                {"m": method},
            ).scalar()
            conn.execute(
                text(
                    "INSERT INTO tier_snapshot (run_id, customer_id, tier, value, share, pinned) "
                    "VALUES (:r, :c, :t, 1, 1, 0)"
                ),
                {"r": run_id, "c": cid, "t": tier},
            )
        conn.execute(
            text("UPDATE customer SET tier = 'gold', tier_method = 'pyramid' WHERE id = :c"),
            {"c": cid},
        )
    engine.dispose()
    upgraded = make_engine(db)
    with upgraded.connect() as conn:
        tier, method = conn.execute(
            text("SELECT tier, tier_method FROM customer WHERE id = :c"), {"c": cid}
        ).one()
    assert (tier, method) == ("B", "abc")


def test_the_book_s_tier_changes_are_the_primary_method_s(run, demo) -> None:
    """The report's movements (key accounts lost, at-risk reasons) come from the primary method's last two runs
    only: two pyramid runs in between change nothing of them."""
    from kacrm.store.report_store import load_report_data

    for as_of in ("2026-05-20", "2026-11-20"):  # two abc runs half a year apart: customers move
        assert run("--as-of", as_of, "tier").exit_code == 0
    # expected, read independently from the two stored abc snapshots: (tier before, tier after) per customer
    with Session(demo) as s:
        old_run, new_run = s.scalars(
            select(TierRun.id).where(TierRun.method == "abc").order_by(TierRun.id)
        ).all()
        snaps = s.execute(
            select(TierSnapshot.run_id, TierSnapshot.customer_id, TierSnapshot.tier)
        ).all()
    old = {cid: tier for rid, cid, tier in snaps if rid == old_run}
    new = {cid: tier for rid, cid, tier in snaps if rid == new_run}
    expected = {cid: (old[cid], tier) for cid, tier in new.items() if cid in old}
    assert any(a != b for a, b in expected.values())  # the half year moved someone
    today = SAMPLE_TODAY
    assert load_report_data(demo, today, "abc")["tier_changes"] == expected
    for as_of in ("2026-05-20", "2026-11-20"):
        assert run("--as-of", as_of, "tier", "--method", "pyramid").exit_code == 0
    assert load_report_data(demo, today, "abc")["tier_changes"] == expected


def test_a_clv_look_says_that_win_back_now_uses_it(run, demo) -> None:
    """SPEC §8: the win-back rule reads p_alive "when a clv run exists", primary or not; a clv run that is only
    a look used to say only that the tier in force is unchanged, while `due` changed."""
    asof = ("--as-of", NEW_YEAR_WEEK)
    sentence = (
        "Win-back items in `kacrm due` (and `kacrm report churn`) now use this run's purchase "
        "probability: a customer with p_alive below 0.3 is listed for win-back."
    )

    def win_back() -> list[str]:
        listed = run(*asof, "due", "--kind", "win_back", "--format", "json")
        assert listed.exit_code == 0, listed.output
        return sorted(i["customer_code"] for i in json.loads(listed.stdout))

    before = win_back()
    for args in (["--method", "abc"], ["--method", "pyramid"], ["--method", "clv", "--dry-run"]):
        result = run(*asof, "tier", *args)
        assert result.exit_code == 0, result.output
        assert "Win-back" not in result.stderr
    assert win_back() == before  # a dry run stores nothing
    result = run(*asof, "tier", "--method", "clv")
    assert result.exit_code == 0, result.output
    assert "tier in force is unchanged" in result.stderr and sentence in result.stderr
    assert win_back() != before  # what the sentence tells
    zh = run(*asof, "--lang", "zh", "tier", "--method", "clv")
    assert "挽回事项" in zh.stderr and "现在采用本次运行的购买概率：p_alive 低于 0.3" in zh.stderr


def test_a_run_of_a_past_day_fills_history_and_leaves_the_tier_in_force(demo, run) -> None:
    """`tier --as-of` a quarter back, after today's run (README's movement recipe): stored, and `report
    movement` compares it with today's, but today's call list keeps today's tiers; a run of today (or later)
    sets them again."""
    assert run("--as-of", SAMPLE_TODAY.isoformat(), "tier").exit_code == 0
    today_tiers = _in_force(demo)
    today_run = _latest_snapshot(demo, "abc")
    assert today_tiers == {code: today_run.get(code) for code in today_tiers}
    back = run("--as-of", "2026-08-31", "tier")
    assert back.exit_code == 0, back.output
    assert "this run is of a day before the newest abc run (2026-11-20)" in " ".join(
        back.stderr.split()
    )
    past_run = _latest_snapshot(demo, "abc")  # the newest by id: the past day's
    assert past_run != today_run  # the quarter moved some customers, or the test proves nothing
    assert _in_force(demo) == today_tiers
    with Session(demo) as s:
        moved = s.scalars(
            select(TierMovement).where(TierMovement.changed_on == date(2026, 8, 31))
        ).all()
    assert moved == []  # no movement of the tier in force was recorded for the history run
    moved_days = json.loads(
        run("--as-of", SAMPLE_TODAY.isoformat(), "report", "movement", "-f", "json").stdout
    )
    assert sum(r["customers"] for r in moved_days if r["from_tier"] != r["to_tier"]) > 0
    again = run("--as-of", SAMPLE_TODAY.isoformat(), "tier")  # today's run again: in force, no note
    assert again.exit_code == 0 and "newest abc run" not in again.stderr


def test_the_primary_takes_the_metric_and_window_of_the_run_it_puts_in_force(demo, run) -> None:
    """`tier primary pyramid` after a pyramid run by profit over 24m: the tiers in force are that run's, so the
    primary is pyramid by profit, 24m (it said revenue, 12m, and the next `kacrm tier` recomputed by revenue); a
    metric or window given on the command line wins."""
    asof = ("--as-of", SAMPLE_TODAY.isoformat())
    assert (
        run(*asof, "tier", "--method", "pyramid", "--metric", "profit", "--window", "24m").exit_code
        == 0
    )
    switched = run(*asof, "tier", "primary", "pyramid")
    assert switched.exit_code == 0, switched.output
    assert "pyramid by profit, window 24m" in " ".join(switched.stderr.split())
    assert "pyramid by profit, window 24m" in run("tier", "primary").stdout
    profit_run = _latest_snapshot(demo, "pyramid")
    assert _in_force(demo) == {code: profit_run.get(code) for code in _in_force(demo)}
    bare = run(
        *asof, "tier", "-f", "json"
    )  # the primary's own run: same metric, so no customer moves
    assert bare.exit_code == 0, bare.output
    assert all(row["tier"] == row["previous_tier"] for row in json.loads(bare.stdout))
    named = run(*asof, "tier", "primary", "pyramid", "--metric", "revenue")
    assert "pyramid by revenue, window 24m" in " ".join(named.stderr.split())


def test_a_history_run_is_no_baseline_for_today_s_and_today_s_none_for_it(demo, run) -> None:
    """Runs of 11-20 (#1) and then, as history, of 06-30 (#2): a run of 11-27 compares with #1, the newest run
    dated up to its day, not with #2, the newest stored; and #2 compared with nothing dated up to 06-30."""
    today = ("--as-of", SAMPLE_TODAY.isoformat())
    first = json.loads(run(*today, "tier", "-f", "json").stdout)
    history = run("--as-of", "2026-06-30", "tier", "-f", "json")
    assert history.exit_code == 0, history.output
    assert all(row["previous_tier"] is None for row in json.loads(history.stdout))
    later = json.loads(run("--as-of", "2026-11-27", "tier", "--dry-run", "-f", "json").stdout)
    in_first = {row["customer_code"]: row["tier"] for row in first}
    assert {row["customer_code"]: row["previous_tier"] for row in later} == {
        row["customer_code"]: in_first.get(row["customer_code"]) for row in later
    }
    june = {row["customer_code"]: row["tier"] for row in json.loads(history.stdout)}
    assert june != in_first  # the two baselines differ, or this test proves nothing

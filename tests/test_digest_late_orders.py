"""A key account's order imported after the digest of its date ran is a late arrival: the next digest of the same
recipient and scope reports it among new_orders (SPEC §10: everything since the last successful digest), once,
in every format; an old order amended by a re-import is not new. The field test's repro: C1 (¥100,000, tier A)
and C2 (¥1,000), digests of 11-23 … 11-29, then A3 (C1, dated 11-25, ¥500,000) imported on 11-30: no digest
showed it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import Session
from test_team_digest import BOSS, LN, ZW, config, smtp, team  # noqa: F401 (fixtures)

from kacrm.store.clock import utcnow
from kacrm.store.models import Customer, DigestRun

CUSTOMERS = "客户编号,客户名称,负责人\nC1,甲公司,张伟\nC2,乙公司,李娜\n"
FIRST = "订单号,客户编号,日期,金额\nA1,C1,2026-10-01,100000\nA2,C2,2026-10-01,1000\n"
LATE = "订单号,客户编号,日期,金额\nA3,C1,2026-11-25,500000\n"


def _file(tmp_path: Path, name: str, body: str) -> str:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return str(path)


def _ok(result):
    assert result.exit_code == 0, result.output
    return result


def _digest(run, tmp_path: Path, day: str, *options: str) -> dict:
    out = tmp_path / f"d{day}-{len(options)}.json"
    _ok(run("--as-of", day, "digest", "-f", "json", "-o", str(out), *options))
    return json.loads(out.read_text(encoding="utf-8"))


def _numbers(digest: dict) -> list[str]:
    return [o["order_no"] for o in digest["new_orders"]]


@pytest.fixture
def week(run, tmp_path: Path):
    """The repro's book, tiered on 11-23, with a file digest every day 11-23 … 11-29."""
    files = [_file(tmp_path, "c.csv", CUSTOMERS), _file(tmp_path, "o1.csv", FIRST)]
    _ok(run("--as-of", "2026-11-23", "import", *files))
    _ok(run("--as-of", "2026-11-23", "tier"))
    for day in range(23, 30):
        assert _numbers(_digest(run, tmp_path, f"2026-11-{day}")) == []
    return run


def test_a_late_order_is_in_the_next_digest_once(week, tmp_path: Path) -> None:
    run = week
    _ok(run("--as-of", "2026-11-30", "import", _file(tmp_path, "o2.csv", LATE)))
    # the preview reads as the read commands do (on SQLite the stdlib driver) and claims nothing
    preview = _digest(run, tmp_path, "2026-11-30", "--dry-run")
    assert (preview["period_start"], _numbers(preview)) == ("2026-11-30", ["A3"])
    d30 = _digest(run, tmp_path, "2026-11-30")
    assert (d30["period_start"], d30["period_end"]) == ("2026-11-30", "2026-11-30")
    assert d30["new_orders"] == [
        {
            "order_no": "A3",
            "order_date": "2026-11-25",
            "customer_code": "C1",
            "customer_name": "甲公司",
            "tier": "A",
            "amount": 500000.0,
            "product": None,
        }
    ]
    assert _numbers(_digest(run, tmp_path, "2026-12-01")) == []  # once


def test_a_late_order_in_every_format(week, tmp_path: Path) -> None:
    run = week
    _ok(run("--as-of", "2026-11-30", "import", _file(tmp_path, "o2.csv", LATE)))
    for fmt in ("text", "md", "html"):
        out = tmp_path / f"d30.{fmt}"
        _ok(run("--as-of", "2026-11-30", "digest", "-f", fmt, "-o", str(out)))
        shown = out.read_text(encoding="utf-8")
        # A3 is also in the due list (a thank-you call): the section and the summary must count it
        assert "New orders from key accounts (1)" in shown, fmt
        assert "1 new key order" in shown, fmt


def test_a_late_order_in_its_owners_digest_only(week, tmp_path: Path) -> None:
    """An owner's digest keeps its own record: 张伟's first digest on 11-29, A3 (his C1's) imported after it,
    is in his digest of 11-30 and not in 李娜's."""
    run = week
    assert _numbers(_digest(run, tmp_path, "2026-11-29", "--owner", "张伟")) == []
    assert _numbers(_digest(run, tmp_path, "2026-11-29", "--owner", "李娜")) == []
    _ok(run("--as-of", "2026-11-30", "import", _file(tmp_path, "o2.csv", LATE)))
    assert _numbers(_digest(run, tmp_path, "2026-11-30", "--owner", "张伟")) == ["A3"]
    assert _numbers(_digest(run, tmp_path, "2026-11-30", "--owner", "李娜")) == []


def test_imported_the_same_day_after_that_days_digest(week, tmp_path: Path) -> None:
    """The cron case: the 11-30 digest runs at 8:00, the ERP export of 10:00 (the same day) brings A3: the
    clock, not the day, tells that the 11-30 digest could not show it, so the 12-01 one does."""
    run = week
    assert _numbers(_digest(run, tmp_path, "2026-11-30")) == []
    _ok(run("--as-of", "2026-11-30", "import", _file(tmp_path, "o2.csv", LATE)))
    assert _numbers(_digest(run, tmp_path, "2026-12-01")) == ["A3"]


def test_an_amended_old_order_is_not_new(week, tmp_path: Path) -> None:
    """A1 (dated 10-01, imported before every digest) comes again with another amount, beside the late A3: the
    amendment is not a new order, A3 is."""
    run = week
    amended = LATE + "A1,C1,2026-10-01,120000\n"
    result = _ok(
        run("--as-of", "2026-11-30", "import", "-f", "json", _file(tmp_path, "a.csv", amended))
    )
    assert [json.loads(result.stdout)[0][k] for k in ("inserted", "updated")] == [1, 1]
    assert _numbers(_digest(run, tmp_path, "2026-11-30")) == ["A3"]


def test_no_late_arrival_before_a_first_digest(run, tmp_path: Path) -> None:
    """A recipient's first digest covers only its day: orders dated before it are history, not news."""
    files = [_file(tmp_path, "c.csv", CUSTOMERS), _file(tmp_path, "o1.csv", FIRST)]
    _ok(run("--as-of", "2026-11-23", "import", *files))
    _ok(run("--as-of", "2026-11-23", "tier"))
    _ok(run("--as-of", "2026-11-30", "import", _file(tmp_path, "o2.csv", LATE)))
    assert _numbers(_digest(run, tmp_path, "2026-11-30")) == []


def test_a_late_order_in_the_team_digest(run, engine, team, config, smtp, tmp_path: Path) -> None:
    """`digest --team`: 张伟 (T1, made a key account here) gets T1's late order, and so does the manager's whole
    book; 李娜's digest has none. Their previous digests are the team run of 11-22."""
    with Session(engine) as s:
        s.exec(update(Customer).where(Customer.code == "T1").values(tier="A"))
        s.commit()
    head = ("--config", str(config))
    _ok(run(*head, "--as-of", "2026-11-22", "digest", "--team", "--email", BOSS))
    late = "订单号,客户编号,日期,金额\nL1,T1,2026-11-21,8000\n"
    _ok(run("--as-of", "2026-11-23", "import", _file(tmp_path, "late.csv", late)))
    _ok(run(*head, "--as-of", "2026-11-23", "digest", "--team", "--email", BOSS))
    got = {m["To"]: m.get_body(("plain",)).get_content() for m in smtp.messages[3:]}
    assert sorted(got) == sorted([BOSS, LN, ZW])
    for to, count in ((ZW, 1), (BOSS, 1), (LN, 0)):
        assert f"New orders from key accounts ({count})" in got[to], to


def test_an_address_continuing_the_old_email_record(
    run, engine, team, config, smtp, tmp_path: Path
) -> None:
    """A book of schema 0005 and before kept one email record (recipient ''): an address with no run of its own
    continues it, for its period and for its late arrivals alike."""
    started = utcnow()
    with Session(engine) as s:
        s.exec(update(Customer).where(Customer.code == "T1").values(tier="A"))
        d = date.fromisoformat("2026-11-22")
        s.add(
            DigestRun(
                period_start=d, period_end=d, channel="email", status="sent", started_at=started
            )
        )
        s.commit()
    late = "订单号,客户编号,日期,金额\nL1,T1,2026-11-21,8000\n"
    _ok(run("--as-of", "2026-11-23", "import", _file(tmp_path, "late.csv", late)))
    _ok(run("--config", str(config), "--as-of", "2026-11-23", "digest", "--email", BOSS))
    body = smtp.messages[-1].get_body(("plain",)).get_content()
    assert "covers 2026-11-23 to 2026-11-23" in body
    assert "New orders from key accounts (1)" in body

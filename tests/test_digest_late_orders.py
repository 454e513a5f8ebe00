"""A key account's order imported after the digest of its date ran is a late arrival: the next digest of the same
recipient and scope reports it among new_orders (SPEC §10: everything since the last successful digest), once,
in every format; an old order amended by a re-import is not new. The field test's repro: C1 (¥100,000, tier A)
and C2 (¥1,000), digests of 11-23 … 11-29, then A3 (C1, dated 11-25, ¥500,000) imported on 11-30: no digest
showed it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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
        assert "A3" in out.read_text(encoding="utf-8"), fmt


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
    """A1 (dated 10-01, imported before every digest) comes again with another amount: an amendment, not a new
    order."""
    run = week
    amended = "订单号,客户编号,日期,金额\nA1,C1,2026-10-01,120000\n"
    summary = json.loads(
        _ok(
            run("--as-of", "2026-11-30", "import", "-f", "json", _file(tmp_path, "a.csv", amended))
        ).stdout
    )
    assert summary[0]["updated"] == 1
    assert _numbers(_digest(run, tmp_path, "2026-11-30")) == []


def test_no_late_arrival_before_a_first_digest(run, tmp_path: Path) -> None:
    """A recipient's first digest covers only its day: orders dated before it are history, not news."""
    files = [_file(tmp_path, "c.csv", CUSTOMERS), _file(tmp_path, "o1.csv", FIRST)]
    _ok(run("--as-of", "2026-11-23", "import", *files))
    _ok(run("--as-of", "2026-11-23", "tier"))
    _ok(run("--as-of", "2026-11-30", "import", _file(tmp_path, "o2.csv", LATE)))
    assert _numbers(_digest(run, tmp_path, "2026-11-30")) == []

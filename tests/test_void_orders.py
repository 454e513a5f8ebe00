"""An order an ERP voided or cancelled (单据状态 作废, 已取消, void…) counts nowhere: the importer does not store
it, and a re-import that marks a stored order void removes it with its payment plan; a payment naming it stays
(the money was received) and settles the customer's other orders or remains their credit. The field test's
repro: a voided ¥80,000 order showed as ¥80,000 outstanding, overdue, big debtor, with a dunning letter and a
satisfaction call in `due`. Amounts below are in yuan, worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from kacrm.store.engine import make_engine
from kacrm.values import is_void_order_status

TODAY = "2026-11-30"
CUSTOMERS = "客户编号,客户名称\nC1,甲公司\n"
HEADER = "单据编号,单据日期,客户,价税合计,单据状态\n"


def _file(tmp_path: Path, name: str, body: str) -> str:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return str(path)


def _json(result) -> object:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    "status",
    [
        "作废",
        "已作废",
        "作废单",
        "取消",
        "已取消",
        "void",
        "Voided",
        " CANCELLED ",
        "canceled",
        "ＶＯＩＤ",
    ],
)
def test_void_spellings(status: str) -> None:
    assert is_void_order_status(status)


@pytest.mark.parametrize("status", ["关闭", "已关闭", "已审核", "审核", "撤销", "closed", "", None])
def test_not_void(status: str | None) -> None:
    """关闭 in 金蝶 is an order closed because it is complete: it counts."""
    assert not is_void_order_status(status)


def test_a_voided_order_counts_nowhere(run, tmp_path: Path) -> None:
    customers = _file(tmp_path, "c.csv", CUSTOMERS)
    orders = _file(tmp_path, "o.csv", HEADER + "XS-1,2026-10-02,甲公司,80000,作废\n")
    result = run("--as-of", TODAY, "import", "-f", "json", customers, orders)
    summary = _json(result)[1]
    assert [summary[k] for k in ("rows_read", "inserted", "updated", "unchanged")] == [1, 0, 0, 0]
    assert (
        "o.csv: 1 voided or cancelled order row(s) (作废/已取消/void) not imported\n"
        in result.stderr
    )
    assert _json(run("--as-of", TODAY, "credit", "-f", "json")) == []
    assert _json(run("--as-of", TODAY, "due", "-f", "json")) == []
    card = _json(run("--as-of", TODAY, "customer", "show", "C1", "-f", "json"))
    assert (card["orders"], card["revenue"], card["outstanding"]) == (0, 0, 0)


def test_a_closed_order_still_counts(run, tmp_path: Path) -> None:
    customers = _file(tmp_path, "c.csv", CUSTOMERS)
    orders = _file(tmp_path, "o.csv", HEADER + "XS-1,2026-10-02,甲公司,80000,关闭\n")
    result = run("--as-of", TODAY, "import", "-f", "json", customers, orders)
    assert _json(result)[1]["inserted"] == 1
    assert "voided" not in result.stderr
    card = _json(run("--as-of", TODAY, "customer", "show", "C1", "-f", "json"))
    assert (card["orders"], card["revenue"]) == (1, 80000)


def test_a_reimport_that_voids_a_stored_order_removes_it(run, db_url: str, tmp_path: Path) -> None:
    """XS-1 ¥80,000 and XS-2 ¥20,000 on file, P1 ¥30,000 naming XS-1, a plan of two instalments for XS-1. The
    ERP's next export says XS-1 作废: XS-1 and its plan go, P1 stays and settles XS-2 (¥20,000), leaving
    ¥10,000 of credit: outstanding 20,000 − 30,000 = −10,000."""
    customers = _file(tmp_path, "c.csv", CUSTOMERS)
    first = HEADER + "XS-1,2026-10-02,甲公司,80000,已审核\nXS-2,2026-10-03,甲公司,20000,已审核\n"
    payments = "收款单号,客户,回款日期,回款金额,订单号\nP1,甲公司,2026-10-05,30000,XS-1\n"
    plan = (
        "订单号,期数,计划回款日期,计划回款金额\nXS-1,1,2026-11-01,40000\nXS-1,2,2026-12-01,40000\n"
    )
    files = [
        _file(tmp_path, "o1.csv", first),
        _file(tmp_path, "p.csv", payments),
        _file(tmp_path, "plan.csv", plan),
    ]
    assert run("--as-of", TODAY, "import", customers, *files).exit_code == 0
    card = _json(run("--as-of", TODAY, "customer", "show", "C1", "-f", "json"))
    assert (card["orders"], card["outstanding"]) == (2, 70000)

    again = HEADER + "XS-1,2026-10-02,甲公司,80000,作废\nXS-2,2026-10-03,甲公司,20000,已审核\n"
    result = run("--as-of", TODAY, "import", _file(tmp_path, "o2.csv", again))
    assert result.exit_code == 0, result.output
    assert "1 voided or cancelled order row(s)" in result.stderr
    assert "1 of them were on file and are removed" in result.stderr
    card = _json(run("--as-of", TODAY, "customer", "show", "C1", "-f", "json"))
    assert (card["orders"], card["revenue"], card["paid"], card["outstanding"]) == (
        1,
        20000,
        30000,
        -10000,
    )
    assert _json(run("--as-of", TODAY, "credit", "-f", "json"))[0]["overdue"] == 0
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            left = conn.execute(text("SELECT COUNT(*) FROM payment_schedule")).scalar_one()
            orders = conn.execute(text("SELECT order_no FROM orders")).scalars().all()
    finally:
        engine.dispose()
    assert (left, orders) == (0, ["XS-2"])
    # the same file again: the void row still counts as voided, nothing left to remove
    result = run("--as-of", TODAY, "import", "-f", "json", _file(tmp_path, "o3.csv", again))
    assert [_json(result)[0][k] for k in ("inserted", "updated", "unchanged")] == [0, 0, 1]
    assert "1 voided or cancelled order row(s)" in result.stderr
    assert "on file" not in result.stderr


def test_a_dry_run_removes_nothing(run, tmp_path: Path) -> None:
    customers = _file(tmp_path, "c.csv", CUSTOMERS)
    orders = _file(tmp_path, "o1.csv", HEADER + "XS-1,2026-10-02,甲公司,80000,\n")
    assert run("--as-of", TODAY, "import", customers, orders).exit_code == 0
    voided = _file(tmp_path, "o2.csv", HEADER + "XS-1,2026-10-02,甲公司,80000,void\n")
    result = run("--as-of", TODAY, "import", "--dry-run", voided)
    assert result.exit_code == 0, result.output
    assert "1 of them are on file and would be removed (dry run)" in result.stderr
    assert "are removed" not in result.stderr
    card = _json(run("--as-of", TODAY, "customer", "show", "C1", "-f", "json"))
    assert card["orders"] == 1


def test_the_note_in_chinese(run, tmp_path: Path) -> None:
    customers = _file(tmp_path, "c.csv", CUSTOMERS)
    orders = _file(tmp_path, "o1.csv", HEADER + "XS-1,2026-10-02,甲公司,80000,已审核\n")
    assert run("--as-of", TODAY, "import", customers, orders).exit_code == 0
    voided = _file(tmp_path, "o2.csv", HEADER + "XS-1,2026-10-02,甲公司,80000,已取消\n")
    result = run("--lang", "zh", "--as-of", TODAY, "import", voided)
    assert result.exit_code == 0, result.output
    assert (
        "o2.csv：1 行已作废或已取消的订单未导入；其中 1 张订单原已导入，现已删除" in result.stderr
    )


def test_a_void_row_without_an_order_number(run, tmp_path: Path) -> None:
    """A file without order numbers keys its rows by their content (status included): the void row is not
    stored, the other one is."""
    customers = _file(tmp_path, "c.csv", CUSTOMERS)
    body = "单据日期,客户,价税合计,单据状态\n2026-10-02,甲公司,80000,作废\n2026-10-03,甲公司,500,\n"
    result = run(
        "--as-of", TODAY, "import", "-f", "json", customers, _file(tmp_path, "o.csv", body)
    )
    assert [_json(result)[1][k] for k in ("rows_read", "inserted")] == [2, 1]
    assert "1 voided or cancelled order row(s)" in result.stderr
    card = _json(run("--as-of", TODAY, "customer", "show", "C1", "-f", "json"))
    assert (card["orders"], card["revenue"]) == (1, 500)


def test_a_void_row_naming_another_customer_s_order_is_a_bad_row(run, tmp_path: Path) -> None:
    """XS-1 is C1's; a file says XS-1 of C2 is void: C1's order must not go (a number another system reused, or
    a typo). Refused as a payment naming another customer's order is, naming both customers; nothing removed."""
    customers = _file(tmp_path, "c.csv", CUSTOMERS + "C2,乙公司\n")
    orders = _file(tmp_path, "o1.csv", HEADER + "XS-1,2026-10-02,甲公司,80000,已审核\n")
    assert run("--as-of", TODAY, "import", customers, orders).exit_code == 0
    voided = _file(tmp_path, "o2.csv", HEADER + "XS-1,2026-10-02,乙公司,80000,作废\n")
    result = run("--as-of", TODAY, "import", voided)
    assert result.exit_code == 3
    assert (
        "row 2, column '单据编号': 'XS-1': order XS-1 is customer C1's, not C2's: a voided row removes its "
        "own customer's order only" in " ".join(result.stderr.split())
    )
    card = _json(run("--as-of", TODAY, "customer", "show", "C1", "-f", "json"))
    assert (card["orders"], card["outstanding"]) == (1, 80000)
    # its own customer's void row still removes it
    own = _file(tmp_path, "o3.csv", HEADER + "XS-1,2026-10-02,甲公司,80000,作废\n")
    assert run("--as-of", TODAY, "import", own).exit_code == 0
    assert _json(run("--as-of", TODAY, "customer", "show", "C1", "-f", "json"))["orders"] == 0

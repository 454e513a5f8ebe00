"""Round 11: one due-date rule for every order (docs/credit.md "Due date").

An orders file's due date (到期日) is stored and kept; an order without one falls due by the customer's payment
terms in force, read when the ledger is built, whoever's terms and whenever they change. A first version stored
order date + terms at import for customers whose file row had terms (C1 below) and nothing for the others (C3),
so `credit set --terms` moved C3's orders at once and C1's only when the unchanged orders file was re-imported
("updated"). Expected values are worked out by hand in each test.
"""

from __future__ import annotations

import json
from pathlib import Path

CUSTOMERS = "客户编号,客户名称,账期\nC1,甲机电有限公司,30\nC3,丙科技有限公司,\n"
ORDERS = (
    "订单号,客户编号,日期,金额,到期日\n"
    "A2,C1,2026-03-01,12000,\n"
    "A3,C1,2026-05-20,3000,2026-07-15\n"
    "K1,C3,2026-05-25,4800,\n"
)
DAY = ("--as-of", "2026-07-07")


def _book(run, tmp_path: Path) -> Path:
    (tmp_path / "客户.csv").write_text(CUSTOMERS, encoding="utf-8")
    orders = tmp_path / "订单.csv"
    orders.write_text(ORDERS, encoding="utf-8")
    done = run(*DAY, "import", str(tmp_path / "客户.csv"), str(orders))
    assert done.exit_code == 0, done.stderr
    return orders


def _aging(run) -> dict[str, dict[str, float]]:
    result = run(*DAY, "credit", "aging", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return {row["customer_code"]: row for row in json.loads(result.stdout)}


def _buckets(row: dict[str, float]) -> dict[str, float]:
    return {
        k: v for k, v in row.items() if v and k not in ("customer_code", "customer_name", "total")
    }


def test_first_import_dates_orders_as_before(run, tmp_path: Path) -> None:
    """C1 (30 days): A2 due 03-01 + 30 = 03-31, 98 days past due on 07-07 (31 + 30 + 31 + 6) → d91_180; A3
    due 07-15 as its file says → not due. C3 (no terms: default 30): K1 due 05-25 + 30 = 06-24, 13 days."""
    _book(run, tmp_path)
    aging = _aging(run)
    assert _buckets(aging["C1"]) == {"not_due": 3000.0, "d91_180": 12000.0}
    assert _buckets(aging["C3"]) == {"d1_30": 4800.0}
    listed = json.loads(run(*DAY, "credit", "--format", "json").stdout)
    assert {r["customer_code"]: r["oldest_overdue_days"] for r in listed} == {"C1": 98, "C3": 13}


def test_new_terms_redate_every_order_without_its_own_due_date(run, tmp_path: Path) -> None:
    """Terms of 60 for both: A2 due 03-01 + 60 = 04-30, 68 days past due on 07-07 (31 + 30 + 7) → d61_90; A3
    keeps the 07-15 its file gave; K1 due 05-25 + 60 = 07-24 → not due. Each set re-dates one open order."""
    orders = _book(run, tmp_path)
    c1 = run(*DAY, "credit", "set", "C1", "--terms", "60", "--note", "new terms")
    c3 = run(*DAY, "--lang", "zh", "credit", "set", "C3", "--terms", "60", "--note", "新账期")
    assert c1.exit_code == 0 and c3.exit_code == 0, c1.stderr + c3.stderr
    assert "1 open order(s) of C1 without a due date of their own now fall due 60 days" in c1.stderr
    assert "C3 有 1 笔未结清且无自带到期日的订单，现按订单日期后 60 天到期" in c3.stderr
    after = _aging(run)
    assert _buckets(after["C1"]) == {"not_due": 3000.0, "d61_90": 12000.0}
    assert _buckets(after["C3"]) == {"not_due": 4800.0}

    again = run(*DAY, "import", str(orders), "--format", "json")
    assert again.exit_code == 0, again.stderr
    [summary] = json.loads(again.stdout)
    assert (summary["inserted"], summary["updated"], summary["unchanged"]) == (0, 0, 3)
    assert _aging(run) == after


def test_cash_terms_date_orders_on_their_day_in_the_due_list_too(run, tmp_path: Path) -> None:
    """Terms of 0 days (cash) are terms, not their absence: Z1 of 07-01 falls due on 07-01, 6 days past due on
    07-07, in the due list as in the credit ledger (a first version of the due list took 0 for "no terms" and
    dated it 30 days later, hidden while the importer stored the due date)."""
    (tmp_path / "c.csv").write_text("客户编号,客户名称,账期\nZ0,现款客户,0\n", encoding="utf-8")
    (tmp_path / "o.csv").write_text(
        "订单号,客户编号,日期,金额\nZ1,Z0,2026-07-01,500\n", encoding="utf-8"
    )
    assert run(*DAY, "import", str(tmp_path / "c.csv"), str(tmp_path / "o.csv")).exit_code == 0
    due = json.loads(run(*DAY, "due", "--format", "json").stdout)
    [item] = [row for row in due if row["id"] == "col-Z1"]
    assert (item["event_on"], item["overdue_days"]) == ("2026-07-01", 6)
    assert _buckets(_aging(run)["Z0"]) == {"d1_30": 500.0}

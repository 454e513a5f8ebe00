"""A payment's order reference (SPEC §3, §5): a payment that names another customer's order is a bad row."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from sqlalchemy import text

from kacrm.store.engine import make_engine

CUSTOMERS = "code,name\nKH1,甲公司\nKH2,乙公司\n"
# SO-1 is KH2's; SO-2 is KH1's
ORDERS = (
    "order_no,customer_code,order_date,amount\nSO-1,KH2,2026-01-05,1000\nSO-2,KH1,2026-01-06,500\n"
)
# row 2 names KH2's order for a payment of KH1; row 3 KH1's own order; row 4 an order nobody has
PAYMENTS = (
    "回款单号,客户编号,源单号,回款日期,金额\n"
    "P1,KH1,SO-1,2026-02-01,300\n"
    "P2,KH1,SO-2,2026-02-02,200\n"
    "P3,KH1,SO-9,2026-02-03,100\n"
)


def _files(tmp_path: Path, payments: str = PAYMENTS) -> tuple[Path, Path, Path]:
    paths = []
    for name, body in (("c.csv", CUSTOMERS), ("o.csv", ORDERS), ("p.csv", payments)):
        path = tmp_path / name
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1], paths[2]


def _payments(db_url: str) -> list[tuple[str, str, str | None]]:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            sql = (
                "SELECT p.payment_no, c.code, p.order_no FROM payment p "
                "JOIN customer c ON c.id = p.customer_id ORDER BY p.payment_no"
            )
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()


def test_a_payment_naming_a_stored_order_of_another_customer_is_refused(
    run, db_url: str, tmp_path: Path
) -> None:
    customers, orders, payments = _files(tmp_path)
    assert run("import", str(customers), str(orders)).exit_code == 0
    result = run("import", str(payments))
    assert result.exit_code == 3, result.stderr
    line = next(x for x in result.stderr.splitlines() if "row 2" in x)
    assert "p.csv" in line and "column '源单号': 'SO-1'" in line
    assert "order SO-1 is customer KH2's, not this payment's customer KH1's" in line
    assert "row 3" not in result.stderr and "row 4" not in result.stderr  # own order; unknown order
    assert _payments(db_url) == []  # atomic: nothing written


def test_an_order_of_the_same_import_counts_and_chinese_names_the_two_customers(
    run, db_url: str, tmp_path: Path
) -> None:
    customers, orders, payments = _files(tmp_path)
    result = run("--lang", "zh", "import", str(customers), str(orders), str(payments))
    assert result.exit_code == 3, result.stderr
    line = next(x for x in result.stderr.splitlines() if "第 2 行" in x)
    assert "p.csv" in line and "源单号" in line and "SO-1" in line
    assert "订单 SO-1 属于客户 KH2，不属于本笔回款的客户 KH1" in line
    assert _payments(db_url) == []


def test_skip_leaves_the_payment_out_and_in_the_rejects_file(
    run, db_url: str, tmp_path: Path
) -> None:
    customers, orders, payments = _files(tmp_path)
    rejects = tmp_path / "bad.csv"
    args = ["import", str(customers), str(orders), str(payments), "--on-error", "skip"]
    result = run(*args, "--rejects", str(rejects), "--format", "json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)[2]
    assert (summary["rows_read"], summary["inserted"], summary["rejected"]) == (3, 2, 1)
    # the unknown order is kept as today: the ledger settles KH1's oldest open order with it
    assert _payments(db_url) == [("P2", "KH1", "SO-2"), ("P3", "KH1", "SO-9")]
    with rejects.open(encoding="utf-8-sig") as fh:
        [row] = list(csv.DictReader(fh))
    assert (row["回款单号"], row["row"]) == ("P1", "2")
    assert "SO-1" in row["reason"] and "KH2" in row["reason"]


def test_a_file_without_payment_numbers_is_checked_too(run, db_url: str, tmp_path: Path) -> None:
    """Rows keyed by their content are checked whole, not chunk by chunk: the same rule."""
    body = "客户名称,源单号,回款日期,金额\n乙公司,SO-2,2026-02-01,50\n乙公司,SO-1,2026-02-01,60\n"
    customers, orders, payments = _files(tmp_path, body)
    assert run("import", str(customers), str(orders)).exit_code == 0
    result = run("import", str(payments))
    assert result.exit_code == 3
    assert "row 2, column '源单号': 'SO-2'" in result.stderr
    assert "order SO-2 is customer KH1's, not this payment's customer KH2's" in result.stderr
    assert "row 3" not in result.stderr


def test_a_payments_file_given_before_the_orders_file_is_checked_against_them(
    run, db_url: str, tmp_path: Path
) -> None:
    """`kacrm import *.csv` lists 回款.csv before 订单.csv: the payments are checked after the orders."""
    customers, orders, payments = _files(tmp_path)
    assert run("import", str(customers)).exit_code == 0
    result = run("import", str(payments), str(orders))
    assert result.exit_code == 3
    assert "order SO-1 is customer KH2's, not this payment's customer KH1's" in result.stderr
    good = tmp_path / "good.csv"
    good.write_text(PAYMENTS.replace("P1,KH1,SO-1", "P1,KH2,SO-1"), encoding="utf-8")
    result = run("import", str(good), str(orders), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert [(s["kind"], s["inserted"]) for s in json.loads(result.stdout)] == [
        ("orders", 2),
        ("payments", 3),
    ]
    assert _payments(db_url)[0] == ("P1", "KH2", "SO-1")

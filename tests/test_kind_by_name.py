"""A file whose name and headers both say orders (or contacts) but whose amount (or person) column has a header
kacrm does not know is that kind with a column missing: refused, naming it, and never read as a customers file
that overwrites the customers' names and phones (a 用友 sales-order list headed 原币价税合计, a contact list headed
对接人: a new user's first hour)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kacrm.cli.app import app
from kacrm.io.headers import detect_kind

CUSTOMERS = (
    "客户编码,客户名称,客户简称,联系电话\n01001,杭州西湖电子有限公司,西湖电子,0571-88886666\n"
)


def _book(tmp_path: Path) -> Path:
    db = tmp_path / "book.db"
    (tmp_path / "客户档案.csv").write_text(CUSTOMERS, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["--db", str(db), "init"]).exit_code == 0
    result = runner.invoke(app, ["--db", str(db), "import", str(tmp_path / "客户档案.csv")])
    assert result.exit_code == 0, result.output
    return db


def _customers(db: Path) -> list[tuple[str, str, str]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("SELECT code, name, phone FROM customer ORDER BY code").fetchall()


@pytest.mark.parametrize(
    ("name", "text", "missing"),
    [
        (
            "销售订单列表.csv",
            "单据日期,单据编号,客户编码,客户名称,原币价税合计\n2026-11-05,XSDD-0901,01001,西湖电子,1000\n",
            "amount",
        ),
        (
            "联系人名单.csv",
            "客户编码,客户名称,对接人,手机\n01001,西湖电子,孙立,13900001111\n",
            "name",
        ),
    ],
)
def test_a_named_file_missing_its_column_is_refused_and_changes_no_customer(
    tmp_path: Path, name: str, text: str, missing: str
) -> None:
    db = _book(tmp_path)
    before = _customers(db)
    assert [(code, name) for code, name, _phone in before] == [("01001", "杭州西湖电子有限公司")]
    (tmp_path / name).write_text(text, encoding="utf-8")

    result = CliRunner().invoke(app, ["--db", str(db), "import", str(tmp_path / name)])

    assert result.exit_code == 1, result.output
    assert f"no column for {missing}" in result.output
    assert name in result.output
    assert _customers(db) == before


def test_the_name_does_not_turn_a_complete_customers_file_into_orders() -> None:
    # 销售 names orders, but a customers file has none of an order's columns: it stays customers
    headers = ["客户编码", "客户名称", "地址", "行业", "信用额度"]
    assert detect_kind(headers, file="销售部客户档案.csv") == "customers"
    # without a telling name the headers decide as before
    assert detect_kind(["客户编码", "客户名称", "对接人", "手机"], file="名单.csv") == "customers"


def test_files_of_one_import_are_written_customers_first_and_payments_last(tmp_path: Path) -> None:
    """`kacrm import 回款.csv 销售订单.csv 客户档案.csv` (as a shell's * lists them): the customers are known to the
    orders and the orders to the payment that names them, whatever order the files are given in."""
    (tmp_path / "回款.csv").write_text(
        "回款单号,客户编码,订单编号,回款日期,回款金额\nSK-1,01001,XSDD-1,2026-11-10,400\n",
        encoding="utf-8",
    )
    (tmp_path / "销售订单.csv").write_text(
        "单据编号,单据日期,客户编码,价税合计\nXSDD-1,2026-11-05,01001,1000\n", encoding="utf-8"
    )
    (tmp_path / "客户档案.csv").write_text(CUSTOMERS, encoding="utf-8")
    db = tmp_path / "new.db"
    files = [str(tmp_path / n) for n in ("回款.csv", "销售订单.csv", "客户档案.csv")]

    result = CliRunner().invoke(app, ["--db", str(db), "import", *files, "--format", "json"])

    assert result.exit_code == 0, result.output
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT COUNT(*) FROM customer").fetchone()[0] == 1
        assert conn.execute("SELECT order_no, amount_cents FROM orders").fetchall() == [
            ("XSDD-1", 100000)
        ]
        assert conn.execute(
            "SELECT payment_no, order_no, amount_cents FROM payment"
        ).fetchall() == [("SK-1", "XSDD-1", 40000)]


def test_excel_lock_files_are_skipped_with_a_note_and_alone_refused(tmp_path: Path) -> None:
    """`kacrm import *.xlsx` beside a workbook open in Excel picks up its lock file ~$客户档案.xlsx (165 bytes of
    owner name, no workbook): skipped with a note, not the whole import refused; given alone, refused naming the
    workbook to import instead."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["客户编码", "客户名称"])
    book.active.append(["01001", "杭州西湖电子有限公司"])
    book.save(tmp_path / "客户档案.xlsx")
    (tmp_path / "~$客户档案.xlsx").write_bytes(b"\x05me    " + b"\x00" * 150)
    db = tmp_path / "book.db"
    runner = CliRunner()

    both = runner.invoke(
        app,
        [
            "--db",
            str(db),
            "import",
            str(tmp_path / "~$客户档案.xlsx"),
            str(tmp_path / "客户档案.xlsx"),
        ],
    )
    assert both.exit_code == 0, both.output
    assert (
        f"Skipped {tmp_path / '~$客户档案.xlsx'}: Excel's lock file of 客户档案.xlsx" in both.stderr
    )
    assert [name for _code, name, _phone in _customers(db)] == ["杭州西湖电子有限公司"]

    alone = runner.invoke(
        app, ["--db", str(db), "--lang", "zh", "import", str(tmp_path / "~$客户档案.xlsx")]
    )
    assert alone.exit_code == 1
    assert (
        "是 Excel 打开 客户档案.xlsx 时生成的锁定文件，不是数据；请导入 客户档案.xlsx"
        in alone.stderr
    )

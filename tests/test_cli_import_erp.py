"""Issue 14 through the CLI: names and short names wherever a customer code is taken, the notes of an import
on stderr (skipped rows, near-miss headers), --map over several files, and the progress of a whole import."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine, select

from kacrm.app.imports import import_files
from kacrm.store.models import Customer, Interaction, Order


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def _book(run, tmp_path: Path) -> None:
    customers = _write(
        tmp_path / "客户资料.csv",
        "客户名称,客户简称,所属区域\n华为技术（集团）有限公司,华为,华南\n华为终端有限公司,华为,华南\n"
        "杭州百川贸易有限公司,百川,华东\n",
    )
    assert run("import", str(customers)).exit_code == 0


def test_name_and_short_name_wherever_a_code_is_taken(run, engine: Engine, tmp_path: Path) -> None:
    _book(run, tmp_path)
    # codes were generated in the file's order: C00001 华为技术, C00002 华为终端, C00003 百川
    shown = run("customer", "show", "华为技术(集团)有限公司", "--format", "json")
    assert shown.exit_code == 0, shown.stderr
    assert (
        json.loads(shown.stdout)["customer_code"] == "C00001"
    )  # half-width brackets find （集团）
    card = json.loads(run("customer", "show", "百川", "--format", "json").stdout)
    assert (card["customer_code"], card["short_name"]) == ("C00003", "百川")
    # two customers share the short name 华为: a usage error listing both
    ambiguous = run("customer", "show", "华为")
    assert ambiguous.exit_code == 2
    assert "C00001 华为技术（集团）有限公司" in ambiguous.stderr
    assert "C00002 华为终端有限公司" in ambiguous.stderr
    assert run("log", "百川", "visit", "--on", "2026-11-01").exit_code == 0
    with engine.connect() as conn:
        code = conn.execute(
            select(Customer.code).join(Interaction, Interaction.customer_id == Customer.id)
        ).scalar_one()
    assert code == "C00003"
    # --search on the name key: width and spaces do not matter
    found = run("customer", "list", "--search", "技术 (集团)", "--format", "json")
    assert [r["customer_code"] for r in json.loads(found.stdout)] == ["C00001"]


def test_notes_on_stderr_even_on_exit_0(run, tmp_path: Path) -> None:
    _book(run, tmp_path)
    orders = _write(
        tmp_path / "销售订单.csv",
        "销售订单列表\n单据日期,单据编号,客户简称,价税合计,业务员名称\n"
        "2024-01-05,XS1,百川,100,张伟\n\n合计,,,100,\n",
        encoding="gbk",
    )
    result = run("import", str(orders))
    assert result.exit_code == 0, result.stderr
    assert (
        "skipped 1 totals or signature row(s)" in result.stderr
        and "1 blank row(s)" in result.stderr
    )
    assert (
        "column '业务员名称' looks like salesperson; to import it: --map 业务员名称=salesperson"
        in (result.stderr)
    )
    payments = _write(
        tmp_path / "收款.csv", "收款日期,客户简称,实收款额\n2024-02-01,百川,100\n", encoding="gbk"
    )
    result = run("--lang", "zh", "import", str(payments))
    assert result.exit_code == 1
    assert "缺少“金额”列" in result.stderr and "--map 实收款额=amount" in result.stderr


def test_map_over_several_files(run, engine: Engine, tmp_path: Path) -> None:
    customers = _write(tmp_path / "customers.csv", "编号,Firma\nK1,甲公司\n")
    orders = _write(tmp_path / "orders.csv", "Firma,Datum,金额\n甲公司,2024-01-05,10\n")
    # Firma is the customers' name and the orders' customer: one --map each, each applied where it fits
    result = run(
        "import",
        str(customers),
        str(orders),
        "--map",
        "Datum=order_date",
        "--map",
        "Firma=name",
        "--kind",
        "customers",
    )
    assert result.exit_code == 1 and "'name' is not a field of customers" not in result.stderr
    result = run("import", str(customers), "--map", "Datum=order_date", "--map", "Firma=name")
    assert result.exit_code == 0, result.stderr
    result = run("import", str(orders), "--map", "Firma=customer_name", "--map", "Datum=order_date")
    assert result.exit_code == 0, result.stderr
    with engine.connect() as conn:
        assert conn.execute(select(Order.amount_cents)).scalar_one() == 1000


def test_progress_covers_reading_checking_and_writing(engine: Engine, tmp_path: Path) -> None:
    rows = "".join(f"C{i},客户{i}\n" for i in range(50))
    path = _write(tmp_path / "c.csv", "code,name\n" + rows)
    calls: list[tuple[int, int]] = []
    import_files(engine, [path], progress=lambda done, total: calls.append((done, total)))
    # 50 rows, each read, checked and written: 150 units, reached at the very end
    assert calls[-1] == (150, 150)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert len(calls) == 3


def test_signature_footer_rows_are_skipped_not_rejected(
    run, engine: Engine, tmp_path: Path
) -> None:
    """用友/金蝶 print 制表人/审核人/打印日期 lines under a report: skipped like 合计 rows (before, each was a
    rejected row and, with the default --on-error abort, the whole file was refused). A data row whose cell
    merely contains such a word is still read."""
    _book(run, tmp_path)
    orders = _write(
        tmp_path / "销售订单.csv",
        "单据日期,单据编号,客户简称,价税合计,备注\n"
        "2024-01-05,XS1,百川,100,制表人：见附件\n"
        "2024-01-06,XS2,百川,250,\n"
        "合计,,,350,\n"
        "制表人：张三,,审核人：李四,,打印日期：2024-01-31\n"
        "制单人: 王五,,,,\n",
        encoding="gbk",
    )
    result = run("import", str(orders), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "skipped 3 totals or signature row(s)" in result.stderr
    summary = json.loads(result.stdout)[0]
    assert (summary["rows_read"], summary["inserted"], summary["rejected"]) == (2, 2, 0)
    with engine.connect() as conn:
        stored = conn.execute(
            select(Order.order_no, Order.amount_cents).order_by(Order.order_no)
        ).all()
    assert [tuple(r) for r in stored] == [("XS1", 10_000), ("XS2", 25_000)]

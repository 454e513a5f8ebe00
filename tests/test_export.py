"""`kacrm export`: formula neutralisation, text cells in XLSX, mode 0600, and the round trip with `kacrm import`
of every kind it reads, payment plans included (import → export → import into a fresh database → export again
gives the same files; importing the export into the first database changes nothing), on both backends."""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import text as sql

from kacrm.app.export import export_table
from kacrm.app.imports import import_files
from kacrm.errors import InputError
from kacrm.files import neutralise_cell, restore_cell
from kacrm.store.engine import make_engine
from kacrm.store.export_rows import KINDS
from kacrm.store.records import log_interaction

# Real-looking source files: Chinese names, a yearless and a lunar leap-month birthday, a phone with +86, a
# payment naming its order and one without, an interaction with a contact and a follow-up.
SOURCES = {
    "customers": "客户编号,客户名称,类型,区域,业务员,电话,账期,信用额度,客户等级,推荐人\n"
    'C001,华东机电有限公司,企业,华东,张伟,+86 138-0013-8000,30,"50,000",A,\n'
    "C002,北方贸易,经销商,华北,李娜,010-8888 6666,45,,B,C001\n"
    'C003,"Smith & Co, Ltd",business,Export,Tom,,60,1.5万,C,\n',
    "contacts": "客户编号,联系人,职务,角色,手机,生日,农历生日,结婚纪念日,爱好\n"
    "C001,王总,总经理,决策人,13800138000,1975-03-05,,2001-10-01,高尔夫、茶\n"
    "C001,小刘,采购,使用者,13900139000,3月5日,,,\n"
    "C002,赵总,董事长,决策人,,,闰四月初八,,钓鱼\n",
    "orders": "订单号,客户编号,下单日期,金额,数量,产品,成本,到期日\n"
    'SO-001,C001,2026/3/5,"¥12,000.50",10,水泵,8000,2026-04-04\n'
    "SO-002,C002,2026年4月1日,1.2万,3,阀门,,\n"
    "SO-003,C001,20260601,980,1,密封件,500,\n",
    "payments": "回款单号,客户编号,订单号,回款日期,回款金额\n"
    "P-001,C001,SO-001,2026-04-01,6000\n"
    'P-002,C002,,2026-05-01,"5,000.00"\n',
    "interactions": "客户编号,联系人,日期,方式,内容,费用,下次跟进\n"
    "C001,王总,2026-05-10,拜访,季度回顾,,2026-06-10\n"
    "C002,赵总,2026-05-12,宴请,商务宴请,680,\n",
    # a payment plan (SPEC §15): SO-001's ¥12,000.50 in two instalments
    "schedules": "合同号,期数,计划回款日期,计划回款金额\n"
    'SO-001,2,2026年5月4日,"6,000.50"\n'
    "SO-001,1,2026/4/4,6000\n",
}


# every kind `kacrm import` reads but owners (tests/test_owner_import.py), in an order a fresh database takes
ROUND_TRIP = tuple(SOURCES)


def _write_sources(directory: Path) -> list[tuple[str, Path]]:
    paths = []
    for kind, text in SOURCES.items():
        path = directory / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        paths.append((kind, path))
    return paths


def _export_all(engine, directory: Path, suffix: str) -> dict[str, Path]:
    directory.mkdir(exist_ok=True)
    out = {}
    for kind in ROUND_TRIP:
        out[kind] = directory / f"{kind}{suffix}"
        export_table(engine, kind, out[kind])
    return out


def _content(path: Path) -> list[list[object]]:
    """CSV bytes as text; XLSX as cell values with their types (the zip holds timestamps)."""
    if path.suffix == ".csv":
        return [[line] for line in path.read_text(encoding="utf-8-sig").splitlines()]
    sheet = load_workbook(path).active
    return [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_round_trip(engine, sqlite_url: str, tmp_path: Path, suffix: str) -> None:
    for kind, path in _write_sources(tmp_path):
        import_files(engine, [path], kind=kind)
    # an interaction entered by hand, and an imported one changed since (a follow-up resolved): neither has the
    # content key an import of its exported row would compute
    log_interaction(engine, "C003", "call", date(2026, 5, 20), summary="询价  回电")
    with engine.begin() as conn:
        conn.execute(
            sql("UPDATE interaction SET resolved_on = :d WHERE summary = '季度回顾'"),
            {"d": date(2026, 6, 1)},
        )
    rows = {
        kind: len(SOURCES[kind].splitlines()) - 1 + (kind == "interactions") for kind in ROUND_TRIP
    }
    first = _export_all(engine, tmp_path / "first", suffix)
    # the export imported back into the same database changes nothing
    for kind in ROUND_TRIP:
        (summary,) = import_files(engine, [first[kind]])  # the kind is detected from the headers
        assert summary.kind == kind
        assert (summary.inserted, summary.updated, summary.rejected) == (0, 0, 0), (kind, summary)
        assert summary.unchanged == summary.rows_read == rows[kind], kind
    with engine.connect() as conn:
        assert (
            conn.execute(sql("SELECT COUNT(*) FROM interaction")).scalar_one()
            == rows["interactions"]
        )
    # into a fresh database (SQLite, whatever the first backend) and out again: the same files
    fresh = make_engine(sqlite_url)
    try:
        for kind in ROUND_TRIP:
            import_files(fresh, [first[kind]], kind=kind)
        second = _export_all(fresh, tmp_path / "second", suffix)
    finally:
        fresh.dispose()
    for kind in ROUND_TRIP:
        assert _content(second[kind]) == _content(first[kind]), kind


def test_exported_values_are_what_the_sources_said(engine, tmp_path: Path) -> None:
    for kind, path in _write_sources(tmp_path):
        import_files(engine, [path], kind=kind)
    files = _export_all(engine, tmp_path / "out", ".csv")
    customers = files["customers"].read_text(encoding="utf-8-sig").splitlines()
    assert customers[0] == (
        "code,name,short_name,uscc,type,status,region,industry,owner,address,phone,fax,email,source,notes,tier,"
        "payment_terms_days,credit_limit,credit_grade,stage,referred_by,cadence_days"
    )
    # 1.5万 = 15,000.00; the +86 mobile is stored as its 11 digits; C002 was referred by C001
    assert customers[3].startswith('C003,"Smith & Co, Ltd",,,business,active,Export,,Tom,,,')
    assert ",15000.00," in customers[3]
    assert customers[1].split(",")[10] == "13800138000"
    assert customers[2].endswith(",C001,")
    contacts = files["contacts"].read_bytes().decode("utf-8")
    assert (
        "C001,小刘,采购,user,13900139000,,03-05,,,,,no\r\n" in contacts
    )  # a birthday without its year
    assert "C002,赵总,董事长,decision_maker,,,,L04-08,,钓鱼,,no\r\n" in contacts  # 闰四月初八
    orders = files["orders"].read_text(encoding="utf-8-sig").splitlines()
    assert orders[1] == "SO-001,C001,2026-03-05,12000.50,10,水泵,8000.00,2026-04-04,,"
    # the plan by order and instalment, with the headers a plan file is read by
    assert files["schedules"].read_text(encoding="utf-8-sig").splitlines() == [
        "order_no,instalment,due_on,amount",
        "SO-001,1,2026-04-04,6000.00",
        "SO-001,2,2026-05-04,6000.50",
    ]


def test_xlsx_money_cells_show_two_decimals(engine, tmp_path: Path) -> None:
    """Round 11: money cells of an xlsx export in the statement's and report's format (#,##0.00), numbers a
    spreadsheet sums; a quantity keeps the General format. SO-001: ¥12,000.50 for 10 pieces, cost 8,000."""
    for kind, path in _write_sources(tmp_path):
        import_files(engine, [path], kind=kind)
    export_table(engine, "orders", tmp_path / "orders.xlsx")
    sheet = load_workbook(tmp_path / "orders.xlsx").active
    header = [c.value for c in sheet[1]]
    row = {h: c for h, c in zip(header, sheet[2], strict=True)}
    assert row["order_no"].value == "SO-001"
    for key, value in (("amount", 12000.5), ("cost", 8000)):
        assert (row[key].value, row[key].data_type, row[key].number_format) == (
            value,
            "n",
            "#,##0.00",
        )
    assert (row["quantity"].value, row["quantity"].number_format) == (10, "General")


def test_formula_cells_are_neutralised_in_csv_and_text_in_xlsx(engine, tmp_path: Path) -> None:
    source = tmp_path / "customers.csv"
    source.write_text(
        'code,name,notes\nC001,"=HYPERLINK(""http://evil"",""x"")",@SUM(A1)\nC002,Plain,+1 call\n',
        encoding="utf-8",
    )
    import_files(engine, [source], kind="customers")
    csv_path, xlsx_path = tmp_path / "c.csv", tmp_path / "c.xlsx"
    assert export_table(engine, "customers", csv_path) == 2
    lines = csv_path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1].startswith('C001,"\'=HYPERLINK(""http://evil"",""x"")",')
    assert ",'@SUM(A1)," in lines[1] and ",'+1 call," in lines[2]
    export_table(engine, "customers", xlsx_path)
    sheet = load_workbook(xlsx_path).active
    name, notes = sheet["B2"], sheet["O2"]  # name and notes: columns 2 and 15
    assert (name.value, name.data_type) == ('=HYPERLINK("http://evil","x")', "s")
    assert (notes.value, notes.data_type) == ("@SUM(A1)", "s")
    for path in (csv_path, xlsx_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_negative_numbers_stay_numbers_and_dash_texts_stay_guarded(engine, tmp_path: Path) -> None:
    """A return (-5 pieces, -￥800.00) exports as plain numbers a spreadsheet sums; a product named -abc or
    =1+1 is still text behind one apostrophe; and the file imports back unchanged."""
    (tmp_path / "customers.csv").write_text("code,name\nC003,Gamma\n", encoding="utf-8")
    import_files(engine, [tmp_path / "customers.csv"], kind="customers")
    source = tmp_path / "orders.csv"
    source.write_text(
        "订单号,客户编号,下单日期,数量,金额,产品\n"
        'XS204,C003,2026-11-16,-5,"-￥800.00",-abc\n'
        "XS205,C003,2026-11-17,2,100,=1+1\n",
        encoding="utf-8",
    )
    import_files(engine, [source], kind="orders")
    exported = tmp_path / "o.csv"
    export_table(engine, "orders", exported)
    lines = exported.read_text(encoding="utf-8-sig").splitlines()
    head = lines[0].split(",")
    rows = {line.split(",")[0]: dict(zip(head, line.split(","), strict=True)) for line in lines[1:]}
    assert (rows["XS204"]["amount"], rows["XS204"]["quantity"]) == ("-800.00", "-5")
    assert rows["XS204"]["product"] == "'-abc" and rows["XS205"]["product"] == "'=1+1"
    assert (rows["XS205"]["amount"], rows["XS205"]["quantity"]) == ("100.00", "2")
    (summary,) = import_files(engine, [exported], kind="orders")
    assert (summary.unchanged, summary.updated) == (2, 0)


def test_formula_cells_round_trip_through_csv(engine, tmp_path: Path) -> None:
    source = tmp_path / "customers.csv"
    source.write_text('code,name\nC001,=1+2\nC002,-dash\nC003,"\'+86 quoted"\n', encoding="utf-8")
    import_files(engine, [source], kind="customers")
    exported = tmp_path / "c.csv"
    export_table(engine, "customers", exported)
    (summary,) = import_files(engine, [exported], kind="customers")
    assert (summary.unchanged, summary.updated) == (3, 0)


@given(st.text())
def test_restore_undoes_neutralise(text: str) -> None:
    safe = neutralise_cell(text)
    assert restore_cell(safe) == text
    assert not safe or safe[0] not in "=+-@\t\r"


def test_restore_leaves_ordinary_apostrophes() -> None:
    assert restore_cell("'quoted'") == "'quoted'"
    assert restore_cell("'=1") == "=1" and restore_cell("''=1") == "'=1"


def test_every_kind_exports_even_when_empty(engine, tmp_path: Path) -> None:
    for kind in KINDS:
        assert export_table(engine, kind, tmp_path / f"{kind}.xlsx") == 0


def test_bad_kind_and_suffix_are_clear(run, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"\.csv or \.xlsx"):
        export_table(None, "orders", tmp_path / "orders.txt")
    result = run("export", "invoices", "--output", str(tmp_path / "x.csv"))
    assert result.exit_code == 2  # a value the argument does not allow: a usage error (SPEC §2)
    said = " ".join(result.stderr.replace("│", " ").split())
    assert "cannot export 'invoices'; choose one of customers, contacts" in said


def test_cli_export_says_what_it_wrote(run, tmp_path: Path) -> None:
    out = tmp_path / "orders.csv"
    result = run("export", "orders", "--output", str(out))
    assert result.exit_code == 0, result.stderr
    assert f"Wrote 0 orders rows to {out}" in result.stderr.replace("\n", "")
    assert out.read_bytes().startswith(
        b"\xef\xbb\xbf"
    )  # a byte-order mark: Excel then reads Chinese right
    assert out.read_text(encoding="utf-8-sig").startswith(
        "order_no,customer_code,order_date,amount,"
    )


def test_a_book_rebuilt_from_its_export_still_matches_orders_by_short_name(
    engine, tmp_path: Path
) -> None:
    """ERP order files name their customer by 客户简称: the export keeps short names and credit codes, so a new
    book made from it reads such a file (a tester's rebuilt book refused 11 of them)."""
    source = tmp_path / "customers.csv"
    source.write_text(
        "客户编码,客户名称,客户简称,统一社会信用代码\n"
        "0101,深圳市鹏程智能装备（集团）有限公司,鹏程智能,91440300MA5F8K2L1H\n",
        encoding="utf-8",
    )
    import_files(engine, [source], kind="customers")
    exported = tmp_path / "export.csv"
    assert export_table(engine, "customers", exported) == 1
    rebuilt = make_engine(f"sqlite:///{tmp_path / 'rebuilt.db'}")
    try:
        import_files(rebuilt, [exported], kind="customers")
        orders = tmp_path / "orders.csv"
        orders.write_text(
            "单据编号,客户简称,单据日期,价税合计\nXS1,鹏程智能,2026-03-05,100\n", encoding="utf-8"
        )
        [summary] = import_files(rebuilt, [orders], kind="orders")
        assert (summary.inserted, summary.rejected) == (1, 0)
        with rebuilt.connect() as conn:
            stored = conn.execute(sql("SELECT code, short_name, uscc FROM customer")).one()
        assert tuple(stored) == ("0101", "鹏程智能", "91440300MA5F8K2L1H")
    finally:
        rebuilt.dispose()

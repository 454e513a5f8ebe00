"""`kacrm import` through the CLI: summary formats, exit codes, bad rows on stderr, and messy files (hypothesis)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from typer.testing import CliRunner

from kacrm.cli.app import app
from kacrm.store.engine import make_engine

FIXTURES = Path(__file__).parent / "fixtures"
SUMMARY_KEYS = {
    "file",
    "kind",
    "rows_read",
    "inserted",
    "updated",
    "unchanged",
    "rejected",
    "seconds",
    "unknown_columns",
}


def table_counts(db_url: str) -> dict[str, int]:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            return {
                t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                for t in ("customer", "contact", "orders", "payment", "interaction", "import_batch")
            }
    finally:
        engine.dispose()


def test_json_summary_has_the_spec_keys(run) -> None:
    result = run(
        "import",
        str(FIXTURES / "customers_gbk.csv"),
        str(FIXTURES / "orders_bom.csv"),
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [set(row) for row in data] == [SUMMARY_KEYS, SUMMARY_KEYS]
    assert [(r["kind"], r["rows_read"], r["inserted"]) for r in data] == [
        ("customers", 3, 3),
        ("orders", 3, 3),
    ]


def test_rejected_file_exits_3_and_lists_bad_rows(run, db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    rows = "".join(
        f"A{i},KH001,2024-13-{i:02d},{i}\n" for i in range(1, 26)
    )  # 25 impossible months
    path.write_text("order_no,customer_code,order_date,amount\n" + rows, encoding="utf-8")
    run("import", str(FIXTURES / "customers_gbk.csv"))
    before = table_counts(db_url)
    rejects = tmp_path / "bad.csv"
    result = run("import", str(path), "--rejects", str(rejects), "--format", "json")
    assert result.exit_code == 3
    [summary] = json.loads(result.stdout)  # the summary of what was refused: nothing written
    assert (
        summary["rows_read"],
        summary["rejected"],
        summary["inserted"],
        summary["unchanged"],
    ) == (25, 25, 0, 0)
    assert "row 2, column 'order_date': '2024-13-01'" in result.stderr
    assert "… and 5 more bad rows" in result.stderr  # 20 shown of 25
    assert "25 bad rows; nothing was imported" in result.stderr
    assert "Traceback" not in result.stderr
    assert table_counts(db_url) == before
    assert len(rejects.read_text(encoding="utf-8-sig").splitlines()) == 26


def test_skip_exits_0_and_says_how_many(run, tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    path.write_text(
        "order_no,customer_code,order_date,amount\nA1,KH001,2024-01-01,5\nA2,KH001,x,5\n",
        encoding="utf-8",
    )
    run("import", str(FIXTURES / "customers_gbk.csv"))
    result = run("import", str(path), "--on-error", "skip", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert "Skipped 1 bad row" in result.stderr
    header, row = result.stdout.strip().splitlines()
    assert header.startswith("file,kind,rows_read,inserted")
    assert ",orders,2,1,0,0,1," in row


def test_dry_run_and_usage_errors(run, db_url: str) -> None:
    before = table_counts(db_url)
    result = run("import", str(FIXTURES / "customers_gbk.csv"), "--dry-run")
    assert result.exit_code == 0 and "Dry run" in result.stderr
    assert table_counts(db_url) == before
    assert run("import", str(FIXTURES / "customers_gbk.csv"), "--on-error", "maybe").exit_code == 2
    assert run("import", str(FIXTURES / "customers_gbk.csv"), "--map", "nonsense").exit_code == 2
    missing = run("import", "/no/such/file.csv")
    assert missing.exit_code == 1 and "no such file" in missing.stderr


def test_md_table_lists_unknown_columns(run, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("code,name,shoe size\nC1,甲,42\n", encoding="utf-8")
    result = run("import", str(path), "--format", "md")
    assert result.exit_code == 0
    assert "shoe size" in result.stdout


# ---------------------------------------------------------------------------------------------- messy files

HEADERS = [
    "order_no",
    "customer_code",
    "客户名称",
    "日期",
    "金额",
    "数量",
    "code",
    "name",
    "备注",
    "",
    "amount",
]
CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "KH001",
            "KH002",
            "2024-03-05",
            "2024/13/45",
            "¥1,234.50",
            "1.5万",
            "-3",
            "abc",
            "八月十五",
            "1e400",
            "99999999999999999999",
            "=SUM(A1)",
            '"',
            "\n",
            "客户",
            " ",
        ]
    ),
    st.text(max_size=12),
)


@st.composite
def messy_files(draw: st.DrawFn) -> tuple[bytes, str]:
    headers = draw(st.lists(st.sampled_from(HEADERS), min_size=0, max_size=6))
    rows = draw(st.lists(st.lists(CELLS, min_size=0, max_size=8), max_size=6))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))

    def quote(cell: str) -> str:
        return (
            '"' + cell.replace('"', '""') + '"'
            if any(c in cell for c in f'"\n\r{delimiter}')
            else cell
        )

    body = "\n".join(delimiter.join(quote(c) for c in row) for row in [headers, *rows]) + "\n"
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "latin-1", "raw"]))
    if encoding == "raw":
        return draw(st.binary(max_size=200)), ".csv"
    data = body.encode(encoding, errors="replace")
    return data, draw(st.sampled_from([".csv", ".txt", ".tsv", ".xlsx"]))


@pytest.fixture
def seeded_db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'messy.db'}"
    runner = CliRunner()
    result = runner.invoke(app, ["--db", url, "import", str(FIXTURES / "customers_gbk.csv")])
    assert result.exit_code == 0, result.stderr
    return url


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    messy=messy_files(),
    kind=st.sampled_from([None, "orders", "customers", "payments"]),
    on_error=st.sampled_from(["abort", "skip"]),
)
def test_messy_files_never_crash_and_never_half_write(
    seeded_db: str, tmp_path: Path, messy: tuple[bytes, str], kind: str | None, on_error: str
) -> None:
    data, suffix = messy
    path = tmp_path / f"messy{suffix}"
    path.write_bytes(data)
    before = table_counts(seeded_db)
    args = ["--db", seeded_db, "import", str(path), "--on-error", on_error, "--format", "json"]
    if kind:
        args += ["--kind", kind]
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (0, 1, 3), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.stderr
    if result.exit_code != 0:
        assert table_counts(seeded_db) == before
    else:
        json.loads(result.stdout)


def test_bad_rows_are_counted_and_shown_by_row(run, tmp_path: Path) -> None:
    """A row with two bad cells is one bad row; the screen shows every bad cell of the first 20 bad rows."""
    path = tmp_path / "orders.csv"
    rows = "".join(
        f"B{i},NOBODY,2024-13-01,{i}\n" for i in range(1, 24)
    )  # 23 rows, 2 bad cells each
    path.write_text("order_no,customer_code,order_date,amount\n" + rows, encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == 3
    assert "23 bad rows; nothing was imported" in result.stderr
    lines = [line for line in result.stderr.splitlines() if ": row " in line]
    assert len(lines) == 40 and {line.split(": row ")[1].split(",")[0] for line in lines} == {
        str(n) for n in range(2, 22)
    }
    assert "… and 3 more bad rows" in result.stderr


def test_interactions_with_some_contacts_blank(run, db_url: str, tmp_path: Path) -> None:
    """Contact is optional per row: named people are found or added, blank cells leave the contact empty."""
    run("customer", "add", "C001", "甲公司")
    run("customer", "add", "C002", "乙公司")
    path = tmp_path / "visits.csv"
    path.write_text(
        "客户编号,联系人,方式,日期,内容\nC001,赵六,电话,2026-11-01,a\nC001,,电话,2026-11-02,b\n"
        "C002,,拜访,2026-11-03,c\n",
        encoding="utf-8",
    )
    result = run("import", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)[0]["inserted"] == 3
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            got = conn.execute(
                text(
                    "SELECT i.summary, c.name FROM interaction i LEFT JOIN contact c "
                    "ON c.id = i.contact_id ORDER BY i.summary"
                )
            ).all()
    finally:
        engine.dispose()
    assert [tuple(r) for r in got] == [("a", "赵六"), ("b", None), ("c", None)]


def test_summary_in_chinese_keeps_the_json_kinds(run) -> None:
    table = run("--lang", "zh", "import", str(FIXTURES / "customers_gbk.csv"), "--dry-run")
    assert table.exit_code == 0, table.stderr
    assert (
        "导入" in table.stdout
        and "客户资料" in table.stdout
        and "试运行：未写入任何内容。" in table.stderr
    )
    data = json.loads(
        run(
            "--lang",
            "zh",
            "import",
            str(FIXTURES / "orders_bom.csv"),
            "--create-customers",
            "--format",
            "json",
        ).stdout
    )
    assert [row["kind"] for row in data] == ["orders"]  # SPEC §5's names, whatever the language


def test_bad_cells_are_explained_in_chinese(run, tmp_path: Path) -> None:
    run("import", str(FIXTURES / "customers_gbk.csv"))
    path = tmp_path / "orders.csv"
    path.write_text(
        "order_no,customer_code,order_date,amount\nA1,NOPE,2024-13-05,十块\nA2,KH001,2024-01-05,10\n"
        "A2,KH001,2024-01-06,10\n",
        encoding="utf-8",
    )
    rejects = tmp_path / "bad.csv"
    result = run("--lang", "zh", "import", str(path), "--rejects", str(rejects))
    assert result.exit_code == 3
    for line in (
        "第 2 行，列 'amount'：'十块'：不是金额",
        "第 2 行，列 'customer_code'：'NOPE'：没有编号为 'NOPE' 的客户",
        "第 2 行，列 'order_date'：'2024-13-05'：没有这一天：2024-13-05",
        # the user's own cell, and the field that differs (issue 14)
        "第 4 行，列 'order_no'：'A2'：与第 3 行是同一条记录，但order_date 不同：此处为 '2024-01-06'，第 3 行为 "
        "'2024-01-05'",
    ):
        assert line in result.stderr, line
    written = rejects.read_text(encoding="utf-8-sig")
    assert (
        "amount: 不是金额" in written
        and "order_no: 与第 3 行是同一条记录，但order_date 不同" in written
    )
    english = run("import", str(path))  # the same file without --lang zh: English reasons
    assert "row 2, column 'amount': '十块': not an amount" in english.stderr


def test_a_rejected_row_is_one_line_in_a_log_however_long_its_file_name(
    run, tmp_path: Path
) -> None:
    """stderr that is no terminal (cron's mail, a log, a CI runner) gets each message on one line: a deep folder
    made the line wider than the 200 columns a pipe's tables get, and Rich folded it there."""
    run("import", str(FIXTURES / "customers_gbk.csv"))
    folder = tmp_path / ("销售部客户资料" * 6) / ("customer-orders-exported-from-erp" * 3)
    folder.mkdir(parents=True)
    path = folder / "订单.csv"
    path.write_text(
        "order_no,customer_code,order_date,amount\nA1,KH001,2024-01-05,十块\n", encoding="utf-8"
    )
    result = run("--lang", "zh", "import", str(path))
    assert result.exit_code == 3
    expected = f"{path}：第 2 行，列 'amount'：'十块'：不是金额"
    assert (
        len(expected) > 200
    )  # wider than the pipe's width in columns, too (Chinese characters take two)
    assert any(line.startswith(expected) for line in result.stderr.splitlines()), result.stderr


@pytest.mark.parametrize(
    ("given", "en", "zh"),
    [
        (
            "utf-8",
            "try --encoding gb18030 or --encoding utf-16",
            "请试 --encoding gb18030 或 --encoding utf-16",
        ),
        (
            "UTF8",
            "try --encoding gb18030 or --encoding utf-16",
            "请试 --encoding gb18030 或 --encoding utf-16",
        ),
    ],
)
def test_a_wrong_encoding_suggests_the_others(
    run, tmp_path: Path, given: str, en: str, zh: str
) -> None:
    """A GBK file read as UTF-8: the suggestion leaves out the encoding just given."""
    path = tmp_path / "客户档案.csv"
    path.write_bytes("客户编号,客户名称\nKH9,测试\n".encode("gbk"))
    english = run("import", str(path), "--encoding", given)
    assert english.exit_code == 1
    assert english.stderr == f"Error: {path}: not valid {given} at byte 0; {en}\n"
    chinese = run("--lang", "zh", "import", str(path), "--encoding", given)
    assert chinese.stderr == f"错误：{path}：第 0 字节处不是有效的 {given} 文本；{zh}\n"


@pytest.mark.parametrize("dry_run", [True, False])
def test_create_customers_names_the_customers_it_adds(run, tmp_path: Path, dry_run: bool) -> None:
    """A typo'd code in an orders file makes a customer too under --create-customers: the import names them
    (the first five and how many more), in a dry run as in the real one."""
    path = tmp_path / "orders.csv"
    rows = "".join(f"SO{n},N{n:02d},新客户{n}有限公司,2026-11-01,100\n" for n in range(1, 8))
    path.write_text("订单号,客户编号,客户名称,日期,金额\n" + rows, encoding="utf-8")
    args = ["import", str(path), "--create-customers", *(["--dry-run"] if dry_run else [])]
    english = run(*args)
    assert english.exit_code == 0, english.stderr
    said = " ".join(english.stderr.split())
    assert "7 new customer(s) (--create-customers): N01, N02, N03, N04, N05 and 2 more" in said


def test_a_new_customer_named_by_code_and_name_is_one_customer(run, tmp_path: Path) -> None:
    """An orders row with an unknown code and a name under --create-customers makes one customer: that code,
    that name. It made two: the code named by itself (with the order) and a C00001 named by the name (empty)."""
    path = tmp_path / "orders.csv"
    path.write_text(
        "订单号,客户编号,客户名称,日期,金额\nSO1,KH9999,新客户有限公司,2026-11-01,100\n"
        "SO2,,乙公司,2026-11-02,5\nSO3,,甲公司,2026-11-03,5\n",
        encoding="utf-8",
    )
    assert run("import", str(path), "--create-customers").exit_code == 0
    listed = json.loads(run("customer", "list", "--format", "json").stdout)
    got = sorted((r["customer_code"], r["customer_name"], r["orders"]) for r in listed)
    # rows without a code get readable codes in the file's order
    assert got == [
        ("C00001", "乙公司", 1),
        ("C00002", "甲公司", 1),
        ("KH9999", "新客户有限公司", 1),
    ]

"""A data row that does not fit its header (a non-blank cell beyond the header's last named column) is refused
like any bad row, on every read path: the checked CSV path (GBK, UTF-16), the typed PyArrow path and its
fallback, and Excel. An unquoted ￥12,345.50 splits into two cells and shifts every cell after it: before, the row
was stored with amount ¥12, quantity 345.5 and product "3"."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from click.testing import Result
from sqlalchemy import Engine, text
from test_importer import FIXTURES, TABLES, dump

from kacrm.app.imports import import_files
from kacrm.errors import ImportRejected

HEADER = "单据编号,客户编码,单据日期,价税合计,数量,物料名称"
SHIFTED = "SO-1,KH001,2026-11-03,￥12,345.50,3,主板"  # 7 cells: the amount split in two
GOOD = ["SO-2,KH002,2026-11-04,800.00,2,内存", "SO-3,KH001,2026-11-05,1200,1,硬盘"]
# the good rows as stored: (order_no, amount in cents, quantity, product), worked out from the cells above
STORED = [("SO-2", 80000, 2.0, "内存"), ("SO-3", 120000, 1.0, "硬盘")]
EN = "the row has 7 cells, the header names 6: a ',' inside an unquoted value such as ￥12,345.50?"
ZH = "该行有 7 个单元格，表头只有 6 列"


@pytest.fixture
def book(run, engine: Engine) -> Engine:
    assert run("import", str(FIXTURES / "customers_gbk.csv")).exit_code == 0  # KH001, KH002
    return engine


def _orders(engine: Engine) -> list[tuple]:
    query = "SELECT order_no, amount_cents, quantity, product FROM orders ORDER BY order_no"
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(query))]


def _said(result: Result, space: str = " ") -> str:
    """What the command said on stderr, its lines (wrapped at the terminal's width) joined again: by a space
    where words wrap, by nothing for Chinese, which wraps anywhere (and then the spaces are gone too)."""
    return space.join(result.stderr.split())


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


def _csv(path: Path, lines: list[str], encoding: str) -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["gbk", "utf-8", "utf-16"], ids=["gbk", "utf8-typed", "utf16"])
def test_a_split_amount_is_refused_whole_file_in_abort_mode(
    run, book: Engine, tmp_path: Path, encoding: str
) -> None:
    path = _csv(tmp_path / "销售订单.csv", [HEADER, GOOD[0], SHIFTED, GOOD[1]], encoding)
    before_counts, before = _counts(book), dump(book)
    result = run("import", str(path))
    assert result.exit_code == 3, result.output
    assert f"{path}: row 3, column '(column 7, beyond the header)': '主板': {EN}" in _said(result)
    assert "Quote that cell or remove the separator" in _said(result)
    assert "Traceback" not in result.output
    assert _counts(book) == before_counts
    assert dump(book) == before


@pytest.mark.parametrize("encoding", ["gbk", "utf-8", "utf-16"], ids=["gbk", "utf8-typed", "utf16"])
def test_a_split_amount_is_a_reject_in_skip_mode(
    run, book: Engine, tmp_path: Path, encoding: str
) -> None:
    path = _csv(tmp_path / "销售订单.csv", [HEADER, GOOD[0], SHIFTED, GOOD[1]], encoding)
    rejects = tmp_path / "bad.csv"
    result = run("import", str(path), "--on-error", "skip", "--rejects", str(rejects))
    assert result.exit_code == 0, result.output
    assert _orders(book) == STORED
    with rejects.open(encoding="utf-8-sig") as fh:
        [row] = list(csv.DictReader(fh))
    assert row["row"] == "3"
    assert row["单据编号"] == "SO-1"
    assert row["reason"].startswith(f"(column 7, beyond the header): {EN}")
    # every cell of the refused row is in the rejects file, in the file's order: none lost to the cut at the
    # header (the seven cells of SHIFTED, split by hand)
    with rejects.open(encoding="utf-8-sig") as fh:
        [header, cells] = list(csv.reader(fh))
    assert header[6] == "(column 7, beyond the header)"
    assert cells[:7] == ["SO-1", "KH001", "2026-11-03", "￥12", "345.50", "3", "主板"]


def test_the_message_in_chinese(run, book: Engine, tmp_path: Path) -> None:
    path = _csv(tmp_path / "销售订单.csv", [HEADER, SHIFTED], "gbk")
    result = run("--lang", "zh", "import", str(path))
    assert result.exit_code == 3
    said = f"{path}：第 2 行，列 '（第 7 列，超出表头）'：'主板'：{ZH}"
    assert said.replace(" ", "") in _said(result, "")
    assert "请给该单元格加上引号或去掉分隔符" in _said(result, "")


def test_an_xlsx_value_beyond_the_headers_last_cell(run, book: Engine, tmp_path: Path) -> None:
    book_ = openpyxl.Workbook()
    sheet = book_.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    sheet.append(GOOD[0].split(","))
    sheet.append(SHIFTED.split(","))  # seven cells under a six-cell header, as typed in a sheet
    sheet.append(GOOD[1].split(","))
    path = tmp_path / "销售订单.xlsx"
    book_.save(path)
    before = dump(book)
    result = run("import", str(path))
    assert result.exit_code == 3, result.output
    assert (
        f"{path}: row 3, column '(column 7, beyond the header)': '主板': the row has a value in "
        "column 7, beyond the header's last column (6)" in _said(result)
    )
    assert dump(book) == before
    assert run("import", str(path), "--on-error", "skip").exit_code == 0
    assert _orders(book) == STORED


def test_a_row_wider_than_the_sample_on_the_typed_path(book: Engine, tmp_path: Path) -> None:
    """Row 252, below the 200 rows the width is taken from: Arrow refuses it after two chunks, pandas reads the
    file again and on as wide: the same reject, the same rows."""
    rows = [f"B{i},KH001,2026-01-01,1,1,p" for i in range(2, 252)]
    path = _csv(tmp_path / "o.csv", [HEADER, *rows, SHIFTED.replace("SO-1", "B252")], "utf-8")
    with pytest.raises(ImportRejected) as err:
        import_files(book, [path], chunk_rows=100)
    [reject] = err.value.rejects
    assert (reject.row, reject.value) == (252, "主板")
    assert _orders(book) == []
    [summary] = import_files(book, [path], chunk_rows=100, on_error="skip")
    assert (summary.rows_read, summary.inserted, summary.rejected) == (251, 250, 1)


def test_a_blank_header_cell_with_data_is_still_an_unknown_column(
    book: Engine, tmp_path: Path
) -> None:
    lines = ["单据编号,客户编码,,单据日期,价税合计", "SO-9,KH001,note,2026-11-03,99.50"]
    path = _csv(tmp_path / "o.csv", lines, "utf-8")
    [summary] = import_files(book, [path])
    assert (summary.inserted, summary.rejected) == (1, 0)
    assert summary.unknown_columns == ["(column 3, no header)"]


@pytest.mark.parametrize("header_padding", ["", ",,,"])
def test_excel_padding_beyond_the_header_is_ignored(
    book: Engine, tmp_path: Path, header_padding: str
) -> None:
    lines = [HEADER + header_padding, *(row + ",,, " for row in GOOD), ",,,,,,,,,"]
    path = _csv(tmp_path / "o.csv", lines, "gbk")
    [summary] = import_files(book, [path])
    assert (summary.rows_read, summary.inserted, summary.rejected) == (2, 2, 0)
    assert summary.unknown_columns == []
    assert _orders(book) == STORED


def test_a_totals_row_with_a_split_sum_is_skipped_not_refused(book: Engine, tmp_path: Path) -> None:
    lines = [HEADER, *GOOD, "合计,,,￥2,000.00,3,"]
    path = _csv(tmp_path / "o.csv", lines, "gbk")
    [summary] = import_files(book, [path])
    assert (summary.inserted, summary.rejected, summary.totals_rows) == (2, 0, 1)


def test_a_payment_plan_row_that_does_not_fit_is_refused(run, book: Engine, tmp_path: Path) -> None:
    orders = _csv(tmp_path / "o.csv", [HEADER, *GOOD], "utf-8")
    assert run("import", str(orders)).exit_code == 0
    plan = _csv(
        tmp_path / "回款计划.csv",
        ["订单号,期数,计划回款日期,金额", "SO-3,1,2026-12-01,￥1,200.00"],
        "gbk",
    )
    result = run("import", str(plan))
    assert result.exit_code == 3, result.output
    said = "row 2, column '(column 5, beyond the header)': '200.00': the row has 5 cells"
    assert said in _said(result)


def test_progress_counts_a_file_read_again_once(book: Engine, tmp_path: Path) -> None:
    """A short row after Arrow's first block (256 KB): Arrow refuses it after chunks of the block were counted,
    and pandas reads the file again. Every row is read, checked and written once: 3 units a row, however often
    it was read, and the bar never goes back."""
    rows = [f"B{i},KH001,2026-01-01,1,1,p" for i in range(20_000)] + ["B-last,KH001,2026-01-01,1"]
    path = _csv(tmp_path / "o.csv", [HEADER, *rows], "utf-8")
    assert path.stat().st_size > 2 * (1 << 18)
    calls: list[tuple[int, int]] = []
    [summary] = import_files(
        book, [path], chunk_rows=1000, progress=lambda done, total: calls.append((done, total))
    )
    assert summary.inserted == 20_001
    assert calls[-1] == (3 * 20_001, 3 * 20_001)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_progress_counts_a_file_checked_again_whole_once(book: Engine, tmp_path: Path) -> None:
    """SO-2 again in the second chunk: the file is checked again whole (``Restart``), counted once."""
    rows = [*GOOD, "SO-4,KH002,2026-11-06,5,1,线缆", GOOD[0]]
    path = _csv(tmp_path / "o.csv", [HEADER, *rows], "utf-8")
    calls: list[tuple[int, int]] = []
    [summary] = import_files(
        book, [path], chunk_rows=2, progress=lambda done, total: calls.append((done, total))
    )
    assert (summary.rows_read, summary.inserted, summary.unchanged) == (4, 3, 1)
    assert calls[-1] == (3 * 4, 3 * 4)


def test_a_customers_file_checked_whole_refuses_the_row_too(book: Engine, tmp_path: Path) -> None:
    """Customers files are checked whole, not chunk by chunk: the same rule, the same message."""
    lines = ["客户编号,客户名称,信用额度", "KH009,甲公司,100,000", "KH010,乙公司,50000"]
    path = _csv(tmp_path / "客户.csv", lines, "gbk")
    before = dump(book)
    with pytest.raises(ImportRejected) as err:
        import_files(book, [path])
    [reject] = err.value.rejects
    assert (reject.row, reject.value) == (2, "000")
    assert reject.reason.startswith("the row has 4 cells, the header names 3")
    assert dump(book) == before
    [summary] = import_files(book, [path], on_error="skip")
    assert (summary.inserted, summary.rejected) == (1, 1)
    with book.connect() as conn:
        limits = conn.execute(
            text("SELECT code, credit_limit_cents FROM customer WHERE code LIKE 'KH01%'")
        )
        assert [tuple(r) for r in limits] == [("KH010", 5_000_000)]


@pytest.mark.parametrize(
    ("separator", "encoding"),
    [("\u2028", "utf-8"), ("\x1e", "gbk"), ("\x85", "utf-8")],
    ids=["line-separator-utf8", "record-separator-gbk", "next-line-utf8"],
)
def test_a_cell_with_a_character_python_breaks_lines_at_is_measured_whole(
    run, book: Engine, tmp_path: Path, separator: str, encoding: str
) -> None:
    """str.splitlines breaks at U+2028, \\x1e, \\x85…, the csv module and pandas do not: a sample split there
    measured the first row narrower than it is, and pandas then dropped its last cell with only a warning, so
    a shifted row (the split amount) was stored as ¥12, quantity 345.5, product "3"."""
    shifted = f"SO-1,KH001,2026-11-03{separator},￥12,345.50,3,主板"  # 7 cells, 3 + 5 around the separator
    path = _csv(tmp_path / "销售订单.csv", [HEADER, shifted, GOOD[0]], encoding)
    before = dump(book)
    result = run("import", str(path))
    assert result.exit_code == 3, result.output
    assert "row 2, column '(column 7, beyond the header)': '主板'" in _said(result)
    assert dump(book) == before

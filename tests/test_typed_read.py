"""The typed read of plain CSV files (PyArrow, issue 19) against the checked path it stands in for.

The reader must give the cells pandas gives, row numbers included, or say it cannot (``TypedReadFailed``); the
typed columns must read only cells that the regex and ``float`` (or ``date.fromisoformat``) read the same way, and
an import must store the same rows and report the same rejects and messages either way."""

from __future__ import annotations

import calendar
import math
import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text
from test_importer import FIXTURES, write

from kacrm.app.imports import import_files
from kacrm.errors import ImportRejected
from kacrm.io import typed_cells
from kacrm.io.parse import parse_chunk
from kacrm.io.readers import SkippedRows, TypedReadFailed, read_table

MONEY = re.compile(r"-?[0-9]{1,13}(?:\.[0-9]{1,2})?").fullmatch
NUMBER = re.compile(r"-?[0-9]{1,15}(?:\.[0-9]{1,15})?").fullmatch
CELLS = st.one_of(
    st.text(alphabet="0123456789.-+ e,¥\x00٣²", max_size=34),
    st.builds(
        lambda sign, whole, frac: sign + whole + frac,
        st.sampled_from(["", "-", "--", "+"]),
        st.text(alphabet="0123456789", max_size=17),
        st.one_of(st.just(""), st.text(alphabet="0123456789", max_size=17).map(lambda f: "." + f)),
    ),
    st.sampled_from(["", " ", "-0", "-0.00", "9999999999999.99", "0.1", "5.", ".5", "1e5"]),
)
DATES = st.one_of(
    st.builds(
        lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}",
        st.integers(0, 9999),
        st.integers(0, 13),
        st.integers(0, 32),
    ),
    st.text(alphabet="0123456789-/年月日 ", max_size=12),
)


def arrow_column(cells: list[str]) -> pd.Series:
    dtype = pd.StringDtype("pyarrow", na_value=np.nan)
    return pd.Series(pa.chunked_array([pa.array(cells, pa.string())]), dtype=dtype)


def _same(got: float, want: float) -> bool:
    if math.isnan(want):
        return math.isnan(got)
    return got == want and math.copysign(1, got) == math.copysign(1, want)


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(CELLS, min_size=1, max_size=40))
def test_amounts_and_numbers_read_what_the_regex_and_float_read(cells: list[str]) -> None:
    for read, match, cents in (
        (typed_cells.money_cents, MONEY, True),
        (typed_cells.numbers, NUMBER, False),
    ):
        values, taken = read(arrow_column(cells))
        for cell, value, took in zip(cells, values, taken, strict=True):
            assert took == (cell == "" or match(cell) is not None), cell
            want = float(cell) if match(cell) else math.nan
            want = float(np.round(want * 100)) if cents else want  # -0 stays -0.0, as before
            assert _same(value, want), (cell, value, want)


def _iso_day(cell: str) -> date | None:
    """The day an ISO cell names, between 1900 and 2199 (as the checked path's fast form reads it)."""
    if not _iso_form(cell):
        return None
    try:
        day = date.fromisoformat(cell)
    except ValueError:
        return None
    return day if 1900 <= day.year <= 2199 else None


def _no_day(cell: str) -> bool:
    """A cell of the ISO form that names no day of the calendar (2024-02-30), whatever its year."""
    year, month, day = (int(part) for part in cell.split("-"))
    if not 1 <= month <= 12:
        return True
    return not 1 <= day <= calendar.monthrange(year or 2000, month)[1]  # year 0 is a leap year


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(DATES, min_size=1, max_size=30))
def test_dates_read_only_real_iso_days(cells: list[str]) -> None:
    values, taken = typed_cells.dates(arrow_column(cells))
    # one cell of the form naming no day leaves every cell of the form to the checked path
    castable = not any(_iso_form(cell) and _no_day(cell) for cell in cells)
    for cell, value, took in zip(cells, values, taken, strict=True):
        day = _iso_day(cell)
        if cell == "":
            assert took and np.isnat(value)
        elif took:
            assert day is not None and pd.Timestamp(value).date() == day, cell
        else:
            assert day is None or not castable, cell


def _iso_form(cell: str) -> bool:
    return re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", cell) is not None


ODD_ORDERS = """订单号,客户编码,订单日期,金额,数量,产品,成本
A1,KH001,2024-03-05,1234.50,3,P1,
A2,KH001,2024年3月5日,"¥1,234.50",2.5,P 2,1000
A3,KH002,2024-02-30,12,x,P3,
A4,KH002, 2024-03-06 ,１２,-0,Ｐ４,-0
A5,KH009,2024-03-07,,4,P5,
A6,KH002,2024/03/08,1e3,٣,P6,12.345
合计,,,1246.50,,,
"""


def _parsed(path: Path, typed: bool) -> tuple[pd.DataFrame, list]:
    raw = read_table(path)
    columns = {
        "order_no": 0,
        "customer_code": 1,
        "order_date": 2,
        "amount": 3,
        "quantity": 4,
        "product": 5,
        "cost": 6,
    }
    [chunk] = list(raw.chunks(typed=typed))
    if typed:
        assert typed_cells.is_typed(chunk[0])
    parsed = parse_chunk(chunk, "orders", columns, raw.headers, "o.csv")
    return parsed.frame, parsed.rejects


def test_odd_cells_parse_the_same_typed_and_untyped(tmp_path: Path) -> None:
    path = write(tmp_path, "o.csv", ODD_ORDERS.replace('"¥1,234.50"', "¥1234.50"))  # no quote
    assert read_table(path).plain
    typed, typed_rejects = _parsed(path, True)
    untyped, untyped_rejects = _parsed(path, False)
    pd.testing.assert_frame_equal(typed, untyped)
    assert typed_rejects == untyped_rejects
    # by hand: row 2 as written; row 3's Chinese date and decorated amount read by the checked path
    assert typed.loc[2, "amount"] == 123450 and typed.loc[3, "amount"] == 123450
    assert typed.loc[3, "order_date"] == pd.Timestamp("2024-03-05")
    assert typed.loc[2, "cost"] is pd.NA and typed.loc[3, "quantity"] == 2.5
    bad = {(r.row, r.column, r.value) for r in typed_rejects}
    assert {(4, "订单日期", "2024-02-30"), (4, "数量", "x"), (6, "金额", "")} <= bad


def test_a_quoted_file_is_not_read_typed(tmp_path: Path) -> None:
    quoted = write(tmp_path, "q.csv", ODD_ORDERS)
    crlf = write(
        tmp_path, "r.csv", "order_no,customer_code,order_date,amount\r\nA1,KH001,2024-01-01,1\r\n"
    )
    apostrophe = write(
        tmp_path, "a.csv", "order_no,customer_code,order_date,amount\n'=A1,KH001,2024-01-01,1\n"
    )
    gbk = tmp_path / "g.csv"
    gbk.write_bytes("订单号,客户编码,订单日期,金额\nA1,KH001,2024-01-01,1\n".encode("gbk"))
    for path in (quoted, crlf, apostrophe, gbk):
        raw = read_table(path)
        assert not raw.plain, path
        [chunk] = list(raw.chunks(typed=True))
        assert chunk[0].dtype == object


@pytest.mark.parametrize(
    "content",
    [
        "Report,,,\n\norder_no,customer_code,order_date,amount\nA1,KH001,2024-01-01,5\n\nA2,KH2,2024-01-02,6\n,,,\n\n",
        "order_no;customer_code;order_date;amount\nA1;KH001; 2024-01-01 ;5\nA2;KH2;2024-01-02;6",
        "order_no\tcustomer_code\torder_date\tamount\n中文,客户,2024年1月2日,¥1\n",
        "order_no,customer_code,order_date,amount\n",
        "order_no,customer_code,order_date,amount\n"
        + "".join(f"A{i},K,2024-01-01,{i}\n" for i in range(7)),
    ],
)
def test_typed_chunks_hold_the_cells_and_rows_pandas_reads(tmp_path: Path, content: str) -> None:
    path = write(tmp_path, "o.csv", content)
    raw = read_table(path)
    assert raw.plain
    for size in (2, 100_000):
        got, got_skipped = _cells(raw, size, typed=True)
        want, want_skipped = _cells(raw, size, typed=False)
        assert got == want and got_skipped == want_skipped


def _cells(raw, size: int, typed: bool) -> tuple[list, SkippedRows]:
    skipped = SkippedRows()
    chunks = [
        (list(c.index), c.astype(object).to_numpy().tolist())
        for c in raw.chunks(size, skipped, typed=typed)
    ]
    return chunks, skipped


def test_a_short_row_fails_the_typed_read(tmp_path: Path) -> None:
    """(pandas pads it with blank cells; a long row widens the header when it is among the first 200 rows, and
    is refused by both below them: test_a_long_row_is_the_message_it_always_was)"""
    path = write(
        tmp_path, "o.csv", "order_no,customer_code,order_date,amount\nA1,KH001,2024-01-01\n"
    )
    with pytest.raises(TypedReadFailed):
        list(read_table(path).chunks(typed=True))


def _stored(engine: Engine) -> list[tuple]:
    with engine.connect() as conn:
        query = "SELECT order_no, customer_id, order_date, amount_cents, cost_cents, due_date FROM orders"
        return [tuple(map(str, r)) for r in conn.execute(text(query + " ORDER BY id"))]


ROWS = [  # rows 2-7 of the file: three chunks of two rows
    "A1,KH001,2024-01-01,100,",
    "A2,KH001,2024-01-02,200,150",
    "A3,KH002,2024-01-03,300,",
    "A4,KH002,2024-01-04,400,",
    "A5,KH001,2024-01-05,500,",
    "A6,KH002,2024-01-06,600,",
]


def orders_file(tmp_path: Path, row: int, instead: str) -> Path:
    """The six orders with the row at ``row`` (of the file) written as ``instead``."""
    rows = [instead if at == row else cells for at, cells in enumerate(ROWS, start=2)]
    return write(
        tmp_path,
        "o.csv",
        "order_no,customer_code,order_date,amount,cost\n" + "\n".join(rows) + "\n",
    )


@pytest.fixture
def book(engine: Engine) -> Engine:
    import_files(engine, [FIXTURES / "customers_gbk.csv"])  # KH001 (30 days' terms), KH002 (60)
    return engine


def test_a_short_row_in_a_later_chunk_imports_as_pandas_reads_it(
    book: Engine, tmp_path: Path
) -> None:
    """Arrow refuses row 7 (four cells of five), after two chunks were written: the file is rolled back and read
    again by pandas, which leaves the missing cost blank, as it always did."""
    path = orders_file(tmp_path, 7, "A6,KH002,2024-01-06,600")
    [summary] = import_files(book, [path], chunk_rows=2)
    assert (summary.rows_read, summary.inserted, summary.rejected) == (6, 6, 0)
    stored = _stored(book)
    assert [r[0] for r in stored] == ["A1", "A2", "A3", "A4", "A5", "A6"]
    assert stored[5][3:] == ("60000", "None", "None")  # no due date given: it follows KH002's terms


def test_a_long_row_below_the_sample_is_a_rejected_row(book: Engine, tmp_path: Path) -> None:
    """A row of more cells than the header, below the 200 rows the header's width is taken from: Arrow refuses
    it, pandas reads on as wide, and the row is rejected as not fitting its header (it was an error about the
    whole file, exit 1); with --on-error skip the other 250 rows are imported."""
    rows = [f"B{i},KH001,2024-01-01,1," for i in range(2, 252)] + ["B252,KH001,2024-01-01,1,,9"]
    header = "order_no,customer_code,order_date,amount,cost\n"
    path = write(tmp_path, "o.csv", header + "\n".join(rows) + "\n")
    with pytest.raises(ImportRejected) as err:
        import_files(book, [path], chunk_rows=100)
    [reject] = err.value.rejects
    assert (reject.row, reject.column, reject.value) == (252, "(column 6, beyond the header)", "9")
    assert reject.reason.startswith("the row has 6 cells, the header names 5")
    assert _stored(book) == []
    [summary] = import_files(book, [path], chunk_rows=100, on_error="skip")
    assert (summary.rows_read, summary.inserted, summary.rejected) == (251, 250, 1)
    assert [r[0] for r in _stored(book)] == [f"B{i}" for i in range(2, 252)]


def test_a_bad_cell_read_typed_is_rejected_with_its_reason(book: Engine, tmp_path: Path) -> None:
    path = orders_file(tmp_path, 4, "A3,KH002,2024-01-03,12abc,")
    with pytest.raises(ImportRejected) as err:
        import_files(book, [path], chunk_rows=2)
    [reject] = err.value.rejects
    assert (reject.row, reject.column, reject.value) == (4, "amount", "12abc")
    assert reject.reason.startswith("not an amount")
    assert _stored(book) == []

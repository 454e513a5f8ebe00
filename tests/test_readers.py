"""kacrm.io.readers: encodings, delimiters, title rows, Excel cells, and one clear error for unreadable files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kacrm.errors import InputError
from kacrm.io.readers import Misfit, read_table

FIXTURES = Path(__file__).parent / "fixtures"


def test_gbk_csv_with_chinese_headers() -> None:
    table = read_table(FIXTURES / "customers_gbk.csv")
    assert table.encoding == "gb18030"  # GB18030 decodes every GBK file identically
    assert table.headers[:3] == ["客户编号", "客户名称", "客户类型"]
    assert table.frame.loc[2, 1] == "苏州和宏包装材料有限公司"
    assert list(table.frame.index) == [2, 3, 4]  # header = row 1
    assert table.frame.loc[4, 5] == ""  # an empty cell is "", never NaN


def test_utf8_bom_is_not_part_of_the_first_header() -> None:
    table = read_table(FIXTURES / "orders_bom.csv")
    assert table.encoding == "utf-8-sig"
    assert table.headers[0] == "订单号"
    assert table.frame.loc[2, 5] == "¥12,345.60"  # the quoted comma stays inside the cell


def test_utf16_tab_separated_txt() -> None:
    table = read_table(FIXTURES / "orders_nokey_utf16.txt")
    assert table.encoding == "utf-16"
    assert table.delimiter == "\t"
    assert table.frame.shape == (3, 4)


@pytest.mark.parametrize(
    ("name", "delimiter"), [("payments.tsv", "\t"), ("interactions_semicolon.csv", ";")]
)
def test_delimiter_is_sniffed(name: str, delimiter: str) -> None:
    table = read_table(FIXTURES / name)
    assert table.delimiter == delimiter
    assert len(table.headers) in (5, 6)


def test_xlsx_title_row_dates_and_numbers() -> None:
    table = read_table(FIXTURES / "contacts_title.xlsx")
    assert table.encoding is None
    assert table.header_row == 2  # the title "2024年客户联系人清单" is row 1
    assert table.headers[:2] == ["客户名称", "联系人"]
    first = table.frame.loc[3]
    assert first[4] == "13800138000"  # a whole number, not "13800138000.0"
    assert first[5] == "1970-03-16"  # an Excel date cell becomes an ISO date
    assert table.frame.loc[4, 5] == "3月5日"


def test_title_row_above_csv_header_and_blank_rows(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "2024年客户清单,,\n客户编号,客户名称,区域\nC1,甲,华东\n,,\n\nC2,乙,华南\n", encoding="utf-8"
    )
    table = read_table(path)
    assert table.header_row == 2
    assert list(table.frame.index) == [
        3,
        6,
    ]  # rows 4 and 5 are empty and dropped; numbering keeps the file's
    assert table.frame.loc[6].tolist() == ["C2", "乙", "华南"]


def test_chunks_cover_the_file_in_order(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("code,name\n" + "".join(f"C{i},n{i}\n" for i in range(25)), encoding="utf-8")
    chunks = list(read_table(path).chunks(size=10))
    assert [len(c) for c in chunks] == [10, 10, 5]
    assert chunks[2].index[-1] == 26  # 25 data rows after the header row 1
    assert chunks[2].iloc[-1].tolist() == ["C24", "n24"]


def test_gbk_file_read_with_the_wrong_encoding_names_the_option() -> None:
    with pytest.raises(InputError, match="--encoding"):
        read_table(FIXTURES / "customers_gbk.csv", encoding="utf-8")


def test_undecodable_bytes_say_which_encoding_to_try(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"code,name\nC1," + b"\x81\xff\xfe\x80\n")
    with pytest.raises(InputError) as err:
        read_table(path)
    assert "bad.csv" in err.value.message and "--encoding" in err.value.message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "empty"),
        (b"\xef\xbb\xbf\r\n", "empty"),
        (b"PK\x03\x04trunc", "Excel"),
    ],
)
def test_unreadable_files_give_one_clear_error(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / ("x.xlsx" if content and content.startswith(b"PK") else "x.csv")
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_table(path)


def test_directory_and_unknown_suffix(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a file"):
        read_table(tmp_path)
    other = tmp_path / "x.pdf"
    other.write_bytes(b"%PDF")
    with pytest.raises(InputError, match="unsupported"):
        read_table(other)


def test_text_file_named_xlsx_is_not_excel(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("code,name\nC1,a\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a readable Excel workbook"):
        read_table(path)


def test_missing_sheet_lists_the_sheets() -> None:
    with pytest.raises(InputError, match="联系人"):
        read_table(FIXTURES / "contacts_title.xlsx", sheet="Sheet9")


def test_a_row_wider_than_the_sample_is_read_whole_and_does_not_fit(tmp_path: Path) -> None:
    """Beyond the 200-row sample a row has 4 cells, the header 2: pandas reads on as wide, and the row is a
    misfit (the import refuses it), its cells cut to the header's two."""
    path = tmp_path / "ragged.csv"
    rows = "".join(f"C{i},n{i}\n" for i in range(300))
    path.write_text("code,name\n" + rows + "C9,n9,extra,cells\nC10,n10\n", encoding="utf-8")
    misfits: dict[int, Misfit] = {}
    frame = pd.concat(read_table(path).chunks(size=100, misfits=misfits))
    assert misfits == {302: Misfit(cells=4, column=2, value="extra")}
    assert list(frame.columns) == [0, 1]
    assert list(frame.index) == list(range(2, 304))  # no row lost or read twice by reading on
    assert frame.loc[302].tolist() == ["C9", "n9"]
    assert frame.loc[303].tolist() == ["C10", "n10"]


def test_a_first_row_wider_than_the_names_given_to_pandas_is_refused_not_cut() -> None:
    """pandas drops the third cell of "1,2,3" read with two names, with only a ParserWarning: the reader makes
    that warning an error (the file is then refused), and only while pandas reads."""
    import io
    import warnings

    from kacrm.io.readers import _refusing_lost_cells

    def chunks(text: str):
        return pd.read_csv(
            io.StringIO(text), header=None, names=range(2), index_col=False, chunksize=10
        )

    with pytest.raises(pd.errors.ParserWarning):
        list(_refusing_lost_cells(chunks("1,2,3\n4,5\n")))
    [fitting] = list(_refusing_lost_cells(chunks("1,2\n4,5\n")))
    assert fitting.values.tolist() == [[1, 2], [4, 5]]
    with warnings.catch_warnings(record=True) as caught:  # the filter is not left on between chunks
        warnings.simplefilter("default")
        reading = _refusing_lost_cells(chunks("1,2\n"))
        next(reading)
        warnings.warn("elsewhere", pd.errors.ParserWarning, stacklevel=1)
    assert [str(w.message) for w in caught] == ["elsewhere"]

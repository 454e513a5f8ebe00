"""`kacrm import` fed broken and absurd Excel files (hypothesis): what tests/test_cli_import.py's messy CSV text
does not reach. Real workbooks are written with openpyxl, then cut short or given absurd cells, wrong columns, or
replaced by random bytes.

The property, for every file: exit 0, 1 or 3; never a traceback (no exception but SystemExit); on exit 1 one line
on stderr, "Error: ...", naming the file; on exit 3 the bad rows on stderr; nothing written unless exit 0, and on
exit 0 a JSON summary whose counts add up to the rows read and match what the tables gained.
"""

from __future__ import annotations

import io
import json
import math
from datetime import date, datetime
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from typer.testing import CliRunner

from kacrm.cli.app import app
from kacrm.store.engine import make_engine

FIXTURES = Path(__file__).parent / "fixtures"
TABLES = {
    "customers": "customer",
    "contacts": "contact",
    "orders": "orders",
    "payments": "payment",
    "interactions": "interaction",
}
FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def table_counts(db_url: str) -> dict[str, int]:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            return {
                t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                for t in (*TABLES.values(), "import_batch")
            }
    finally:
        engine.dispose()


@pytest.fixture
def seeded_db(tmp_path: Path) -> str:
    """A SQLite database with the customers KH001-KH003 (the GBK fixture), for orders to name."""
    url = f"sqlite:///{tmp_path / 'fuzz.db'}"
    result = CliRunner().invoke(app, ["--db", url, "import", str(FIXTURES / "customers_gbk.csv")])
    assert result.exit_code == 0, result.stderr
    return url


def workbook_bytes(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@cache
def good_workbooks() -> dict[str, bytes]:
    """Real, valid workbooks (each imports with exit 0 into the seeded database)."""
    orders = [["order_no", "customer_code", "order_date", "amount", "quantity", "product"]]
    orders += [
        [
            f"X-{i:03d}",
            f"KH00{i % 3 + 1}",
            date(2025, 1 + i % 12, 1 + i % 28),
            100.5 + i,
            i % 9 + 1,
            f"产品{i}",
        ]
        for i in range(60)
    ]
    customers = [["客户编号", "客户名称", "区域", "联系人", "生日"]]
    customers += [
        [f"FZ{i:03d}", f"模糊测试客户{i}", "华东", f"联系人{i}", date(1980, 1 + i % 12, 1 + i % 28)]
        for i in range(60)
    ]
    return {"orders": workbook_bytes(orders), "customers": workbook_bytes(customers)}


def check_import(db_url: str, path: Path, *args: str) -> tuple[int, str]:
    """Import ``path`` and check the property; (exit code, stderr)."""
    before = table_counts(db_url)
    result = CliRunner().invoke(
        app, ["--db", db_url, "import", str(path), "--format", "json", *args]
    )
    assert result.exit_code in (0, 1, 3), (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.stderr
    after = table_counts(db_url)
    if result.exit_code == 0:
        [summary] = json.loads(result.stdout)
        counted = (
            summary["inserted"] + summary["updated"] + summary["unchanged"] + summary["rejected"]
        )
        assert counted == summary["rows_read"], summary
        table = TABLES[summary["kind"]]
        assert after[table] - before[table] == summary["inserted"], (summary, before, after)
        assert after["import_batch"] == before["import_batch"] + 1
    else:
        assert after == before, result.stderr
        if result.exit_code == 1:
            assert result.stdout == ""
        else:  # rejected rows: the summary says what was refused, and that nothing was written
            [summary] = json.loads(result.stdout)
            assert summary["rejected"] >= 1 and summary["inserted"] == summary["updated"] == 0, (
                summary
            )
        lines = result.stderr.strip().splitlines()
        if result.exit_code == 1:
            assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
            assert path.name in lines[0]
        else:
            assert len(lines) >= 2 and lines[-1].startswith("Error: "), result.stderr
    return result.exit_code, result.stderr


@FUZZ
@given(which=st.sampled_from(["orders", "customers"]), data=st.data())
def test_truncated_workbooks(
    seeded_db: str, tmp_path: Path, which: str, data: st.DataObject
) -> None:
    whole = good_workbooks()[which]
    cut = data.draw(st.integers(min_value=0, max_value=len(whole) - 1), label="cut")
    path = tmp_path / f"{which}.xlsx"
    path.write_bytes(whole[:cut])
    code, stderr = check_import(seeded_db, path)
    assert code == 1, stderr  # a workbook cut short is unreadable (its zip directory is at the end)


@FUZZ
@given(which=st.sampled_from(["orders", "customers"]), data=st.data())
def test_workbooks_with_damaged_bytes(
    seeded_db: str, tmp_path: Path, which: str, data: st.DataObject
) -> None:
    whole = bytearray(good_workbooks()[which])
    for _ in range(data.draw(st.integers(1, 4), label="damages")):
        at = data.draw(st.integers(0, len(whole) - 1), label="at")
        whole[at] = data.draw(st.integers(0, 255), label="byte")
    path = tmp_path / f"{which}.xlsx"
    path.write_bytes(bytes(whole))
    check_import(seeded_db, path)


def _row_cells() -> st.SearchStrategy[object]:
    return st.one_of(
        st.sampled_from(
            [
                None,
                "",
                "KH001",
                "KH002",
                "NOBODY",
                "2025-03-05",
                "=1/0",
                "=SUM(A1:A9)",
                '=HYPERLINK("http://x","y")',
                "-5",
                "1e400",
                "¥1,234.50",
                "1.5万",
                "x" * 32_000,
                "客户" * 5_000,
                " ",
                "#N/A",
                "TRUE",
            ]
        ),
        st.sampled_from(
            [
                10**20,
                -(10**20),
                2**63,
                -(2**63) - 1,
                1e308,
                -1e308,
                5e-324,
                math.nan,
                math.inf,
                -math.inf,
                -5,
                0,
                -0.0,
                0.1 + 0.2,
                123456789.123456789,
                True,
                False,
            ]
        ),
        st.sampled_from(
            [
                datetime(9999, 12, 31, 23, 59, 59),
                date(9999, 12, 31),
                datetime(1900, 1, 1),
                date(1900, 2, 28),
                datetime(2025, 3, 5, 12, 30),
            ]
        ),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=20),
    )


ORDER_FIELDS = [
    "order_no",
    "customer_code",
    "order_date",
    "amount",
    "quantity",
    "product",
    "cost",
    "due_date",
    "status",
]
UNKNOWN = ["mystery", "备注2", "Unnamed: 3", "amount_usd", "##"]


@FUZZ
@given(
    headers=st.one_of(
        st.lists(st.sampled_from(ORDER_FIELDS + UNKNOWN), min_size=1, max_size=8, unique=True),
        # the columns an orders file needs, then others: the absurd cells reach the value parsers
        st.lists(st.sampled_from(ORDER_FIELDS[4:] + UNKNOWN), max_size=4, unique=True).map(
            lambda extra: ORDER_FIELDS[:4] + extra
        ),
    ),
    rows=st.lists(st.lists(_row_cells(), min_size=0, max_size=9), min_size=0, max_size=6),
    kind=st.sampled_from([None, "orders", "customers"]),
    on_error=st.sampled_from(["abort", "skip"]),
)
def test_workbooks_with_absurd_cells_and_wrong_columns(
    seeded_db: str,
    tmp_path: Path,
    headers: list[str],
    rows: list[list[object]],
    kind: str | None,
    on_error: str,
) -> None:
    path = tmp_path / "absurd.xlsx"
    path.write_bytes(workbook_bytes([headers, *rows]))
    check_import(seeded_db, path, "--on-error", on_error, *(["--kind", kind] if kind else []))


@FUZZ
@given(
    data=st.one_of(
        st.binary(max_size=400),
        st.binary(max_size=400).map(lambda b: b"PK\x03\x04" + b),  # looks like a zip at first
    )
)
def test_random_bytes_named_xlsx(seeded_db: str, tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "random.xlsx"
    path.write_bytes(data)
    code, stderr = check_import(seeded_db, path)
    assert code == 1, stderr


@pytest.mark.parametrize("kind", [[], ["--kind", "orders"]])
@pytest.mark.parametrize("missing", ["customer_code", "amount", "order_date"])
def test_missing_required_column_is_one_clear_error(
    seeded_db: str, tmp_path: Path, missing: str, kind: list[str]
) -> None:
    headers = ["order_no", "customer_code", "order_date", "amount", "mystery"]
    row = ["M-1", "KH001", date(2025, 3, 5), 99.5, "extra"]
    keep = [i for i, h in enumerate(headers) if h != missing]
    path = tmp_path / "missing.xlsx"
    path.write_bytes(workbook_bytes([[headers[i] for i in keep], [row[i] for i in keep]]))
    code, stderr = check_import(seeded_db, path, *kind)
    assert code == 1, stderr
    assert f"no column for {missing}" in stderr


def test_extra_unknown_columns_are_reported_not_dropped(seeded_db: str, tmp_path: Path) -> None:
    path = tmp_path / "extra.xlsx"
    path.write_bytes(
        workbook_bytes(
            [
                ["order_no", "customer_code", "order_date", "amount", "mystery", "备注2"],
                ["E-1", "KH002", date(2025, 4, 1), 10, "a", "b"],
            ]
        )
    )
    result = CliRunner().invoke(app, ["--db", seeded_db, "import", str(path), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    [summary] = json.loads(result.stdout)
    assert summary["inserted"] == 1
    assert set(summary["unknown_columns"]) == {"mystery", "备注2"}


def test_workbook_with_a_header_and_no_rows_imports_nothing(seeded_db: str, tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    path.write_bytes(workbook_bytes([["order_no", "customer_code", "order_date", "amount"]]))
    code, stderr = check_import(seeded_db, path)
    assert code == 0, stderr

"""A re-import tells a chunk stored exactly as the file gives it inside SQLite (kacrm.store.same_rows, issue 19):
each row as a JSON array, the stored range's and the new rows' texts compared whole. It may only ever say "all the
same" when the row-by-row comparison would call every row unchanged: a row changed since by another command or
file, a value SQLite or JSON writes otherwise, another order, a missing or extra row must each send the chunk
row by row, and the re-import must then put the file's values back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, text
from test_importer import FIXTURES, dump, write

from kacrm.app.imports import import_files
from kacrm.store import bulk
from kacrm.store.models import Order
from kacrm.store.same_rows import stored_as_given

HEADER = "order_no,customer_code,order_date,amount,quantity,product,cost\n"
ROWS = [
    "A1,KH001,2024-01-01,100.50,3,纸箱,",
    "A2,KH002,2024-01-02,200,,P-2,150",
    "A3,KH001,2024-01-03,300,4.0,,",
]


@pytest.fixture
def book(engine: Engine, tmp_path: Path) -> Engine:
    """The fixture customers and the three orders of ROWS, imported as a file."""
    import_files(engine, [FIXTURES / "customers_gbk.csv"])
    import_files(engine, [write(tmp_path, "o.csv", HEADER + "\n".join(ROWS) + "\n")])
    return engine


def customer_id(engine: Engine, code: str) -> int:
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT id FROM customer WHERE code = :c"), {"c": code}
        ).scalar_one()


def new_rows(engine: Engine) -> pd.DataFrame:
    """ROWS as the orders writer hands them over (kacrm.store.import_write._orders), written out by hand: the
    columns the file gives and the customer ids, in the types the check gives (a due date only when the file
    gives one: the others follow the customer's terms, docs/credit.md)."""
    kh1, kh2 = customer_id(engine, "KH001"), customer_id(engine, "KH002")
    days = pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"])
    return pd.DataFrame(
        {
            "order_no": pd.Series(["A1", "A2", "A3"], dtype=object),
            "customer_id": pd.Series([kh1, kh2, kh1], dtype="int64"),
            "order_date": days,
            "amount_cents": pd.array([10050, 20000, 30000], dtype="Int64"),
            "quantity": [3.0, float("nan"), 4.0],
            "product": pd.Series(["纸箱", "P-2", None], dtype=object),
            "cost_cents": pd.array([None, 15000, None], dtype="Int64"),
        }
    )


def told(engine: Engine, rows: pd.DataFrame) -> bool:
    with engine.connect() as conn:
        return stored_as_given(conn, Order.__table__, rows, 1, 3)


def change(engine: Engine, sql: str, **params: object) -> None:
    with engine.begin() as conn:
        conn.execute(text(sql), params)


def orders(engine: Engine) -> dict[str, tuple]:
    with engine.connect() as conn:
        found = conn.execute(
            text(
                "SELECT order_no, order_date, amount_cents, quantity, product, cost_cents FROM orders"
            )
        ).all()
    return {r[0]: (str(r[1]), r[2], r[3], r[4], r[5]) for r in found}


STORED = {  # what ROWS store, by hand
    "A1": ("2024-01-01", 10050, 3.0, "纸箱", None),
    "A2": ("2024-01-02", 20000, None, "P-2", 15000),
    "A3": ("2024-01-03", 30000, 4.0, None, None),
}


# The chunk is told inside SQLite only (PostgreSQL compares it row by row): these tests run on SQLite alone
sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def sqlite_book(book: Engine) -> Engine:
    assert book.dialect.name == "sqlite"
    return book


@sqlite_only
def test_rows_stored_as_the_file_gives_them_are_told_in_one_query(sqlite_book: Engine) -> None:
    rows = new_rows(sqlite_book)
    assert told(sqlite_book, rows)
    # texts held by Arrow (pandas' str dtype), as a typed read gives them, and integers with no blank
    assert told(sqlite_book, rows.astype({"order_no": "str", "product": "str"}))
    assert told(sqlite_book, rows.astype({"amount_cents": "int64", "cost_cents": "float64"}))


@sqlite_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE orders SET amount_cents = 10051 WHERE order_no = 'A1'",
        "UPDATE orders SET order_date = '2024-01-04' WHERE order_no = 'A3'",
        # a real that 15 significant digits would write as 3.0
        "UPDATE orders SET quantity = 3.0000000000000004 WHERE order_no = 'A1'",
        "UPDATE orders SET quantity = 3.5 WHERE order_no = 'A1'",
        "UPDATE orders SET product = '纸箱 ' WHERE order_no = 'A1'",
        "UPDATE orders SET product = NULL WHERE order_no = 'A2'",
        "UPDATE orders SET cost_cents = 1 WHERE order_no = 'A1'",
        "UPDATE orders SET customer_id = customer_id + 1 WHERE order_no = 'A2'",
        "UPDATE orders SET order_no = 'A9' WHERE order_no = 'A3'",
        "DELETE FROM orders WHERE order_no = 'A2'",
        # a text SQLite stores as a blob, whose bytes are the file's text
        "UPDATE orders SET product = CAST('P-2' AS BLOB) WHERE order_no = 'A2'",
        "UPDATE orders SET order_date = 20240101 WHERE order_no = 'A1'",
    ],
)
def test_a_row_changed_since_by_another_command_is_not_told_the_same(
    sqlite_book: Engine, sql: str
) -> None:
    change(sqlite_book, sql)
    assert not told(sqlite_book, new_rows(sqlite_book))


@sqlite_only
def test_a_blank_new_quantity_matches_a_stored_one_that_is_no_whole_number(
    sqlite_book: Engine,
) -> None:
    """A REAL column is written as the integer it equals, or null: a blank cell, which keeps what is stored
    (kacrm.store.bulk.diff), matches a stored 2.5, and its row is unchanged either way."""
    change(sqlite_book, "UPDATE orders SET quantity = 2.5 WHERE order_no = 'A2'")
    assert told(sqlite_book, new_rows(sqlite_book))


def test_blank_cells_over_stored_values_go_row_by_row_and_stay_unchanged(
    book: Engine, tmp_path: Path
) -> None:
    change(book, "UPDATE orders SET cost_cents = 777 WHERE order_no = 'A3'")  # the file: no cost
    change(book, "UPDATE orders SET quantity = 2.5 WHERE order_no = 'A2'")  # nor a quantity
    if book.dialect.name == "sqlite":
        assert not told(book, new_rows(book))
    [summary] = import_files(book, [write(tmp_path, "o.csv", HEADER + "\n".join(ROWS) + "\n")])
    assert (summary.inserted, summary.updated, summary.unchanged) == (0, 0, 3)
    assert orders(book) == {
        **STORED,
        "A2": ("2024-01-02", 20000, 2.5, "P-2", 15000),
        "A3": ("2024-01-03", 30000, 4.0, None, 777),
    }


@sqlite_only
@pytest.mark.parametrize("product", ['P"2', "P\\2", "P\n2", "P\t2"])
def test_texts_json_would_escape_are_left_to_the_row_by_row_comparison(
    sqlite_book: Engine, product: str
) -> None:
    change(sqlite_book, "UPDATE orders SET product = :p WHERE order_no = 'A2'", p=product)
    rows = new_rows(sqlite_book)
    rows.loc[1, "product"] = product
    assert not told(sqlite_book, rows)
    with sqlite_book.connect() as conn:
        assert bulk.unchanged_rows(conn, Order.__table__, "order_no", rows).tolist() == [True] * 3


@sqlite_only
def test_rows_in_another_order_or_values_it_cannot_write_are_not_told(sqlite_book: Engine) -> None:
    rows = new_rows(sqlite_book)
    assert not told(sqlite_book, rows.iloc[[1, 0, 2]].reset_index(drop=True))
    assert not told(sqlite_book, rows.iloc[:2])  # the range holds a third row
    assert not told(sqlite_book, rows.assign(quantity=[3.0, float("nan"), 4.25]))
    assert not told(sqlite_book, rows.assign(quantity=[3.0, float("nan"), 2.0**53]))


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_postgresql_compares_row_by_row(book: Engine) -> None:
    assert book.dialect.name == "postgresql"
    assert not told(book, new_rows(book))


def test_a_reimport_puts_back_what_another_command_changed(book: Engine, tmp_path: Path) -> None:
    """The file is the same: the rows changed in the database since are updated back to its values, the others
    are unchanged and untouched."""
    change(
        book,
        "UPDATE orders SET amount_cents = 1, quantity = 3.0000000000000004 WHERE order_no = 'A1'",
    )
    change(book, "UPDATE orders SET order_date = '2023-12-31' WHERE order_no = 'A3'")
    [summary] = import_files(book, [write(tmp_path, "o.csv", HEADER + "\n".join(ROWS) + "\n")])
    assert (summary.inserted, summary.updated, summary.unchanged) == (0, 2, 1)
    assert orders(book) == STORED


def test_a_reimport_with_changed_and_new_rows_in_chunks(
    book: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """40 orders in chunks of 10: a changed amount in the first chunk, a changed date in the second, a row
    changed in the database in the third, the fourth as stored, two new rows after. On SQLite only the fourth
    chunk is told the same in one query; on both backends the counts and the stored rows are the same."""
    lines = [f"B{i:02},KH00{1 + i % 2},2024-02-{1 + i % 28:02},{100 + i},,,\n" for i in range(40)]
    path = write(tmp_path, "b.csv", HEADER + "".join(lines))
    import_files(book, [path], chunk_rows=10)
    change(book, "UPDATE orders SET amount_cents = 5 WHERE order_no = 'B25'")
    lines[4] = "B04,KH001,2024-02-05,104.99,,,\n"  # was 104
    lines[17] = "B17,KH002,2024-03-18,117,,,\n"  # was 2024-02-18
    lines += ["B40,KH001,2024-02-13,140,,,\n", "B41,KH002,2024-02-14,141,,,\n"]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    before = dump(book)
    proven: list[bool] = []

    def spy(*args: object) -> bool:
        proven.append(stored_as_given(*args))  # type: ignore[arg-type]
        return proven[-1]

    monkeypatch.setattr(bulk, "stored_as_given", spy)
    [summary] = import_files(book, [path], chunk_rows=10)
    assert (summary.rows_read, summary.inserted, summary.updated, summary.unchanged) == (
        42,
        2,
        3,
        37,
    )
    if book.dialect.name == "sqlite":
        assert proven == [
            False,
            False,
            False,
            True,
        ]  # the fifth chunk's keys are not stored: no range
    found = orders(book)
    assert found["B04"] == ("2024-02-05", 10499, None, None, None)
    assert found["B17"] == ("2024-03-18", 11700, None, None, None)
    assert found["B25"] == ("2024-02-26", 12500, None, None, None)
    assert found["B40"] == ("2024-02-13", 14000, None, None, None)
    after = dump(book)
    untouched = {f"B{i:02}" for i in range(40)} - {"B04", "B17", "B25"}
    assert [r for r in after["orders"] if r[1] in untouched] == [
        r for r in before["orders"] if r[1] in untouched
    ]
    assert date.fromisoformat(found["B41"][0]) == date(2024, 2, 14)

"""Orders, payments and interactions are checked and written a chunk at a time (issue 19); the answers must be those
of a file checked whole: on both backends, with chunks of two rows set through ``import_files(chunk_rows=...)``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from test_importer import FIXTURES, dump, write

from kacrm.app.imports import import_files
from kacrm.errors import ImportRejected

HEADER = "order_no,customer_code,order_date,amount,cost\n"
GOOD = [  # rows 2-7 of the file: three chunks of two rows
    "A1,KH001,2024-01-01,100,",
    "A2,KH001,2024-01-02,200,150",
    "A3,KH002,2024-01-03,300,",
    "A4,KH002,2024-01-04,400,",
    "A5,KH001,2024-01-05,500,",
    "A6,KH002,2024-01-06,600,",
]


def orders(engine: Engine) -> dict[str, tuple]:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT order_no, amount_cents, cost_cents, due_date FROM orders")
        ).all()
    return {r[0]: (r[1], r[2], str(r[3])) for r in rows}


@pytest.fixture
def book(engine: Engine) -> Engine:
    import_files(engine, [FIXTURES / "customers_gbk.csv"])  # KH001 (30 days' terms), KH002 (60)
    return engine


def test_chunks_give_the_rows_and_counts_of_a_whole_file(book: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, "o.csv", HEADER + "\n".join(GOOD) + "\n")
    [summary] = import_files(book, [path], chunk_rows=2)
    assert (summary.rows_read, summary.inserted, summary.unchanged) == (6, 6, 0)
    found = orders(book)
    assert found["A2"] == (20000, 15000, "None")  # no due date given: it follows the terms
    assert found["A6"] == (60000, None, "None")
    changed = [*GOOD[:4], "A5,KH001,2024-01-05,555,", GOOD[5]]
    path.write_text(HEADER + "\n".join(changed) + "\n", encoding="utf-8")
    [again] = import_files(book, [path], chunk_rows=2)
    assert (again.inserted, again.updated, again.unchanged) == (0, 1, 5)
    assert orders(book)["A5"][0] == 55500


def test_a_reimport_in_another_order_tells_each_row_by_its_key(
    book: Engine, tmp_path: Path
) -> None:
    """A re-import reads the stored rows of a chunk by the range of ids of its first and last keys when the rows
    lie there; rows of the chunk stored elsewhere, rows of other keys in that range and new rows must all still be
    told apart by key."""
    path = write(tmp_path, "o.csv", HEADER + "\n".join(GOOD) + "\n")
    import_files(book, [path], chunk_rows=2)  # ids 1-6 in file order
    # chunks (A1, A6): the range of ids 1-6 is three times the chunk, so each key is looked up; (A3, A2): ids 3
    # and 2, the range 2-3 holds exactly the chunk, in the other order; (A7, A5): A7 is new, the range is A5's
    # alone; A4 is left out of the file
    again = [
        GOOD[0],
        GOOD[5],
        GOOD[2],
        "A2,KH001,2024-01-02,222,150",
        "A7,KH002,2024-01-07,700,",
        GOOD[4],
    ]
    path.write_text(HEADER + "\n".join(again) + "\n", encoding="utf-8")
    [summary] = import_files(book, [path], chunk_rows=2)
    assert (summary.inserted, summary.updated, summary.unchanged) == (1, 1, 4)
    found = orders(book)
    assert found["A2"] == (22200, 15000, "None")
    assert found["A7"] == (70000, None, "None")
    assert found["A4"] == (40000, None, "None")  # kept as it was


def test_a_bad_row_in_a_later_chunk_leaves_the_database_as_it_was(
    book: Engine, tmp_path: Path
) -> None:
    customers = write(tmp_path, "c.csv", "客户编码,客户名称\nKH009,九号客户有限公司\n")
    bad = [*GOOD[:5], "A6,KH009,2024-13-01,600,"]  # row 7, the third chunk: no 13th month
    path = write(tmp_path, "o.csv", HEADER + "\n".join(bad) + "\n")
    before = dump(book)
    with pytest.raises(ImportRejected) as err:
        import_files(book, [customers, path], chunk_rows=2)
    [reject] = err.value.rejects
    assert (reject.file, reject.row, reject.column, reject.value) == (
        str(path),
        7,
        "order_date",
        "2024-13-01",
    )
    assert dump(book) == before  # neither the customers file nor the first chunks were kept
    calls: list[tuple[int, int]] = []
    [_, skipped] = import_files(
        book,
        [customers, path],
        chunk_rows=2,
        on_error="skip",
        progress=lambda done, total: calls.append((done, total)),
    )
    assert (skipped.inserted, skipped.rejected) == (5, 1)
    assert (
        calls[-1][0] == calls[-1][1] == 3 * (1 + 6)
    )  # every row of both files read, checked, written
    assert sorted(orders(book)) == ["A1", "A2", "A3", "A4", "A5"]


def test_a_key_repeated_across_chunks_is_one_order(book: Engine, tmp_path: Path) -> None:
    # A1 in the first chunk without a cost, again in the second with one: the same order, its cost filled in
    rows = [*GOOD[:3], "A1,KH001,2024-01-01,100.00,80"]
    path = write(tmp_path, "o.csv", HEADER + "\n".join(rows) + "\n")
    [summary] = import_files(book, [path], chunk_rows=2)
    assert (summary.rows_read, summary.inserted, summary.unchanged) == (4, 3, 1)
    assert orders(book)["A1"] == (10000, 8000, "None")
    with book.connect() as conn:
        batches = conn.execute(
            text("SELECT inserted, unchanged FROM import_batch ORDER BY id")
        ).all()
    assert list(map(tuple, batches))[-1] == (3, 1)  # one batch row, not one per attempt


def test_a_key_repeated_across_chunks_with_other_content_is_rejected(
    book: Engine, tmp_path: Path
) -> None:
    rows = [*GOOD[:3], "A2,KH001,2024-01-02,999,150"]  # row 5 (2nd chunk) repeats row 3 (1st)
    path = write(tmp_path, "o.csv", HEADER + "\n".join(rows) + "\n")
    before = dump(book)
    with pytest.raises(ImportRejected) as err:
        import_files(book, [path], chunk_rows=2)
    [reject] = err.value.rejects
    assert reject.row == 5 and "row 3" in reject.reason and "amount" in reject.reason
    assert dump(book) == before


def test_sqlite_checks_foreign_keys_again_after_an_import(book: Engine, tmp_path: Path) -> None:
    # the import turns SQLite's checks off while it writes; the pooled connection must get them back, also when
    # the import is rejected
    path = write(tmp_path, "o.csv", HEADER + "\n".join(GOOD) + "\n")
    import_files(book, [path], chunk_rows=2)
    bad = write(tmp_path, "bad.csv", HEADER + "A7,KH001,2024-13-01,700,\n")
    with pytest.raises(ImportRejected):
        import_files(book, [bad], chunk_rows=2)
    if book.dialect.name != "sqlite":
        return
    with book.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


@pytest.fixture
def refusing(book: Engine) -> Iterator[Engine]:
    """The book with a rule of the database (a CHECK a DBA added; a trigger on SQLite) refusing orders of ¥300 or
    more: A3 to A6 of GOOD, the second chunk on."""
    sqlite = book.dialect.name == "sqlite"
    with book.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TRIGGER small BEFORE INSERT ON orders WHEN NEW.amount_cents >= 30000 "
            "BEGIN SELECT RAISE(ABORT, 'amount too large: small'); END"
            if sqlite
            else "ALTER TABLE orders ADD CONSTRAINT small CHECK (amount_cents < 30000)"
        )
    yield book
    with book.begin() as conn:  # the PostgreSQL test database outlives the test
        conn.exec_driver_sql(
            "DROP TRIGGER small" if sqlite else "ALTER TABLE orders DROP CONSTRAINT small"
        )


def test_a_database_error_while_a_file_streams_is_reported_as_itself(
    refusing: Engine, tmp_path: Path
) -> None:
    # the error raised must be that refusal, not one about the savepoint the file was written under, and raised as
    # SQLAlchemy raises a database error (the CLI turns those into one message)
    path = write(tmp_path, "o.csv", HEADER + "\n".join(GOOD) + "\n")
    before = dump(refusing)
    with pytest.raises(DBAPIError, match="small"):
        import_files(refusing, [path], chunk_rows=2)
    assert dump(refusing) == before


def test_a_database_error_while_importing_is_one_message_not_a_traceback(
    refusing: Engine, run, tmp_path: Path
) -> None:
    path = write(tmp_path, "o.csv", HEADER + "\n".join(GOOD) + "\n")
    result = run("import", str(path))
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), result.exception
    assert "small" in result.stderr and "Traceback" not in result.stderr

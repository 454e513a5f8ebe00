"""kacrm.io.importer on both backends: keys, upsert counts, atomicity, content keys, customers by name or code."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text

from kacrm.app.imports import import_files
from kacrm.errors import ImportRejected, InputError, UsageError
from kacrm.store.models import Contact, Customer, ImportBatch, Interaction, Order, Payment

FIXTURES = Path(__file__).parent / "fixtures"
TABLES = ("customer", "contact", "orders", "payment", "interaction", "import_batch")


def dump(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table the importer writes, sorted: the whole state, for before/after comparisons."""
    with engine.connect() as conn:
        return {
            t: sorted(map(tuple, conn.execute(text(f"SELECT * FROM {t}"))), key=repr)
            for t in TABLES
        }


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def customers(engine: Engine) -> dict[str, Customer]:
    with engine.connect() as conn:
        return {row.code: row for row in conn.execute(select(Customer.__table__))}


def load_fixture_book(engine: Engine) -> None:
    import_files(engine, [FIXTURES / "customers_gbk.csv"])


def test_gbk_customers_file_with_inline_key_person(engine: Engine) -> None:
    [summary] = import_files(engine, [FIXTURES / "customers_gbk.csv"])
    assert (summary.kind, summary.rows_read, summary.inserted, summary.rejected) == (
        "customers",
        3,
        3,
        0,
    )
    found = customers(engine)
    assert found["KH001"].name == "苏州和宏包装材料有限公司"
    assert (found["KH002"].type, found["KH003"].type) == ("channel", "consumer")  # 经销商, 个人
    assert found["KH001"].payment_terms_days == 30  # "30天"
    assert found["KH001"].phone == "051266881234"
    # referrers: KH002 names KH001 by code, KH003 names KH002 by name
    assert found["KH002"].referred_by_id == found["KH001"].id
    assert found["KH003"].referred_by_id == found["KH002"].id
    with engine.connect() as conn:
        people = {r.name: r for r in conn.execute(select(Contact.__table__))}
    assert set(people) == {"曹敏华", "周杰"}
    cao, zhou = people["曹敏华"], people["周杰"]
    assert cao.is_primary and cao.customer_id == found["KH001"].id
    assert (
        cao.phone == "13800138000" and cao.birthday == date(1970, 3, 16) and cao.birthday_has_year
    )
    assert zhou.birthday == date(2000, 3, 5) and not zhou.birthday_has_year  # 3月5日, no year
    assert (zhou.lunar_birthday_month, zhou.lunar_birthday_day, zhou.lunar_birthday_leap) == (
        8,
        15,
        False,
    )


@pytest.fixture(params=["scan", "lookup"])
def stored_rows_read_by(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways kacrm.store.bulk.existing_rows reads what a file's rows are compared with: one scan of the table
    (chosen when the file's keys are many against the table) or a lookup of the keys in chunks."""
    from kacrm.store import bulk

    monkeypatch.setattr(bulk, "SCAN_RATIO", 10**9 if request.param == "scan" else 0)
    return request.param


def test_reimport_is_idempotent_and_counts_unchanged(
    engine: Engine, stored_rows_read_by: str
) -> None:
    files = [
        FIXTURES / "customers_gbk.csv",
        FIXTURES / "orders_bom.csv",
        FIXTURES / "payments.tsv",
        FIXTURES / "interactions_semicolon.csv",
        FIXTURES / "contacts_title.xlsx",
    ]
    first = import_files(engine, files)
    # the two people of the contacts file came in as the customers' key persons: updated, not inserted
    assert [(s.inserted, s.updated) for s in first] == [(3, 0), (3, 0), (2, 0), (2, 0), (0, 2)]
    before = dump(engine)
    second = import_files(engine, files)
    assert [(s.inserted, s.updated, s.unchanged) for s in second] == [
        (0, 0, 3),
        (0, 0, 3),
        (0, 0, 2),
        (0, 0, 2),
        (0, 0, 2),
    ]
    after = dump(engine)
    assert {t: after[t] for t in TABLES if t != "import_batch"} == {
        t: before[t] for t in TABLES if t != "import_batch"
    }
    assert len(after["import_batch"]) == 2 * len(files)  # one batch row per file and run


def test_order_values_and_due_date_from_terms(engine: Engine) -> None:
    load_fixture_book(engine)
    [summary] = import_files(engine, [FIXTURES / "orders_bom.csv"])
    assert summary.kind == "orders"
    with engine.connect() as conn:
        orders = {r.order_no: r for r in conn.execute(select(Order.__table__))}
        batch = conn.execute(
            select(ImportBatch.id).where(ImportBatch.kind == "orders")
        ).scalar_one()
    so1, so2, so3 = orders["SO-001"], orders["SO-002"], orders["SO-003"]
    assert (so1.amount_cents, so1.cost_cents, so1.quantity) == (
        1_234_560,
        800_000,
        100.0,
    )  # ¥12,345.60, 8000
    assert so2.amount_cents == 1_500_000 and so2.cost_cents is None  # 1.5万 = 15,000.00
    assert (
        so3.order_date == date(2024, 3, 7) and so3.amount_cents == 123_400
    )  # 2024年3月7日, 1234元
    # no due date in the file: none stored, the ledger dates them by the customer's terms in force
    assert so1.due_date is None and so2.due_date is None
    due = ledger_due_dates(engine)
    assert due["SO-001"] == date(2024, 4, 4)  # KH001: 30 days after 2024-03-05
    assert due["SO-002"] == date(2024, 5, 5)  # KH002: 60 days after 2024-03-06
    assert {o.import_batch_id for o in orders.values()} == {batch}


def ledger_due_dates(engine: Engine) -> dict[str, date]:
    """Each order's due date as the credit ledger reads it (kacrm.app.credit.load_book)."""
    from kacrm.app.credit import load_book
    from kacrm.config import Settings

    items = load_book(engine, Settings(), date(2030, 1, 1)).ledger.items
    return dict(zip(items["order_no"], items["due_date"], strict=True))


def test_due_date_left_empty_without_terms(engine: Engine, tmp_path: Path) -> None:
    load_fixture_book(engine)  # KH003 has no payment terms
    path = write(
        tmp_path, "o.csv", "order_no,customer_code,order_date,amount\nX1,KH003,2024-01-01,10\n"
    )
    import_files(engine, [path])
    with engine.connect() as conn:
        assert conn.execute(select(Order.due_date)).scalar_one() is None


def test_identical_orders_without_numbers_are_both_kept_once(engine: Engine) -> None:
    load_fixture_book(engine)
    [first] = import_files(engine, [FIXTURES / "orders_nokey_utf16.txt"])
    assert (first.inserted, first.unchanged) == (3, 0)
    [second] = import_files(engine, [FIXTURES / "orders_nokey_utf16.txt"])
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, 3)
    with engine.connect() as conn:
        rows = conn.execute(select(Order.order_no, Order.amount_cents, Order.order_date)).all()
    assert len(rows) == 3
    assert all(no.startswith("~") and len(no) == 17 for no, _, _ in rows)
    assert sorted(a for _, a, _ in rows) == [10_000, 10_000, 25_000]


def test_content_key_ignores_spelling(engine: Engine, tmp_path: Path) -> None:
    load_fixture_book(engine)
    a = write(tmp_path, "a.csv", 'customer_code,order_date,amount\nKH001,2024-05-01,"1,234.50"\n')
    b = write(tmp_path, "b.csv", "customer_code,order_date,amount\nKH001,2024年5月1日,¥1234.5\n")
    import_files(engine, [a])
    [again] = import_files(engine, [b])
    assert (again.inserted, again.unchanged) == (0, 1)


def test_reimport_finds_changed_dates_amounts_and_quantities(
    engine: Engine, tmp_path: Path, stored_rows_read_by: str
) -> None:
    load_fixture_book(engine)
    header = "order_no,customer_code,order_date,amount,quantity\n"
    first = write(
        tmp_path,
        "o1.csv",
        header + "A1,KH001,2024-01-01,10.00,\nA2,KH001,2024-01-02,20.00,3\n"
        "A3,KH002,2024-01-03,30.00,4\nA4,KH002,2024-01-04,40.00,5\n",
    )
    import_files(engine, [first])
    # A1 gains a quantity, A2 moves a day, A3 costs a cent more, A4 is the same in other spellings
    second = write(
        tmp_path,
        "o2.csv",
        header + "A1,KH001,2024-01-01,10,7\nA2,KH001,2024/1/3,20,3\n"
        "A3,KH002,2024-01-03,30.01,4\nA4,KH002,2024年1月4日,¥40.00,5.0\n",
    )
    [summary] = import_files(engine, [second])
    assert (summary.inserted, summary.updated, summary.unchanged) == (0, 3, 1)
    with engine.connect() as conn:
        rows = {
            no: (str(day), cents, qty)
            for no, day, cents, qty in conn.execute(
                select(Order.order_no, Order.order_date, Order.amount_cents, Order.quantity)
            )
        }
    assert rows == {
        "A1": ("2024-01-01", 1000, 7.0),
        "A2": ("2024-01-03", 2000, 3.0),
        "A3": ("2024-01-03", 3001, 4.0),
        "A4": ("2024-01-04", 4000, 5.0),
    }


def test_upsert_updates_changed_fields_and_keeps_what_a_blank_cell_does_not_give(
    engine: Engine, tmp_path: Path
) -> None:
    load_fixture_book(engine)
    path = write(
        tmp_path,
        "c.csv",
        "code,name,region,phone\nKH001,苏州和宏包装材料有限公司,华北,\nKH002,,华东,\n",
    )
    [summary] = import_files(engine, [path])
    assert (summary.inserted, summary.updated, summary.unchanged) == (0, 1, 1)  # KH001 moved region
    found = customers(engine)
    assert found["KH001"].region == "华北"
    assert found["KH001"].phone == "051266881234"  # the blank phone cell kept the stored one
    assert found["KH002"].name == "南京创新医疗器械有限公司"


def test_bad_row_rejects_the_whole_file_and_nothing_changes(engine: Engine, tmp_path: Path) -> None:
    load_fixture_book(engine)
    before = dump(engine)
    path = write(
        tmp_path,
        "o.csv",
        "order_no,customer_code,order_date,amount\n"
        "A1,KH001,2024-01-01,100\nA2,KH001,2024-02-30,100\nA3,NOPE,2024-01-02,abc\n",
    )
    with pytest.raises(ImportRejected) as err:
        import_files(engine, [path])
    assert err.value.exit_code == 3
    found = {(r.row, r.column) for r in err.value.rejects}
    assert found == {(3, "order_date"), (4, "customer_code"), (4, "amount")}
    bad_day = next(r for r in err.value.rejects if r.row == 3)
    assert bad_day.value == "2024-02-30" and "no such day" in bad_day.reason
    assert dump(engine) == before


def test_one_rejected_file_writes_none_of_the_files(engine: Engine, tmp_path: Path) -> None:
    before = dump(engine)
    bad = write(
        tmp_path, "bad.csv", "order_no,customer_code,order_date,amount\nA1,KH001,2024-01-01,zero\n"
    )
    with pytest.raises(ImportRejected):
        import_files(engine, [FIXTURES / "customers_gbk.csv", bad])
    assert dump(engine) == before


def test_skip_writes_good_rows_and_the_rejects_file(engine: Engine, tmp_path: Path) -> None:
    load_fixture_book(engine)
    path = write(
        tmp_path,
        "o.csv",
        "order_no,customer_code,order_date,amount\n"
        "A1,KH001,2024-01-01,100\nA2,KH001,someday,100\nA3,KH002,2024-01-03,7\n",
    )
    rejects = tmp_path / "rejects.csv"
    [summary] = import_files(engine, [path], on_error="skip", rejects_path=rejects)
    assert (summary.rows_read, summary.inserted, summary.rejected) == (3, 2, 1)
    with engine.connect() as conn:
        assert sorted(conn.execute(select(Order.order_no)).scalars()) == ["A1", "A3"]
    with rejects.open(encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.reader(fh))
    assert lines[0] == [
        "order_no",
        "customer_code",
        "order_date",
        "amount",
        "file",
        "row",
        "reason",
    ]
    assert lines[1][:6] == ["A2", "KH001", "someday", "100", str(path), "3"]
    assert lines[1][6].startswith("order_date: not a date")
    assert len(lines) == 2


def test_repeated_key_same_content_once_different_content_rejected(
    engine: Engine, tmp_path: Path
) -> None:
    load_fixture_book(engine)
    same = write(
        tmp_path,
        "s.csv",
        "order_no,customer_code,order_date,amount\n"
        "A1,KH001,2024-01-01,100\nA1,KH001,2024-01-01,100.00\n",
    )
    [summary] = import_files(engine, [same])
    assert (summary.inserted, summary.unchanged) == (1, 1)
    differ = write(
        tmp_path,
        "d.csv",
        "order_no,customer_code,order_date,amount\n"
        "B1,KH001,2024-01-01,100\nB1,KH001,2024-01-01,200\n",
    )
    with pytest.raises(ImportRejected) as err:
        import_files(engine, [differ])
    [reject] = err.value.rejects
    assert reject.row == 3 and "row 2" in reject.reason


def test_unknown_customer_is_an_error_unless_created(engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "p.csv",
        "payment_no,customer_name,paid_on,amount\nP1,新客户有限公司,2024-01-01,50\n",
    )
    with pytest.raises(ImportRejected, match="1 bad row"):
        import_files(engine, [path])
    [summary] = import_files(engine, [path], create_customers=True)
    assert summary.inserted == 1
    [created] = customers(engine).values()
    assert created.name == "新客户有限公司"
    assert created.code == "C00001"  # the first readable generated code
    [again] = import_files(engine, [path], create_customers=True)
    assert again.unchanged == 1 and len(customers(engine)) == 1


def test_customers_file_without_codes_gets_stable_codes(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, "c.csv", "客户名称,区域\n甲公司,华东\n乙公司,华南\n")
    import_files(engine, [path])
    codes = {c.name: code for code, c in customers(engine).items()}
    assert codes == {"甲公司": "C00001", "乙公司": "C00002"}  # readable, in the file's order
    import_files(engine, [path])
    assert {c.name: code for code, c in customers(engine).items()} == codes
    assert len(set(codes.values())) == 2


def test_customers_named_by_name_in_payments(engine: Engine) -> None:
    load_fixture_book(engine)
    [summary] = import_files(engine, [FIXTURES / "payments.tsv"])
    assert summary.kind == "payments" and summary.inserted == 2
    with engine.connect() as conn:
        rows = {r.payment_no: r for r in conn.execute(select(Payment.__table__))}
    ids = {code: c.id for code, c in customers(engine).items()}
    assert rows["P-1"].customer_id == ids["KH001"] and rows["P-2"].customer_id == ids["KH002"]
    assert rows["P-2"].paid_on == date(2024, 4, 11) and rows["P-2"].amount_cents == 500_000


def test_a_customer_column_holding_codes(engine: Engine, tmp_path: Path) -> None:
    """`客户`/`customer` is the customer's name, but a value that names no customer and is a customer's code is
    that customer (SPEC §5: rows name their customer by code or name)."""
    load_fixture_book(engine)
    codes = sorted(customers(engine))
    path = tmp_path / "people.csv"
    path.write_text(
        f"customer,name\n{codes[0]}, 王经理\n{codes[1]},李工\nNOBODY,赵六\n", encoding="utf-8"
    )
    with pytest.raises(ImportRejected) as rejected:
        import_files(engine, [path], kind="contacts")
    assert [(r.row, r.value) for r in rejected.value.rejects] == [(4, "NOBODY")]
    path.write_text(f"customer,name\n{codes[0]},王经理\n{codes[1]},李工\n", encoding="utf-8")
    [summary] = import_files(engine, [path], kind="contacts")
    assert summary.inserted == 2
    with engine.connect() as conn:
        got = {(r.customer_id, r.name) for r in conn.execute(select(Contact.__table__))}
    ids = {code: c.id for code, c in customers(engine).items()}
    assert {(ids[codes[0]], "王经理"), (ids[codes[1]], "李工")} <= got


def test_interactions_get_content_keys_and_kinds(engine: Engine) -> None:
    load_fixture_book(engine)
    import_files(engine, [FIXTURES / "interactions_semicolon.csv"])
    with engine.connect() as conn:
        rows = sorted(conn.execute(select(Interaction.__table__)), key=lambda r: r.happened_on)
    assert [r.kind for r in rows] == ["visit", "call"]
    assert rows[0].cost_cents == 120_000 and rows[0].next_due == date(2024, 5, 15)
    assert all(r.key.startswith("~") for r in rows)


def test_contacts_xlsx_with_title_row(engine: Engine) -> None:
    load_fixture_book(engine)
    [summary] = import_files(engine, [FIXTURES / "contacts_title.xlsx"])
    # both people are already on file as key persons of the customers file; the sheet adds titles and more
    assert (summary.kind, summary.inserted, summary.updated) == ("contacts", 0, 2)
    with engine.connect() as conn:
        people = {r.name: r for r in conn.execute(select(Contact.__table__))}
    assert people["曹敏华"].title == "董事长" and people["曹敏华"].anniversary == date(1995, 10, 1)
    assert people["周杰"].role == "influencer" and people["周杰"].phone == "13900001111"
    assert people["曹敏华"].is_primary  # still the key person


def test_dry_run_counts_but_writes_nothing(engine: Engine) -> None:
    before = dump(engine)
    summaries = import_files(
        engine, [FIXTURES / "customers_gbk.csv", FIXTURES / "orders_bom.csv"], dry_run=True
    )
    assert [s.inserted for s in summaries] == [
        3,
        3,
    ]  # the orders see the customers of the file before
    assert dump(engine) == before


def test_missing_required_column_and_bad_options(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, "o.csv", "order_no,customer_code,amount\nA1,KH001,5\n")
    with pytest.raises(InputError, match="order_date"):
        import_files(engine, [path], kind="orders")
    # a value an option does not allow: a usage error (exit 2), as `export KIND` gives
    with pytest.raises(UsageError, match="abort or skip"):
        import_files(engine, [path], on_error="ignore")
    with pytest.raises(UsageError, match="unknown kind"):
        import_files(engine, [path], kind="invoices")


def test_unknown_columns_are_reported(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, "c.csv", "code,name,favourite colour\nC1,甲,blue\n")
    [summary] = import_files(engine, [path])
    assert summary.unknown_columns == ["favourite colour"]


def test_mapping_reads_an_unusual_header(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, "c.csv", "简称,全称\nC1,甲公司\n")
    import_files(engine, [path], kind="customers", mapping={"简称": "code", "全称": "name"})
    assert customers(engine)["C1"].name == "甲公司"

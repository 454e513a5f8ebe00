"""A customers file's person fields without a contact name, and one birthday a year per person (SPEC §5;
docs/import-formats.md), on both backends."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from kacrm.app.imports import import_files
from kacrm.errors import ImportRejected
from kacrm.store.models import Contact, Customer


def gbk(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("gbk"))
    return path


def people(engine: Engine) -> dict[tuple[str, str], tuple]:
    """(customer code, contact name) -> primary?, solar birthday, lunar month, lunar day."""
    query = select(
        Customer.code,
        Contact.name,
        Contact.is_primary,
        Contact.birthday,
        Contact.lunar_birthday_month,
        Contact.lunar_birthday_day,
    ).join(Customer, Customer.id == Contact.customer_id)
    with engine.connect() as conn:
        return {(r[0], r[1]): tuple(r[2:]) for r in conn.execute(query)}


@pytest.fixture
def book(engine: Engine, tmp_path: Path) -> None:
    """C001 with its primary 王总 (solar birthday 1980-09-21); C002 with a contact 李工 who is not primary."""
    import_files(
        engine,
        [
            gbk(
                tmp_path,
                "customers.csv",
                "客户编码,客户名称,联系人,生日\n"
                "C001,杭州明达机电有限公司,王总,1980-09-21\n"
                "C002,宁波华东贸易有限公司,,\n",
            ),
            gbk(tmp_path, "contacts.csv", "客户编码,姓名,职务\nC002,李工,采购\n"),
        ],
    )
    assert people(engine) == {
        ("C001", "王总"): (True, date(1980, 9, 21), None, None),
        ("C002", "李工"): (False, None, None, None),
    }


def test_a_birthday_without_a_contact_name_goes_to_the_primary_contact(
    engine: Engine, book: None, tmp_path: Path
) -> None:
    path = gbk(
        tmp_path, "生日.csv", "客户编码,客户名称,生日\nC001,杭州明达机电有限公司,农历八月十五\n"
    )
    [summary] = import_files(engine, [path])
    assert (summary.rows_read, summary.updated, summary.rejected) == (1, 1, 0)
    # the lunar birthday replaces the solar one: one birthday a year
    assert people(engine)[("C001", "王总")] == (True, None, 8, 15)


def test_a_birthday_for_a_customer_without_a_key_person_is_rejected_not_dropped(
    engine: Engine, book: None, tmp_path: Path
) -> None:
    path = gbk(
        tmp_path, "生日.csv", "客户编码,客户名称,生日\nC002,宁波华东贸易有限公司,农历八月十五\n"
    )
    with pytest.raises(ImportRejected) as err:
        import_files(engine, [path])
    [reject] = err.value.rejects
    assert (reject.row, reject.column, reject.value) == (2, "生日", "农历8-15")
    assert "no key person" in reject.reason and "联系人" in reject.reason
    [summary] = import_files(engine, [path], on_error="skip")
    assert (summary.rows_read, summary.updated, summary.rejected) == (1, 0, 1)
    assert people(engine)[("C002", "李工")] == (False, None, None, None)


def test_a_named_key_persons_lunar_birthday_replaces_the_solar_one(
    engine: Engine, book: None, tmp_path: Path
) -> None:
    path = gbk(
        tmp_path,
        "c.csv",
        "客户编码,客户名称,联系人,生日\nC001,杭州明达机电有限公司,王总,八月十五\n",
    )
    [summary] = import_files(engine, [path])
    assert (summary.updated, summary.rejected) == (1, 0)
    assert people(engine)[("C001", "王总")] == (True, None, 8, 15)
    # and back: a solar birthday in the same column replaces the lunar one
    path.write_bytes("客户编码,联系人,生日\nC001,王总,1980-09-21\n".encode("gbk"))
    import_files(engine, [path])
    assert people(engine)[("C001", "王总")] == (True, date(1980, 9, 21), None, None)


def test_separate_solar_and_lunar_columns_set_each_as_given(
    engine: Engine, book: None, tmp_path: Path
) -> None:
    path = gbk(tmp_path, "c.csv", "客户编码,联系人,生日,农历生日\nC001,王总,,八月十五\n")
    import_files(engine, [path])
    assert people(engine)[("C001", "王总")] == (True, date(1980, 9, 21), 8, 15)


def test_a_contacts_files_birthday_column_replaces_the_other_kind(
    engine: Engine, book: None, tmp_path: Path
) -> None:
    path = gbk(tmp_path, "k.csv", "客户编码,姓名,生日\nC001,王总,农历正月初一\n")
    [summary] = import_files(engine, [path])
    assert (summary.kind, summary.updated) == ("contacts", 1)
    assert people(engine)[("C001", "王总")] == (True, None, 1, 1)


@pytest.mark.parametrize(
    "header",
    ["客户编号,客户名称,联系人,生日,农历生日", "客户编号,客户名称,联系人,农历生日,生日"],
    ids=["生日 first", "农历生日 first"],
)
def test_the_lunar_column_wins_over_a_lunar_date_in_the_birthday_column(
    engine: Engine, tmp_path: Path, header: str
) -> None:
    """生日 腊月廿三 (a lunar date in the solar column) and 农历生日 正月初一: the 农历生日 cell wins, whichever
    column comes first (docs/import-formats.md); the first column won before."""
    cells = {"生日": "腊月廿三", "农历生日": "正月初一"}
    row = ",".join(["LB07", "测试七有限公司", "庚七", *(cells[h] for h in header.split(",")[3:])])
    import_files(engine, [gbk(tmp_path, "customers.csv", f"{header}\n{row}\n")])
    assert people(engine)[("LB07", "庚七")] == (True, None, 1, 1)


def test_a_date_cell_in_the_lunar_column_is_its_month_and_day(
    engine: Engine, tmp_path: Path
) -> None:
    """WPS and Excel turn `8-15` typed into a 农历生日 cell into a date of the current year: read as lunar 8-15
    (it was refused, the message quoting as an example what the user had typed)."""
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["客户编号", "客户名称", "联系人", "农历生日"])
    sheet.append(["LB1", "测试一有限公司", "甲", datetime(2026, 8, 15)])
    sheet["D2"].number_format = "m-d"
    path = tmp_path / "customers.xlsx"
    book.save(path)
    import_files(engine, [path], kind="customers")
    assert people(engine)[("LB1", "甲")] == (True, None, 8, 15)

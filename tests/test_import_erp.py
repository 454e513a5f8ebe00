"""Files made the way 用友 U8/T+, 金蝶 K3/KIS/云星空, 管家婆 and WPS export them (issue 14), imported without
--map and checked in the database on both backends. Expected values are worked out by hand in the comments."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Engine, func, select
from test_importer import ledger_due_dates

from kacrm.app.imports import import_files
from kacrm.errors import ImportRejected
from kacrm.store.models import Contact, Customer, Interaction, Order, Payment

USCC_OK = "91350100M000100Y43"  # published example, check character 3
USCC_BAD = "91350100M000100Y44"


def _xlsx(path: Path, rows: list[list[object]], merges: tuple[str, ...] = ()) -> Path:
    workbook = openpyxl.Workbook()
    sheet: Worksheet = workbook.active
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    workbook.save(path)
    return path


def _csv(path: Path, rows: list[list[str]], encoding: str = "gbk") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def u8_customers(tmp_path: Path) -> Path:
    """用友 U8 客户档案: a title row, a blank row, then the header; lunar birthdays, ERP phones and terms."""
    return _xlsx(
        tmp_path / "客户档案.xlsx",
        [
            ["客户档案"],
            [],
            [
                "客户编码",
                "客户名称",
                "客户简称",
                "所属区域",
                "专管业务员",
                "统一社会信用代码",
                "付款条件",
                "联系人",
                "手机",
                "生日",
            ],
            [
                "0101",
                "华为技术（集团）有限公司",
                "华为",
                "华南",
                "张伟",
                USCC_OK,
                "月结30天",
                "李娜",
                "+86 138-0013-8000",
                "农历三月初八",
            ],
            [
                "0102",
                "苏州和宏包装材料有限公司",
                "和宏",
                "华东",
                "王芳",
                None,
                "货到付款",
                "周杰",
                "139 0000 1111",
                "闰四月初八",
            ],
            [
                "0103",
                "杭州百川贸易有限公司",
                "百川",
                "华东",
                "王芳",
                None,
                "现结",
                "赵敏",
                "１３７００１３７０００",
                "腊月廿三",
            ],
            [
                "0104",
                "北京远航科技有限公司",
                None,
                "华北",
                None,
                None,
                "30天",
                "钱进",
                "(010) 8888-6666",
                "1985-06-01",
            ],
        ],
    )


def test_u8_customer_archive(engine: Engine, tmp_path: Path) -> None:
    [summary] = import_files(engine, [u8_customers(tmp_path)])
    assert (summary.kind, summary.rows_read, summary.inserted, summary.unknown_columns) == (
        "customers",
        4,
        4,
        [],
    )
    with engine.connect() as conn:
        found = {r.code: r for r in conn.execute(select(Customer.__table__))}
        people = {r.name: r for r in conn.execute(select(Contact.__table__))}
    huawei = found["0101"]
    assert (huawei.region, huawei.owner, huawei.short_name, huawei.uscc) == (
        "华南",
        "张伟",
        "华为",
        USCC_OK,
    )
    assert huawei.name == "华为技术（集团）有限公司"  # as written; matched on its key
    assert huawei.name_key == "华为技术(集团)有限公司"
    # 月结30天 = 30, 货到付款 and 现结 = 0 days, 30天 = 30
    assert [found[c].payment_terms_days for c in ("0101", "0102", "0103", "0104")] == [30, 0, 0, 30]
    # one normal form per number: mobiles as 11 digits, a landline as area code + number
    assert people["李娜"].phone == "13800138000"
    assert people["周杰"].phone == "13900001111"
    assert people["赵敏"].phone == "13700137000"
    assert people["钱进"].phone == "01088886666"
    # lunar birthdays in a 生日 column: (month, day, leap)
    lunar = {
        n: (p.lunar_birthday_month, p.lunar_birthday_day, p.lunar_birthday_leap)
        for n, p in people.items()
    }
    assert lunar["李娜"] == (3, 8, False)
    assert lunar["周杰"] == (4, 8, True)
    assert lunar["赵敏"] == (12, 23, False)
    assert people["李娜"].birthday is None
    assert (
        people["钱进"].birthday == date(1985, 6, 1) and people["钱进"].lunar_birthday_month is None
    )
    # the same file again, phones written differently: nothing changed
    again = _xlsx(
        tmp_path / "客户档案2.xlsx",
        [
            ["客户编码", "客户名称", "联系人", "手机"],
            ["0101", "华为技术(集团)有限公司", "李娜", "13800138000"],
        ],
    )
    [summary] = import_files(engine, [again])
    assert (summary.updated, summary.unchanged) == (
        1,
        0,
    )  # the name's spelling is the user's change
    [summary] = import_files(engine, [again])
    assert (summary.updated, summary.unchanged) == (0, 1)


def k3_orders(tmp_path: Path) -> Path:
    """金蝶 K3 销售订单列表: title, date range, a merged two-row header, 小计 after each customer, 合计 last.
    Customers named by their short names (简称) and by a full name written with half-width brackets."""
    return _xlsx(
        tmp_path / "销售订单列表.xlsx",
        [
            ["销售订单列表"],
            ["日期：2024-01-01 至 2024-03-31"],
            ["单据日期", "单据编号", "客户", None, "物料名称", "数量", "金额", None],
            [None, None, "简称", "名称", None, None, "不含税", "价税合计"],
            ["2024-01-05", "XSDD0001", "华为", None, "纸箱", 100, 1000, 1130],
            [
                "2024-02-10",
                "XSDD0002",
                None,
                "华为技术(集团)有限公司",
                "胶带",
                50,
                "500.00",
                "565.00",
            ],
            ["小计", None, None, None, None, 150, 1500, 1695],
            ["2024-03-01", "XSDD0003", "和宏", None, "托盘", 2, 2000, 2260],
            ["小计", None, None, None, None, 2, 2000, 2260],
            [None, None, None, None, None, None, None, None],
            ["合计", None, None, None, None, 152, 3500, 3955],
        ],
        merges=("C3:D3", "G3:H3", "A3:A4", "B3:B4", "E3:E4", "F3:F4"),
    )


def test_k3_orders_with_merged_header_and_totals(engine: Engine, tmp_path: Path) -> None:
    import_files(engine, [u8_customers(tmp_path)])
    [summary] = import_files(engine, [k3_orders(tmp_path)])
    # 3 orders; 2 小计 + 1 合计 rows and 1 blank row skipped, never imported
    assert (summary.kind, summary.rows_read, summary.inserted) == ("orders", 3, 3)
    assert (summary.totals_rows, summary.blank_rows) == (3, 1)
    assert "金额-不含税" in summary.unknown_columns  # the net amount is not the amount owed
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                Order.order_no, Customer.code, Order.amount_cents, Order.order_date, Order.product
            )
            .join(Customer, Customer.id == Order.customer_id)
            .order_by(Order.order_no)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("XSDD0001", "0101", 113000, date(2024, 1, 5), "纸箱"),  # 华为 is 0101's short name
        (
            "XSDD0002",
            "0101",
            56500,
            date(2024, 2, 10),
            "胶带",
        ),  # (集团) in half width, same customer
        ("XSDD0003", "0102", 226000, date(2024, 3, 1), "托盘"),
    ]
    # due date from the customer's terms: 0101 月结30天 → 2024-01-05 + 30 = 2024-02-04
    assert ledger_due_dates(engine)["XSDD0001"] == date(2024, 2, 4)


def test_gbk_payments_from_guanjiapo(engine: Engine, tmp_path: Path) -> None:
    """管家婆 收款单 as GBK CSV: 单据日期, 单据编号, 往来单位, 本次收款金额, 结算方式 and a 合计 row."""
    import_files(engine, [u8_customers(tmp_path)])
    path = _csv(
        tmp_path / "收款单.csv",
        [
            ["收款单列表"],
            ["单据日期", "单据编号", "往来单位", "本次收款金额", "结算方式"],
            ["2024-02-01", "SK-001", "华为技术（集团）有限公司", "￥1,130.00", "银行转账"],
            ["2024-03-05", "SK-002", "和宏", "2,260", "现金"],
            ["合计", "", "", "3,390.00", ""],
        ],
    )
    [summary] = import_files(engine, [path])
    assert (summary.kind, summary.inserted, summary.totals_rows, summary.encoding) == (
        "payments",
        2,
        1,
        "gb18030",
    )
    with engine.connect() as conn:
        paid = conn.execute(
            select(Payment.payment_no, Customer.code, Payment.amount_cents, Payment.method)
            .join(Customer, Customer.id == Payment.customer_id)
            .order_by(Payment.payment_no)
        ).all()
    assert [tuple(r) for r in paid] == [
        ("SK-001", "0101", 113000, "银行转账"),
        ("SK-002", "0102", 226000, "现金"),
    ]


def test_wps_customer_list_without_codes_and_with_a_bad_uscc(
    engine: Engine, tmp_path: Path
) -> None:
    """A list typed in WPS: no codes, full-width names and a mistyped credit code."""
    path = _csv(
        tmp_path / "客户资料.csv",
        [
            ["客户名称", "税号", "联系人", "手机", "生日"],
            ["深圳市华南电子（集团）有限公司", USCC_BAD, "陈静", "138 0013 8000", "3月5日"],
        ],
        encoding="utf-8-sig",
    )
    with pytest.raises(ImportRejected) as err:
        import_files(engine, [path])
    [reject] = err.value.rejects
    assert (reject.row, reject.column, reject.value) == (2, "税号", USCC_BAD)
    assert "check character" in reject.reason and "expected 3" in reject.reason
    assert "校验码" in (reject.reason_zh or "")
    fixed = _csv(
        tmp_path / "客户资料.csv",
        [
            ["客户名称", "税号", "联系人", "手机", "生日"],
            ["深圳市华南电子（集团）有限公司", USCC_OK, "陈静", "138 0013 8000", "3月5日"],
            ["深圳市华南电子(集团)有限公司", "", "陈静", "+86 13800138000", "03-05"],
        ],
        encoding="utf-8-sig",
    )
    [summary] = import_files(engine, [fixed])
    # row 3 is row 2 in other spellings (name width, phone format, birthday form): one customer, counted once
    assert (summary.kind, summary.inserted, summary.unchanged, summary.rejected) == (
        "customers",
        1,
        1,
        0,
    )
    with engine.connect() as conn:
        [customer] = conn.execute(select(Customer.__table__)).all()
    assert (customer.code, customer.uscc) == ("C00001", USCC_OK)
    # a later file with the USCC but another spelling of the name finds the same customer
    later = _csv(
        tmp_path / "customers.csv",
        [["name", "credit_code", "region"], ["华南电子", USCC_OK, "华南"]],
        encoding="utf-8",
    )
    [summary] = import_files(engine, [later])
    assert (summary.inserted, summary.updated) == (0, 1)
    with engine.connect() as conn:
        [customer] = conn.execute(select(Customer.__table__)).all()
    assert (customer.code, customer.region) == ("C00001", "华南")


def test_uscc_of_another_customer_is_rejected(engine: Engine, tmp_path: Path) -> None:
    import_files(engine, [u8_customers(tmp_path)])
    path = _csv(
        tmp_path / "c.csv",
        [["客户编码", "客户名称", "统一社会信用代码"], ["0199", "另一家", USCC_OK]],
    )
    with pytest.raises(ImportRejected) as err:
        import_files(engine, [path])
    [reject] = err.value.rejects
    assert reject.column == "统一社会信用代码" and "customer 0101" in reject.reason


def test_tplus_xls_contacts_with_merged_group_header(engine: Engine, tmp_path: Path) -> None:
    """用友 T+ exports .xls (BIFF8): a title, then 联系方式 merged over 手机 and 电话, 生日 with lunar dates."""
    import xlwt

    import_files(engine, [u8_customers(tmp_path)])
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("联系人")
    sheet.write(0, 0, "客户联系人列表")
    sheet.write_merge(1, 2, 0, 0, "客户简称")
    sheet.write_merge(1, 2, 1, 1, "姓名")
    sheet.write_merge(1, 1, 2, 3, "联系方式")
    sheet.write(2, 2, "手机")
    sheet.write(2, 3, "电话")
    sheet.write_merge(1, 2, 4, 4, "生日")
    rows = [
        ("华为", "孙丽", "13600136000", "0755-2222 3333", "农历八月十五"),
        ("和宏", "周杰", "", "", ""),
    ]
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    path = tmp_path / "联系人.xls"
    book.save(str(path))
    [summary] = import_files(engine, [path])
    # 孙丽 is new; 周杰 is on file (0102's key person) and this row gives nothing new
    assert (summary.kind, summary.inserted, summary.unchanged) == ("contacts", 1, 1)
    with engine.connect() as conn:
        person = conn.execute(select(Contact.__table__).where(Contact.name == "孙丽")).one()
        code = conn.execute(select(Customer.code).where(Customer.id == person.customer_id)).scalar()
    assert code == "0101"
    # the first of the two phone columns is read (手机), the second listed as a duplicate
    assert person.phone == "13600136000"
    assert (person.lunar_birthday_month, person.lunar_birthday_day) == (8, 15)
    assert summary.unknown_columns == ["电话 (duplicate of phone)"]


def test_sample_erp_export_set(engine: Engine) -> None:
    """sample_data's ERP-style set, imported as a user would: no --kind, no --map."""
    sample = Path(__file__).resolve().parents[1] / "sample_data"
    files = [
        sample / n for n in ("用友U8客户档案.xlsx", "金蝶K3销售订单列表.xlsx", "管家婆收款单.csv")
    ]
    summaries = import_files(engine, files)
    assert [(s.kind, s.inserted, s.rejected, s.totals_rows) for s in summaries] == [
        ("customers", 6, 0, 0),
        ("orders", 11, 0, 7),  # 6 小计 + 1 合计
        ("payments", 7, 0, 1),
    ]
    with engine.connect() as conn:
        orders = dict(
            conn.execute(
                select(Customer.code, func.sum(Order.amount_cents))
                .join(Order, Order.customer_id == Customer.id)
                .group_by(Customer.code)
            ).all()
        )
        paid = dict(
            conn.execute(
                select(Customer.code, func.sum(Payment.amount_cents))
                .join(Payment, Payment.customer_id == Customer.id)
                .group_by(Customer.code)
            ).all()
        )
        terms = dict(conn.execute(select(Customer.code, Customer.payment_terms_days)).all())
    # 鹏程智能: (40,000 + 25,000 + 60,000) × 1.13 = 141,250.00, paid 45,200 + 28,250 = 73,450.00
    assert orders["0101"] == 14_125_000 and paid["0101"] == 7_345_000
    # 恒通电子 货到付款 and 天府新能源 现结: 0 days; 钱塘精机 月结60天
    assert (terms["0103"], terms["0105"], terms["0102"]) == (0, 0, 60)


def test_empty_xlsx_cell_is_reported_empty_and_repeats_show_the_users_cell(
    engine: Engine, tmp_path: Path
) -> None:
    import_files(engine, [u8_customers(tmp_path)])
    orders = _xlsx(
        tmp_path / "orders.xlsx",
        [["订单号", "客户名称", "日期", "金额"], ["A1", None, "2024-01-02", 100]],
    )
    with pytest.raises(ImportRejected) as err:
        import_files(engine, [orders])
    [reject] = err.value.rejects
    assert (reject.row, reject.column, reject.value) == (2, "客户名称", "")  # not 'nan'
    assert "''" in reject.describe() and "nan" not in reject.describe()
    # no code column: the message shows the name the user typed, not the generated code
    customers = _xlsx(
        tmp_path / "客户.xlsx",
        [["客户名称", "区域"], ["新华贸易有限公司", "华东"], ["新华贸易有限公司 ", "华南"]],
    )
    with pytest.raises(ImportRejected) as err:
        import_files(engine, [customers])
    [reject] = err.value.rejects
    assert (reject.row, reject.column, reject.value) == (3, "客户名称", "新华贸易有限公司")
    assert (
        reject.reason == "the same record as row 2, but 区域 differs: '华南' here, '华东' in row 2"
    )


def test_one_uscc_in_two_rows_without_codes_is_one_customer(engine: Engine, tmp_path: Path) -> None:
    path = _csv(
        tmp_path / "客户.csv",
        [
            ["客户名称", "税号", "区域"],
            ["远航科技", USCC_OK, "华北"],
            ["北京远航科技有限公司", USCC_OK, ""],
        ],
    )
    with pytest.raises(ImportRejected) as err:
        import_files(engine, [path])
    [reject] = err.value.rejects
    # the same company (one USCC) written with two names: the later row says which field differs
    assert (reject.row, reject.value) == (3, "北京远航科技有限公司")
    assert "客户名称 differs: '北京远航科技有限公司' here, '远航科技' in row 2" in reject.reason


def test_wps_follow_up_log(engine: Engine, tmp_path: Path) -> None:
    """A sales admin's 跟进记录 kept in WPS: short names, 跟进日期/跟进方式/跟进内容/下次跟进日期."""
    import_files(engine, [u8_customers(tmp_path)])
    path = _csv(
        tmp_path / "客户跟进记录.csv",
        [
            ["跟进日期", "客户简称", "联系人", "跟进方式", "跟进内容", "下次跟进日期"],
            ["2024-03-01", "华为", "李娜", "拜访", "年度框架协议", "2024-03-15"],
            ["2024-03-02", "百川", "赵敏", "微信", "报价", ""],
        ],
    )
    [summary] = import_files(engine, [path])
    assert (summary.kind, summary.inserted, summary.unknown_columns) == ("interactions", 2, [])
    with engine.connect() as conn:
        rows = conn.execute(
            select(Customer.code, Interaction.kind, Interaction.summary, Interaction.next_due)
            .join(Interaction, Interaction.customer_id == Customer.id)
            .order_by(Interaction.happened_on)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("0101", "visit", "年度框架协议", date(2024, 3, 15)),
        ("0103", "message", "报价", None),
    ]


def _notes_first(path: Path) -> Path:
    """A 金蝶云星空 export as WPS saves it: a notes sheet first, the orders on the second."""
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "说明"
    notes.append(["本表由金蝶云星空导出"])
    orders = book.create_sheet("销售订单")
    orders.append(["单据编号", "客户编码", "单据日期", "价税合计"])
    orders.append(["XS1", "C001", "2026-11-05", 1234.5])
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("lang", "said"), [("en", "sheets (说明, 销售订单)"), ("zh", "工作表（说明, 销售订单）")]
)
def test_a_workbook_whose_first_sheet_holds_notes_names_its_sheets(
    run, tmp_path: Path, lang: str, said: str
) -> None:
    path = _notes_first(tmp_path / "订单.xlsx")
    result = run("--lang", lang, "import", str(path))
    assert result.exit_code == 1 and said in result.stderr.replace("\n", ""), result.stderr
    assert "--sheet" in result.stderr


def test_sheet_by_number(run, tmp_path: Path) -> None:
    """--sheet 2 is the second sheet where no sheet is named 2; a number past the last is refused."""
    customers = _csv(tmp_path / "c.csv", [["客户编码", "客户名称"], ["C001", "甲公司"]], "utf-8")
    assert run("import", str(customers)).exit_code == 0
    path = _notes_first(tmp_path / "订单.xlsx")
    result = run("import", str(path), "--sheet", "2", "--format", "json")
    assert result.exit_code == 0, result.stderr
    [summary] = json.loads(result.stdout)
    assert (summary["kind"], summary["inserted"]) == ("orders", 1)
    refused = run("import", str(path), "--sheet", "3")
    assert refused.exit_code == 1 and "no sheet named '3'" in refused.stderr


@pytest.mark.parametrize("unit", ["（万元）", "(万元)", "【千元】", "(万)"])
def test_a_money_column_in_ten_thousands_is_refused_not_read_as_yuan(
    run, tmp_path: Path, unit: str
) -> None:
    """用友/金蝶 summaries in 万元: the bracketed unit was dropped to match 价税合计, and 12.5 stored as ¥12.50,
    10,000 times too small, without a word. Refused, naming the column; a plain （元） still reads."""
    customers = _csv(tmp_path / "c.csv", [["客户编码", "客户名称"], ["C001", "甲公司"]], "utf-8")
    assert run("import", str(customers)).exit_code == 0
    scaled = _csv(
        tmp_path / "w.csv",
        [
            ["单据日期", "单据编号", "客户编码", f"价税合计{unit}"],
            ["2026-11-05", "XS1", "C001", "12.5"],
        ],
    )
    result = run("import", str(scaled))
    assert result.exit_code == 1 and f"价税合计{unit}" in result.stderr, result.stderr
    assert "kacrm reads yuan" in " ".join(result.stderr.split())
    zh = run("--lang", "zh", "import", str(scaled))
    assert zh.exit_code == 1 and "按元读取" in zh.stderr
    header = ["单据日期", "单据编号", "客户编码", "价税合计（元）"]
    yuan = _csv(tmp_path / "y.csv", [header, ["2026-11-05", "XS1", "C001", "12.5"]])
    summary = json.loads(run("import", str(yuan), "--format", "json").stdout)
    assert summary[0]["inserted"] == 1  # XS1 is new: the refused files stored nothing


def _two_sheets(path: Path) -> Path:
    """A workbook as a user keeps one: customers first, orders on a second sheet, then a notes sheet (one
    column of sentences) and an empty one."""
    book = openpyxl.Workbook()
    customers = book.active
    customers.title = "客户档案"
    customers.append(["客户编码", "客户名称"])
    customers.append(["07001", "南昌赣江电器有限公司"])
    orders = book.create_sheet("销售订单")
    orders.append(["单据日期", "单据编号", "客户编码", "价税合计"])
    orders.append(["2026-11-01", "XSDD-0701", "07001", 5000])
    notes = book.create_sheet("说明")
    notes.append(["本表由金蝶导出"])
    notes.append(["金额单位：元"])
    book.create_sheet("空")
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "sheets with rows not read: 销售订单 (import one with --sheet NAME)"),
        ("zh", "未读取但有数据的工作表：销售订单（用 --sheet 名称 导入）"),
    ],
)
def test_a_workbook_s_other_sheets_with_rows_are_named_not_lost_in_silence(
    run, tmp_path: Path, lang: str, said: str
) -> None:
    """The first sheet is read (1 customer); the orders on the second were dropped without a word, exit 0.
    Now the notes name that sheet and --sheet; the notes sheet and the empty one are not named."""
    path = _two_sheets(tmp_path / "两张表.xlsx")
    result = run("--lang", lang, "import", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    [summary] = json.loads(result.stdout)
    assert (summary["kind"], summary["inserted"]) == ("customers", 1)
    stderr = " ".join(result.stderr.split()).replace("： ", "：")
    assert said in stderr, result.stderr
    assert "说明" not in result.stderr and "空" not in result.stderr
    chosen = run("--lang", lang, "import", str(path), "--sheet", "销售订单", "--format", "json")
    assert chosen.exit_code == 0, chosen.stderr
    assert json.loads(chosen.stdout)[0]["inserted"] == 1
    assert "--sheet" not in chosen.stderr  # a sheet chosen: the others are left unsaid

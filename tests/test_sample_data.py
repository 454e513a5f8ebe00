"""The shipped sample data (sample_data/) and the generators that write it and the benchmark data (bench/).

The files are read here independently of kacrm's importer: with the codecs, csv, pandas and openpyxl directly.
"""

from __future__ import annotations

import csv
import io
import math
import re
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from bench.common import BenchResult, measure
from bench.generate import BENCH_TODAY, HEADERS, generate
from bench.make_sample_data import DEFAULT_SEED, write_sample_data
from kacrm.app.demo import SAMPLE_FILES, SAMPLE_TODAY

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"

# Every header spelling of SPEC §11 (Chinese column), copied from the spec by hand.
SPEC_ALIASES_ZH = {
    "客户编号",
    "客户代码",
    "客户编码",
    "编号",
    "客户名称",
    "客户",
    "公司名称",
    "单位名称",
    "名称",
    "客户类型",
    "类型",
    "状态",
    "客户状态",
    "区域",
    "地区",
    "片区",
    "负责人",
    "业务员",
    "销售员",
    "地址",
    "通讯地址",
    "电话",
    "手机",
    "手机号",
    "联系电话",
    "传真",
    "邮箱",
    "电子邮件",
    "账期",
    "付款期限",
    "信用期",
    "信用额度",
    "信用等级",
    "客户等级",
    "等级",
    "级别",
    "联系人",
    "姓名",
    "关键人",
    "职务",
    "职位",
    "角色",
    "生日",
    "出生日期",
    "农历生日",
    "阴历生日",
    "结婚纪念日",
    "爱好",
    "兴趣爱好",
    "订单号",
    "单号",
    "订单编号",
    "日期",
    "下单日期",
    "订单日期",
    "金额",
    "订单金额",
    "销售额",
    "数量",
    "产品",
    "商品",
    "品名",
    "成本",
    "到期日",
    "应收日期",
    "回款单号",
    "收款单号",
    "回款日期",
    "付款日期",
    "收款日期",
    "回款金额",
    "付款金额",
    "收款金额",
    "方式",
    "联系方式",
    "内容",
    "备注",
    "摘要",
    "下次跟进",
    "下次联系",
    "费用",
    "花费",
    "解决日期",
    "处理日期",
    "推荐人",
    "介绍人",
    "推荐客户",
}


def read_csv_rows(name: str, encoding: str) -> list[dict[str, str]]:
    text = (SAMPLE_DIR / name).read_bytes().decode(encoding)
    return list(csv.DictReader(io.StringIO(text)))


def parse_day(text: str) -> date:
    """The five date spellings of the sample files, parsed by hand."""
    if m := re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text):
        return date(int(m[1]), int(m[2]), int(m[3]))
    raise AssertionError(f"unexpected date spelling {text!r}")


def parse_cents(text: str) -> int:
    text = text.replace("¥", "").replace(",", "")
    if text.endswith("万"):
        return round(float(text[:-1]) * 1_000_000)  # 万 = 10,000 yuan = 1,000,000 cents
    return round(float(text) * 100)


@pytest.fixture(scope="module")
def customers() -> list[dict[str, str]]:
    return read_csv_rows(SAMPLE_FILES["customers"], "gbk")


@pytest.fixture(scope="module")
def orders() -> list[dict[str, str]]:
    return read_csv_rows(SAMPLE_FILES["orders"], "utf-8-sig")


def test_customers_file_is_gbk_not_utf8(customers: list[dict[str, str]]) -> None:
    raw = (SAMPLE_DIR / SAMPLE_FILES["customers"]).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "客户名称" in customers[0]
    assert any(
        c["客户名称"] == c["客户名称"].strip() and "有限公司" in c["客户名称"] for c in customers
    )


def test_orders_file_has_a_bom_and_payments_file_has_none() -> None:
    assert (SAMPLE_DIR / SAMPLE_FILES["orders"]).read_bytes().startswith(b"\xef\xbb\xbf")
    payments = (SAMPLE_DIR / SAMPLE_FILES["payments"]).read_bytes()
    assert not payments.startswith(b"\xef\xbb\xbf")
    assert payments.decode("utf-8").startswith("回款单号")


def test_contacts_workbook_has_a_title_row_above_the_header() -> None:
    ws = load_workbook(SAMPLE_DIR / SAMPLE_FILES["contacts"], read_only=True).active
    first, second = (list(row) for row in ws.iter_rows(min_row=1, max_row=2, values_only=True))
    assert "关键人名单" in first[0] and all(v is None for v in first[1:])
    assert second[:2] == ["客户名称", "联系人"]


def test_every_header_is_a_spec_alias() -> None:
    headers = [
        list(read_csv_rows(SAMPLE_FILES[k], enc)[0])
        for k, enc in (("customers", "gbk"), ("orders", "utf-8-sig"), ("payments", "utf-8"))
    ]
    headers.append(
        list(
            pd.read_excel(
                SAMPLE_DIR / SAMPLE_FILES["contacts"], header=1, engine="openpyxl"
            ).columns
        )
    )
    headers.append(
        list(pd.read_excel(SAMPLE_DIR / SAMPLE_FILES["interactions"], engine="openpyxl").columns)
    )
    for header in headers:
        assert set(header) <= SPEC_ALIASES_ZH, set(header) - SPEC_ALIASES_ZH


def test_about_200_customers_with_unique_codes_and_names(customers: list[dict[str, str]]) -> None:
    assert 190 <= len(customers) <= 210
    assert len({c["客户编号"] for c in customers}) == len(customers)
    assert len({c["客户名称"] for c in customers}) == len(customers)
    assert {c["客户类型"] for c in customers} == {"企业", "经销商", "个人"}
    assert {c["账期"] for c in customers} == {"30", "45", "60"}
    assert any(re.fullmatch(r"[A-Za-z].*", c["客户名称"]) for c in customers)  # a few English names
    names_so_far: set[str] = set()
    referrals = 0
    for c in customers:  # a referrer is always a customer listed above
        if c["推荐人"]:
            referrals += 1
            assert c["推荐人"] in names_so_far
        names_so_far.add(c["客户名称"])
    assert referrals >= 3


def test_three_years_of_orders_ending_on_sample_today(orders: list[dict[str, str]]) -> None:
    days = [parse_day(o["日期"]) for o in orders]
    assert max(days) <= SAMPLE_TODAY
    assert (max(days) - min(days)).days >= 3 * 365 - 30
    assert len({o["订单号"] for o in orders}) == len(orders)
    spellings = {re.sub(r"\d", "9", o["日期"]) for o in orders}
    assert {"9999-99-99", "99999999", "9999年99月99日"} <= spellings
    assert any(o["金额"].startswith("¥") for o in orders) and any(
        o["金额"].endswith("万") for o in orders
    )


def test_revenue_is_pareto_like(orders: list[dict[str, str]]) -> None:
    revenue: dict[str, int] = {}
    for o in orders:
        revenue[o["客户编号"]] = revenue.get(o["客户编号"], 0) + parse_cents(o["金额"])
    ranked = sorted(revenue.values(), reverse=True)
    top_fifth = ranked[: len(ranked) // 5]
    assert sum(top_fifth) / sum(ranked) > 0.6


def test_files_refer_to_existing_customers_and_orders(
    customers: list[dict[str, str]], orders: list[dict[str, str]]
) -> None:
    codes = {c["客户编号"] for c in customers}
    names = {c["客户名称"] for c in customers}
    assert {o["客户编号"] for o in orders} <= codes
    payments = read_csv_rows(SAMPLE_FILES["payments"], "utf-8")
    assert {p["客户名称"] for p in payments} <= names
    named = {p["订单号"] for p in payments if p["订单号"]}
    assert named <= {o["订单号"] for o in orders}
    assert 0 < len(named) < len(payments)  # some payments name their order, some do not
    contacts = pd.read_excel(
        SAMPLE_DIR / SAMPLE_FILES["contacts"], header=1, dtype=str, engine="openpyxl"
    )
    assert set(contacts["客户名称"]) <= names
    interactions = pd.read_excel(SAMPLE_DIR / SAMPLE_FILES["interactions"], engine="openpyxl")
    assert set(interactions["客户编号"]) <= codes


def test_contacts_have_mixed_birthdays_and_lunar_leap_months() -> None:
    contacts = pd.read_excel(
        SAMPLE_DIR / SAMPLE_FILES["contacts"], header=1, dtype=str, engine="openpyxl"
    )
    lunar = contacts["农历生日"].dropna().tolist()
    assert any(v.startswith("闰") for v in lunar)
    assert {"八月十五", "腊月廿三", "闰四月初八"} <= set(lunar)
    birthdays = contacts["生日"].dropna().tolist()
    assert any(re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", b) for b in birthdays)
    assert any(re.fullmatch(r"\d{1,2}月\d{1,2}日", b) for b in birthdays)  # no year
    assert any(re.fullmatch(r"\d{4}/\d{1,2}/\d{1,2}", b) for b in birthdays)
    assert set(contacts["角色"]) <= {"决策人", "影响者", "使用者", "把关者"}
    assert contacts["爱好"].str.contains("高尔夫").any()


def test_some_complaints_are_still_open() -> None:
    interactions = pd.read_excel(SAMPLE_DIR / SAMPLE_FILES["interactions"], engine="openpyxl")
    complaints = interactions[interactions["方式"] == "投诉"]
    open_ones = complaints[complaints["解决日期"].isna()]
    assert 1 <= len(open_ones) < len(complaints)


def test_sample_data_is_small() -> None:
    total = sum((SAMPLE_DIR / name).stat().st_size for name in SAMPLE_FILES.values())
    assert total < 2 * 1024 * 1024


def test_generator_reproduces_the_shipped_files(tmp_path: Path) -> None:
    write_sample_data(tmp_path, DEFAULT_SEED)
    for name in SAMPLE_FILES.values():
        assert (tmp_path / name).read_bytes() == (SAMPLE_DIR / name).read_bytes(), name


def test_generator_depends_on_the_seed(tmp_path: Path) -> None:
    write_sample_data(tmp_path, DEFAULT_SEED + 1)
    assert (tmp_path / SAMPLE_FILES["orders"]).read_bytes() != (
        SAMPLE_DIR / SAMPLE_FILES["orders"]
    ).read_bytes()


# --- the benchmark generator and result type (bench/) ---------------------------------------------------------


@pytest.fixture(scope="module")
def bench_data(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    out = tmp_path_factory.mktemp("bench")
    generate(out, scale=0.002, seed=3)
    return {
        kind: pd.read_csv(out / f"{kind}.csv", dtype=str, keep_default_na=False) for kind in HEADERS
    }


def test_bench_generator_row_counts_and_headers(bench_data: dict[str, pd.DataFrame]) -> None:
    # scale 0.002 of 100,000 / 1,000,000 / 950,000 / 300,000 / 150,000
    expected = {
        "customers": 200,
        "orders": 2000,
        "payments": 1900,
        "interactions": 600,
        "contacts": 300,
    }
    assert {kind: len(frame) for kind, frame in bench_data.items()} == expected
    assert list(bench_data["customers"].columns) == [
        "code",
        "name",
        "type",
        "region",
        "owner",
        "payment_terms_days",
    ]
    assert list(bench_data["orders"].columns) == [
        "order_no",
        "customer_code",
        "order_date",
        "amount",
        "quantity",
        "product",
        "cost",
    ]


def test_bench_generator_referential_integrity(bench_data: dict[str, pd.DataFrame]) -> None:
    codes = set(bench_data["customers"]["code"])
    assert len(codes) == len(bench_data["customers"])
    for kind in ("orders", "payments", "interactions", "contacts"):
        assert set(bench_data[kind]["customer_code"]) <= codes, kind
    orders = bench_data["orders"].set_index("order_no")
    assert orders.index.is_unique and bench_data["payments"]["payment_no"].is_unique
    named = bench_data["payments"][bench_data["payments"]["order_no"] != ""]
    assert len(named) > 0
    # a payment that names an order pays that customer's order, no more than its amount, not before it
    assert (
        orders.loc[named["order_no"], "customer_code"].to_numpy()
        == named["customer_code"].to_numpy()
    ).all()
    assert (
        orders.loc[named["order_no"], "amount"].astype(float).to_numpy()
        >= named["amount"].astype(float).to_numpy()
    ).all()
    assert (
        orders.loc[named["order_no"], "order_date"].to_numpy() <= named["paid_on"].to_numpy()
    ).all()
    contact_keys = bench_data["contacts"][["customer_code", "name"]]
    assert not contact_keys.duplicated().any()


def test_bench_generator_spans_three_years_to_bench_today(
    bench_data: dict[str, pd.DataFrame],
) -> None:
    days = pd.to_datetime(bench_data["orders"]["order_date"], format="%Y-%m-%d")
    assert days.max().date() <= BENCH_TODAY
    assert (days.max() - days.min()).days > 3 * 365 - 30
    paid = pd.to_datetime(bench_data["payments"]["paid_on"], format="%Y-%m-%d")
    assert paid.max().date() <= BENCH_TODAY


def test_bench_generator_is_deterministic(tmp_path: Path) -> None:
    generate(tmp_path / "a", scale=0.001, seed=5)
    generate(tmp_path / "b", scale=0.001, seed=5)
    for kind in HEADERS:
        assert (tmp_path / "a" / f"{kind}.csv").read_bytes() == (
            tmp_path / "b" / f"{kind}.csv"
        ).read_bytes()


def test_bench_result_ratio_and_targets() -> None:
    result = BenchResult("x", 3.0, baseline_seconds=2.0, target_ratio=2.0)
    assert result.ratio == 1.5 and result.ok  # 3 / 2 = 1.5 ≤ 2
    assert not BenchResult("x", 5.0, baseline_seconds=2.0, target_ratio=2.0).ok  # 5 / 2 = 2.5 > 2
    assert not BenchResult("x", 31.0, target_seconds=30.0).ok
    assert BenchResult("x", 29.0, target_seconds=30.0).ratio is None
    assert not BenchResult("x", math.nan, note="failed").ok


def test_measure_reports_the_peak_memory_of_one_child() -> None:
    # A child that holds 200 MB must report a peak of at least 200 MB; a bare one far less.
    big = [
        sys.executable,
        "-c",
        "x = bytearray(200 * 1024 * 1024); x[::4096] = b'1' * len(x[::4096])",
    ]
    seconds, peak, completed = measure(big)
    assert completed.returncode == 0 and seconds > 0
    if peak is not None:  # measured where os.wait4 exists
        assert peak >= 200
        _, small_peak, _ = measure([sys.executable, "-c", "pass"])
        assert small_peak is not None and small_peak < 50


def test_lunar_birthdays_in_the_demo_week_fall_where_the_readme_says() -> None:
    from lunar_python import Lunar

    # lunar-python as the independent calendar: 十月十四 and 十月十七 of lunar year 2026
    assert Lunar.fromYmd(2026, 10, 14).getSolar().toYmd() == "2026-11-22"
    assert Lunar.fromYmd(2026, 10, 17).getSolar().toYmd() == "2026-11-25"
    contacts = pd.read_excel(
        SAMPLE_DIR / SAMPLE_FILES["contacts"], header=1, dtype=str, engine="openpyxl"
    )
    assert {"农历十月十四", "十月十七"} <= set(contacts["农历生日"].dropna())


def test_every_value_reads_with_the_importers_parsers(
    customers: list[dict[str, str]], orders: list[dict[str, str]]
) -> None:
    """Compatibility with kacrm.values: no cell of the sample data would be rejected."""
    from kacrm import values as v

    for c in customers:
        v.parse_enum(c["客户类型"], "customer_type")
        v.parse_int(c["账期"])
        v.parse_phone(c["电话"])
    for o in orders:
        assert v.parse_date(o["日期"]) == parse_day(o["日期"])
        assert v.parse_money_cents(o["金额"]) == parse_cents(o["金额"])
        v.parse_number(o["数量"])
    for p in read_csv_rows(SAMPLE_FILES["payments"], "utf-8"):
        assert v.parse_date(p["回款日期"]) == parse_day(p["回款日期"])
        assert v.parse_money_cents(p["回款金额"]) == parse_cents(p["回款金额"])
    contacts = pd.read_excel(
        SAMPLE_DIR / SAMPLE_FILES["contacts"], header=1, dtype=object, engine="openpyxl"
    )
    for _, row in contacts.iterrows():
        v.parse_enum(row["角色"], "contact_role")
        v.parse_phone(str(row["手机"]))
        for column in ("生日", "结婚纪念日"):
            if isinstance(row[column], str):
                v.parse_partial_date(row[column])
        if isinstance(row["农历生日"], str):
            v.parse_lunar_date(row["农历生日"])
    assert v.parse_lunar_date("闰四月初八") == (4, 8, True)
    interactions = pd.read_excel(SAMPLE_DIR / SAMPLE_FILES["interactions"], engine="openpyxl")
    for kind in interactions["方式"].unique():
        v.parse_enum(kind, "kind")

"""Cell parsers of kacrm import (SPEC §5, §11): every spelling of the spec, the edge cases, and properties."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kacrm.errors import CellError
from kacrm.values import (
    is_lunar_text,
    name_key,
    normalize_text,
    parse_birthday,
    parse_bool,
    parse_date,
    parse_dates_series,
    parse_enum,
    parse_int,
    parse_lunar_date,
    parse_money_cents,
    parse_money_series,
    parse_number,
    parse_number_series,
    parse_partial_date,
    parse_phone,
    parse_terms_days,
    parse_uscc,
)

# ------------------------------------------------------------------------------------------- normalize_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  ＡＢＣ１２３  ", "ABC123"),
        ("￥１，２３４．５０", "¥1,234.50"),
        (
            "北京\u3000 大客户\t\n部",
            "北京 大客户 部",
        ),  # ideographic space, tab and newline collapse to one space
        ("（元）", "(元)"),
        ("", ""),
    ],
)
def test_normalize_text(text: str, expected: str) -> None:
    assert normalize_text(text) == expected


# ------------------------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "text",
    [
        "2024-03-05",
        "2024/3/5",
        "2024.3.5",
        "20240305",
        "2024年3月5日",
        "2024年3月5号",
        "2024 年 3 月 5 日",
        " 2024-03-05 ",
        "２０２４－０３－０５",
        "2024-03-05 14:30:00",
        "2024-03-05T14:30",
        "2024/3/5 9:05",
        "2024-03-05T14:30:00.123+08:00",
        "2024-03-05T14:30:00Z",
        "2024年3月5日 08:00",
        # Excel 1900 system: serial 45292 is 2024-01-01; + 31 (Jan) + 29 (Feb, leap) + 4 = 45356 is 2024-03-05
        "45356",
        "45356.75",
    ],
)
def test_parse_date_spellings(text: str) -> None:
    assert parse_date(text) == date(2024, 3, 5)


def test_excel_serial_bounds() -> None:
    assert parse_date("10000") == date(1927, 5, 18)  # Excel shows 10000 as 1927-05-18
    with pytest.raises(ValueError, match="serial"):
        parse_date("2024")  # a bare year is not read as a day in 1905
    with pytest.raises(ValueError):
        parse_date("9999999")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2023-02-29", "no such day"),
        ("2024-02-30", "no such day"),
        ("2024年2月30日", "no such day"),
        ("20241301", "no such day"),
        ("2024-03-05 25:00", "no such time"),
        ("1899-12-31", "out of range"),
        ("2200-01-01", "out of range"),
        ("2024-03/05", "not a date"),  # mixed separators
        ("5/3/2024", "not a date"),  # day-month order is ambiguous
        ("24-3-5", "not a date"),
        ("yesterday", "not a date"),
        ("", "empty"),
        ("   ", "empty"),
    ],
)
def test_parse_date_errors(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_date(text)


def test_leap_day() -> None:
    assert parse_date("2024-02-29") == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3月5日", (date(2000, 3, 5), False)),
        ("3月5号", (date(2000, 3, 5), False)),
        ("03-05", (date(2000, 3, 5), False)),
        ("3/5", (date(2000, 3, 5), False)),
        ("--03-05", (date(2000, 3, 5), False)),  # the spec's output form reads back
        ("2月29日", (date(2000, 2, 29), False)),  # representable: 2000 is a leap year
        ("1985-03-05", (date(1985, 3, 5), True)),
        ("1985年3月5日", (date(1985, 3, 5), True)),
    ],
)
def test_parse_partial_date(text: str, expected: tuple[date, bool]) -> None:
    assert parse_partial_date(text) == expected


@pytest.mark.parametrize("text", ["2月30日", "13-01", "04-31", "1985-02-29", "March 5"])
def test_parse_partial_date_errors(text: str) -> None:
    with pytest.raises(ValueError):
        parse_partial_date(text)


# ------------------------------------------------------------------------------------------- money


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("1234.5", 123450),
        ("1,234.50", 123450),
        ("¥1,234.50", 123450),
        ("￥1234", 123400),
        ("RMB 1234", 123400),
        ("rmb1234", 123400),
        ("CNY 1234", 123400),
        ("1234元", 123400),
        ("1234 元", 123400),
        ("1.5万", 1500000),  # 1.5 × 10,000 yuan × 100
        ("1.5万元", 1500000),
        ("2亿", 20000000000),  # 2 × 100,000,000 yuan × 100
        ("-12.5", -1250),
        ("(12.50)", -1250),
        ("(¥12.50)", -1250),
        ("-¥12.5", -1250),
        ("¥-12.5", -1250),
        ("￥1，234．50", 123450),  # full-width digits and punctuation
        ("0.29", 29),  # 0.29 * 100 = 28.999999999999996 in binary floats
        ("19.99", 1999),
        ("12345678.91", 1234567891),
        ("1.005", 101),  # half-up: 100.5 cents -> 101 (a float would give 100.49999… -> 100)
        ("1.004", 100),
        ("-1.005", -101),  # half away from zero
        ("0.125", 13),
        ("1.23456万", 1234560),  # 12345.6 yuan
        (".5", 50),
        ("1,234,567.891", 123456789),  # 123456789.1 cents -> 123456789
        ("1.2e3", 120000),
    ],
)
def test_parse_money_cents(text: str, cents: int) -> None:
    assert parse_money_cents(text) == cents


def test_money_is_exact_where_floats_are_not() -> None:
    # 0.1 + 0.2 != 0.3 in binary floats; in cents it must be exact
    assert parse_money_cents("0.1") + parse_money_cents("0.2") == parse_money_cents("0.3") == 30


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "1,2",
        "1,23",
        "12,3456",
        "$12",
        "--5",
        "-(5)",
        "(-5)",
        "1.2.3",
        "1e",
        "nan",
        "inf",
        "1e20",
    ],
)
def test_parse_money_errors(text: str) -> None:
    with pytest.raises(ValueError):
        parse_money_cents(text)


# ------------------------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1200", 1200.0),
        ("1,200", 1200.0),
        ("3件", 3.0),
        ("10 pcs", 10.0),
        ("2.5", 2.5),
        ("-2", -2.0),
        ("+2", 2.0),
        ("１２", 12.0),
        ("1.5万", 15000.0),
        ("1.5万件", 15000.0),
        ("1e3", 1000.0),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "x", "1,2", "12%", "nan", "inf", "1e999", "3 4"])
def test_parse_number_errors(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("30", 30),
        ("30天", 30),
        ("30 days", 30),
        ("1 day", 1),
        ("net 30", 30),
        ("Net30", 30),
        ("30.0", 30),
        ("30日", 30),
        ("1,000", 1000),
        ("３０天", 30),
    ],
)
def test_parse_int(text: str, value: int) -> None:
    assert parse_int(text) == value


@pytest.mark.parametrize("text", ["", "30.5", "-30", "三十", "3个月", "99999999999"])
def test_parse_int_errors(text: str) -> None:
    with pytest.raises(ValueError):
        parse_int(text)


# ------------------------------------------------------------------------------------------- phones


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        # one normal form per number (issue 14): a Chinese mobile as 11 digits, a landline as area code + number
        ("+86 138-0013-8000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("008613800138000", "13800138000"),
        ("+86 755 8888 6666", "075588886666"),
        ("+1 415 555 0100", "+14155550100"),  # not Chinese: international form kept
        ("0755-8888 6666", "075588886666"),
        ("(0755) 8888-6666", "075588886666"),
        ("138.0013.8000", "13800138000"),
        ("13800138000.0", "13800138000"),  # a number cell from Excel
        ("'13800138000", "13800138000"),  # text-forced cell
        ("＋８６ １３８００１３８０００", "13800138000"),
        ("１３８ ００１３ ８０００", "13800138000"),
        ("0755-8888 6666 转 123", "075588886666 ext 123"),
        ("0755-88886666分机123", "075588886666 ext 123"),
        ("0755 8888 6666 ext. 12", "075588886666 ext 12"),
        ("075588886666 ext 123", "075588886666 ext 123"),  # the output form reads back
        ("13800138000/13900139000", "13800138000/13900139000"),
        ("13800138000；0755-88886666", "13800138000/075588886666"),  # full-width semicolon
        ("手机：13800138000", "13800138000"),
        ("110", "110"),
    ],
)
def test_parse_phone(text: str, phone: str) -> None:
    assert parse_phone(text) == phone


@pytest.mark.parametrize(
    "text", ["", "n/a", "无", "138****8000", "12", "1" * 21, "138+0013", "abc 138"]
)
def test_parse_phone_errors(text: str) -> None:
    with pytest.raises(ValueError):
        parse_phone(text)


# ------------------------------------------------------------------------------------------- lunar dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8-15", (8, 15, False)),
        ("08/15", (8, 15, False)),
        ("八月十五", (8, 15, False)),
        ("正月初一", (1, 1, False)),
        ("冬月初八", (11, 8, False)),
        ("腊月廿三", (12, 23, False)),
        ("腊月二十三", (12, 23, False)),
        ("闰四月初八", (4, 8, True)),
        ("农历八月十五", (8, 15, False)),
        ("阴历八月十五", (8, 15, False)),
        ("农历8月15日", (8, 15, False)),
        ("L04-08", (4, 8, True)),
        ("l4-8", (4, 8, True)),
        ("十一月三十", (11, 30, False)),
        ("十二月初十", (12, 10, False)),
        ("三月二十", (3, 20, False)),
        ("五月初五", (5, 5, False)),
        ("九月九", (9, 9, False)),
        ("闰4月8日", (4, 8, True)),
    ],
)
def test_parse_lunar_date(text: str, expected: tuple[int, int, bool]) -> None:
    assert parse_lunar_date(text) == expected


@pytest.mark.parametrize(
    "text", ["", "13-01", "8-31", "0-5", "十三月初一", "八月三十一", "八月", "月饼", "L"]
)
def test_parse_lunar_date_errors(text: str) -> None:
    with pytest.raises(ValueError):
        parse_lunar_date(text)


# ------------------------------------------------------------------------------------------- flags and enums


@pytest.mark.parametrize("text", ["yes", "YES", "true", "1", "是", "Y", "y", "√"])
def test_parse_bool_true(text: str) -> None:
    assert parse_bool(text) is True


@pytest.mark.parametrize("text", ["no", "False", "0", "否", "N", "×"])
def test_parse_bool_false(text: str) -> None:
    assert parse_bool(text) is False


def test_parse_bool_error() -> None:
    with pytest.raises(ValueError, match="yes or no"):
        parse_bool("maybe")


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("企业", "type", "business"),
        ("公司", "type", "business"),
        ("单位", "type", "business"),
        ("个人", "type", "consumer"),
        ("消费者", "type", "consumer"),
        ("经销商", "type", "channel"),
        ("代理商", "type", "channel"),
        ("渠道", "type", "channel"),
        ("分销商", "type", "channel"),
        ("内部", "type", "internal"),
        ("Business", "type", "business"),
        ("拜访", "kind", "visit"),
        ("走访", "kind", "visit"),
        ("电话", "kind", "call"),
        ("宴请", "kind", "meal"),
        ("吃饭", "kind", "meal"),
        ("聚餐", "kind", "meal"),
        ("邮件", "kind", "email"),
        ("微信", "kind", "message"),
        ("短信", "kind", "message"),
        ("礼品", "kind", "gift"),
        ("送礼", "kind", "gift"),
        ("贺卡", "kind", "card"),
        ("卡片", "kind", "card"),
        ("问卷", "kind", "survey"),
        ("调查", "kind", "survey"),
        ("投诉", "kind", "complaint"),
        ("服务", "kind", "service"),
        ("售后", "kind", "service"),
        ("会议", "kind", "meeting"),
        ("VISIT", "kind", "visit"),
        ("决策人", "role", "decision_maker"),
        ("影响者", "role", "influencer"),
        ("使用者", "role", "user"),
        ("把关者", "role", "gatekeeper"),
        ("Decision Maker", "role", "decision_maker"),
        ("decision-maker", "contact_role", "decision_maker"),
        ("活跃", "status", "active"),
        ("Prospect", "status", "prospect"),
        ("流失", "status", "lost"),
        ("攻关", "stage", "attack"),
        ("defend", "stage", "defend"),
        ("短期", "horizon", "short"),
        ("long", "horizon", "long"),
        ("a", "tier", "A"),
        ("A类", "tier", "A"),
        ("白金", "tier", "platinum"),
        ("Gold", "tier", "gold"),
    ],
)
def test_parse_enum(text: str, field: str, value: str) -> None:
    assert parse_enum(text, field) == value


def test_parse_enum_error_lists_allowed_values() -> None:
    with pytest.raises(ValueError) as info:
        parse_enum("老板", "role")
    message = str(info.value)
    for allowed in ("decision_maker", "决策人", "influencer", "user", "gatekeeper", "other"):
        assert allowed in message


def test_parse_enum_unknown_field_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        parse_enum("x", "colour")


# ------------------------------------------------------------------------------------------- columns


def test_dates_series() -> None:
    s = pd.Series(["2024-03-05", "", "2024/3/5", "45356", "x", "2023-02-29", "  "])
    values, bad = parse_dates_series(s)
    assert str(values.dtype) == "datetime64[ns]"
    assert values.iloc[[0, 2, 3]].tolist() == [pd.Timestamp("2024-03-05")] * 3
    assert values.iloc[[1, 4, 5, 6]].isna().all()
    assert bad.tolist() == [False, False, False, False, True, True, False]


def test_money_series() -> None:
    s = pd.Series(["19.99", "", "1.5万", "(12.50)", "1,2", "0.29", "¥1,234.50", "12345678.91"])
    values, bad = parse_money_series(s)
    assert str(values.dtype) == "Int64"
    assert values.tolist() == [1999, pd.NA, 1500000, -1250, pd.NA, 29, 123450, 1234567891]
    assert bad.tolist() == [False, False, False, False, True, False, False, False]


def test_number_series() -> None:
    s = pd.Series(["1200", "", "1,200", "3件", "x", "-2.5"])
    values, bad = parse_number_series(s)
    assert str(values.dtype) == "float64"
    assert values.fillna(-1).tolist() == [1200.0, -1, 1200.0, 3.0, -1, -2.5]
    assert bad.tolist() == [False, False, False, False, True, False]


def test_series_keep_the_index() -> None:
    s = pd.Series(["2024-03-05", "2024/3/5", "x"], index=[10, 20, 30])
    values, bad = parse_dates_series(s)
    assert values.index.tolist() == bad.index.tolist() == [10, 20, 30]
    assert bad.loc[30] and not bad.loc[20]


# ------------------------------------------------------------------------------------------- properties

SCALARS = [
    parse_date,
    parse_partial_date,
    parse_money_cents,
    parse_number,
    parse_int,
    parse_phone,
    parse_lunar_date,
    parse_bool,
]
# characters the parsers care about, so that generated text reaches their inner branches
TRICKY = st.text(
    alphabet="0123456789０１２-/.,，．:T Z+()¥￥元万亿年月日号天闰正冬腊初十廿一二三八农历Lext转#'eE\u3000",
    max_size=24,
)
ANY_TEXT = st.one_of(st.text(max_size=24), TRICKY)


@pytest.mark.parametrize("parse", SCALARS, ids=lambda f: f.__name__)
@settings(max_examples=300, deadline=None)
@given(text=ANY_TEXT)
def test_any_text_gives_a_value_or_value_error(parse, text: str) -> None:
    with contextlib.suppress(ValueError):
        parse(text)


@settings(max_examples=300, deadline=None)
@given(
    text=ANY_TEXT,
    field=st.sampled_from(["type", "status", "role", "kind", "stage", "horizon", "tier"]),
)
def test_parse_enum_gives_a_value_or_value_error(text: str, field: str) -> None:
    with contextlib.suppress(ValueError):
        parse_enum(text, field)


DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31))


@settings(max_examples=300, deadline=None)
@given(d=DATES)
def test_dates_round_trip(d: date) -> None:
    for text in (
        d.isoformat(),
        f"{d.year}/{d.month}/{d.day}",
        f"{d.year}.{d.month}.{d.day}",
        f"{d.year}年{d.month}月{d.day}日",
        d.strftime("%Y%m%d"),
        f"{d.isoformat()} 23:59:59",
    ):
        assert parse_date(text) == d
    assert parse_partial_date(f"--{d:%m-%d}") == (date(2000, d.month, d.day), False)
    serial = (d - date(1899, 12, 30)).days  # independent of the parser's own constant
    if serial >= 10000:
        assert parse_date(str(serial)) == d


CENTS = st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1)


def _yuan(cents: int, grouped: bool) -> str:
    """Cents written as yuan with integer arithmetic only (an independent formatter)."""
    sign, whole, frac = "-" if cents < 0 else "", abs(cents) // 100, abs(cents) % 100
    return f"{sign}{whole:,}.{frac:02d}" if grouped else f"{sign}{whole}.{frac:02d}"


@settings(max_examples=300, deadline=None)
@given(cents=CENTS)
def test_money_round_trips(cents: int) -> None:
    assert parse_money_cents(_yuan(cents, grouped=False)) == cents
    assert parse_money_cents(_yuan(cents, grouped=True)) == cents
    assert parse_money_cents(_yuan(cents, grouped=True) + "元") == cents


def _scalar_or_none(parse, text: str):
    """What the series forms must hold for one cell: the value, or None for blank and bad cells."""
    if not normalize_text(text):
        return None
    try:
        return parse(text)
    except ValueError:
        return None


CELLS = st.one_of(
    DATES.map(lambda d: d.isoformat()),
    DATES.map(lambda d: f"{d.year}-{d.month}-{d.day}"),
    DATES.map(lambda d: f"{d.year}/{d.month}/{d.day}"),
    CENTS.map(lambda c: _yuan(c, grouped=False)),
    CENTS.map(lambda c: "¥" + _yuan(c, grouped=True)),
    st.decimals(
        allow_nan=False, allow_infinity=False, places=3, min_value=-(10**12), max_value=10**12
    ).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(str),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    TRICKY,
    st.just(""),
)


@settings(max_examples=120, deadline=None)
@given(cells=st.lists(CELLS, max_size=20))
def test_series_agree_with_scalars(cells: list[str]) -> None:
    s = pd.Series(cells, dtype=object)
    dates, bad_dates = parse_dates_series(s)
    money, bad_money = parse_money_series(s)
    numbers, bad_numbers = parse_number_series(s)
    for i, text in enumerate(cells):
        blank = not normalize_text(text)
        expected_date = _scalar_or_none(parse_date, text)
        assert (None if pd.isna(dates.iloc[i]) else dates.iloc[i].date()) == expected_date, text
        assert bool(bad_dates.iloc[i]) == (expected_date is None and not blank), text
        expected_cents = _scalar_or_none(parse_money_cents, text)
        assert (None if pd.isna(money.iloc[i]) else int(money.iloc[i])) == expected_cents, text
        assert bool(bad_money.iloc[i]) == (expected_cents is None and not blank), text
        expected_number = _scalar_or_none(parse_number, text)
        assert (None if pd.isna(numbers.iloc[i]) else float(numbers.iloc[i])) == expected_number, (
            text
        )
        assert bool(bad_numbers.iloc[i]) == (expected_number is None and not blank), text


def test_series_handle_missing_values() -> None:
    values, bad = parse_dates_series(pd.Series(["2024-03-05", None]))
    assert pd.isna(values.iloc[1]) and not bad.iloc[1]
    assert values.iloc[0] == pd.Timestamp(date(2024, 3, 5))


def test_serial_agrees_with_iso_over_a_range() -> None:
    # 1900-03-01 is serial 61 in Excel; every following day adds one
    start = date(1927, 5, 18)
    for n in range(0, 40000, 997):
        assert parse_date(str(10000 + n)) == start + timedelta(days=n)


@pytest.mark.slow
def test_a_million_cells_parse_in_seconds() -> None:
    import time

    n = 1_000_000
    days = pd.Series(pd.date_range("2015-01-01", periods=3650).strftime("%Y-%m-%d"))
    dates = days.sample(n, replace=True, random_state=1).reset_index(drop=True)
    amounts = pd.Series([f"{i // 100}.{i % 100:02d}" for i in range(n)])  # 0.00, 0.01, … 9999.99
    start = time.perf_counter()
    date_values, bad_dates = parse_dates_series(dates)
    cents, bad_money = parse_money_series(amounts)
    elapsed = time.perf_counter() - start
    assert not bad_dates.any() and not bad_money.any()
    assert date_values.iloc[0] == pd.Timestamp(dates.iloc[0])
    assert cents.iloc[123456] == 123456  # "1234.56"
    assert elapsed < 10, f"{elapsed:.1f} s for a million dates and a million amounts"


# ------------------------------------------------------------------------------------------- reasons in Chinese


@pytest.mark.parametrize(
    ("parse", "text", "english", "chinese"),
    [
        (parse_date, "2024-02-30", "no such day: 2024-02-30", "没有这一天：2024-02-30"),
        (parse_date, "yesterday", "not a date", "不是日期"),
        (parse_date, "1850-01-01", "year 1850 out of range", "年份 1850 超出范围"),
        (parse_partial_date, "2月30日", "no such day: month 2, day 30", "没有这一天：2 月 30 日"),
        (parse_money_cents, "lots", "not an amount", "不是金额"),
        (parse_number, "a few", "not a number", "不是数字"),
        (parse_int, "thirty", "not a whole number", "不是整数"),
        (
            parse_phone,
            "12",
            "a phone number has 3 to 20 digits, this one 2",
            "电话号码应有 3 到 20 位数字，这个有 2 位",
        ),
        (parse_lunar_date, "13-01", "no such lunar day", "没有这个农历日子"),
        (parse_bool, "maybe", "not yes or no", "不是“是”或“否”"),
        (
            lambda text: parse_enum(text, "customer_type"),
            "martian",
            "not a known customer_type",
            "不是有效的客户类型",  # the field by its Chinese name
        ),
        (parse_date, "   ", "empty", "为空"),
    ],
)
def test_every_reason_is_given_in_chinese_too(parse, text: str, english: str, chinese: str) -> None:
    with pytest.raises(CellError) as caught:
        parse(text)
    assert str(caught.value).startswith(english) and caught.value.zh.startswith(chinese)


# ------------------------------------------------------------------------------------------- issue 14


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("30", 30),
        ("30天", 30),
        ("月结30天", 30),
        ("月结 60 天", 60),
        ("票到30天", 30),
        ("net 45", 45),
        ("货到付款", 0),
        ("现结", 0),
        ("款到发货", 0),
        ("30.0", 30),
    ],
)
def test_parse_terms_days(text: str, days: int) -> None:
    assert parse_terms_days(text) == days


@pytest.mark.parametrize(
    ("text", "reason"), [("月结", "月结 without"), ("3个月", "not payment terms")]
)
def test_parse_terms_days_refuses_guesses(text: str, reason: str) -> None:
    with pytest.raises(CellError, match=reason):
        parse_terms_days(text)


def test_uscc_check_character() -> None:
    # 91350100M000100Y43 is the example code published with GB 32100-2015 explanations
    assert parse_uscc("91350100M000100Y43") == "91350100M000100Y43"
    assert parse_uscc(" 91350100m000100y43 ") == "91350100M000100Y43"
    with pytest.raises(CellError, match="expected 3"):
        parse_uscc("91350100M000100Y44")
    with pytest.raises(CellError, match="18 characters"):
        parse_uscc("91350100M000100Y4")
    with pytest.raises(CellError, match="'I'"):
        parse_uscc("91350100I000100Y43")
    assert parse_uscc("350100123456789") == "350100123456789"  # an old 15-digit 税号 is kept


@pytest.mark.parametrize(
    ("text", "lunar"),
    [
        ("农历三月初八", True),
        ("闰四月初八", True),
        ("腊月廿三", True),
        ("八月十五", True),
        ("阴历8月15日", True),
        ("3月5日", False),
        ("1990-03-05", False),
        ("03-05", False),
    ],
)
def test_is_lunar_text(text: str, lunar: bool) -> None:
    assert is_lunar_text(text) is lunar


def test_parse_birthday_routes_lunar_text() -> None:
    assert parse_birthday("农历三月初八") == ("lunar", (3, 8, False))
    assert parse_birthday("闰四月初八") == ("lunar", (4, 8, True))
    assert parse_birthday("3月5日") == ("solar", (date(2000, 3, 5), False))


def test_name_key_ignores_width_case_and_spaces() -> None:
    assert (
        name_key("华为（集团） 有限公司") == name_key("华为(集团)有限公司") == "华为(集团)有限公司"
    )
    assert name_key("ACME  Ltd") == name_key("acme ltd") == "acmeltd"

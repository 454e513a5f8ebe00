"""Small pure parsers for the cells of an import file (SPEC §5, §11).

Each scalar parser takes the cell's text and returns a value or raises ``CellError`` (a ValueError) with a short
human reason in English and Chinese; the importer adds the file, row and column. The ``*_series`` forms parse a
whole column at once: a pandas fast path for the common spellings, the scalar parser (once per distinct value) for
the rest, so both always agree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple

from kacrm.domain import (
    CONTACT_ROLES,
    CUSTOMER_STATUSES,
    CUSTOMER_TYPES,
    INTERACTION_KINDS,
    MAX_SPAN_DAYS,
    PLAN_HORIZONS,
    STAGES,
)
from kacrm.errors import CellError
from kacrm.i18n import ZH_LABELS
from kacrm.i18n import text as text_of
from kacrm.i18n.email import email_reason_zh

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

# Dates outside this range are almost always typing errors; the range also fits pandas' datetime64[ns].
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2199, 12, 31)
# Excel's 1900 date system counts 1900-02-29 (serial 60), which never existed: from serial 61 on, serial n is
# 1899-12-30 + n days. Numbers below 10000 (1927-05-18) are refused, so that a bare year such as 2024 is never
# read as a day in 1905.
_EXCEL_EPOCH = date(1899, 12, 30)
SERIAL_MIN = 10000
SERIAL_MAX = (MAX_DATE - _EXCEL_EPOCH).days
# Money beyond ten trillion yuan is a typing error; the bound also keeps the float fast path provably exact.
MAX_CENTS = 10**15

DATE_HINT = "not a date (e.g. 2024-03-05, 2024/3/5, 2024年3月5日)"
PARTIAL_DATE_HINT = "not a date (e.g. 2024-03-05, 2024年3月5日, or without the year 3月5日, 03-05)"
MONEY_HINT = "not an amount (e.g. 1234.50, 1,234.50, ¥1234, 1234元, 1.5万)"
NUMBER_HINT = "not a number (e.g. 1200, 1,200, 3件)"
INT_HINT = "not a whole number (e.g. 30, 30天)"
LUNAR_HINT = "not a lunar date (e.g. 8-15, 八月十五, 正月初一, 闰四月初八, L04-08)"
DATE_HINT_ZH = "不是日期（例如 2024-03-05、2024/3/5、2024年3月5日）"
PARTIAL_DATE_HINT_ZH = "不是日期（例如 2024-03-05、2024年3月5日，或不带年份的 3月5日、03-05）"
MONEY_HINT_ZH = "不是金额（例如 1234.50、1,234.50、¥1234、1234元、1.5万）"
NUMBER_HINT_ZH = "不是数字（例如 1200、1,200、3件）"
INT_HINT_ZH = "不是整数（例如 30、30天）"
LUNAR_HINT_ZH = "不是农历日期（例如 8-15、八月十五、正月初一、闰四月初八、L04-08）"


class _Pattern:
    """A regular expression compiled when it is first used, not when this module is imported: compiling the two
    dozen below cost ~5 ms at the start of every command, most of which read none of them (issue 19). Each
    method of the compiled pattern, once looked up, is kept on this object, so later calls cost what the
    pattern's own do."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        method = getattr(re.compile(*self._source), name)
        setattr(self, name, method)
        return method


def normalize_text(text: str) -> str:
    """Full-width letters, digits and punctuation to ASCII (NFKC), trimmed, inner whitespace runs to one space.

    CJK characters stay as they are; the ideographic space counts as whitespace.
    """
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _cleaned(text: str) -> str:
    """The normalised text, or ValueError when nothing is left."""
    cleaned = normalize_text(text)
    if not cleaned:
        raise CellError("empty", "为空")
    return cleaned


# ---------------------------------------------------------------------------------------------------- dates

_TIME = r"(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_YMD_SEP = _Pattern(rf"(\d{{4}})([-/.])(\d{{1,2}})\2(\d{{1,2}}){_TIME}")
_YMD_ZH = _Pattern(rf"(\d{{4}})\s?年\s?(\d{{1,2}})\s?月\s?(\d{{1,2}})\s?[日号]?{_TIME}")
_YMD_COMPACT = _Pattern(r"(\d{4})(\d{2})(\d{2})")
_SERIAL = _Pattern(r"(\d{1,7})(?:\.\d+)?")
_MONTH_DAY = _Pattern(r"(?:--)?(\d{1,2})([-/.])(\d{1,2})|(\d{1,2})\s?月\s?(\d{1,2})\s?[日号]?")


def _make_date(year: int, month: int, day: int) -> date:
    """The date, or ValueError naming the impossible day or the year out of range."""
    try:
        value = date(year, month, day)
    except ValueError:
        raise CellError(
            f"no such day: {year:04d}-{month:02d}-{day:02d}",
            f"没有这一天：{year:04d}-{month:02d}-{day:02d}",
        ) from None
    if not MIN_DATE <= value <= MAX_DATE:
        raise CellError(
            f"year {year} out of range ({MIN_DATE.year}–{MAX_DATE.year})",
            f"年份 {year} 超出范围（{MIN_DATE.year}–{MAX_DATE.year}）",
        )
    return value


def _check_time(hour: str | None, minute: str | None, second: str | None) -> None:
    if hour is not None and (int(hour) > 23 or int(minute or 0) > 59 or int(second or 0) > 59):
        clock = f"{hour}:{minute}" + (f":{second}" if second else "")
        raise CellError(f"no such time of day: {clock}", f"没有这个时刻：{clock}")


def _serial_date(serial: int) -> date:
    if not SERIAL_MIN <= serial <= SERIAL_MAX:
        raise CellError(
            f"{DATE_HINT}; as an Excel serial number it must lie between {SERIAL_MIN} and {SERIAL_MAX}",
            f"{DATE_HINT_ZH}；作为 Excel 日期序号须在 {SERIAL_MIN} 与 {SERIAL_MAX} 之间",
        )
    return _EXCEL_EPOCH + timedelta(days=serial)


def _full_date(text: str) -> date | None:
    """A full date if the text has the shape of one (ValueError if that date is impossible), else None."""
    if m := _YMD_SEP.fullmatch(text):
        _check_time(m[5], m[6], m[7])
        return _make_date(int(m[1]), int(m[3]), int(m[4]))
    if m := _YMD_ZH.fullmatch(text):
        _check_time(m[4], m[5], m[6])
        return _make_date(int(m[1]), int(m[2]), int(m[3]))
    if m := _YMD_COMPACT.fullmatch(text):
        return _make_date(int(m[1]), int(m[2]), int(m[3]))
    if m := _SERIAL.fullmatch(text):
        return _serial_date(int(m[1]))
    return None


def parse_date(text: str) -> date:
    """A full date: ISO and its slash/dot/compact/Chinese spellings, a time after it ignored, or an Excel serial."""
    value = _full_date(_cleaned(text))
    if value is None:
        raise CellError(DATE_HINT, DATE_HINT_ZH)
    return value


def parse_partial_date(text: str) -> tuple[date, bool]:
    """A birthday or anniversary: ``(date, True)`` for a full date, ``(date(2000, m, d), False)`` without a year.

    2000 is a leap year, so 02-29 without a year is representable.
    """
    cleaned = _cleaned(text)
    if m := _MONTH_DAY.fullmatch(cleaned):
        month, day = (m[1], m[3]) if m[1] else (m[4], m[5])
        try:
            return date(2000, int(month), int(day)), False
        except ValueError:
            raise CellError(
                f"no such day: month {int(month)}, day {int(day)}",
                f"没有这一天：{int(month)} 月 {int(day)} 日",
            ) from None
    value = _full_date(cleaned)
    if value is None:
        raise CellError(PARTIAL_DATE_HINT, PARTIAL_DATE_HINT_ZH)
    return value, True


# ---------------------------------------------------------------------------------------------------- numbers

_DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d+(?:\.\d*)?|\.\d+)"
_MONEY = _Pattern(
    rf"(?P<sign>-)?\s?(?P<cur>¥|RMB|CNY|人民币)?\s?(?P<sign2>-)?(?P<num>{_DIGITS})(?P<exp>[eE][+-]?\d{{1,3}})?"
    r"(?:\s?(?P<mult>万|亿))?(?:\s?(?:元|块|RMB|CNY))?",
    re.IGNORECASE,
)
_NUMBER = _Pattern(
    rf"(?P<sign>[-+])?(?P<num>{_DIGITS})(?P<exp>[eE][+-]?\d{{1,3}})?(?:\s?(?P<mult>万|亿))?(?:\s?[^\W\d_]{{1,6}})?"
)
_INT = _Pattern(
    r"(?:net\s?)?(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?:\.0*)?(?:\s?(?:天|日|days?|d))?", re.IGNORECASE
)
_MULTIPLIERS = {None: 1, "万": 10_000, "亿": 100_000_000}


def _decimal(m: re.Match[str]) -> Decimal:
    """The matched number, with its exponent and 万/亿 multiplier, as an exact Decimal.

    At most 40 digits, computed with 80 digits of precision, so that no intermediate step rounds.
    """
    digits = m["num"].replace(",", "")
    if len(digits) > 40:
        raise CellError("too many digits", "位数太多")
    with localcontext(prec=80):
        return Decimal(digits + (m["exp"] or "")) * _MULTIPLIERS[m["mult"]]


def parse_money_cents(text: str) -> int:
    """An amount of money in integer cents, rounded half away from zero, computed exactly (Decimal).

    ``(12.50)`` and ``-12.5`` are negative; ``1.5万`` is 15000 yuan, ``2亿`` 200,000,000 yuan.
    """
    cleaned = _cleaned(text)
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    if negative:
        cleaned = cleaned[1:-1].strip()
    m = _MONEY.fullmatch(cleaned)
    if m is None or (m["sign"] and m["sign2"]) or (negative and (m["sign"] or m["sign2"])):
        raise CellError(MONEY_HINT, MONEY_HINT_ZH)
    exact = _decimal(m).scaleb(2, Context(prec=80))
    if abs(exact) >= MAX_CENTS:
        raise CellError("amount too large", "金额过大")
    cents = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return -cents if negative or m["sign"] or m["sign2"] else cents


def parse_number(text: str) -> float:
    """A quantity: ``1200``, ``1,200``, ``-2.5``, ``1.5万``; a trailing unit word is ignored (``3件``, ``10 pcs``)."""
    m = _NUMBER.fullmatch(_cleaned(text))
    if m is None:
        raise CellError(NUMBER_HINT, NUMBER_HINT_ZH)
    value = float(_decimal(m))
    if value == float("inf"):
        raise CellError("number too large", "数字过大")
    return -value if m["sign"] == "-" else value


def parse_int(text: str) -> int:
    """A whole number of days or similar: ``30``, ``30天``, ``30 days``, ``net 30``, ``30.0`` (from a spreadsheet)."""
    m = _INT.fullmatch(_cleaned(text))
    if m is None:
        raise CellError(INT_HINT, INT_HINT_ZH)
    value = int(m["num"].replace(",", ""))
    if value > MAX_SPAN_DAYS:
        raise CellError(
            f"more than {MAX_SPAN_DAYS} days (ten years)", f"超过 {MAX_SPAN_DAYS} 天（十年）"
        )
    return value


_COUNT = _Pattern(r"(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?:\.0*)?")


def parse_count(text: str) -> int:
    """A whole number of things, 0 or more: ``40``, ``1,200``, ``40.0`` (from a spreadsheet)."""
    m = _COUNT.fullmatch(_cleaned(text))
    if m is None:
        raise CellError(
            "not a whole number of 0 or more (e.g. 40)", "不是大于等于 0 的整数（例如 40）"
        )
    return int(m["num"].replace(",", ""))


# Payment terms: cash on delivery or before it is no credit at all (0 days).
_CASH_TERMS = frozenset(
    {
        "货到付款",
        "现结",
        "现金",
        "现款",
        "现付",
        "现款现货",
        "款到发货",
        "先款后货",
        "预付",
        "预付款",
        "cod",
        "cash",
    }
)
_TERMS = _Pattern(
    r"(?:月结|票到|见票|发票后|开票后|到货后|账期|信用期|net\s?)\s?(?P<num>\d{1,4})\s?(?:天|日|days?|d)?"
    r"|(?P<bare>\d{1,4})\s?(?:天|日|days?|d)?(?:月结|账期)?",
    re.IGNORECASE,
)
TERMS_HINT = "not payment terms in days (e.g. 30, 30天, 月结30天, 货到付款 = 0)"
TERMS_HINT_ZH = "不是以天计的账期（例如 30、30天、月结30天、货到付款 = 0）"


def parse_terms_days(text: str) -> int:
    """Payment terms as days of credit: ``30``, ``30天``, ``月结30天``, ``票到30天``, ``net 30``, ``30.0``; cash
    terms (``货到付款``, ``现结``, ``款到发货``, ``预付``) are 0. ``月结`` alone and ``3个月`` are refused:
    their number of days is a guess."""
    cleaned = _cleaned(text)
    if cleaned.casefold() in _CASH_TERMS:
        return 0
    if m := _TERMS.fullmatch(cleaned):
        return parse_int(m["num"] or m["bare"])
    try:
        return parse_int(cleaned)
    except CellError:
        if cleaned == "月结":
            raise CellError(
                "月结 without a number of days: write 月结30天 or 30",
                "月结没有写天数：请写 月结30天 或 30",
            ) from None
        raise CellError(TERMS_HINT, TERMS_HINT_ZH) from None


# ---------------------------------------------------------------------------------------------------- USCC

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015: no I, O, S, V, Z
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_OLD_TAX_ID = _Pattern(r"[0-9A-Z]{15}|[0-9A-Z]{20}")


def uscc_check_char(first17: str) -> str:
    """The 18th character of a unified social credit code (GB 32100-2015) for its first 17."""
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31]


def parse_uscc(text: str) -> str:
    """A unified social credit code (统一社会信用代码), upper case without spaces, its check character verified.

    A 15- or 20-character taxpayer number from before 2015 (old 税号) is kept as written: it has no
    check character to verify."""
    code = re.sub(r"[\s\-]", "", _cleaned(text)).upper()
    if len(code) != 18:
        if _OLD_TAX_ID.fullmatch(code):
            return code
        raise CellError(
            f"a unified social credit code has 18 characters, this one {len(code)}",
            f"统一社会信用代码应为 18 位，这个有 {len(code)} 位",
        )
    wrong = sorted({c for c in code[:17] if c not in USCC_CHARS})
    if wrong or code[17] not in USCC_CHARS:
        bad = "".join(wrong) or code[17]
        raise CellError(
            f"not a unified social credit code: {bad!r} is not allowed (no I, O, S, V, Z)",
            f"不是统一社会信用代码：不能含 {bad!r}（不用 I、O、S、V、Z）",
        )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise CellError(
            f"the check character (the last) is wrong: {code[17]}, expected {expected} for the 17 before it; "
            "a character is mistyped",
            f"校验码（最后一位）不对：为 {code[17]}，按前 17 位应为 {expected}；有字符录错",
        )
    return code


# ---------------------------------------------------------------------------------------------------- names


def name_key(name: str) -> str:
    """The key a customer's name or short name is matched on: full-width forms as half-width (（集团） and (集团)),
    case folded, every space removed. The name itself is stored as the user wrote it."""
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


# ---------------------------------------------------------------------------------------------------- phones

_PHONE_LABEL = _Pattern(r"(?:tel|phone|mobile|手机|电话|座机)\s?:?\s?", re.IGNORECASE)
_PHONE_SPLIT = _Pattern(r"\s?(?:[/;,、|]|\bor\b|或)\s?", re.IGNORECASE)
_PHONE_EXT = _Pattern(r"\s?(?:转|分机|ext\.?|x|#)\s?(\d{1,6})", re.IGNORECASE)
_PHONE_BODY = _Pattern(r"\+?[\d\s\-().]*\d[\d\s\-().]*")
_FLOAT_ARTEFACT = _Pattern(r"(\d+)\.0+")
PHONE_HINT = "not a phone number (e.g. 13800138000, +86 138-0013-8000, 0755-8888 6666 转 123)"
PHONE_HINT_ZH = "不是电话号码（例如 13800138000、+86 138-0013-8000、0755-8888 6666 转 123）"


def _one_phone(text: str) -> str:
    text = _PHONE_LABEL.sub("", text, count=1).lstrip("'")
    if m := _FLOAT_ARTEFACT.fullmatch(text):  # a phone stored as a number in Excel: 13800138000.0
        text = m[1]
    ext = ""
    if m := _PHONE_EXT.search(text):
        if m.end() != len(text):
            raise CellError(PHONE_HINT, PHONE_HINT_ZH)
        ext, text = f" ext {m[1]}", text[: m.start()]
    if not _PHONE_BODY.fullmatch(text) or "+" in text[1:]:
        raise CellError(PHONE_HINT, PHONE_HINT_ZH)
    digits = re.sub(r"\D", "", text)
    if not 3 <= len(digits) <= 20:
        raise CellError(
            f"a phone number has 3 to 20 digits, this one {len(digits)}",
            f"电话号码应有 3 到 20 位数字，这个有 {len(digits)} 位",
        )
    return _china_normal_form(digits, international=text.startswith("+")) + ext


_MOBILE_CN = _Pattern(r"1[3-9]\d{9}")
_LANDLINE_CN = _Pattern(r"0[1-9]\d{8,10}")


def _china_normal_form(digits: str, *, international: bool) -> str:
    """One spelling per number: a Chinese mobile as its 11 digits (``13800138000``), a Chinese landline as area
    code and number (``075588886666``), with ``+86``/``0086``/``86`` taken off; other numbers as ``+`` and digits
    when written internationally, else their digits."""
    national = None
    if international and digits.startswith("86"):
        national = digits[2:]
    elif digits.startswith("0086"):
        national = digits[4:]
    elif digits.startswith("86") and _MOBILE_CN.fullmatch(digits[2:]):
        national = digits[2:]
    if national is not None:
        if _MOBILE_CN.fullmatch(national):
            return national
        if _LANDLINE_CN.fullmatch("0" + national):
            return "0" + national
        if _LANDLINE_CN.fullmatch(national):
            return national
    return ("+" if international else "") + digits


def parse_phone(text: str) -> str:
    """Digits and a leading ``+``: ``+86 138-0013-8000`` -> ``+8613800138000``.

    An extension (转/分机/ext/x/#) is kept as ``075588886666 ext 123``; several numbers in one cell
    (separated by / ; , 、 | or 或) are all kept, joined by ``/``. Both forms read back unchanged.
    """
    parts = [p for p in _PHONE_SPLIT.split(_cleaned(text)) if p]
    if not parts:
        raise CellError(PHONE_HINT, PHONE_HINT_ZH)
    return "/".join(_one_phone(p) for p in parts)


# ---------------------------------------------------------------------------------------------------- lunar dates

_ZH_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_ZH_TENS = {"十": 1, "廿": 2, "卅": 3}
_ZH_MONTHS = {"正": 1, "元": 1, "冬": 11, "腊": 12}
_LUNAR_NUMERIC = _Pattern(r"(L)?(\d{1,2})[-/.](\d{1,2})", re.IGNORECASE)
# a whole date in a lunar column: what WPS and Excel make of `8-15` typed into a cell (a date of the current year)
_LUNAR_AS_DATE = _Pattern(r"\d{4}[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]00:00(?::00)?)?")
_LUNAR_ZH = _Pattern(r"(闰)?\s?(\S{1,3}?)\s?月\s?(\S{1,3}?)\s?[日号]?")


def _zh_small_int(text: str) -> int | None:
    """Chinese numerals up to 39 as written in dates (五, 十五, 二十三, 廿三, 初八, 三十), or Arabic digits."""
    if text.isascii() and text.isdigit():
        return int(text)
    text = text.removeprefix("初")
    if len(text) == 1 and text in _ZH_DIGITS:
        return _ZH_DIGITS[text]
    if text and text[0] in _ZH_TENS:  # 十, 十五, 廿三, 卅
        rest = text[1:]
        if not rest:
            return 10 * _ZH_TENS[text[0]]
        return (
            10 * _ZH_TENS[text[0]] + _ZH_DIGITS[rest]
            if len(rest) == 1 and rest in _ZH_DIGITS
            else None
        )
    if len(text) >= 2 and text[0] in _ZH_DIGITS and text[1] == "十":  # 二十, 二十三
        tail = text[2:]
        if tail and (len(tail) != 1 or tail not in _ZH_DIGITS):
            return None
        return 10 * _ZH_DIGITS[text[0]] + (_ZH_DIGITS[tail] if tail else 0)
    return None


def parse_lunar_date(text: str) -> tuple[int, int, bool]:
    """A lunar month and day: ``(month, day, is_leap_month)``, month 1..12, day 1..30.

    Accepts ``8-15``, ``08/15``, ``L04-08`` (the output form), ``八月十五``, ``正月初一``, ``冬月初八``, ``腊月廿三``,
    ``闰四月初八``, ``农历8月15日``; a leading 农历/阴历/lunar is ignored. A whole date (``2026-08-15``, an Excel
    date cell) gives its month and day, the year ignored: WPS and Excel turn ``8-15`` typed into a cell into a date
    of the current year. Whether a leap month exists in a given year is the calendar's business, not the parser's.
    """
    cleaned = _cleaned(text)
    for prefix in ("农历", "阴历", "lunar"):
        if cleaned.lower().startswith(prefix):
            cleaned = cleaned[len(prefix) :].strip()
            break
    month = day = None
    leap = False
    if m := _LUNAR_NUMERIC.fullmatch(cleaned):
        leap, month, day = bool(m[1]), int(m[2]), int(m[3])
    elif m := _LUNAR_AS_DATE.fullmatch(cleaned):
        month, day = int(m[1]), int(m[2])
    elif m := _LUNAR_ZH.fullmatch(cleaned):
        leap = bool(m[1])
        month = _ZH_MONTHS.get(m[2]) or _zh_small_int(m[2])
        day = _zh_small_int(m[3])
    if month is None or day is None:
        raise CellError(LUNAR_HINT, LUNAR_HINT_ZH)
    if not (1 <= month <= 12 and 1 <= day <= 30):
        raise CellError(
            f"no such lunar day: month {month}, day {day} (months 1–12, days 1–30)",
            f"没有这个农历日子：{month} 月 {day} 日（月 1–12，日 1–30）",
        )
    return month, day, leap


_LUNAR_WORDS = _Pattern(r"^(?:农历|阴历|旧历|lunar)|^闰|[正冬腊]月|初[一二三四五六七八九十]|[廿卅]")
_ZH_MONTH_DAY = _Pattern(r"[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}[日号]?")


def is_lunar_text(text: str) -> bool:
    """Whether a date says it is lunar: 农历/阴历 before it, a leap month (闰), or lunar month and day words
    (正月, 腊月, 初八, 廿三, 八月十五). Solar birthdays are written with digits (3月5日), so Chinese numerals
    for month and day are read as lunar."""
    cleaned = normalize_text(text)
    return bool(_LUNAR_WORDS.search(cleaned) or _ZH_MONTH_DAY.fullmatch(cleaned))


def parse_birthday(text: str) -> tuple[str, tuple]:
    """A birthday cell: ``("solar", (date, has_year))`` or, when the text is lunar, ``("lunar", (month, day,
    leap))``."""
    if is_lunar_text(text):
        return "lunar", parse_lunar_date(text)
    return "solar", parse_partial_date(text)


# ---------------------------------------------------------------------------------------------------- flags and enums

_TRUE = {"y", "yes", "true", "t", "1", "是", "对", "有", "√", "✓"}
_FALSE = {"n", "no", "false", "f", "0", "否", "不是", "无", "×", "✗"}


def parse_bool(text: str) -> bool:
    """yes/no, true/false, 1/0, Y/N, 是/否 (and 对, 有/无, √/×)."""
    cleaned = _cleaned(text).casefold()
    if cleaned in _TRUE:
        return True
    if cleaned in _FALSE:
        return False
    raise CellError(
        "not yes or no (e.g. yes, no, 1, 0, 是, 否)", "不是“是”或“否”（例如 yes、no、1、0、是、否）"
    )


TIERS = ("A", "B", "C", "platinum", "gold", "iron", "lead")

# Allowed values per field, and the Chinese (and other) spellings read as each (SPEC §11, kacrm.i18n.ZH_LABELS).
ENUMS: dict[str, tuple[str, ...]] = {
    "type": CUSTOMER_TYPES,
    "status": CUSTOMER_STATUSES,
    "role": CONTACT_ROLES,
    "kind": INTERACTION_KINDS,
    "stage": STAGES,
    "horizon": PLAN_HORIZONS,
    "tier": TIERS,
}
ENUM_FIELD_ALIASES = {"contact_role": "role", "customer_type": "type", "plan_horizon": "horizon"}
ENUM_SYNONYMS: dict[str, dict[str, str]] = {
    "type": {
        "企业": "business",
        "公司": "business",
        "单位": "business",
        "企业客户": "business",
        "b2b": "business",
        "个人": "consumer",
        "消费者": "consumer",
        "个人客户": "consumer",
        "b2c": "consumer",
        "经销商": "channel",
        "代理商": "channel",
        "渠道": "channel",
        "分销商": "channel",
        "dealer": "channel",
        "distributor": "channel",
        "内部": "internal",
    },
    "status": {
        "潜在": "prospect",
        "潜在客户": "prospect",
        "意向": "prospect",
        "已接触": "contacted",
        "已联系": "contacted",
        "目标": "target",
        "目标客户": "target",
        "活跃": "active",
        "合作中": "active",
        "正常": "active",
        "休眠": "dormant",
        "沉睡": "dormant",
        "流失": "lost",
        "已流失": "lost",
    },
    "role": {
        "决策人": "decision_maker",
        "决策者": "decision_maker",
        "影响者": "influencer",
        "影响人": "influencer",
        "使用者": "user",
        "使用人": "user",
        "把关者": "gatekeeper",
        "守门人": "gatekeeper",
        "其他": "other",
    },
    "kind": {
        "拜访": "visit",
        "走访": "visit",
        "上门": "visit",
        "电话": "call",
        "宴请": "meal",
        "吃饭": "meal",
        "聚餐": "meal",
        "邮件": "email",
        "e-mail": "email",
        "微信": "message",
        "短信": "message",
        "wechat": "message",
        "sms": "message",
        "礼品": "gift",
        "送礼": "gift",
        "贺卡": "card",
        "卡片": "card",
        "问卷": "survey",
        "调查": "survey",
        "投诉": "complaint",
        "服务": "service",
        "售后": "service",
        "售后服务": "service",
        "会议": "meeting",
        "其他": "other",
    },
    "stage": {"发现": "find", "攻关": "attack", "维持": "hold", "防守": "defend"},
    "horizon": {"短期": "short", "中期": "mid", "长期": "long", "medium": "mid"},
    "tier": {
        "白金": "platinum",
        "黄金": "gold",
        "铁": "iron",
        "铅": "lead",
        "a": "A",
        "b": "B",
        "c": "C",
    },
}


def parse_enum(text: str, field: str) -> str:
    """The stored (English) value of a coded field, from its English or Chinese spelling, case-insensitively.

    ``field`` is one of ENUMS (or contact_role/customer_type/plan_horizon); ``Decision Maker``, ``decision-maker``
    and ``决策人`` all give ``decision_maker``; ``A类``/``A级`` give tier ``A``.
    """
    key = ENUM_FIELD_ALIASES.get(field, field)
    if key not in ENUMS:
        raise KeyError(f"no coded values for field {field!r}")
    word = re.sub(r"[\s\-]+", "_", _cleaned(text).casefold())
    if key == "tier":
        word = re.sub(r"^([abc])[类级]$", r"\1", word)
    if word in ENUMS[key]:
        return word
    if found := ENUM_SYNONYMS[key].get(word):
        return found
    allowed = ", ".join(f"{v} ({ZH_LABELS[v]})" if v in ZH_LABELS else v for v in ENUMS[key])
    raise CellError(
        f"not a known {field}; allowed: {allowed}",
        f"不是有效的{text_of(f'enum_field_{key}', 'zh')}；可用：{allowed}",
    )


# An order's status (单据状态, 订单状态) that says the ERP voided or cancelled it: such an order counts nowhere, so
# the importer does not store it (docs/import-formats.md). 关闭/已关闭 is not among them: in 金蝶 it is an order
# closed because it is complete, and 撤销 can mean an approval withdrawn (弃审), not the order.
VOID_ORDER_STATUSES = frozenset(
    {
        "作废",
        "已作废",
        "作废单",
        "取消",
        "已取消",
        "void",
        "voided",
        "cancel",
        "cancelled",
        "canceled",
    }
)


def is_void_order_status(text: str | None) -> bool:
    """Whether an order's status cell says it was voided or cancelled (full-width, spaces and case aside)."""
    return isinstance(text, str) and normalize_text(text).casefold() in VOID_ORDER_STATUSES


# ---------------------------------------------------------------------------------------------------- columns

# The fast paths read only what the scalar parser reads the same way; everything else goes to the scalar parser.
# Numbers: -?\d{1,15}(?:\.\d{1,15})?. Money: at most 13 integer digits and 2 decimals, so that a float64 holds
# every amount in cents exactly (|cents| < 10^15 < 2^51).
# A currency sign before, groups of three and 元 after are common enough in exports to be read fast too.
_FAST_MONEY_DECORATED = r"[¥￥]?-?(?:\d{1,13}|\d{1,3}(?:,\d{3}){1,4})(?:\.\d{1,2})?元?"


def _fast_floats(pattern: str, s: pd.Series) -> pd.Series:
    """The cells that match ``pattern`` whole as floats, NaN elsewhere: one pass, the regex and ``float`` per
    cell. For the few cells ``_fast_decimals`` leaves to it (other digits than ASCII ones, which ``\\d`` and
    ``float`` read too)."""
    import numpy as np
    import pandas as pd

    match, nan = re.compile(pattern).fullmatch, float("nan")
    cells = s.to_numpy(dtype=object)
    values = np.fromiter((float(t) if match(t) else nan for t in cells), float, len(cells))
    return pd.Series(values, index=s.index)


def _fast_decimals(s: pd.Series, whole: int, fraction: int, *, cents: bool) -> pd.Series:
    """What ``_fast_floats`` gives for the pattern ``-?\\d{1,whole}(?:\\.\\d{1,fraction})?`` (``cents``: times
    100, rounded), worked out over the whole column at once from the cells' code points (``_decimal_cells``): a
    fifth of the cost of a regex and a ``float`` per cell. The value is the digits as an integer M divided by
    10^k (k decimals): both exact doubles while M has at most 15 digits, so the quotient, rounded once, is what
    ``float`` reads; cents are M·10^(2−k), exact. Longer numbers, and cells with other digits than ASCII ones,
    take the regex."""
    import numpy as np
    import pandas as pd

    cells = s.to_numpy(dtype=object)
    found = _decimal_cells(cells, whole, fraction)
    values = np.full(len(cells), np.nan)
    exact = found.good & (found.digits <= 15)
    mantissa, places = found.mantissa[exact].astype(np.float64), found.places[exact]
    powers = np.array(_POWERS_OF_TEN)
    scaled = mantissa * powers[2 - places] if cents else mantissa / powers[places]
    values[exact] = np.where(found.negative[exact], -scaled, scaled)
    rest = (found.good & ~exact) | found.foreign
    if rest.any():
        pattern = rf"-?\d{{1,{whole}}}(?:\.\d{{1,{fraction}}})?"
        read = _fast_floats(pattern, s[rest]).to_numpy()
        values[rest] = (read * 100).round() if cents else read
    return pd.Series(values, index=s.index)


_POWERS_OF_TEN = tuple(float(10**k) for k in range(16))  # exact doubles


class _Decimals(NamedTuple):
    good: np.ndarray  # the cell has the form
    negative: np.ndarray
    mantissa: np.ndarray  # its digits as an integer (wrapped past 18 digits: see ``digits``)
    places: np.ndarray  # its decimals
    digits: np.ndarray  # its digits
    foreign: np.ndarray  # a code point beyond ASCII: only the regex can judge the cell


def _decimal_cells(cells: np.ndarray, whole: int, fraction: int) -> _Decimals:
    """Which cells are ``-?[0-9]{1,whole}(?:\\.[0-9]{1,fraction})?`` whole, and their parts. The cells are laid
    out as rows of code points, one column per position, so that every test is one NumPy operation."""
    import numpy as np

    n = len(cells)
    lengths = np.fromiter(map(len, cells), np.int64, n)
    fits = (lengths > 0) & (lengths <= 1 + whole + 1 + fraction)
    out = _Decimals(
        *(np.zeros(n, bool) for _ in range(2)),
        *(np.zeros(n, np.int64) for _ in range(3)),
        np.zeros(n, bool),
    )
    if not fits.any():
        return out
    size = lengths[fits]
    points, inside = _code_points(cells[fits], size)
    width = points.shape[1]
    digit = (points - 48 < 10) & inside
    dot = (points == 46) & inside
    minus = np.zeros_like(dot)
    minus[:, 0] = points[:, 0] == 45
    allowed = (digit | dot | minus | ~inside).all(axis=1)
    dots = dot.sum(axis=1)
    sign = minus[:, 0]
    dot_at = np.where(dots == 1, dot.argmax(axis=1), size)
    places = np.where(dots == 1, size - dot_at - 1, 0)
    ints = dot_at - sign
    form = allowed & (dots <= 1) & (ints >= 1) & (ints <= whole) & (places <= fraction)
    form &= (dots == 0) | (places >= 1)
    value = np.zeros(len(size), np.int64)
    for column in range(width):  # wraps past 18 digits: such values are never used
        value = np.where(digit[:, column], value * 10 + (points[:, column] - 48), value)
    out.good[fits], out.negative[fits], out.mantissa[fits] = form, sign, value
    out.places[fits], out.digits[fits] = places, ints + places
    out.foreign[fits] = (points > 127).any(axis=1)
    return out


def _code_points(cells: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The texts ``cells`` (of ``lengths``, at least one) as rows of code points, one column per position, and
    which positions lie inside each text: fixed-width text pads with NUL, and a NUL inside a cell is a code point
    like any other."""
    import numpy as np

    width = int(lengths.max())
    points = cells.astype(f"U{width}").view(np.uint32).reshape(-1, width)
    return points, np.arange(width) < lengths[:, None]


def plain_cells(cells: np.ndarray) -> np.ndarray:
    """Which texts are plain single-spaced ASCII, ``[!-~]+(?: [!-~]+)*`` whole, which ``normalize_text`` keeps
    as they are: tested on the cells' code points, one NumPy operation per test over the column (cells longer
    than 64 code points take a regex each)."""
    import numpy as np

    lengths = np.fromiter(map(len, cells), np.int64, len(cells))
    short = (lengths > 0) & (lengths <= 64)
    plain = np.zeros(len(cells), bool)
    if short.any():
        size = lengths[short]
        points, inside = _code_points(cells[short], size)
        space = points == 32
        ok = (points - 32 < 95) | ~inside  # a NUL inside a cell is below the space
        ok = ok.all(axis=1) & ~space[:, 0] & ~space[np.arange(len(size)), size - 1]
        plain[short] = ok & ~(space[:, 1:] & space[:, :-1]).any(axis=1)
    long = lengths > 64
    if long.any():
        plain[long] = [_PLAIN.fullmatch(text) is not None for text in cells[long]]
    return plain


_PLAIN = _Pattern(r"[!-~]+(?: [!-~]+)*")


def _fullmatch(pattern: str, s: pd.Series) -> np.ndarray:
    """Which cells match ``pattern`` whole: a compiled regex over the plain array (pandas' str accessor costs
    about twice as much per cell)."""
    import numpy as np

    match = re.compile(pattern).fullmatch
    return np.fromiter((match(text) is not None for text in s.to_numpy(dtype=object)), bool, len(s))


def _parse_column(
    s: pd.Series, fast: Callable[[pd.Series], pd.Series], parse: Callable[[str], object], dtype: str
) -> tuple[pd.Series, pd.Series]:
    """Fast path first, then the scalar parser once per distinct text it left; blank cells are neither."""
    import pandas as pd

    s = pd.Series(s, dtype=object).where(s.notna(), "").astype(str)
    values = fast(s).astype(dtype)
    todo = values.isna()
    good: dict[str, object] = {}
    bad_texts: set[str] = set()
    for text in s[todo].unique():
        if not normalize_text(text):
            continue
        try:
            good[text] = parse(text)
        except ValueError:
            bad_texts.add(text)
    if good:
        values[todo] = s[todo].map(good).astype(dtype).to_numpy()
    return values, todo & s.isin(bad_texts)


def parse_dates_series(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates of a column: ``(datetime64[ns] values, NaT for blank or bad; bad mask)``; agrees with parse_date."""
    import numpy as np
    import pandas as pd

    def fast(s: pd.Series) -> pd.Series:
        # pandas reads exactly YYYY-M-D here (no spaces, no time); years out of range go to the scalar parser.
        # Only cells with "-" after four characters are tried: pandas is slow on cells that fail the format.
        fifth = s.to_numpy(dtype=object).astype("U5").view(np.uint32).reshape(-1, 5)[:, 4]
        dashed = fifth == ord("-")  # a shorter cell has NUL there
        parsed = pd.to_datetime(s.where(dashed), format="%Y-%m-%d", errors="coerce")
        return parsed.where(parsed.dt.year.between(MIN_DATE.year, MAX_DATE.year))

    return _parse_column(s, fast, lambda text: pd.Timestamp(parse_date(text)), "datetime64[ns]")


def parse_money_series(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Amounts of a column: ``(Int64 cents, <NA> for blank or bad; bad mask)``; agrees with parse_money_cents."""
    import pandas as pd

    def fast(s: pd.Series) -> pd.Series:
        numbers = _fast_decimals(s, 13, 2, cents=True)
        rest = numbers.isna() & (s != "")
        if rest.any():
            decorated = s[rest].where(_fullmatch(_FAST_MONEY_DECORATED, s[rest]))
            plain = decorated.str.replace(r"[¥￥,元]", "", regex=True)
            numbers[rest] = (pd.to_numeric(plain, errors="coerce") * 100).round().to_numpy()
        return numbers

    return _parse_column(s, fast, parse_money_cents, "Int64")


def parse_number_series(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Quantities of a column: ``(float64 values, NaN for blank or bad; bad mask)``; agrees with parse_number."""

    fast = partial(_fast_decimals, whole=15, fraction=15, cents=False)
    return _parse_column(s, fast, parse_number, "float64")


def parse_email(text: str) -> str:
    """An email address in its normal form (email-validator: the syntax and the domain's form, never whether it
    receives mail), else CellError. Used for digest recipients, owners' addresses and a customer's --email before
    anything is sent or stored."""
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(text.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise CellError(
            f"not a valid email address ({exc})",
            f"不是有效的电子邮件地址（{email_reason_zh(str(exc))}）",
        ) from None


# The Chinese a person types for the values of options (--method 金字塔, --metric 利润, --by 区域, --basis 到期日).
OPTION_WORDS: dict[str, dict[str, str]] = {
    "method": {"abc分类": "abc", "金字塔": "pyramid", "客户金字塔": "pyramid", "购买概率": "clv"},
    "metric": {
        "销售额": "revenue",
        "营业额": "revenue",
        "利润": "profit",
        "毛利": "profit",
        "订单数": "orders",
        "单数": "orders",
    },
    "by": {
        "客户": "customer",
        "按客户": "customer",
        "区域": "region",
        "地区": "region",
        "按区域": "region",
    },
    "basis": {
        "到期日": "due",
        "到期": "due",
        "订单日": "order",
        "下单日": "order",
        "订单日期": "order",
    },
}
_WINDOW_MONTHS = _Pattern(r"^(?:近|最近)?(\d{1,4})个?月$")


def option_word(text: str, *options: str) -> str:
    """The code a person meant for one of ``options`` (keys of OPTION_WORDS), from its Chinese; else ``text``."""
    word = re.sub(r"\s+", "", text).casefold()
    for option in options:
        if found := OPTION_WORDS[option].get(word):
            return found
    return text


def window_code(text: str | None) -> str | None:
    """A window as --window takes it (12m, all), from its Chinese (近12个月, 12个月, 全部); else ``text``."""
    if text is None:
        return None
    word = re.sub(r"\s+", "", text)
    if word in ("全部", "所有", "全部历史"):
        return "all"
    months = _WINDOW_MONTHS.match(word)
    return f"{months.group(1)}m" if months else text

"""Calendar arithmetic for the due list: lunar → solar dates, yearly dates of birthdays, festivals.

Lunar dates come from lunar-python (computed, not tabled; leap months are negative month numbers) and other
countries' holidays from `holidays`; docs/lunar.md says why these two.
"""

from __future__ import annotations

import calendar as _stdcal
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from kacrm.analysis.lunar_table import lunar_months
from kacrm.config_check import toml_value
from kacrm.errors import ConfigError, worded

_ZH_MONTHS = ("正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊")
_ZH_DIGITS = ("", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十")


@dataclass(frozen=True)
class Festival:
    name: str
    name_zh: str
    on: date


def solar_on(year: int, month: int, day: int) -> date:
    """This year's date of a yearly solar day; 29 February falls on 28 February in common years."""
    if month == 2 and day == 29 and not _stdcal.isleap(year):
        day = 28
    return date(year, month, day)


@lru_cache(maxsize=512)
def _lunar_months(lunar_year: int) -> dict[int, tuple[date, int]]:
    """Each month of a lunar year (leap months negative): its first solar day and its length (1900–2100 from
    kacrm.analysis.lunar_table, lunar-python's answers stored; other years from lunar-python)."""
    stored = lunar_months(lunar_year)
    if stored is not None:
        return stored
    from lunar_python import LunarYear, Solar

    months = {}
    for month in LunarYear.fromYear(lunar_year).getMonthsInYear():
        first = Solar.fromJulianDay(month.getFirstJulianDay())
        months[month.getMonth()] = (
            date(first.getYear(), first.getMonth(), first.getDay()),
            month.getDayCount(),
        )
    return months


def lunar_to_solar(lunar_year: int, month: int, day: int, leap: bool = False) -> date:
    """The solar date of a lunar day in a given lunar year.

    A leap-month day falls in the ordinary month of that number when the year has no such leap month, and
    day 30 of a month that has only 29 days that year falls on day 29.
    """
    if not (1 <= month <= 12 and 1 <= day <= 30):
        raise ValueError(f"no lunar day {month}-{day}")
    months = _lunar_months(lunar_year)
    first, length = months.get(-month, months[month]) if leap else months[month]
    return date.fromordinal(first.toordinal() + min(day, length) - 1)


def lunar_label(month: int, day: int, leap: bool = False) -> str:
    """A lunar day in Chinese: 八月十五, 闰四月初八, 腊月廿三."""
    if day <= 10:
        day_text = "初" + _ZH_DIGITS[day]
    elif day < 20:
        day_text = "十" + _ZH_DIGITS[day - 10]
    elif day == 20:
        day_text = "二十"
    elif day < 30:
        day_text = "廿" + _ZH_DIGITS[day - 20]
    else:
        day_text = "三十"
    return ("闰" if leap else "") + _ZH_MONTHS[month - 1] + "月" + day_text


def china_festivals(year: int) -> list[Festival]:
    """The five greeting occasions of the Chinese business year, in solar year ``year``."""
    return sorted(
        [
            Festival("New Year", "元旦", date(year, 1, 1)),
            Festival("Spring Festival", "春节", lunar_to_solar(year, 1, 1)),
            Festival("Dragon Boat Festival", "端午节", lunar_to_solar(year, 5, 5)),
            Festival("Mid-Autumn Festival", "中秋节", lunar_to_solar(year, 8, 15)),
            Festival("National Day", "国庆节", date(year, 10, 1)),
        ],
        key=lambda f: f.on,
    )


@lru_cache(maxsize=64)
def country_festivals(country: str, year: int) -> tuple[Festival, ...]:
    """Greeting occasions of a country: China's five computed, any other country's public holidays.

    For other countries every holiday name counts once, on its first day (not the observed/substitute days).
    """
    code = country.strip().upper()
    if code in ("CN", "CHN"):
        return tuple(china_festivals(year))
    import holidays

    try:
        days = holidays.country_holidays(code, years=year, observed=False)
    except NotImplementedError:
        raise worded(ConfigError, "config_unknown_country", value=toml_value(country)) from None
    first: dict[str, date] = {}
    for day, names in sorted(days.items()):
        for name in names.split("; "):
            first.setdefault(name, day)
    return tuple(
        sorted((Festival(name, name, day) for name, day in first.items()), key=lambda f: f.on)
    )

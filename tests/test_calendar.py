"""Lunar → solar conversion, yearly solar dates and festivals, against published calendar dates."""

from __future__ import annotations

from datetime import date

import holidays
import pytest

from kacrm.analysis.calendar import (
    china_festivals,
    country_festivals,
    lunar_label,
    lunar_to_solar,
    solar_on,
)
from kacrm.errors import ConfigError


@pytest.mark.parametrize(
    ("lunar", "solar"),
    [
        ((2026, 8, 15, False), date(2026, 9, 25)),  # Mid-Autumn 2026
        ((2027, 1, 1, False), date(2027, 2, 6)),  # 正月初一 2027
        ((2026, 1, 1, False), date(2026, 2, 17)),  # Spring Festival 2026
        ((2020, 4, 8, True), date(2020, 5, 30)),  # 闰四月初八 in a year with a leap 4th month
        (
            (2020, 4, 8, False),
            date(2020, 4, 30),
        ),  # the ordinary 四月初八 of 2020, one lunar month earlier
        ((2021, 4, 8, True), date(2021, 5, 19)),  # 2021 has no leap month: 四月初八
        ((1900, 1, 1, False), date(1900, 1, 31)),  # the far end of the range
        ((2100, 1, 1, False), date(2100, 2, 9)),
    ],
)
def test_lunar_to_solar_known_dates(lunar: tuple[int, int, int, bool], solar: date) -> None:
    assert lunar_to_solar(*lunar) == solar


def test_day_30_in_a_29_day_month_falls_on_day_29() -> None:
    # 2026's second lunar month has 29 days: 二月初一 is 2026-03-19, so 二月廿九 is 03-19 + 28 = 2026-04-16
    assert lunar_to_solar(2026, 2, 1) == date(2026, 3, 19)
    assert lunar_to_solar(2026, 2, 30) == date(2026, 4, 16)
    # the first month of 2026 has 30 days: 正月三十 = 2026-02-17 + 29 days = 2026-03-18
    assert lunar_to_solar(2026, 1, 30) == date(2026, 3, 18)


def test_bad_lunar_day_is_an_error() -> None:
    with pytest.raises(ValueError):
        lunar_to_solar(2026, 13, 1)


def test_solar_on_moves_29_february_in_common_years() -> None:
    assert solar_on(2026, 2, 29) == date(2026, 2, 28)
    assert solar_on(2028, 2, 29) == date(2028, 2, 29)
    assert solar_on(2100, 2, 29) == date(2100, 2, 28)  # 2100 is not a leap year


def test_lunar_labels() -> None:
    assert lunar_label(8, 15) == "八月十五"
    assert lunar_label(1, 1) == "正月初一"
    assert lunar_label(12, 23) == "腊月廿三"
    assert lunar_label(4, 8, leap=True) == "闰四月初八"
    assert lunar_label(11, 20) == "冬月二十"
    assert lunar_label(3, 30) == "三月三十"


@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027])
def test_china_festivals_agree_with_the_holidays_library(year: int) -> None:
    """An independent source: the official CN calendar of the holidays package (first day of each holiday)."""
    official = holidays.country_holidays("CN", years=year, observed=False, language="en_US")
    names = {
        "New Year": "New Year's Day",
        "Spring Festival": "Chinese New Year (Spring Festival)",
        "Dragon Boat Festival": "Dragon Boat Festival",
        "Mid-Autumn Festival": "Mid-Autumn Festival",
        "National Day": "National Day",
    }
    for fest in china_festivals(year):
        days = sorted(d for d, n in official.items() if names[fest.name] in n.split("; "))
        assert fest.on == days[0], fest.name


def test_other_country_festivals_from_holidays() -> None:
    us = country_festivals("us", 2026)
    by_name = {f.name: f.on for f in us}
    assert by_name["Independence Day"] == date(2026, 7, 4)
    assert by_name["Thanksgiving Day"] == date(2026, 11, 26)  # 4th Thursday of November 2026
    assert [f.on for f in us] == sorted(f.on for f in us)


def test_unknown_country_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="XX"):
        country_festivals("XX", 2026)


def test_every_lunar_year_ends_before_the_21st_of_february() -> None:
    """What kacrm.analysis.due's birthdays rely on to skip lunar year Y-1 for a window starting in March or
    later: the last day of every lunar year 1901–2098 (its last month, leap or not) falls in solar January or
    February before the 21st, by lunar-python directly."""
    from lunar_python import Lunar, LunarYear

    for year in range(1901, 2099):
        last_month = [m for m in LunarYear.fromYear(year).getMonths() if m.getYear() == year][-1]
        solar = Lunar.fromYmd(year, last_month.getMonth(), last_month.getDayCount()).getSolar()
        assert solar.getYear() == year + 1, year
        assert (solar.getMonth(), solar.getDay()) < (2, 21), (year, solar.toYmd())

"""kacrm.analysis.lunar_table against lunar-python, year by year (independent method: the library the table was
built from, asked again), and the years outside the table, which lunar-python still computes."""

from __future__ import annotations

from datetime import date

from lunar_python import LunarYear, Solar

from kacrm.analysis import calendar, lunar_table


def lunar_python_months(lunar_year: int) -> dict[int, tuple[date, int]]:
    """Each month of the year (leap months negative) in lunar-python's order: first solar day, length."""
    months = {}
    for month in LunarYear.fromYear(lunar_year).getMonthsInYear():
        first = Solar.fromJulianDay(month.getFirstJulianDay())
        months[month.getMonth()] = (
            date(first.getYear(), first.getMonth(), first.getDay()),
            month.getDayCount(),
        )
    return months


def lunar_python_entry(lunar_year: int) -> tuple[int, int, int]:
    """The table's entry for the year: ordinal of 正月初一, leap month, 30-day mask by position."""
    months = list(lunar_python_months(lunar_year).items())
    leap = next((-number for number, _ in months if number < 0), 0)
    mask = sum(1 << i for i, (_, (_, length)) in enumerate(months) if length == 30)
    return months[0][1][0].toordinal(), leap, mask


def test_every_tabled_year_is_lunar_pythons() -> None:
    years = range(lunar_table.FIRST_YEAR, lunar_table.FIRST_YEAR + len(lunar_table.YEARS))
    assert (years.start, years.stop - 1) == (1900, 2100)
    for year in years:
        expected = lunar_python_months(year)
        stored = lunar_table.lunar_months(year)
        assert stored == expected and list(stored) == list(expected), year
        assert lunar_table.YEARS[year - years.start] == lunar_python_entry(year), year


def test_years_outside_the_table_come_from_lunar_python() -> None:
    assert lunar_table.lunar_months(1899) is None and lunar_table.lunar_months(2101) is None
    calendar._lunar_months.cache_clear()
    leap_months = 0
    for year in (*range(1890, 1900), *range(2101, 2111)):
        for number, (first, length) in lunar_python_months(year).items():
            leap_months += number < 0
            on = calendar.lunar_to_solar(year, abs(number), length, leap=number < 0)
            assert on == date.fromordinal(first.toordinal() + length - 1), (year, number)
    assert leap_months >= 5  # the leap months of those twenty years were converted too


if __name__ == "__main__":  # print the table again, e.g. after lunar-python changed its astronomy
    for first_year in range(1900, 2101, 4):
        print(
            "    "
            + " ".join(
                f"({a}, {leap}, 0x{mask:04x}),"
                for a, leap, mask in map(
                    lunar_python_entry, range(first_year, min(first_year + 4, 2101))
                )
            )
        )

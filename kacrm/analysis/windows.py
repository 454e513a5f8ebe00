"""The order windows of `tier --window` and `report --window`: N months back from the as-of day (12m, 24m…) or
all of history. One parser and one month arithmetic for both commands."""

from __future__ import annotations

from datetime import date, timedelta

from kacrm.config_check import MAX_MONTHS, Wanted, window_months
from kacrm.errors import input_error


def parse_window(text: str) -> int | None:
    """'12m' -> 12 (also ' 24M ', '6 m'), 'all' -> None; anything else is an InputError naming the option."""
    try:
        return window_months(text)  # the rule of [tier] window too
    except Wanted:
        raise input_error("window_bad", text=text, most=MAX_MONTHS) from None


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier, the day clamped to the month's end (31 March − 1 month = 28/29 February)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    next_month = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, min(day.day, (next_month - date(year, month, 1)).days))


def window_after(months: int | None, today: date) -> date | None:
    """The window's exclusive lower bound: it holds the days after today − N months up to today (None: all)."""
    return None if months is None else months_before(today, months)


def first_day(months: int | None, today: date) -> date | None:
    """The window's first day: 12 months ending on 2026-06-30 are 2025-07-01 … 2026-06-30 (None: all)."""
    after = window_after(months, today)
    return None if after is None else after + timedelta(days=1)

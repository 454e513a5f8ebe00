"""The --window of tier and report (kacrm.analysis.windows): parsing and month arithmetic, by hand."""

from __future__ import annotations

from datetime import date

import pytest

from kacrm.analysis.windows import first_day, months_before, parse_window, window_after
from kacrm.errors import InputError


def test_windows_parse() -> None:
    assert parse_window("12m") == 12
    assert parse_window(" 24M ") == 24
    assert parse_window("6 m") == 6
    assert parse_window(" ALL ") is None
    assert parse_window("1200m") == 1200


@pytest.mark.parametrize("bad", ["12", "0m", "1201m", "12 months", "1y", "m", ""])
def test_a_bad_window_names_the_option(bad: str) -> None:
    with pytest.raises(InputError, match=r"^--window: "):
        parse_window(bad)


def test_months_back_clamp_to_the_end_of_the_month() -> None:
    assert months_before(date(2025, 3, 31), 1) == date(2025, 2, 28)
    assert months_before(date(2024, 3, 31), 1) == date(2024, 2, 29)  # leap year
    assert months_before(date(2024, 2, 29), 12) == date(2023, 2, 28)
    assert months_before(date(2024, 1, 15), 24) == date(2022, 1, 15)
    assert months_before(date(2024, 1, 31), 2) == date(2023, 11, 30)  # back across the year


def test_the_window_is_the_days_after_today_minus_n_months() -> None:
    # 12 months ending on 2026-06-30: after 2025-06-30, i.e. 2025-07-01 … 2026-06-30
    assert window_after(12, date(2026, 6, 30)) == date(2025, 6, 30)
    assert first_day(12, date(2026, 6, 30)) == date(2025, 7, 1)
    assert first_day(1, date(2024, 3, 31)) == date(2024, 3, 1)
    assert (
        window_after(None, date(2024, 1, 1)) is None and first_day(None, date(2024, 1, 1)) is None
    )

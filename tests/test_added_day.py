"""The day a customer was added (docs/data-model.md, `customer.added_on`) is "today" as the command that added it
read it: its --as-of when given, else the local date (as `log` without --on records the local day), never the
wall clock's UTC date. It starts the cadence of a customer never contacted and the pool clock of one never
touched."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

# tier A (cadence 14 days), no order, no interaction
CUSTOMERS = "客户编号,客户名称,客户等级,业务员\nC4,Delta Ltd,A,Wang\n"


def _import(run, tmp_path: Path, *as_of: str) -> None:
    path = tmp_path / "customers.csv"
    path.write_text(CUSTOMERS, encoding="utf-8")
    result = run(*as_of, "import", str(path), "--kind", "customers")
    assert result.exit_code == 0, result.output


def _cadence(run, *window: str) -> list[tuple[str, str]]:
    result = run("due", *window, "--kind", "cadence", "--format", "json")
    assert result.exit_code == 0, result.output
    return [(r["due_on"], r["reason"]) for r in json.loads(result.stdout)]


def test_a_customer_imported_as_of_a_day_is_added_that_day(run, tmp_path: Path) -> None:
    _import(run, tmp_path, "--as-of", "2026-06-01")
    # added 2026-06-01, tier A every 14 days: due 2026-06-15
    never = "added, never contacted 2026-06-01; tier A: every 14 days"
    assert _cadence(run, "--as-of", "2026-06-15", "--today") == [("2026-06-15", never)]
    # half a year later it is still the day it was added, not the day the import ran
    assert _cadence(run, "--as-of", "2026-12-17", "--today") == [("2026-06-15", never)]


def test_a_customer_added_by_hand_as_of_a_day_is_added_that_day(run) -> None:
    result = run(
        "customer", "add", "C5", "Echo Ltd", "--cadence-days", "10", "--as-of", "2026-06-01"
    )
    assert result.exit_code == 0, result.output
    # 2026-06-01 + 10 days
    assert [d for d, _ in _cadence(run, "--as-of", "2026-06-20", "--today")] == ["2026-06-11"]


@pytest.fixture
def away_from_utc() -> Iterator[date]:
    """A time zone whose date differs from UTC's at this moment (Asia/Shanghai from 16:00 UTC, Kiritimati from
    10:00, Pago Pago before), set for the process; yields its local date, read through zoneinfo."""
    hour = datetime.now(UTC).hour
    zone = (
        "Asia/Shanghai"
        if hour >= 16
        else "Pacific/Kiritimati"
        if hour >= 10
        else "Pacific/Pago_Pago"
    )
    before = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        local = datetime.now(ZoneInfo(zone)).date()
        assert local != datetime.now(UTC).date()
        yield local
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()


def test_without_as_of_the_added_day_is_the_local_date(
    run, tmp_path: Path, away_from_utc: date
) -> None:
    local = away_from_utc
    _import(run, tmp_path)
    assert _cadence(run, "--days", "30") == [
        (
            (local + timedelta(days=14)).isoformat(),
            f"added, never contacted {local.isoformat()}; tier A: every 14 days",
        )
    ]
    config = tmp_path / "config.toml"
    config.write_text("[pool]\nrelease_after_days = { A = 30 }\n", encoding="utf-8")
    later = (local + timedelta(days=100)).isoformat()
    result = run("--config", str(config), "pool", "--as-of", later, "--format", "json")
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)
    # never touched: the clock starts on the local day it was added; released 30 days later
    assert row["last_touch_on"] == local.isoformat()
    assert row["release_on"] == (local + timedelta(days=30)).isoformat()

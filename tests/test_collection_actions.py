"""What a collection item says (SPEC §8, §15) in `due`, the digest and the statement: a payment reminder before
the due date is not overdue, and a hand release of a credit hold turns the held items back into calls until
another item reaches the hold level. SQLite and PostgreSQL, English and Chinese."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

# C001, 30 days' terms: O1 of 2026-01-01 falls due 01-31 (reminder 01-28, call 02-01, letter 02-15, hold 03-02,
# escalate 04-01); O2 of 02-01 falls due 03-03 (hold 04-02).
CUSTOMERS = "code,name,terms\nC001,甲公司,30\n"
ORDERS = (
    "order_no,customer_code,order_date,amount\nO1,C001,2026-01-01,1000\nO2,C001,2026-02-01,500\n"
)


@pytest.fixture
def book(run, tmp_path: Path):
    for name, body in (("c.csv", CUSTOMERS), ("o.csv", ORDERS)):
        (tmp_path / name).write_text(body, encoding="utf-8")
    result = run("import", str(tmp_path / "c.csv"), str(tmp_path / "o.csv"))
    assert result.exit_code == 0, result.output
    return run


def _items(run, day: str, *options: str) -> dict[str, dict]:
    result = run("--as-of", day, "due", *options, "--kind", "collection", "--format", "json")
    assert result.exit_code == 0, result.output
    return {row["id"]: row for row in json.loads(result.stdout)}


def _digest(run, day: str, lang: str = "en", fmt: str = "text") -> str:
    result = run("--lang", lang, "--as-of", day, "digest", "--dry-run", "--format", fmt)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_reminder_before_the_due_date_is_not_overdue(book) -> None:
    # 01-29: O1's reminder was for 01-28; the payment falls due 01-31, in 2 days
    item = _items(book, "2026-01-29", "--today")["col-O1"]
    assert (item["due_on"], item["event_on"], item["action"]) == (
        "2026-01-28",
        "2026-01-31",
        "reminder",
    )
    assert item["overdue_days"] == 0  # it read 1 (days since the reminder's day)
    assert "col-O1" not in _items(book, "2026-01-29", "--overdue")
    # the table lists it under today (01-29, a Thursday), not under its past day nor as overdue
    table = book("--as-of", "2026-01-29", "due", "--today")
    assert table.exit_code == 0, table.output
    groups = [line.strip() for line in table.stdout.splitlines() if line[:4] in ("2026", "Over")]
    assert groups == ["2026-01-29 Thu"]
    english = _digest(book, "2026-01-29")
    assert "reminder: 1,000.00 on order O1 falls due 2026-01-31 [due in 2 days]" in english
    assert "overdue" not in english.split("Due and overdue")[1]
    chinese = _digest(book, "2026-01-29", "zh")
    assert "将于 2026-01-31 到期 [2 天后到期]" in chinese and "逾期 1 天" not in chinese
    assert "<td class=n>due in 2 days</td>" in _digest(book, "2026-01-29", fmt="html")
    assert "| 1 天后到期 |" in _digest(book, "2026-01-30", "zh", "md")
    # past the due date it is overdue, counted from the due date: 02-03 is 3 days past 01-31
    item = _items(book, "2026-02-03", "--overdue")["col-O1"]
    assert (item["overdue_days"], item["action"]) == (3, "call")
    assert "(due 2026-01-31) [overdue 3 days]" in _digest(book, "2026-02-03")
    assert "（2026-01-31 到期） [逾期 3 天]" in _digest(book, "2026-02-03", "zh")


def _actions(run, day: str) -> dict[str, str]:
    return {i: row["action"] for i, row in _items(run, day, "--today").items()}


def test_a_released_customer_s_held_items_are_calls_until_another_reaches_the_hold_level(
    book,
) -> None:
    assert _actions(book, "2026-03-05") == {"col-O1": "hold", "col-O2": "call"}
    release = ["--as-of", "2026-03-05", "credit", "release", "C001", "--note", "承诺月底付清"]
    assert book(*release).exit_code == 0
    # released on 03-05: O1 (hold since 03-02, escalate from 04-01) asks for a call, O2 keeps its own level
    assert _actions(book, "2026-03-05") == {"col-O1": "call", "col-O2": "call"}
    assert _actions(book, "2026-04-01") == {"col-O1": "call", "col-O2": "letter"}
    english, chinese = _digest(book, "2026-03-05"), _digest(book, "2026-03-05", "zh")
    assert "call to collect 1,000.00 on order O1 (due 2026-01-31)" in english
    assert "credit hold" not in english
    assert (
        "电话催款：订单 O1 欠款 1,000.00（2026-01-31 到期）" in chinese
        and "信用冻结" not in chinese
    )
    statement = book("--as-of", "2026-03-05", "credit", "statement", "C001", "--format", "json")
    assert [i["action"] for i in json.loads(statement.stdout)["open_items"]] == ["call", "call"]
    # `done` on the released item brings it back a week later (not on its escalation day, 04-01)
    assert book("--as-of", "2026-03-05", "done", "col-O1").exit_code == 0
    assert "col-O1" not in _actions(book, "2026-03-11")
    assert _actions(book, "2026-03-12")["col-O1"] == "call"
    # 04-02: O2 reaches the hold level after the release: on hold again, every item at its own level
    assert _actions(book, "2026-04-02") == {"col-O1": "escalate", "col-O2": "hold"}
    flags = json.loads(book("--as-of", "2026-04-02", "credit", "--format", "json").stdout)
    assert "hold" in flags[0]["flags"]


def test_a_collection_done_and_back_is_overdue_from_its_payment_s_due_date(
    book, tmp_path: Path
) -> None:
    """Round 11: `done` (or a snooze) moves only the day a collection is listed; its overdue days count from the
    payment's due date, as `credit` and the statement count them.

    O1 falls due 01-31 and is done on 03-02, at the hold level (01-31 + 30): it returns on its escalation day,
    04-01 (01-31 + 60). By hand, 2026 (February has 28 days): 01-31 → 04-01 is 28 + 31 + 1 = 60 days, → 04-05 is
    64; O2 (due 03-03) is 28 + 5 = 33 days overdue on 04-05."""
    assert book("--as-of", "2026-03-02", "done", "col-O1").exit_code == 0
    back = _items(book, "2026-04-01", "--today")["col-O1"]
    assert (back["due_on"], back["event_on"], back["overdue_days"]) == (
        "2026-04-01",
        "2026-01-31",
        60,  # read 0: counted from the day it came back
    )
    assert "col-O1" in _items(book, "2026-04-01", "--overdue")
    later = book("--as-of", "2026-04-05", "due", "--kind", "collection", "--format", "json")
    rows = json.loads(later.stdout)
    # the older debt first (it sorted below O2 by the day it came back)
    assert [(r["id"], r["overdue_days"]) for r in rows] == [("col-O1", 64), ("col-O2", 33)]
    statement = book("--as-of", "2026-04-05", "credit", "statement", "C001", "--format", "json")
    days = {i["ref"]: i["days_overdue"] for i in json.loads(statement.stdout)["open_items"]}
    assert days == {"O1": 64, "O2": 33}
    credit = json.loads(book("--as-of", "2026-04-05", "credit", "--format", "json").stdout)
    assert credit[0]["oldest_overdue_days"] == 64
    # O1 at its escalation level (60 days), listed first, overdue from its due date
    due_section = _digest(book, "2026-04-05").split("Due and overdue")[1]
    assert due_section.index("O1 (due 2026-01-31) [overdue 64 days]") < due_section.index("O2")
    assert "（2026-01-31 到期） [逾期 64 天]" in _digest(book, "2026-04-05", "zh")
    ics = tmp_path / "due.ics"
    written = book("--as-of", "2026-04-05", "due", "--kind", "collection", "--ics", str(ics))
    assert written.exit_code == 0, written.output
    assert "overdue: 64 days (due 2026-01-31)" in ics.read_text().replace("\r\n ", "")

"""`due --as-of` an earlier day replays the list as it stood then: a `done` or `snooze` made later does not count
yet, as the interactions dated later do not (docs/due-rules.md)."""

from __future__ import annotations

import json
from pathlib import Path

# tier A (every 14 days), called on 2026-06-01: due 2026-06-15
CUSTOMERS = "客户编号,客户名称,客户等级\nC1,Alpha Ltd,A\nC2,Beta Ltd,A\n"


def _listed(run, as_of: str) -> dict[str, tuple[str, int]]:
    result = run("due", "--as-of", as_of, "--today", "--kind", "cadence", "--format", "json")
    assert result.exit_code == 0, result.output
    return {r["customer_code"]: (r["id"], r["overdue_days"]) for r in json.loads(result.stdout)}


def test_marks_made_after_the_as_of_day_do_not_count_yet(run, tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    path.write_text(CUSTOMERS, encoding="utf-8")
    assert run("--as-of", "2026-06-01", "import", str(path), "--kind", "customers").exit_code == 0
    for code in ("C1", "C2"):
        assert run("--as-of", "2026-06-01", "log", code, "call").exit_code == 0
    before = _listed(run, "2026-06-16")  # due 06-15: 1 day overdue
    assert {code: days for code, (_, days) in before.items()} == {"C1": 1, "C2": 1}
    done, snoozed = before["C1"][0], before["C2"][0]
    assert run("--as-of", "2026-06-20", "done", done).exit_code == 0
    # snoozed on 06-20 for 10 days: back on 06-30
    assert run("--as-of", "2026-06-20", "snooze", snoozed, "--days", "10").exit_code == 0
    # as of 06-16 neither mark was made yet: the list is as it was
    assert _listed(run, "2026-06-16") == before
    # as of 06-20 both count: C1 done (its call restarts the cadence: due 07-04), C2 back on 06-30
    assert _listed(run, "2026-06-20") == {}

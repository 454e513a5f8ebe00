"""Round 11: an order revised off its payment plan is a bad row (SPEC §15: the instalments add up to the order's
amount; docs/import-formats.md).

B1 (C2) was 20,000 with the plan 8,000 + 8,000 + 4,000. A first version took a re-import at 18,000 silently: the
plan stayed and credit, aging, the report and the statement billed 20,000 of an 18,000 order while the customer
list said 18,000. Sums below are by hand.
"""

from __future__ import annotations

import json
from pathlib import Path

DAY = ("--as-of", "2026-07-07")
CUSTOMERS = "客户编号,客户名称,账期\nC2,乙贸易有限公司,60\n"
PLAN = "订单号,期数,计划回款日期,计划回款金额\nB1,1,2026-01-15,8000\nB1,2,2026-03-15,8000\nB1,3,2026-07-15,{last}\n"
ORDER = "订单号,客户编号,日期,金额\nB1,C2,2025-12-15,{amount}\n"


def _write(tmp_path: Path, name: str, body: str) -> str:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return str(path)


def _book(run, tmp_path: Path) -> None:
    files = [
        _write(tmp_path, "客户.csv", CUSTOMERS),
        _write(tmp_path, "订单.csv", ORDER.format(amount="20000")),
        _write(tmp_path, "回款计划.csv", PLAN.format(last="4000")),
    ]
    done = run(*DAY, "import", *files)
    assert done.exit_code == 0, done.stderr


def _billed(run) -> tuple[float, float]:
    """The statement's debits and closing balance of C2."""
    result = run(*DAY, "credit", "statement", "C2", "--format", "json")
    assert result.exit_code == 0, result.stderr
    statement = json.loads(result.stdout)
    return sum(line["debit"] for line in statement["lines"]), statement["closing_balance"]


def test_a_revised_amount_off_the_plan_is_refused(run, tmp_path: Path) -> None:
    _book(run, tmp_path)
    revised = _write(tmp_path, "改单.csv", ORDER.format(amount='"18,000.00"'))
    refused = run(*DAY, "import", revised)
    assert refused.exit_code == 3
    assert (
        "order B1's amount 18,000.00 (was 20,000.00) no longer matches its payment plan, whose instalments "
        "add up to 20,000.00" in refused.stderr
    )
    assert "kacrm schedule add B1" in refused.stderr
    zh = run(*DAY, "--lang", "zh", "import", revised)
    assert zh.exit_code == 3
    assert (
        "订单 B1 的金额 18,000.00（原为 20,000.00）与其回款计划不符，各期合计 20,000.00"
        in zh.stderr
    )
    skipped = run(*DAY, "import", revised, "--on-error", "skip", "--format", "json")
    [summary] = json.loads(skipped.stdout)
    assert (summary["rejected"], summary["updated"]) == (1, 0)
    assert _billed(run) == (20000.0, 20000.0)  # nothing paid: the order as it was, whole


def test_the_same_amount_again_is_unchanged(run, tmp_path: Path) -> None:
    _book(run, tmp_path)
    path = _write(tmp_path, "o.csv", ORDER.format(amount="20000"))
    again = run(*DAY, "import", path, "--format", "json")
    assert again.exit_code == 0, again.stderr
    assert json.loads(again.stdout)[0]["unchanged"] == 1


def test_a_revision_with_its_new_plan_in_the_same_import(run, tmp_path: Path) -> None:
    """18,000 with the plan 8,000 + 8,000 + 2,000: both imported; the statement bills 18,000."""
    _book(run, tmp_path)
    revised = _write(tmp_path, "改单.csv", ORDER.format(amount="18000"))
    plan = _write(tmp_path, "新计划.csv", PLAN.format(last="2000"))
    done = run(*DAY, "import", revised, plan)
    assert done.exit_code == 0, done.stderr
    assert _billed(run) == (18000.0, 18000.0)


def test_a_plan_entered_in_part_refuses_only_an_amount_below_it(run, tmp_path: Path) -> None:
    """K1 10,000 with one instalment of 4,000 by hand (6,000 left uncovered): 12,000 leaves 8,000 uncovered and is
    taken; 3,000 is below the 4,000 planned and refused."""
    order = "订单号,客户编号,日期,金额\nK1,C2,2026-06-01,{amount}\n"
    customers = _write(tmp_path, "客户.csv", CUSTOMERS)
    assert (
        run(
            *DAY, "import", customers, _write(tmp_path, "o.csv", order.format(amount=10000))
        ).exit_code
        == 0
    )
    added = run(
        *DAY,
        "schedule",
        "add",
        "K1",
        "--instalment",
        "1",
        "--due",
        "2026-07-01",
        "--amount",
        "4000",
    )
    assert added.exit_code == 0, added.stderr
    assert (
        run(*DAY, "import", _write(tmp_path, "o2.csv", order.format(amount=12000))).exit_code == 0
    )
    below = run(*DAY, "import", _write(tmp_path, "o3.csv", order.format(amount=3000)))
    assert below.exit_code == 3 and "add up to 4,000.00" in below.stderr
    assert _billed(run) == (12000.0, 12000.0)

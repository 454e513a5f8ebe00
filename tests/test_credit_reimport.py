"""Round 11: a weekly re-import of the customers file does not undo kacrm's credit decisions (docs/credit.md "A
customers file's credit columns").

The book is a field tester's first week, with the answers worked out by hand: reviewed on 2026-06-30,
C1 scores 27.81 → grade C, limit 0 (cash only); C3 39.94 → C, 0; C5 46.25 → B, 0.5 × 2,500.01 / 12 = 104.17 →
104. The file gave C1 10,000, C3 5,000 and C5 2,000. A first version put the file's limits back at every
re-import ("updated 3"), read by `credit`, `credit check`, the digest and `customer show` while `credit explain`
still said 104, and undid a `credit set` the same way, without a history row.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import text

from kacrm.store.engine import make_engine

CUSTOMERS = (
    "客户编号,客户名称,账期,信用额度\n"
    'C1,甲机电有限公司,30,"￥10,000.00"\n'
    "C2,乙贸易有限公司,60,\n"
    "C3,丙科技有限公司,,5000\n"
    "C4,丁食品有限公司,30,\n"
    "C5,戊建材有限公司,30,2000\n"
)
ORDERS = (
    "订单号,客户编号,日期,金额,到期日,单据状态\n"
    'A1,C1,2026-01-10,"￥1,234.50",,\n'
    "A2,C1,2026-03-01,1.2万,,\n"
    'A3,C1,2026-05-20,"3,000.00",2026-07-15,\n'
    "A4,C1,2026-04-01,5000,,作废\n"
    'B1,C2,2025-12-15,"20,000.00",,\n'
    "B2,C2,2026-06-10,2500,,\n"
    'K1,C3,2026-05-25,"4,800.00",,\n'
    'K2,C3,2026-06-05,"(800.00)",,\n'
    'D1,C4,2026-06-01,"1,000.00",,\n'
    'E1,C5,2026-06-20,"2,500.005",,\n'
)
PAYMENTS = (
    "回款单号,客户编号,订单号,回款日期,回款金额\n"
    'P1,C1,A1,2026-02-05,"1,234.50"\n'
    'P2,C1,,2026-04-20,"￥5,000.00"\n'
    "Q1,C2,B1,2026-01-20,8000\n"
    'Q2,C2,,2026-06-01,"3,000.00"\n'
    'R1,C4,D1,2026-06-02,"1,500.00"\n'
    'R2,C4,,2026-06-10,"(500.00)"\n'
)
PLANS = (
    "订单号,期数,计划回款日期,计划回款金额\n"
    "B1,1,2026-01-15,8000\nB1,2,2026-03-15,8000\nB1,3,2026-07-15,4000\n"
)
REVIEW_DAY, WEEK_LATER = ("--as-of", "2026-06-30"), ("--as-of", "2026-07-07")
REVIEWED = {"C1": ("C", 0.0), "C3": ("C", 0.0), "C5": ("B", 104.0)}  # HAND.md


def _write(tmp_path: Path, name: str, body: str) -> str:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return str(path)


def _reviewed_book(run, tmp_path: Path) -> str:
    """The w1 week imported and reviewed on 06-30; the customers file's path."""
    customers = _write(tmp_path, "客户.csv", CUSTOMERS)
    files = [
        customers,
        _write(tmp_path, "订单.csv", ORDERS),
        _write(tmp_path, "回款.csv", PAYMENTS),
        _write(tmp_path, "回款计划.csv", PLANS),
    ]
    done = run(*REVIEW_DAY, "import", *files)
    assert done.exit_code == 0, done.stderr
    reviewed = run(*REVIEW_DAY, "credit", "review", "--format", "json")
    assert reviewed.exit_code == 0, reviewed.stderr
    return customers


def _import(run, path: str, *extra: str) -> tuple[dict, str]:
    result = run(*WEEK_LATER, *extra, "import", path, "--format", "json")
    assert result.exit_code == 0, result.stderr
    [summary] = json.loads(result.stdout)
    return summary, result.stderr


def _credit(run) -> dict[str, tuple]:
    result = run(*WEEK_LATER, "credit", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return {r["customer_code"]: (r["grade"], r["limit"]) for r in json.loads(result.stdout)}


def _counts(summary: dict) -> tuple[int, int, int]:
    return summary["inserted"], summary["updated"], summary["unchanged"]


def test_the_unchanged_file_keeps_the_reviewed_limits(run, tmp_path: Path) -> None:
    customers = _reviewed_book(run, tmp_path)
    summary, err = _import(run, customers)
    assert _counts(summary) == (0, 0, 5)
    assert "3 customer(s) keep the credit terms kacrm decided" in err
    assert "C5 limit (file 2,000.00, kacrm 104.00)" in err
    listed = _credit(run)
    assert {code: listed[code] for code in REVIEWED} == REVIEWED
    check = run(*WEEK_LATER, "credit", "check", "C5", "--amount", "1000", "--format", "json")
    assert check.exit_code == 4 and json.loads(check.stdout)["limit"] == 104.0
    shown = run(*WEEK_LATER, "customer", "show", "C1", "--format", "json")
    assert json.loads(shown.stdout)["credit_limit"] == 0.0
    zh = run(*WEEK_LATER, "--lang", "zh", "import", customers)
    assert "3 个客户保留 kacrm 决定的信用条件" in zh.stderr
    assert "C5 信用额度（文件 2,000.00，kacrm 104.00）" in zh.stderr


def test_a_manual_decision_stands_until_cleared(run, tmp_path: Path) -> None:
    """credit set C3 --limit 8000 (and C1 --terms 45) survive the same file, which gives 5,000 and 30 days."""
    customers = _reviewed_book(run, tmp_path)
    for code, option, value in (("C3", "--limit", "8000"), ("C1", "--terms", "45")):
        decided = run(*WEEK_LATER, "credit", "set", code, option, value, "--note", "担保函已收")
        assert decided.exit_code == 0, decided.stderr
    summary, err = _import(run, customers)
    assert _counts(summary) == (0, 0, 5)
    assert "C3 limit (file 5,000.00, kacrm 8,000.00)" in err and "C1 terms (file 30 days" in err
    assert _credit(run)["C3"] == ("C", 8000.0)
    shown = json.loads(run(*WEEK_LATER, "customer", "show", "C1", "--format", "json").stdout)
    assert shown["payment_terms_days"] == 45


def test_a_limit_the_file_changes_is_a_new_decision_of_the_import_day(run, tmp_path: Path) -> None:
    """The ERP raises C5 to 3,000: applied on 07-07 (updated), said, and in the credit history: on 07-03 the
    review's 104 is still the limit in force. The same file again is unchanged; a later `credit set` stands
    against it."""
    _reviewed_book(run, tmp_path)
    raised = _write(
        tmp_path,
        "客户2.csv",
        CUSTOMERS.replace("C5,戊建材有限公司,30,2000", "C5,戊建材有限公司,30,3000"),
    )
    summary, err = _import(run, raised)
    assert _counts(summary) == (0, 1, 4)
    assert "1 customer(s) get new credit terms from the file (credit history `imported`)" in err
    assert "C5 limit 104.00 → 3,000.00" in err
    assert _credit(run)["C5"] == ("B", 3000.0)
    before = run("--as-of", "2026-07-03", "credit", "--format", "json")
    assert {r["customer_code"]: r["limit"] for r in json.loads(before.stdout)}["C5"] == 104.0
    assert _counts(_import(run, raised)[0]) == (0, 0, 5)
    assert run(*WEEK_LATER, "credit", "set", "C5", "--limit", "500", "--note", "x").exit_code == 0
    assert _counts(_import(run, raised)[0]) == (0, 0, 5)
    assert _credit(run)["C5"] == ("B", 500.0)


def test_a_first_import_and_a_book_never_reviewed_write_no_credit_history(
    run, tmp_path: Path, db_url: str
) -> None:
    """Without a review or decision the file's values are applied as ever (C5 2,000 → 2,500: updated), with no
    credit history row."""
    customers = _write(tmp_path, "客户.csv", CUSTOMERS)
    assert run(*REVIEW_DAY, "import", customers).exit_code == 0
    changed = _write(tmp_path, "客户2.csv", CUSTOMERS.replace(",30,2000", ",30,2500"))
    summary, err = _import(run, changed)
    assert _counts(summary) == (0, 1, 4) and "credit" not in err
    assert _credit(run) == {"C1": (None, 10000.0), "C3": (None, 5000.0), "C5": (None, 2500.0)}
    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM credit_review")).scalar_one() == 0
        limit = "SELECT credit_limit_cents FROM customer WHERE code = 'C5'"
        assert conn.execute(text(limit)).scalar_one() == 250000
    engine.dispose()


def test_a_review_written_before_round_11_keeps_kacrm_once(
    run, tmp_path: Path, db_url: str
) -> None:
    """A review stored without the values before it (round 10 and earlier) cannot tell what the file gave: the
    first import keeps kacrm's limit and records the file's value; the next value the file changes is applied."""
    customers = _reviewed_book(run, tmp_path)
    engine = make_engine(db_url)
    with engine.begin() as conn:
        for cid, factors in conn.execute(text("SELECT id, factors FROM credit_review")).all():
            old = {k: v for k, v in json.loads(factors).items() if k != "previous"}
            conn.execute(
                text("UPDATE credit_review SET factors = :f WHERE id = :i"),
                {"f": json.dumps(old), "i": cid},
            )
    engine.dispose()
    summary, err = _import(run, customers)
    assert _counts(summary) == (0, 0, 5) and "C5 limit (file 2,000.00, kacrm 104.00)" in err
    raised = _write(tmp_path, "客户2.csv", CUSTOMERS.replace(",30,2000", ",30,3000"))
    summary, err = _import(run, raised)
    assert _counts(summary) == (0, 1, 4) and "C5 limit 104.00 → 3,000.00" in err


def test_the_rule_of_a_file_value() -> None:
    """kacrm.analysis.credit_file.verdict, case by case (docs/credit.md): limits in cents."""
    from kacrm.analysis.credit_file import APPLY, KEEP, SAME, CreditTrail, verdict, worth_recording

    reviewed = CreditTrail(exists=True, first_previous={"limit_cents": 200000})
    assert verdict(CreditTrail(), "limit_cents", 300000, 200000) == APPLY  # no history: as ever
    assert verdict(reviewed, "limit_cents", 10400, 10400) == SAME
    assert verdict(reviewed, "limit_cents", 200000, 10400) == KEEP  # what the file gave before
    assert verdict(reviewed, "limit_cents", 300000, 10400) == APPLY  # the file changed it
    assert worth_recording(reviewed, "limit_cents", 300000)
    assert not worth_recording(reviewed, "limit_cents", 200000)
    recorded = CreditTrail(True, {"limit_cents": 200000}, [{"limit_cents": 300000}])
    assert verdict(recorded, "limit_cents", 300000, 10400) == KEEP  # the newest file's value
    decided = CreditTrail(True, None, [], [{"set": {"limit_cents": 800000}}])
    assert verdict(decided, "limit_cents", 600000, 800000) == KEEP  # a manual decision stands
    cleared = CreditTrail(
        True, {"limit_cents": 500000}, [], [*decided.decisions, {"cleared": True}]
    )
    assert verdict(cleared, "limit_cents", 600000, 500000) == APPLY
    legacy = CreditTrail(exists=True)  # a review that did not record the values before it
    assert verdict(legacy, "limit_cents", 200000, 10400) == KEEP
    assert worth_recording(legacy, "limit_cents", 200000)

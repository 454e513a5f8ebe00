"""Signed money gives one balance everywhere (round 11): a refund or a reversed receipt (a payment of less than
zero) is applied, and a credit note (an order of less than zero) is netted in the credit side's purchases.

The book, as of 2026-07-07 (every value below by hand):

- C4, terms 30: D1 ¥1,000 (06-01); R1 ¥1,500 naming D1 (06-02), ¥500 refunded by R2 (¥-500, 06-10, no order).
  Balance 1,000 − 1,500 + 500 = 0: nothing open.
- C5, terms 30, limit ¥2,000: E1 ¥2,500.01 (06-20, due 07-20); S1 ¥2,500.01 naming E1 (07-01), the receipt
  bounced and came back as S2 ¥-2,500.01 naming E1 (07-03). Balance 2,500.01, all on E1, not due: over limit.
- C3, default terms 30, limit ¥5,000: K1 ¥4,800 (05-25, due 06-24), credit note K2 ¥-800 (06-05), K3 ¥1,500
  (06-05, due 07-05). K2 settles the oldest order: K1 open 4,000 (13 days late), K3 1,500 (2 days late);
  balance 5,500, and net purchases of 12 months 4,800 − 800 + 1,500 = 5,500.
"""

from __future__ import annotations

import json
from pathlib import Path

CUSTOMERS = (
    "客户编号,客户名称,账期,信用额度\n"
    "C3,丙科技有限公司,,5000\nC4,丁食品有限公司,30,\nC5,戊建材有限公司,30,2000\n"
)
ORDERS = (
    "订单号,客户编号,日期,金额\n"
    'K1,C3,2026-05-25,"4,800.00"\nK2,C3,2026-06-05,"(800.00)"\nK3,C3,2026-06-05,"1,500.00"\n'
    'D1,C4,2026-06-01,"1,000.00"\nE1,C5,2026-06-20,"2,500.01"\n'
)
PAYMENTS = (
    "回款单号,客户编号,订单号,回款日期,回款金额\n"
    'R1,C4,D1,2026-06-02,"1,500.00"\nR2,C4,,2026-06-10,"(500.00)"\n'
    'S1,C5,E1,2026-07-01,"2,500.01"\nS2,C5,E1,2026-07-03,"(2,500.01)"\n'
)
AS_OF = ("--as-of", "2026-07-07")


def _book(run, tmp_path: Path) -> None:
    paths = []
    for name, body in (("c.csv", CUSTOMERS), ("o.csv", ORDERS), ("p.csv", PAYMENTS)):
        (tmp_path / name).write_text(body, encoding="utf-8")
        paths.append(str(tmp_path / name))
    result = run(*AS_OF, "import", *paths)
    assert result.exit_code == 0, result.stderr


def _json(run, *args: str):
    result = run(*AS_OF, *args, "--format", "json")
    assert result.exit_code in (0, 4), result.stderr
    return json.loads(result.stdout)


def test_every_reader_gives_the_signed_balance(run, tmp_path: Path) -> None:
    _book(run, tmp_path)
    owed = {"C3": 5500.0, "C4": 0.0, "C5": 2500.01}
    credit = {r["customer_code"]: r for r in _json(run, "credit")}
    assert {code: r["outstanding"] for code, r in credit.items()} == owed
    assert credit["C5"]["flags"] == ["over_limit"] and credit["C5"]["overdue"] == 0.0
    listed = {r["customer_code"]: r["outstanding"] for r in _json(run, "customer", "list")}
    assert listed == owed
    aging = {r["customer_code"]: r for r in _json(run, "credit", "aging")}
    assert set(aging) == {"C3", "C5"}  # C4 owes nothing
    assert aging["C5"]["not_due"] == 2500.01 and aging["C5"]["total"] == 2500.01
    assert aging["C3"]["d1_30"] == 5500.0
    for code in owed:
        statement = _json(run, "credit", "statement", code)
        assert statement["closing_balance"] == owed[code]
        assert sum(i["amount"] for i in statement["open_items"]) == owed[code]
    assert _json(run, "credit", "statement", "C5")["open_items"][0]["ref"] == "E1"
    collections = {
        r["id"]: r["reason"] for r in _json(run, "due", "--days", "30", "--kind", "collection")
    }
    assert set(collections) == {"col-K1", "col-K3", "col-E1"}
    assert "2,500.01" in collections["col-E1"] and "4,000.00" in collections["col-K1"]
    assert _json(run, "report")["receivables"] == {"total": 8000.01, "overdue": 5500.0}
    alerts = {r["customer_code"]: r for r in _json(run, "digest", "--dry-run")["credit_alerts"]}
    assert set(alerts) == {"C3", "C5"} and alerts["C5"]["outstanding"] == 2500.01


def test_the_credit_check_and_review_count_a_reversed_receipt(run, tmp_path: Path) -> None:
    _book(run, tmp_path)
    # C5 owes 2,500.01 on a 2,000 limit: any order is refused
    check = run(*AS_OF, "credit", "check", "C5", "--amount", "1", "--format", "json")
    assert check.exit_code == 4 and json.loads(check.stdout)["outstanding"] == 2500.01
    # the review, C5: punctuality neutral 0.5 (E1 not due, nothing paid) → 17.5; overdue share 0 → 25;
    # utilization 2,500.01 / 2,000 > 1 → 0; tenure 0 months → 0; volume: net purchases C3 5,500 > C5
    # 2,500.01 > C4 1,000 → rank 1/2 → 7.5. Score 50.00: BB, limit 1 × 2,500.01 / 12 = 208.33 → 208.
    review = {r["customer_code"]: r for r in _json(run, "credit", "review")}
    assert (review["C5"]["score"], review["C5"]["grade"], review["C5"]["limit"]) == (
        50.0,
        "BB",
        208.0,
    )


def test_a_credit_note_is_netted_on_the_credit_side(run, tmp_path: Path) -> None:
    _book(run, tmp_path)
    assert run(*AS_OF, "credit", "review").exit_code == 0
    factors = {f["factor"]: f for f in _json(run, "credit", "explain", "C3")["factors"]}
    assert factors["volume"]["raw"] == 5500.0  # 4,800 − 800 + 1,500
    lines = _json(run, "credit", "statement", "C3")["lines"]
    assert [(line["kind"], line["credit"]) for line in lines if line["ref"] == "K2"] == [
        ("credit_note", 800.0)
    ]

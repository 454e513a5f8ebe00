"""`kacrm credit` end to end on both backends: list, aging, review, explain, set, check and the exit codes."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import Session, select

from kacrm.store.clock import utcnow
from kacrm.store.models import CreditReview, Customer, Order, Payment

D = date.fromisoformat
AS_OF = ("--as-of", "2024-06-30")


@pytest.fixture
def seeded(engine):
    """The ledger of tests/test_credit.py in a database (terms 30 days everywhere):

    C001: O0 2022-01-15 ¥6,000 paid 2022-02-10; O1 2024-03-01 ¥4,000 due 03-31, ¥2,000 paid 04-15 naming it,
          ¥2,000 open 91 days past due on 2024-06-30; O2 2024-06-20 ¥2,000 due 07-20 (not due).
    C002: O4 2024-05-01 ¥3,000 paid 2024-05-20.   C003: O5 2021-01-01 ¥1,000 never paid (due 2021-01-31).
    """
    now = utcnow()
    with Session(engine) as session:
        ids = {}
        for code, name in (("C001", "华东机电"), ("C002", "Beta Trading"), ("C003", "Gamma")):
            customer = Customer(
                code=code, name=name, payment_terms_days=30, created_at=now, updated_at=now
            )
            session.add(customer)
            session.flush()
            ids[code] = customer.id
        for no, code, on, yuan in (
            ("O0", "C001", "2022-01-15", 6000),
            ("O1", "C001", "2024-03-01", 4000),
            ("O2", "C001", "2024-06-20", 2000),
            ("O4", "C002", "2024-05-01", 3000),
            ("O5", "C003", "2021-01-01", 1000),
        ):
            session.add(
                Order(order_no=no, customer_id=ids[code], order_date=D(on), amount_cents=yuan * 100)
            )
        for no, code, on, yuan, order_no in (
            ("P1", "C001", "2022-02-10", 6000, None),
            ("P2", "C001", "2024-04-15", 2000, "O1"),
            ("P3", "C002", "2024-05-20", 3000, None),
        ):
            session.add(
                Payment(
                    payment_no=no,
                    customer_id=ids[code],
                    order_no=order_no,
                    paid_on=D(on),
                    amount_cents=yuan * 100,
                )
            )
        session.commit()
    return engine


def as_json(result) -> object:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_aging_json_rows_and_table_totals(run, seeded) -> None:
    rows = as_json(run(*AS_OF, "credit", "aging", "--format", "json"))
    # C001: O1 ¥2,000 91 days past due → d91_180; O2 ¥2,000 not due. C003: ¥1,000 over 180. C002 owes nothing.
    assert rows == [
        {
            "customer_code": "C001",
            "customer_name": "华东机电",
            "not_due": 2000.0,
            "d1_30": 0.0,
            "d31_60": 0.0,
            "d61_90": 0.0,
            "d91_180": 2000.0,
            "over_180": 0.0,
            "total": 4000.0,
        },
        {
            "customer_code": "C003",
            "customer_name": "Gamma",
            "not_due": 0.0,
            "d1_30": 0.0,
            "d31_60": 0.0,
            "d61_90": 0.0,
            "d91_180": 0.0,
            "over_180": 1000.0,
            "total": 1000.0,
        },
    ]
    table = run(*AS_OF, "credit", "aging")
    assert table.exit_code == 0
    total_line = next(
        line for line in table.stdout.splitlines() if "Total" in line and "5,000.00" in line
    )
    assert "1,000.00" in total_line  # over 180: C003's ¥1,000


def test_aging_custom_buckets_and_bad_buckets(run, seeded) -> None:
    rows = as_json(run(*AS_OF, "credit", "aging", "--buckets", "100", "--format", "json"))
    # 91 days falls in 1–100; C003's 1,246 days in over_100
    assert list(rows[0]) == [
        "customer_code",
        "customer_name",
        "not_due",
        "d1_100",
        "over_100",
        "total",
    ]
    assert (rows[0]["d1_100"], rows[1]["over_100"]) == (2000.0, 1000.0)
    descending = run("credit", "aging", "--buckets", "60,30")
    assert descending.exit_code == 2 and "increasing positive whole days" in descending.stderr
    assert run("credit", "aging", "--buckets", "x").exit_code == 2


def test_check_exit_codes(run, seeded) -> None:
    refused = run(*AS_OF, "credit", "check", "C001", "--amount", "1000")
    assert refused.exit_code == 4
    assert (
        "no credit limit for C001: run `kacrm credit review` or `kacrm credit set C001 --limit"
        in refused.stderr
    )
    assert "Traceback" not in refused.stderr

    assert (
        run(
            *AS_OF, "credit", "set", "C001", "--limit", "1万", "--note", "guarantee received"
        ).exit_code
        == 0
    )

    # O1 is 91 days past due: at the ladder's hold level (30 days, SPEC §15) → refused "credit hold" until
    # released by hand
    held = run(*AS_OF, "credit", "check", "C001", "--amount", "1000", "--grace-days", "100")
    assert held.exit_code == 4 and "credit hold" in held.stderr
    assert run(*AS_OF, "credit", "release", "C001", "--note", "promised").exit_code == 0
    # outstanding 4,000 + 1,000 = 5,000 ≤ 10,000; 91 days overdue tolerated with --grace-days 100
    ok = as_json(
        run(
            *AS_OF,
            "credit",
            "check",
            "C001",
            "--amount",
            "¥1,000",
            "--grace-days",
            "100",
            "--format",
            "json",
        )
    )
    assert ok == {
        "customer_code": "C001",
        "customer_name": "华东机电",
        "approved": True,
        "amount": 1000.0,
        "outstanding": 4000.0,
        "limit": 10000.0,
        "headroom": 5000.0,
        "reasons": [],
    }

    # 4,000 + 6,000.01 = 10,000.01 > 10,000
    over = run(
        *AS_OF,
        "credit",
        "check",
        "C001",
        "--amount",
        "6000.01",
        "--grace-days",
        "100",
        "--format",
        "json",
    )
    assert over.exit_code == 4
    assert json.loads(over.stdout)["reasons"] == [
        "over limit with this order: outstanding ¥4,000.00 + order ¥6,000.01 = ¥10,000.01 > limit ¥10,000.00"
    ]

    # default grace 30 days: ¥2,000 is 91 days past due
    late = run(*AS_OF, "credit", "check", "C001", "--amount", "1000")
    assert late.exit_code == 4 and "¥2,000.00 overdue by more than 30 days" in late.stderr
    zh = run(
        *AS_OF, "--lang", "zh", "credit", "check", "C001", "--amount", "6000.01", "--format", "json"
    )
    assert zh.exit_code == 4 and zh.stderr.startswith("错误：C001 的信用检查未通过：")
    assert json.loads(zh.stdout)["reasons"] == [
        "加上本单超出额度：应收 ¥4,000.00 + 本单 ¥6,000.01 = ¥10,000.01 > 额度 ¥10,000.00",
        "¥2,000.00 逾期超过 30 天（最早：订单 O1，逾期 91 天）",
    ]

    assert run(*AS_OF, "credit", "check", "NOPE", "--amount", "1").exit_code == 1
    bad = run(*AS_OF, "credit", "check", "C001", "--amount", "abc")
    assert bad.exit_code == 2 and "--amount" in bad.stderr and "Usage:" in bad.stderr
    assert run(*AS_OF, "credit", "check", "C001", "--amount", "0").exit_code == 2  # as abc
    assert (
        run(*AS_OF, "credit", "check", "C001", "--amount", "1", "--grace-days", "-1").exit_code == 2
    )


def test_review_explain_and_list(run, seeded) -> None:
    assert (
        run(*AS_OF, "credit", "set", "C001", "--limit", "10000", "--note", "trial").exit_code == 0
    )
    rows = {
        r["customer_code"]: r for r in as_json(run(*AS_OF, "credit", "review", "--format", "json"))
    }
    # Scores as computed by hand in tests/test_credit.py: C001 69.06 BBB (limit ¥10,000 kept: manual),
    # C002 82.78 AA, limit 2.5 × 3,000 / 12 = ¥625; C003 17.5 C, cash only.
    assert (
        rows["C001"]["score"],
        rows["C001"]["grade"],
        rows["C001"]["limit"],
        rows["C001"]["manual"],
    ) == (69.06, "BBB", 10000.0, True)
    assert (
        rows["C002"]["score"],
        rows["C002"]["grade"],
        rows["C002"]["limit"],
        rows["C002"]["change"],
    ) == (82.78, "AA", 625.0, "new")
    assert (rows["C003"]["grade"], rows["C003"]["limit"], rows["C003"]["previous_grade"]) == (
        "C",
        0.0,
        None,
    )

    explained = as_json(run(*AS_OF, "credit", "explain", "C001", "--format", "json"))
    factors = {f["factor"]: f for f in explained["factors"]}
    assert explained["reviewed_on"] == "2024-06-30" and explained["score"] == 69.06
    assert explained["manual"] == {"limit": 10000.0}
    assert factors["punctuality"]["points"] == pytest.approx(35 * 0.7)
    assert factors["utilization"]["raw"] == pytest.approx(0.4)  # 4,000 / 10,000
    assert sum(f["points"] for f in factors.values()) == pytest.approx(69.06, abs=0.005)
    assert run(*AS_OF, "credit", "explain", "C001").exit_code == 0

    listed = {r["customer_code"]: r for r in as_json(run(*AS_OF, "credit", "--format", "json"))}
    assert list(listed["C001"]) == [
        "customer_code",
        "customer_name",
        "grade",
        "limit",
        "outstanding",
        "utilization",
        "overdue",
        "oldest_overdue_days",
        "flags",
    ]
    # 12-month purchases: C001 6,000 (67% of 9,000), C002 3,000 → together reach 80%: both top tier
    # and O1 91 days past due is past the ladder's hold level (30 days): hold
    assert listed["C001"]["flags"] == ["overdue", "big_debtor", "hold"]
    assert (
        listed["C001"]["utilization"],
        listed["C001"]["overdue"],
        listed["C001"]["oldest_overdue_days"],
    ) == (pytest.approx(0.4), 2000.0, 91)
    assert listed["C002"]["flags"] == [] and listed["C002"]["outstanding"] == 0.0
    # C003: cash only with ¥1,000 owed since 2021-01-31 (days to 2024-06-30 by the calendar)
    assert listed["C003"]["flags"] == ["over_limit", "overdue", "hold"]  # 1,246 days ≥ 30
    assert listed["C003"]["oldest_overdue_days"] == (D("2024-06-30") - D("2021-01-31")).days


def test_manual_grade_respected_by_review_then_cleared(run, seeded) -> None:
    as_json(run(*AS_OF, "credit", "review", "--format", "json"))
    assert (
        run(
            *AS_OF, "credit", "set", "C002", "--grade", "a", "--terms", "45", "--note", "boss says"
        ).exit_code
        == 0
    )
    # a manual grade brings its own limit: A 2.0 × 3,000 / 12 = ¥500
    rows = {
        r["customer_code"]: r for r in as_json(run(*AS_OF, "credit", "review", "--format", "json"))
    }
    assert (rows["C002"]["grade"], rows["C002"]["limit"], rows["C002"]["manual"]) == (
        "A",
        500.0,
        True,
    )
    assert rows["C002"]["previous_grade"] == "A" and rows["C002"]["change"] == ""

    assert run(*AS_OF, "credit", "set", "C002", "--clear").exit_code == 0
    listed = {r["customer_code"]: r for r in as_json(run(*AS_OF, "credit", "--format", "json"))}
    assert (listed["C002"]["grade"], listed["C002"]["limit"]) == (
        "AA",
        625.0,
    )  # the latest computed review
    rows = {
        r["customer_code"]: r for r in as_json(run(*AS_OF, "credit", "review", "--format", "json"))
    }
    assert (rows["C002"]["grade"], rows["C002"]["manual"]) == ("AA", False)

    with Session(seeded) as session:
        c002 = session.scalars(select(Customer).where(Customer.code == "C002")).one()
        assert c002.payment_terms_days == 30  # the terms from before the manual decision
        history = session.scalars(
            select(CreditReview)
            .where(CreditReview.customer_id == c002.id)
            .order_by(CreditReview.id)
        ).all()
    # review, set, review, clear, review: every decision kept
    assert [(h.manual, h.grade) for h in history] == [
        (False, "AA"),
        (True, "A"),
        (False, "A"),
        (True, "AA"),
        (False, "AA"),
    ]
    assert history[1].note == "boss says"
    assert run(*AS_OF, "credit", "set", "C002", "--clear").exit_code == 1  # nothing left to clear


def test_set_refuses_bad_input(run, seeded) -> None:
    assert run("credit", "set", "C001").exit_code == 2  # nothing to decide: usage
    for args in (
        ("--limit", "5"),
        ("--grade", "A", "--note", "  "),
    ):  # a decision without a reason: usage error
        result = run("credit", "set", "C001", *args)
        assert result.exit_code == 2 and "--note" in result.stderr
    assert run("credit", "set", "C001", "--grade", "ZZZ", "--note", "n").exit_code == 2
    assert run("credit", "set", "C001", "--limit", "-5", "--note", "n").exit_code == 2
    assert run("credit", "set", "C001", "--limit", "5", "--clear").exit_code == 2
    assert run("credit", "set", "NOPE", "--limit", "5", "--note", "n").exit_code == 1


def test_credit_in_chinese(run, seeded) -> None:
    zh = (*AS_OF, "--lang", "zh")
    reviewed = run(*zh, "credit", "review")
    assert reviewed.exit_code == 0, reviewed.stderr
    assert (
        "信用评审" in reviewed.stdout
        and "已评审 3 个客户，其中 3 个的等级或额度有变化。" in reviewed.stderr
    )
    explained = run(*zh, "credit", "explain", "C002")
    assert "依据 2024-06-30 的信用评审。" in explained.stderr
    assert "评分82.78，等级AA" in "".join(explained.stdout.split())  # the title, however it wraps
    approved = run(*zh, "credit", "check", "C002", "--amount", "100")
    assert approved.exit_code == 0, approved.stderr
    assert "信用检查 C002：批准" in approved.stdout and "批准：本单之后剩余额度" in approved.stderr
    bad = run(*zh, "credit", "check", "C002", "--amount", "abc")
    assert bad.exit_code == 2 and bad.stderr.startswith("用法：")
    assert "--amount 'abc'：不是金额" in bad.stderr
    aging = run(*zh, "credit", "aging")
    assert "应收账龄" in aging.stdout and "未到期" in aging.stdout and ">180天" in aging.stdout


def test_the_list_leaves_out_customers_with_no_orders_and_no_terms(run, seeded, engine) -> None:
    # C004 has no order, no grade, no limit and no hold: nothing to show. C005 has no order either but a grade
    # given by hand, and C006 a limit: both are listed (with nothing outstanding). C001–C003 have orders.
    now = utcnow()
    with Session(engine) as session:
        for code, grade, limit in (("C004", None, None), ("C005", "A", None), ("C006", None, 500)):
            session.add(
                Customer(
                    code=code,
                    name=code,
                    credit_grade=grade,
                    credit_limit_cents=limit,
                    created_at=now,
                    updated_at=now,
                )
            )
        session.commit()
    listed = {r["customer_code"]: r for r in as_json(run(*AS_OF, "credit", "--format", "json"))}
    assert sorted(listed) == ["C001", "C002", "C003", "C005", "C006"]
    assert (listed["C005"]["grade"], listed["C005"]["outstanding"]) == ("A", 0.0)
    assert (listed["C006"]["limit"], listed["C006"]["flags"]) == (5.0, [])


def test_a_review_before_the_newest_one_is_history_and_leaves_the_grades_in_force(
    run, seeded
) -> None:
    first = run(*AS_OF, "credit", "review", "--format", "json")
    assert first.exit_code == 0 and "note:" not in first.stderr  # the first review: nothing newer
    same_day = run(*AS_OF, "credit", "review", "--format", "json")
    assert same_day.exit_code == 0 and "note:" not in same_day.stderr
    in_force = {r["customer_code"]: r for r in as_json(first)}
    past = run("--as-of", "2024-03-31", "credit", "review", "--format", "json")
    assert past.exit_code == 0
    assert (
        "note: reviewed as of 2024-03-31, before the newest review (2024-06-30): this review is kept as "
        "history; the grades and limits in force stay those of 2024-06-30."
    ) in past.stderr
    assert "changed grade or limit" not in past.stderr  # nothing in force changed
    zh = run("--lang", "zh", "--as-of", "2024-03-31", "credit", "review", "--format", "json")
    assert "注意：本次按 2024-03-31 评审，早于最近一次评审（2024-06-30）" in zh.stderr
    listed = {r["customer_code"]: r for r in as_json(run(*AS_OF, "credit", "--format", "json"))}
    # what the note says: the grades and limits of the 2024-06-30 review, whatever March's review computed
    assert {code: (r["grade"], r["limit"]) for code, r in listed.items() if code in in_force} == {
        code: (r["grade"], r["limit"]) for code, r in in_force.items()
    }
    past_grades = {r["customer_code"]: r["grade"] for r in as_json(past)}
    assert past_grades != {
        code: r["grade"] for code, r in in_force.items()
    }  # March differs: not a no-op
    # `credit explain` names the review whose grade is in force
    for code, r in in_force.items():
        explained = run(*AS_OF, "credit", "explain", code, "--format", "json")
        assert explained.exit_code == 0, explained.output
        card = json.loads(explained.stdout)
        assert (card["reviewed_on"], card["grade"], card["limit"]) == (
            "2024-06-30",
            r["grade"],
            r["limit"],
        )


def test_a_review_that_cuts_or_raises_only_the_limit_says_down_or_up(run, seeded) -> None:
    """Round 11: `change` read "" for a customer whose grade stayed C while an imported limit of ¥5,000 became 0
    (cash only), though the count line counted it as changed. The grade decides; the same grade, the limit."""
    as_json(run(*AS_OF, "credit", "review", "--format", "json"))  # C002 AA ¥625, C003 C ¥0
    with Session(seeded) as session:  # limits as a later customer import writes them
        for code, cents in (("C003", 500_000), ("C002", 10_000)):
            customer = session.scalars(select(Customer).where(Customer.code == code)).one()
            customer.credit_limit_cents = cents
        session.commit()
    result = run(*AS_OF, "credit", "review", "--format", "json")
    rows = {r["customer_code"]: r for r in as_json(result)}
    assert (rows["C003"]["previous_limit"], rows["C003"]["limit"], rows["C003"]["change"]) == (
        5000.0,
        0.0,
        "down",
    )
    # C002: AA both times, ¥100 → 2.5 × 3,000 / 12 = ¥625
    assert (rows["C002"]["previous_limit"], rows["C002"]["limit"], rows["C002"]["change"]) == (
        100.0,
        625.0,
        "up",
    )
    assert rows["C001"]["change"] == ""  # BBB, limit unchanged
    assert "2 changed" in result.stderr


def test_explain_rounds_its_factors(run, seeded) -> None:
    """Round 11: explain's json printed float noise (0.19999999999999996); raw values, sub-scores and points
    have 4 decimals (docs/credit.md), stored and computed on the spot alike. C001's utilization against a limit
    of ¥3,000: 4,000 / 3,000 = 1.3333 → sub-score 0; tenure 29 months (2022-01-15 → 2024-06-30) / 36 = 0.8056."""
    assert run(*AS_OF, "credit", "set", "C001", "--limit", "3000", "--note", "trial").exit_code == 0
    fresh = as_json(run(*AS_OF, "credit", "explain", "C001", "--format", "json"))
    as_json(run(*AS_OF, "credit", "review", "--format", "json"))
    stored = as_json(run(*AS_OF, "credit", "explain", "C001", "--format", "json"))
    for explained in (fresh, stored):
        factors = {f["factor"]: f for f in explained["factors"]}
        assert (factors["utilization"]["raw"], factors["utilization"]["sub_score"]) == (1.3333, 0.0)
        assert (factors["tenure"]["raw"], factors["tenure"]["sub_score"]) == (29, 0.8056)
        assert factors["tenure"]["points"] == 8.0556  # 10 × 29 / 36
        for factor in factors.values():
            for key in ("raw", "sub_score", "points"):
                assert factor[key] == round(factor[key], 4), factor


def test_credit_csv_writes_money_with_two_decimals(run, seeded) -> None:
    """Round 11: money in csv as `kacrm export` writes it (625.00, not 625.0). After a review (tests above):
    C001 BBB ¥10,000 set by hand, outstanding 4,000, overdue 2,000; C002 AA ¥625, nothing owed."""
    assert run(*AS_OF, "credit", "set", "C001", "--limit", "10000", "--note", "t").exit_code == 0
    as_json(run(*AS_OF, "credit", "review", "--format", "json"))
    result = run(*AS_OF, "credit", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "customer_code,customer_name,grade,limit,outstanding,utilization,overdue,oldest_overdue_days,flags"
    )
    rows = {line.split(",")[0]: line.split(",") for line in lines[1:]}
    assert rows["C001"][3:5] == ["10000.00", "4000.00"] and rows["C001"][6:8] == ["2000.00", "91"]
    assert rows["C002"][3:5] == ["625.00", "0.00"] and rows["C002"][6] == "0.00"

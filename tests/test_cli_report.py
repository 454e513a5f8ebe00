"""`kacrm report` end to end on both backends: a small book whose every figure is computed by hand below.

The book on 2026-06-30 (window 12m = 2025-07-01 … 2026-06-30; the window before: 2024-07-01 … 2025-06-30):

| code | tier now (was) | orders in the window           | before    | open on 2026-06-30                |
|------|----------------|--------------------------------|-----------|-----------------------------------|
| C1   | A (A)          | 2025-08-01 40,000; 2025-12-01 20,000 | —   | nothing (paid)                    |
| C2   | A (A)          | 2026-01-10 25,000              | 2025-03-01 50,000 | nothing (paid)            |
| C3   | B (A)          | 2026-03-01 10,000 due 03-31    | —         | 10,000, 91 days past due          |
| C4   | C (B)          | 2026-05-01 5,000 due 07-15     | —         | 5,000, not yet due                |
| C5   | C (new)        | —                              | —         | —                                 |

Window revenue 60,000 + 25,000 + 10,000 + 5,000 = 100,000.00.
"""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import Session

from kacrm.store.models import (
    Contact,
    Customer,
    Interaction,
    Order,
    Payment,
    Plan,
    TierRun,
    TierSnapshot,
)

TODAY = "2026-06-30"
NOW = datetime(2026, 6, 1, tzinfo=UTC)


def seed_book(engine) -> None:
    """The book of the module docstring."""
    with Session(engine) as s:
        customers = {}
        for code, name, tier, ctype, region in [
            ("C1", "Alpha 华南电子", "A", "business", "华南"),
            ("C2", "Beta Trading", "A", "business", "华东"),
            ("C3", "Gamma", "B", "consumer", "华南"),
            ("C4", "Delta", "C", "business", None),
            ("C5", "Epsilon", "C", "channel", None),
        ]:
            c = Customer(
                code=code,
                name=name,
                tier=tier,
                tier_method="abc",
                type=ctype,
                region=region,
                phone="13800000000",
                created_at=NOW,
                updated_at=NOW,
            )
            s.add(c)
            s.flush()
            customers[code] = c.id
        orders = [
            ("O1", "C1", date(2025, 8, 1), 4_000_000, None),
            ("O2", "C1", date(2025, 12, 1), 2_000_000, None),
            ("O3", "C2", date(2025, 3, 1), 5_000_000, None),
            ("O4", "C2", date(2026, 1, 10), 2_500_000, None),
            ("O5", "C3", date(2026, 3, 1), 1_000_000, date(2026, 3, 31)),
            ("O6", "C4", date(2026, 5, 1), 500_000, date(2026, 7, 15)),
        ]
        for no, code, on, cents, due in orders:
            s.add(
                Order(
                    order_no=no,
                    customer_id=customers[code],
                    order_date=on,
                    amount_cents=cents,
                    due_date=due,
                    quantity=1.0,
                )
            )
        payments = [
            ("P1", "C1", date(2025, 9, 1), 4_000_000),
            ("P2", "C1", date(2026, 1, 1), 2_000_000),
            ("P3", "C2", date(2025, 4, 1), 5_000_000),
            ("P4", "C2", date(2026, 2, 1), 2_500_000),
        ]
        for no, code, on, cents in payments:
            s.add(
                Payment(payment_no=no, customer_id=customers[code], paid_on=on, amount_cents=cents)
            )
        s.add(
            Interaction(
                customer_id=customers["C1"],
                happened_on=date(2026, 6, 25),
                kind="visit",
                summary="季度回顾",
            )
        )
        s.add(
            Interaction(
                customer_id=customers["C2"],
                happened_on=date(2026, 6, 1),
                kind="complaint",
                summary='=HYPERLINK("http://x")',
            )
        )
        s.add(
            Contact(
                customer_id=customers["C1"],
                name="王总",
                role="decision_maker",
                phone="13900000000",
                birthday=date(1970, 7, 3),
                hobbies="高尔夫",
                is_primary=True,
            )
        )
        s.add(
            Plan(
                customer_id=customers["C2"],
                horizon="short",
                goal="恢复季度订单",
                target_date=date(2026, 7, 5),
                created_at=NOW,
            )
        )
        for as_of, tiers in [
            (date(2026, 3, 31), {"C1": "A", "C2": "A", "C3": "A", "C4": "B"}),
            (date(2026, 6, 30), {"C1": "A", "C2": "A", "C3": "B", "C4": "C", "C5": "C"}),
        ]:
            run = TierRun(method="abc", metric="revenue", window="12m", as_of=as_of, created_at=NOW)
            s.add(run)
            s.flush()
            for code, tier in tiers.items():
                s.add(TierSnapshot(run_id=run.id, customer_id=customers[code], tier=tier))
        clv = TierRun(
            method="clv", metric="revenue", window="all", as_of=date(2026, 6, 30), created_at=NOW
        )
        s.add(clv)
        s.flush()
        s.add(
            TierSnapshot(
                run_id=clv.id,
                customer_id=customers["C1"],
                tier="A",
                details=json.dumps({"p_alive": 0.2}),
            )
        )
        s.commit()


@pytest.fixture
def book(engine, run):
    """The CLI on a database holding the book above; call it with the report's arguments."""
    seed_book(engine)

    def invoke(*args: str):
        return run("--as-of", TODAY, *args)

    return invoke


def _json(result):
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_overview_json_has_exactly_the_spec_keys_and_hand_computed_numbers(book) -> None:
    data = _json(book("report", "--format", "json"))
    assert list(data) == [
        "as_of",
        "customers",
        "revenue",
        "tiers",
        "concentration",
        "receivables",
        "contact_coverage",
        "at_risk",
        "upcoming",
        "pool",  # issue 18: accounts in the public pool and the window's releases
    ]
    assert data["as_of"] == "2026-06-30"
    assert data["customers"] == 5
    assert data["revenue"] == 100000.0  # 60,000 + 25,000 + 10,000 + 5,000
    assert data["tiers"] == [
        {"tier": "A", "customers": 2, "revenue": 85000.0, "share": 0.85},  # C1 60,000 + C2 25,000
        {"tier": "B", "customers": 1, "revenue": 10000.0, "share": 0.1},
        {"tier": "C", "customers": 2, "revenue": 5000.0, "share": 0.05},  # C5 bought nothing
    ]
    # 4 buying customers: top 1%, 5% and 20% are all ceil(...) = 1 customer, C1 with 60%.
    # Gini, ascending 5, 10, 25, 60 (thousands): (-3·5 - 1·10 + 1·25 + 3·60) / (4·100) = 180 / 400
    assert data["concentration"] == {
        "top_1": 0.6,
        "top_5": 0.6,
        "top_20": 0.6,
        "gini": pytest.approx(0.45),
    }
    # open: C3 10,000 (due 03-31, 91 days past due) + C4 5,000 (due 07-15)
    assert data["receivables"] == {"total": 15000.0, "overdue": 10000.0}
    # key accounts (tier A): C1 visited 5 days ago (cadence 14), C2 last contact 29 days ago -> 1 of 2
    assert data["contact_coverage"] == 0.5
    assert data["at_risk"] == [
        {
            "customer_code": "C2",
            "customer_name": "Beta Trading",
            "tier": "A",
            "reasons": [
                "revenue down 50% vs the previous 12 months (25,000.00 vs 50,000.00)",
                "unresolved complaint since 2026-06-01",
            ],
        },
        {
            "customer_code": "C3",
            "customer_name": "Gamma",
            "tier": "B",
            "reasons": ["overdue receivables 10,000.00 (oldest 91 days)", "tier dropped A → B"],
        },
        {
            "customer_code": "C1",
            "customer_name": "Alpha 华南电子",
            "tier": "A",
            "reasons": ["p_alive 0.20 < 0.3"],
        },
    ]
    # 王总's birthday 07-03 and C2's plan target 07-05 fall in 06-30 … 07-06
    assert [(u["on"], u["kind"], u["customer_code"]) for u in data["upcoming"]] == [
        ("2026-07-03", "birthday", "C1"),
        ("2026-07-05", "plan", "C2"),
    ]


def test_overview_window_all_and_24m(book) -> None:
    # all history adds C2's 50,000 of 2025-03-01
    assert _json(book("report", "--window", "all", "--format", "json"))["revenue"] == 150000.0
    assert _json(book("report", "--window", "24m", "--format", "json"))["revenue"] == 150000.0
    bad = book("report", "--window", "ten", "--format", "json")
    assert (
        bad.exit_code == 2 and "'ten' is not a window" in bad.stderr and bad.stdout == ""
    )  # as for tier


def test_overview_table_shows_charts_and_chinese_labels(book) -> None:
    result = book("--lang", "zh", "report")
    assert result.exit_code == 0, result.stderr
    for label in ("客户等级", "集中度", "应收账龄", "风险大客户", "未来7天", "基尼系数", "生日"):
        assert label in result.stdout
    assert "█" in result.stdout  # bars
    english = book("report").stdout
    assert "Top 20% of customers (1 of 4) = 60.0% of revenue" in english


def test_redacted_overview_drops_birthdays(book) -> None:
    data = _json(book("report", "--redact", "--format", "json"))
    assert [u["kind"] for u in data["upcoming"]] == ["plan"]


def test_pareto_rows(book) -> None:
    rows = _json(book("report", "pareto", "--format", "json"))
    assert list(rows[0]) == [
        "rank",
        "customer_code",
        "customer_name",
        "revenue",
        "share",
        "cumulative_share",
        "customer_share",
    ]
    # 60,000 / 25,000 / 10,000 / 5,000 of 100,000
    assert [(r["rank"], r["customer_code"], r["revenue"]) for r in rows] == [
        (1, "C1", 60000.0),
        (2, "C2", 25000.0),
        (3, "C3", 10000.0),
        (4, "C4", 5000.0),
    ]
    assert [r["cumulative_share"] for r in rows] == pytest.approx([0.6, 0.85, 0.95, 1.0])
    assert [r["customer_share"] for r in rows] == [0.25, 0.5, 0.75, 1.0]
    csv_lines = book("report", "pareto", "--format", "csv").stdout.splitlines()
    assert (
        csv_lines[0]
        == "rank,customer_code,customer_name,revenue,share,cumulative_share,customer_share"
    )
    assert len(csv_lines) == 5
    # options given before the subcommand apply to it
    assert len(_json(book("report", "--window", "all", "--format", "json", "pareto"))) == 4


def test_movement_between_the_last_two_abc_runs(book) -> None:
    rows = _json(book("report", "movement", "--format", "json"))
    cells = {(r["from_tier"], r["to_tier"]): r["customers"] for r in rows if r["customers"]}
    # C1, C2 stay A; C3 A -> B; C4 B -> C; C5 new in C
    assert cells == {("A", "A"): 2, ("A", "B"): 1, ("B", "C"): 1, (None, "C"): 1}
    assert len(rows) == 3 * 3 + 1  # the full A/B/C matrix and the one "new" cell
    missing = book("report", "movement", "--method", "pyramid")
    assert missing.exit_code == 1
    assert (
        "two runs of method 'pyramid'" in missing.stderr
        and "kacrm tier --method pyramid" in missing.stderr
    )
    # as of 2026-04-30 only the March run exists
    early = run_as_of(book, "2026-04-30")
    assert early.exit_code == 1 and "found 1" in early.stderr


def run_as_of(book, day: str):
    return book("--as-of", day, "report", "movement")


def test_churn_rows(book) -> None:
    rows = _json(book("report", "churn", "--format", "json"))
    assert [list(r) for r in rows] == [["customer_code", "customer_name", "tier", "reasons"]] * 3
    assert [r["customer_code"] for r in rows] == ["C2", "C3", "C1"]


def test_customer_card(book) -> None:
    card = _json(book("report", "customer", "C1", "--format", "json"))
    assert list(card) == [
        "customer_code",
        "customer_name",
        "profile",
        "key_persons",
        "purchases_by_year",
        "credit",
        "interactions",
        "plans",
        "tier_history",
    ]
    assert card["purchases_by_year"] == [
        {"year": 2025, "orders": 2, "revenue": 60000.0, "quantity": 2.0}
    ]
    assert card["key_persons"][0]["birthday"] == "1970-07-03"
    assert [(t["as_of"], t["method"], t["tier"]) for t in card["tier_history"]] == [
        ("2026-03-31", "abc", "A"),
        ("2026-06-30", "abc", "A"),
        ("2026-06-30", "clv", "A"),
    ]
    c3 = _json(book("report", "customer", "C3", "--format", "json"))
    assert c3["credit"]["outstanding"] == 10000.0 and c3["credit"]["overdue"] == 10000.0
    assert c3["credit"]["oldest_overdue_days"] == 91
    redacted = _json(book("report", "customer", "C1", "--redact", "--format", "json"))
    assert redacted["profile"]["phone"] == "***"
    person = redacted["key_persons"][0]
    assert (person["phone"], person["birthday"], person["hobbies"]) == ("***", "***", "***")
    assert "13900000000" not in book("report", "customer", "C1", "--redact").stdout
    missing = book("report", "customer", "NOPE")
    assert missing.exit_code == 1 and "no customer with code 'NOPE'" in missing.stderr


def test_html_and_xlsx_need_an_output_file(book) -> None:
    for fmt in ("html", "xlsx"):
        result = book("report", "--format", fmt)
        assert result.exit_code == 2 and "--output" in result.stderr
    assert book("report", "--output", "x.html").exit_code == 2  # --output without a file format


def test_html_file_is_private_self_contained_and_holds_the_charts(book, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    result = book("report", "--format", "html", "--output", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    page = path.read_text(encoding="utf-8")
    assert (
        "<script" not in page
        and "<link" not in page
        and "src=" not in page
        and "@import" not in page
    )
    assert "url(" not in page
    for chart in ('class="chart pareto"', 'class="chart tiers"', 'class="chart aging"'):
        assert chart in page
    assert page.count('class="bar"') == 3 + 6  # three tiers, six aging buckets
    assert "100,000.00" in page and "Beta Trading" in page


def test_xlsx_has_a_sheet_per_section_with_numbers_and_text(book, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "report.xlsx"
    assert book("report", "--format", "xlsx", "--output", str(path)).exit_code == 0
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    workbook = load_workbook(path)
    assert workbook.sheetnames == [
        "Summary",
        "Tiers",
        "Concentration",
        "Receivables aging",
        "At-risk key accounts",
        "Next 7 days",
        "Customers by type",
        "Customers by region",
    ]
    summary = {
        row[0]: row[1]
        for row in workbook["Summary"].iter_rows(min_row=3, values_only=True)
        if row[0]
    }
    assert summary["Revenue"] == 100000 and summary["Overdue"] == 10000
    assert summary["Contact coverage (key accounts)"] == 0.5
    tiers = list(workbook["Tiers"].iter_rows(min_row=3, values_only=True))
    assert tiers[0] == ("Tier", "Customers", "Revenue", "Share")
    assert tiers[1] == ("A", 2, 85000, 0.85)
    assert workbook["Tiers"]["C4"].number_format == "#,##0.00"
    assert workbook["Tiers"]["D4"].number_format == "0.0%"


def test_xlsx_keeps_formula_like_text_as_text(book, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "c2.xlsx"
    assert (
        book("report", "customer", "C2", "--format", "xlsx", "--output", str(path)).exit_code == 0
    )
    sheet = load_workbook(path)["Recent interactions"]
    cell = next(
        c
        for row in sheet.iter_rows()
        for c in row
        if isinstance(c.value, str) and "HYPERLINK" in c.value
    )
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x")'


def test_upcoming_leaves_out_items_marked_done_or_snoozed_past_the_week(book) -> None:
    """The next 7 days honour `due done` and `due snooze` as the due list does (the report runs only the occasion
    and plan rules, with the same marks)."""
    week = _json(book("due", "--days", "7", "--format", "json"))
    birthday = next(i["id"] for i in week if i["kind"] == "birthday")
    plan = next(i["id"] for i in week if i["kind"] == "plan")
    assert book("done", birthday).exit_code == 0
    assert book("snooze", plan, "--days", "10").exit_code == 0  # back on 07-10, after the week
    assert _json(book("report", "--format", "json"))["upcoming"] == []


@pytest.mark.parametrize(("lang", "none"), [("en", "(none)"), ("zh", "（无）")])
def test_an_empty_section_of_the_card_says_so_instead_of_a_table_of_headers(
    book, lang: str, none: str
) -> None:
    """C1 has no development plan (C2 has the book's only one): its card's Plans section is one word."""
    shown = book("--lang", lang, "report", "customer", "C1")
    assert shown.exit_code == 0, shown.stderr
    lines = shown.stdout.splitlines()
    title = "== Plans ==" if lang == "en" else "== 发展计划 =="
    after = lines[lines.index(title) + 1]
    assert after == none
    with_plan = book("--lang", lang, "report", "customer", "C2").stdout.splitlines()
    assert with_plan[with_plan.index(title) + 1] != none  # a section with rows is a table still


def test_movement_follows_the_method_in_force_unless_one_is_named(book, tmp_path: Path) -> None:
    """With clv primary, a bare `report movement` is clv's: the book has one clv run, so it asks for another
    (it was abc's matrix, of tiers no longer in force); `--method abc` still gives abc's."""
    config = tmp_path / "clv.toml"
    config.write_text('[tier]\nprimary = "clv"\n', encoding="utf-8")
    bare = book("--config", str(config), "report", "movement")
    assert bare.exit_code == 1
    assert "two runs of method 'clv'" in bare.stderr and "kacrm tier --method clv" in bare.stderr
    named = _json(
        book("--config", str(config), "report", "movement", "--method", "abc", "-f", "json")
    )
    assert sum(r["customers"] for r in named) == 5  # C1..C5 of the two abc runs


def test_a_card_without_overdue_debt_has_no_oldest_overdue_days(book) -> None:
    """Round 11: C1 owes nothing and C4's 5,000 falls due 07-15 (module docstring): nothing is overdue, so
    oldest_overdue_days is null on the card, as in `kacrm credit` (it read 0 on the card)."""
    listed = {r["customer_code"]: r for r in _json(book("credit", "--format", "json"))}
    for code in ("C1", "C4"):
        card = _json(book("report", "customer", code, "--format", "json"))
        assert card["credit"]["oldest_overdue_days"] is None, code
        assert code not in listed or listed[code]["oldest_overdue_days"] is None
    card = _json(book("report", "customer", "C3", "--format", "json"))
    assert card["credit"]["oldest_overdue_days"] == listed["C3"]["oldest_overdue_days"] == 91

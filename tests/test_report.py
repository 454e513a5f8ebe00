"""The report's pure numbers: windows, concentration, Gini, Pareto, movement, at-risk reasons, coverage, views.

Every expected value is worked out by hand in a comment, or computed by an independent method.
"""

from __future__ import annotations

import io
import random
from datetime import date
from decimal import Decimal

import pytest

from kacrm.analysis import report
from kacrm.analysis.receivables import Table, table
from kacrm.config import Settings
from kacrm.due_facts import DueItem
from kacrm.render import report as views
from kacrm.render.charts import BarChart, ParetoChart, bar_text

TODAY = date(2026, 6, 30)


def _orders(rows: list[tuple[int, date, int]]) -> Table:
    """Orders by column, as store/report_store.py reads them."""
    orders = table(["customer_id", "order_date", "amount_cents"], rows)
    return {
        **orders,
        "quantity": [1.0] * len(rows),
        "order_no": [f"O{i}" for i in range(len(rows))],
        "due_date": [None] * len(rows),
    }


def test_revenue_by_customer_counts_both_window_ends() -> None:
    orders = _orders(
        [
            (1, date(2025, 7, 1), 100),
            (1, date(2026, 6, 30), 200),
            (1, date(2025, 6, 30), 400),
            (2, date(2026, 7, 1), 800),
        ]
    )
    # customer 1: 100 (first day) + 200 (today); 400 is the day before; customer 2 orders after today
    assert report.revenue_by_customer(orders, date(2025, 7, 1), TODAY) == {1: 300}
    assert report.revenue_by_customer(orders, None, TODAY) == {1: 700}


# --- concentration -------------------------------------------------------------------------------------------


def test_gini_by_hand() -> None:
    # ascending 5, 10, 25, 60 (sum 100, n 4): sum((2i-5)x) = -15 - 10 + 25 + 180 = 180; 180 / (4·100) = 0.45
    assert report.gini([60, 25, 10, 5]) == pytest.approx(0.45)
    # customers with nothing bought are not counted: the same 0.45
    assert report.gini([60, 25, 0, 10, 5, 0]) == pytest.approx(0.45)
    assert report.gini([7]) == 0.0
    assert report.gini([3, 3, 3]) == 0.0
    # nearly all from one of four: ascending 1, 1, 1, 997 (sum 1000): -3 - 1 + 1 + 2991 = 2988; 2988 / 4000
    assert report.gini([1, 1, 1, 997]) == pytest.approx(0.747)
    assert report.gini([]) is None
    assert report.gini([0, 0]) is None


def _gini_mean_absolute_difference(values: list[int]) -> float:
    """Independent method: G = sum_i sum_j |x_i - x_j| / (2 n^2 mean)."""
    n = len(values)
    mean = sum(values) / n
    return sum(abs(a - b) for a in values for b in values) / (2 * n * n * mean)


@pytest.mark.parametrize("seed", range(8))
def test_gini_equals_the_mean_absolute_difference_formula(seed: int) -> None:
    rng = random.Random(seed)
    values = [rng.randint(1, 10_000_000) for _ in range(rng.randint(2, 60))]
    assert report.gini(values) == pytest.approx(_gini_mean_absolute_difference(values), rel=1e-12)


def test_top_counts_round_up_and_are_at_least_one() -> None:
    assert report.top_count(4, 20) == 1  # 0.8 -> 1
    assert report.top_count(6, 20) == 2  # 1.2 -> 2
    assert report.top_count(5, 20) == 1  # exactly 1
    assert report.top_count(60, 5) == 3  # exactly 3 (no float drift: 0.05·60 = 3.0000000000000004)
    assert report.top_count(101, 1) == 2  # 1.01 -> 2
    assert report.top_count(3, 1) == 1
    assert report.top_count(0, 20) == 0


def test_top_shares_by_hand() -> None:
    revenues = [50, 20, 10, 10, 5, 5, 0]  # 6 buying customers, total 100
    # top 20%: ceil(1.2) = 2 customers: (50 + 20) / 100; top 1% and 5%: 1 customer: 50 / 100
    assert report.concentration(revenues) == {
        "top_1": 0.5,
        "top_5": 0.5,
        "top_20": 0.7,
        "gini": pytest.approx(report.gini(revenues)),
    }
    assert report.top_share([0, 0], 20) is None


# --- pareto --------------------------------------------------------------------------------------------------


def test_pareto_curve_ranks_by_revenue_then_code() -> None:
    names = {1: ("C1", "a"), 2: ("C2", "b"), 3: ("C3", "c"), 4: ("C4", "d")}
    curve = report.pareto_curve({3: 300, 1: 100, 2: 300, 4: 0}, names)
    # C2 and C3 tie at 300: by code. Total 700. C4 bought nothing: not on the curve.
    assert [r["customer_code"] for r in curve] == ["C2", "C3", "C1"]
    assert [r["rank"] for r in curve] == [1, 2, 3]
    assert curve[0]["revenue"] == Decimal("3.00")
    assert [r["cumulative_share"] for r in curve] == pytest.approx([3 / 7, 6 / 7, 1.0])
    assert [r["customer_share"] for r in curve] == pytest.approx([1 / 3, 2 / 3, 1.0])
    # top 20% of 3 customers: ceil(0.6) = 1 -> 3/7 of revenue
    assert report.pareto_headline(curve) == {
        "percent": 20,
        "customers": 1,
        "of": 3,
        "share": pytest.approx(3 / 7),
    }
    assert report.pareto_headline([]) is None


# --- tiers and movement --------------------------------------------------------------------------------------


def test_tier_breakdown_counts_customers_and_window_revenue() -> None:
    tiers = {1: "B", 2: "A", 3: "A", 4: None}
    rows = report.tier_breakdown(tiers, {1: 200, 2: 500, 3: 300})  # total 1000
    assert rows == [
        {"tier": "A", "customers": 2, "revenue": Decimal("8.00"), "share": 0.8},
        {"tier": "B", "customers": 1, "revenue": Decimal("2.00"), "share": 0.2},
        {"tier": None, "customers": 1, "revenue": Decimal("0.00"), "share": 0.0},
    ]


def test_movement_matrix_from_two_runs() -> None:
    previous = {1: "A", 2: "A", 3: "B", 4: "C", 5: "B"}
    latest = {1: "A", 2: "B", 3: "A", 4: "C", 6: "C"}
    rows = report.movement_matrix(previous, latest)
    cells = {(r["from_tier"], r["to_tier"]): r["customers"] for r in rows}
    # 1 stays A, 2 drops A->B, 3 rises B->A, 4 stays C, 5 (B) is gone, 6 is new in C
    assert cells == {
        ("A", "A"): 1,
        ("A", "B"): 1,
        ("A", "C"): 0,
        ("B", "A"): 1,
        ("B", "B"): 0,
        ("B", "C"): 0,
        ("C", "A"): 0,
        ("C", "B"): 0,
        ("C", "C"): 1,
        (None, "C"): 1,
        ("B", None): 1,
    }
    assert sum(cells.values()) == 6  # every customer of either run once
    assert list(rows[0]) == ["from_tier", "to_tier", "customers"]


def test_tier_drop_only_within_a_family() -> None:
    assert report.tier_dropped("A", "B")
    assert report.tier_dropped("gold", "lead")
    assert not report.tier_dropped("B", "A")
    assert not report.tier_dropped("A", "A")
    assert not report.tier_dropped("A", "gold")  # different methods: not comparable
    assert not report.tier_dropped(None, "C")


def test_movement_sections_pivot_the_rows() -> None:
    rows = report.movement_matrix({1: "A", 2: "B"}, {1: "B", 3: "A"})
    (section,) = views.movement_sections(rows, "abc", date(2026, 3, 31), TODAY, "en")
    matrix = {r["from"]: r for r in section.listing.rows}
    assert matrix["A"]["to_B"] == 1 and matrix["(new)"]["to_A"] == 1 and matrix["B"]["to_gone"] == 1


# --- at-risk key accounts ------------------------------------------------------------------------------------


def _customers(rows: list[tuple[int, str, str | None]]) -> Table:
    columns = ["customer_id", "customer_code", "customer_name", "tier"]
    columns += ["cadence_days", "payment_terms_days", "type", "region"]
    return table(
        columns,
        [
            (cid, code, f"name {code}", tier, None, None, "business", None)
            for cid, code, tier in rows
        ],
    )


def _interactions(rows: list[tuple[int, date, str, date | None]]) -> Table:
    return table(["customer_id", "happened_on", "kind", "resolved_on"], rows)


NO_PAYMENTS = table(["customer_id", "payment_no", "order_no", "paid_on", "amount_cents"])


def _data(customers, orders, interactions=None, **extra) -> report.ReportData:
    return report.ReportData(
        customers=customers,
        orders=orders,
        payments=NO_PAYMENTS,
        interactions=interactions if interactions is not None else _interactions([]),
        **extra,
    )


def _with_due_dates(orders: Table) -> Table:
    """Orders all due long after today, so that nothing is overdue unless a test says so."""
    return {**orders, "due_date": [date(2030, 1, 1)] * len(orders["customer_id"])}


def test_quiet_for_longer_than_twice_the_usual_interval() -> None:
    # K1 ordered on 2026-01-01, 01-31, 03-02: usual interval (60 days) / 2 = 30 days; last order 120 days
    # before 2026-06-30 (> 2 x 30) -> quiet. K2 ordered 2026-05-01 and 05-31: 30 days; 30 days ago -> fine.
    orders = _with_due_dates(
        _orders(
            [
                (1, date(2026, 1, 1), 100),
                (1, date(2026, 1, 31), 100),
                (1, date(2026, 3, 2), 100),
                (2, date(2026, 5, 1), 100),
                (2, date(2026, 5, 31), 100),
            ]
        )
    )
    rows = report.at_risk_accounts(
        _data(_customers([(1, "K1", "A"), (2, "K2", "A")]), orders), Settings(), TODAY
    )
    assert rows == [
        {
            "customer_code": "K1",
            "customer_name": "name K1",
            "tier": "A",
            "reasons": ["no order for 120 days (usual interval 30 days)"],
        }
    ]


def test_revenue_down_more_than_30_percent_vs_the_window_before() -> None:
    # windows: 2025-07-01 … 2026-06-30 and 2024-07-01 … 2025-06-30
    orders = _with_due_dates(
        _orders(
            [
                (1, date(2025, 1, 1), 10_000),
                (1, date(2026, 1, 1), 7_000),  # down 30%: not more than 30%
                (2, date(2025, 1, 1), 10_000),
                (2, date(2026, 1, 1), 6_900),  # down 31%
                (3, date(2025, 6, 30), 10_000),
                (3, date(2025, 7, 1), 1_000),  # window edges: down 90%
            ]
        )
    )
    customers = _customers([(1, "K1", "A"), (2, "K2", "A"), (3, "K3", "A")])
    rows = report.at_risk_accounts(_data(customers, orders), Settings(), TODAY)
    by_code = {r["customer_code"]: r["reasons"] for r in rows}
    assert "K1" not in by_code
    assert by_code["K2"] == ["revenue down 31% vs the previous 12 months (69.00 vs 100.00)"]
    # K3 also ordered on two days a day apart, the last 364 days ago: quiet as well
    assert by_code["K3"] == [
        "no order for 364 days (usual interval 1 days)",
        "revenue down 90% vs the previous 12 months (10.00 vs 100.00)",
    ]


def test_overdue_complaint_p_alive_and_tier_drop_in_chinese() -> None:
    orders = _orders([(1, date(2026, 3, 1), 50_000)])
    orders["due_date"] = [date(2026, 3, 31)]  # 91 days past due on 2026-06-30
    interactions = _interactions(
        [
            (1, date(2026, 6, 1), "complaint", None),  # open
            (2, date(2026, 5, 1), "complaint", date(2026, 5, 3)),  # resolved
            (
                2,
                date(2026, 6, 20),
                "complaint",
                date(2026, 7, 2),
            ),  # resolved only after today: still open today
        ]
    )
    data = _data(
        _customers([(1, "K1", "B"), (2, "K2", "gold"), (3, "K3", "C")]),
        orders,
        interactions,
        p_alive={2: 0.29, 3: 0.1},
        tier_changes={1: ("A", "B")},
    )
    rows = report.at_risk_accounts(data, Settings(), TODAY, lang="zh")
    # K1 is a key account through its previous tier A; K3 (C, never key) is left out despite p_alive 0.1
    assert rows == [
        {
            "customer_code": "K1",
            "customer_name": "name K1",
            "tier": "B",
            "reasons": [
                "逾期应收 500.00（最长逾期91天）",
                "投诉未解决（2026-06-01起）",
                "等级下降 A → B",
            ],
        },
        {
            "customer_code": "K2",
            "customer_name": "name K2",
            "tier": "gold",
            "reasons": ["活跃概率 0.29 < 0.3", "投诉未解决（2026-06-20起）"],
        },
    ]


def test_before_any_tiering_the_key_accounts_are_the_top_20_percent() -> None:
    # 6 buying customers: ceil(1.2) = 2 key accounts, the two biggest (ids 1 and 2)
    revenue = {1: 600, 2: 500, 3: 400, 4: 300, 5: 200, 6: 100}
    assert report.key_account_ids({i: None for i in range(1, 8)}, {}, revenue) == {1, 2}


def test_usual_interval_counts_distinct_days() -> None:
    orders = _orders(
        [
            (1, date(2026, 1, 1), 1),
            (1, date(2026, 1, 1), 1),
            (1, date(2026, 1, 11), 1),
            (1, date(2026, 1, 31), 1),
            (2, date(2026, 2, 1), 1),
            (2, date(2026, 7, 1), 1),
        ]
    )
    # customer 1: 3 distinct days, 30 days from first to last: 30 / 2 = 15; customer 2: one day up to today
    assert report.order_rhythm(orders, TODAY) == {
        1: (date(2026, 1, 31), 15.0),
        2: (date(2026, 2, 1), None),
    }


# --- coverage, upcoming, redaction ---------------------------------------------------------------------------


def test_contact_coverage_uses_the_customer_cadence_over_the_tier_default() -> None:
    customers = _customers([(1, "K1", "A"), (2, "K2", "A"), (3, "K3", "platinum"), (4, "K4", "B")])
    customers["cadence_days"][1] = 40  # K2's own cadence
    interactions = _interactions(
        [
            (1, date(2026, 6, 16), "call", None),  # 14 days ago: within A's 14
            (2, date(2026, 5, 22), "visit", None),  # 39 days ago: within K2's own 40
            (3, date(2026, 6, 22), "visit", None),  # 8 days ago: outside platinum's 7
            (4, date(2026, 6, 29), "visit", None),  # B is not a key tier
        ]
    )
    share, contacted, key = report.contact_coverage(
        customers, interactions, Settings().cadence.days, TODAY
    )
    assert (contacted, key) == (2, 3)
    assert share == pytest.approx(2 / 3)
    assert report.contact_coverage(_customers([(1, "K1", "C")]), interactions, {}, TODAY) == (
        None,
        0,
        0,
    )


def _item(kind: str, due_on: date, event_on: date | None) -> DueItem:
    return DueItem(
        id=f"{kind}-{due_on}",
        due_on=due_on,
        event_on=event_on,
        kind=kind,
        customer_code="C1",
        customer_name="n",
        contact="王总",
        reason=f"{kind} en",
        reason_zh=f"{kind} zh",
        overdue_days=0,
        owner=None,
        tier="A",
        customer_id=1,
    )


def test_upcoming_keeps_occasions_and_plans_of_the_next_seven_days() -> None:
    items = [
        _item("birthday", date(2026, 7, 3), date(2026, 7, 6)),  # event on day 7: in
        _item("anniversary", date(2026, 7, 4), date(2026, 7, 7)),  # event on day 8: out
        _item("plan", date(2026, 7, 1), date(2026, 7, 1)),
        _item("cadence", date(2026, 7, 1), None),  # not an occasion
        _item("festival", date(2026, 6, 25), date(2026, 6, 29)),  # passed
    ]
    rows = report.upcoming(items, TODAY, "zh")
    assert [(r["on"], r["kind"], r["reason"]) for r in rows] == [
        (date(2026, 7, 1), "plan", "plan zh"),
        (date(2026, 7, 6), "birthday", "birthday zh"),
    ]
    assert [r["kind"] for r in report.redact_upcoming(rows)] == ["plan"]


def test_redact_hides_personal_fields_that_are_set() -> None:
    person = {
        "name": "王总",
        "phone": "139",
        "birthday": "--03-05",
        "lunar_birthday": None,
        "hobbies": "茶",
        "anniversary": date(2000, 1, 1),
        "email": "w@x.cn",
    }
    assert report.redact(person) == {
        "name": "王总",
        "phone": "***",
        "birthday": "***",
        "lunar_birthday": None,
        "hobbies": "***",
        "anniversary": "***",
        "email": "w@x.cn",
    }


def test_purchases_by_year() -> None:
    orders = _orders(
        [
            (1, date(2024, 12, 31), 100),
            (1, date(2025, 1, 1), 250),
            (1, date(2025, 5, 1), 50),
            (1, date(2026, 7, 1), 999),
        ]
    )  # the last is after today
    assert report.purchases_by_year(orders, TODAY) == [
        {"year": 2024, "orders": 1, "revenue": Decimal("1.00"), "quantity": 1.0},
        {"year": 2025, "orders": 2, "revenue": Decimal("3.00"), "quantity": 2.0},
    ]


def test_aging_bucket_labels() -> None:
    assert [views.bucket_label(k, "en") for k in ("not_due", "d1_30", "d91_180", "over_180")] == [
        "not due",
        "1–30",
        "91–180",
        "> 180",
    ]
    assert views.bucket_label("not_due", "zh") == "未到期"


# --- charts --------------------------------------------------------------------------------------------------


def test_bar_text_uses_eighths() -> None:
    assert bar_text(1.0, width=4) == "████"
    assert bar_text(0.5, width=4) == "██"
    assert bar_text(0.0, width=4) == ""
    assert bar_text(1 / 32, width=4) == "▏"  # 4 cells · 8 = 32 eighths; one of them


def test_pareto_chart_draws_the_curve_through_its_points() -> None:
    chart = ParetoChart("t", [(0.25, 0.6), (0.5, 0.85), (1.0, 1.0)], "x", "y")
    svg = chart.svg()
    # 520x320 box, margins left 56, right 16, top 16, bottom 44: plot 448 x 260;
    # the origin at (56, 16 + 260) = (56, 276), (1, 1) at (56 + 448, 16) = (504, 16)
    assert 'class="curve" d="M56.0,276.0 L' in svg and svg.endswith("</svg>")
    assert "L504.0,16.0" in svg


def test_pareto_chart_and_headline_count_the_same_whole_customers() -> None:
    """7 buyers of 50, 20, 10, 8, 6, 4, 2 (total 100): the top 20% are ceil(1.4) = 2 customers = 70%, in the
    headline and in the terminal chart's 20% bar alike (read between points it was 58%: 0.5 + 0.2·0.4)."""
    from rich.console import Console

    from kacrm.render.report import pareto_chart

    revenue = {i: cents for i, cents in enumerate([50, 20, 10, 8, 6, 4, 2], start=1)}
    names = {i: (f"C{i}", f"n{i}") for i in revenue}
    curve = report.pareto_curve(revenue, names)
    assert report.pareto_headline(curve) == {"percent": 20, "customers": 2, "of": 7, "share": 0.7}
    chart = pareto_chart(curve, "en")
    # deciles by hand: ceil(7·d/10) customers = 1, 2, 3, 3, 4, 5, 5, 6, 7, 7
    expected = [50, 70, 80, 80, 88, 94, 94, 98, 100, 100]
    assert [round(chart.top_share(p) * 100, 6) for p in range(10, 101, 10)] == expected
    console = Console(file=io.StringIO(), width=80, color_system=None, force_terminal=False)
    console.print(chart.rich())
    bars = [line.split() for line in console.file.getvalue().splitlines()[1:] if line.strip()]
    assert [(b[0], b[-1]) for b in bars] == [
        (f"{10 * d}%", f"{v:.1f}%") for d, v in enumerate(expected, start=1)
    ]
    assert ParetoChart("t", [], "x", "y").top_share(20) == 0.0


def test_bar_chart_scales_to_the_largest_value() -> None:
    svg = BarChart("Aging", ["a", "b<"], [5.0, 10.0], "aging").svg()
    # plot width 520 - 150 - 110 = 260: 5 of 10 is 130 wide
    assert 'width="130.0"' in svg and 'width="260.0"' in svg
    assert "b&lt;" in svg  # labels are escaped


def test_terminal_bar_chart_on_a_pipe() -> None:
    """Drawn by hand: no box, one space of padding each side of every column, the labels and values right-justified,
    the bars 36 cells at most; the title left-justified over the table's 5 + 38 + 4 = 47 columns. Labels are text,
    not markup, as in kacrm's other tables."""
    from rich.console import Console

    chart = BarChart("Tiers", ["A", "[b]"], [10.0, 5.0], "tiers", fmt=lambda v: f"{v:.0f}")
    console = Console(file=io.StringIO(), width=80, color_system=None, force_terminal=False)
    console.print(chart.rich())
    assert console.file.getvalue().split("\n") == [
        "Tiers".ljust(47),
        "   A  " + "█" * 36 + "  10 ",
        " [b]  " + "█" * 18 + " " * 18 + "   5 ",
        "",
    ]


def test_xlsx_widths_count_a_chinese_character_as_two_columns() -> None:
    from openpyxl import load_workbook

    from kacrm.render.listing import Column, Listing
    from kacrm.render.section import Section
    from kacrm.render.xlsx import display_width, workbook_bytes

    name = "深圳市鑫通化工有限公司"  # 11 characters, each two columns wide: 22
    assert display_width(name) == 22
    assert display_width("KH0052") == 6
    assert display_width(date(2026, 11, 20)) == 10  # 2026-11-20
    listing = Listing(
        [Column("customer_code", "Code"), Column("customer_name", "Name")],
        [{"customer_code": "KH0052", "customer_name": name}],
    )
    book = load_workbook(io.BytesIO(workbook_bytes([Section("s", "S", listing=listing)], "zh")))
    sheet = book.worksheets[0]
    widths = {
        sheet.cell(row=r, column=c).value: sheet.column_dimensions[
            sheet.cell(row=r, column=c).column_letter
        ].width
        for r in range(1, sheet.max_row + 1)
        for c in range(1, sheet.max_column + 1)
    }
    assert widths[name] == 24  # 22 + 2 of margin (len() would have given 11 + 2 = 13)


def _shuffled(frame: Table, rnd: random.Random) -> Table:
    order = list(range(len(frame["customer_id"])))
    rnd.shuffle(order)
    return {name: [values[i] for i in order] for name, values in frame.items()}


def test_the_overview_does_not_depend_on_the_order_of_the_rows() -> None:
    # store/report_store.py reads orders, payments and interactions in no order: every number of the overview
    # must be the same for any order of them (ties of equal days, amounts and customers included)
    rnd = random.Random(19)
    days = [date(2024, 1, 1) + (TODAY - date(2024, 1, 1)) * rnd.random() for _ in range(40)]
    customers = _customers(
        [(c, f"K{c:02d}", rnd.choice(["A", "B", "C", None])) for c in range(1, 13)]
    )
    orders = _orders(
        [(rnd.randint(1, 12), rnd.choice(days), rnd.randint(-50, 900) * 100) for _ in range(150)]
    )
    payments = table(
        ["customer_id", "payment_no", "order_no", "paid_on", "amount_cents"],
        [
            (
                rnd.randint(1, 12),
                f"P{i}",
                rnd.choice([None, f"O{rnd.randint(0, 149)}"]),
                rnd.choice(days),
                rnd.randint(1, 500) * 100,
            )
            for i in range(120)
        ],
    )
    kinds = ["visit", "call", "complaint"]
    interactions = _interactions(
        [
            (
                rnd.randint(1, 12),
                rnd.choice(days),
                rnd.choice(kinds),
                rnd.choice([None, rnd.choice(days)]),
            )
            for _ in range(80)
        ]
    )
    data = report.ReportData(customers, orders, payments, interactions)
    expected = report.build_overview(data, Settings(), TODAY)
    assert expected.at_risk and expected.receivables_cents  # the numbers compared are not all empty
    for _ in range(5):
        shuffled = report.ReportData(
            customers,
            _shuffled(orders, rnd),
            _shuffled(payments, rnd),
            _shuffled(interactions, rnd),
        )
        assert report.build_overview(shuffled, Settings(), TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "a & b < c > d",
        "\"quoted\" and 'single'",
        "&amp; already",
        "<script>x</script>",
        "",
        "客户 & 账期",
    ],
)
def test_html_escape_is_the_standard_librarys(text: str) -> None:
    # kacrm.render.html escapes without importing the html module; the independent method is html.escape
    import html

    from kacrm.render.html import escape

    assert escape(text) == html.escape(text)


@pytest.mark.parametrize("width", [20, 47, 80])
@pytest.mark.parametrize(
    "title", ["Tiers", "Tiers: A, B", "[b]Tiers[/b]", "Late :warning: x", "长" * 30]
)
def test_terminal_bar_chart_drawn_without_the_console_is_riches(width: int, title: str) -> None:
    """print_chart on a screen that says it is plain text writes, without Rich's console where it can, what
    Rich prints for chart.rich(): the bars of the pipe test above, titles Rich reads or wraps, a narrow console."""
    from contextlib import redirect_stdout

    from rich.console import Console

    from kacrm.render.charts import print_chart

    chart = BarChart(
        title, ["A", "[b]", "长名"], [10.0, 5.0, 0.0], "tiers", fmt=lambda v: f"{v:.0f}"
    )

    class Screen:
        lang, plain_width = "en", width
        out = Console(width=width, no_color=True, highlight=False, soft_wrap=False)

    rich = Console(file=io.StringIO(), width=width, no_color=True, highlight=False, soft_wrap=False)
    rich.print(chart.rich())
    with redirect_stdout(io.StringIO()) as written:
        print_chart(chart, Screen())  # type: ignore[arg-type]
    assert written.getvalue() == rich.file.getvalue()

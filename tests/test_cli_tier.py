"""`kacrm tier` end to end on both backends: the tiers an analyst computes by hand, history, movements, pins,
dry runs, regions, RFM, and the CLV model on the CDNOW sample."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, insert, select
from sqlmodel import Session

from kacrm.store.clock import utcnow
from kacrm.store.models import Customer, Interaction, Order, TierRun, TierSnapshot

D = date.fromisoformat
AS_OF = ("--as-of", "2024-06-30")
CDNOW = Path(__file__).parent / "data" / "cdnow" / "CDNOW_sample.txt"


def add_orders(engine, rows: list[tuple[str, str, str, int, int | None]]) -> None:
    """(order_no, customer code, date, yuan, cost yuan or None)."""
    with Session(engine) as session:
        ids = dict(session.execute(select(Customer.code, Customer.id)).all())
        for no, code, on, yuan, cost in rows:
            session.add(
                Order(
                    order_no=no,
                    customer_id=ids[code],
                    order_date=D(on),
                    amount_cents=yuan * 100,
                    cost_cents=None if cost is None else cost * 100,
                )
            )
        session.commit()


@pytest.fixture
def seeded(engine):
    """As of 2024-06-30 the 12-month window is (2023-06-30, 2024-06-30]:

    C001 East: 2024-01-10 ¥5,000 (cost 3,000), 2024-03-05 ¥3,000 (no cost), 2023-06-30 ¥9,999 (just outside);
               a meal 2024-02-01 costing ¥300.
    C002 East: 2024-05-01 ¥1,500 (cost 1,000).     C003 West: 2023-07-01 ¥1,000 (cost 200), the first day inside.
    C004 (no region): no orders; a gift 2024-04-01 costing ¥100.
    C005 West: 2024-06-30 ¥500 (no cost; the last day inside), 2024-07-01 ¥100,000 (after the as-of date).
    """
    now = utcnow()
    with Session(engine) as session:
        for code, name, region in (
            ("C001", "华东机电", "East"),
            ("C002", "Beta", "East"),
            ("C003", "Gamma", "West"),
            ("C004", "Delta", None),
            ("C005", "Epsilon", "West"),
        ):
            session.add(
                Customer(code=code, name=name, region=region, created_at=now, updated_at=now)
            )
        session.commit()
        ids = dict(session.execute(select(Customer.code, Customer.id)).all())
        session.add(
            Interaction(
                customer_id=ids["C001"], happened_on=D("2024-02-01"), kind="meal", cost_cents=30000
            )
        )
        session.add(
            Interaction(
                customer_id=ids["C004"], happened_on=D("2024-04-01"), kind="gift", cost_cents=10000
            )
        )
        session.commit()
    add_orders(
        engine,
        [
            ("O1", "C001", "2024-01-10", 5000, 3000),
            ("O2", "C001", "2024-03-05", 3000, None),
            ("O0", "C001", "2023-06-30", 9999, None),
            ("O3", "C002", "2024-05-01", 1500, 1000),
            ("O4", "C003", "2023-07-01", 1000, 200),
            ("O5", "C005", "2024-06-30", 500, None),
            ("O6", "C005", "2024-07-01", 100000, None),
        ],
    )
    return engine


def rows_of(result) -> dict[str, dict]:
    assert result.exit_code == 0, result.stderr
    return {row.get("customer_code", row.get("region")): row for row in json.loads(result.stdout)}


def tiers_in_db(engine) -> dict[str, str | None]:
    with Session(engine) as session:
        return dict(session.execute(select(Customer.code, Customer.tier)).all())


def test_abc_revenue_as_computed_by_hand(run, seeded) -> None:
    # revenue in the window: C001 8,000, C002 1,500, C003 1,000, C005 500, C004 0; total 11,000.
    # cumulative 8,000 (72.7 %), 9,500 (86.4 %: reaches 80 -> A ends), 10,500 (95.5 %: reaches 95 -> B ends)
    rows = rows_of(run(*AS_OF, "tier", "--format", "json"))
    assert {c: r["tier"] for c, r in rows.items()} == {
        "C001": "A",
        "C002": "A",
        "C003": "B",
        "C005": "C",
        "C004": "C",
    }
    c001 = rows["C001"]
    assert set(c001) == {
        "customer_code",
        "customer_name",
        "tier",
        "value",
        "share",
        "cumulative_share",
        "rank",
        "previous_tier",
    }
    assert (c001["customer_name"], c001["value"], c001["rank"], c001["previous_tier"]) == (
        "华东机电",
        8000.0,
        1,
        None,
    )
    assert c001["share"] == pytest.approx(8000 / 11000)
    assert rows["C002"]["cumulative_share"] == pytest.approx(9500 / 11000)
    assert (rows["C004"]["value"], rows["C004"]["rank"]) == (0.0, 5)
    assert tiers_in_db(seeded) == {"C001": "A", "C002": "A", "C003": "B", "C004": "C", "C005": "C"}


def test_profit_leaves_out_unknown_costs_and_subtracts_service(run, seeded) -> None:
    # C001 5,000 - 3,000 - meal 300 = 1,700; C003 1,000 - 200 = 800; C002 1,500 - 1,000 = 500; C005 0 (no cost);
    # C004 -100 (the gift). Positive total 3,000: cumulative 56.7 %, 83.3 % (A), 100 % (B).
    result = run(*AS_OF, "tier", "--metric", "profit", "--format", "json")
    rows = rows_of(result)
    assert {c: (r["value"], r["tier"]) for c, r in rows.items()} == {
        "C001": (1700.0, "A"),
        "C003": (800.0, "A"),
        "C002": (500.0, "B"),
        "C005": (0.0, "C"),
        "C004": (-100.0, "C"),
    }
    assert "2 orders in the window have no cost" in result.stderr


def test_orders_metric_and_window_all(run, seeded) -> None:
    # all history up to 2024-06-30: C001 3 orders, the others 1 (C005's July order is after the as-of date)
    rows = rows_of(run(*AS_OF, "tier", "--metric", "orders", "--window", "all", "--format", "json"))
    assert {c: r["value"] for c, r in rows.items()} == {
        "C001": 3,
        "C002": 1,
        "C003": 1,
        "C005": 1,
        "C004": 0,
    }
    # total 6: C001 50 %, then C002, C003 by code: 66.7 %, 83.3 % -> A ends at C003; C005 100 % -> B
    assert [rows[c]["tier"] for c in ("C001", "C002", "C003", "C005", "C004")] == [
        "A",
        "A",
        "A",
        "B",
        "C",
    ]


def test_by_region(run, seeded) -> None:
    # East 9,500 (86.4 % -> A), West 1,500 (100 % -> B), no region 0 (C)
    rows = rows_of(run(*AS_OF, "tier", "--by", "region", "--format", "json"))
    assert {r: (row["tier"], row["value"]) for r, row in rows.items()} == {
        "East": ("A", 9500.0),
        "West": ("B", 1500.0),
        "(none)": ("C", 0.0),
    }
    assert "customer_code" not in rows["East"]
    assert tiers_in_db(seeded)["C001"] is None  # a region's tier is not the customer's
    again = rows_of(run(*AS_OF, "tier", "--by", "region", "--format", "json"))
    assert again["East"]["previous_tier"] == "A"


def test_movements_history_and_table(run, seeded, engine) -> None:
    assert run(*AS_OF, "tier").exit_code == 0
    # C005 buys ¥5,000 more: C001 8,000, C005 5,500, C002 1,500, C003 1,000; total 16,000:
    # 50 %, 84.4 % (A ends at C005), 93.75 %, 100 % (B ends at C003)
    add_orders(engine, [("O7", "C005", "2024-06-01", 5000, None)])
    result = run(*AS_OF, "tier")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Movements since run #" in out and "up 1, down 1, same 3" in out
    assert "C005" in out and "C002" in out
    # summary: A 2 customers 13,500.00 (84.4 %)
    a_line = next(line for line in out.splitlines() if line.strip("│ ").startswith("A "))
    assert "13,500.00" in a_line and "84.4%" in a_line and "40.0%" in a_line
    history = json.loads(run("tier", "history", "C005", "--format", "json").stdout)
    assert [(h["tier"], h["value"]) for h in history] == [("C", 500.0), ("A", 5500.0)]
    assert history[0]["method"] == "abc" and history[0]["as_of"] == "2024-06-30"
    assert {h["customer_code"] for h in history} == {"C005"} and all(
        h["customer_name"] for h in history
    )


def test_pin_is_respected_and_shown_then_unpinned(run, seeded) -> None:
    assert run("tier", "pin", "C004", "A").exit_code == 0
    assert tiers_in_db(seeded)["C004"] == "A"
    result = run(*AS_OF, "tier")
    assert "Pinned: C004 stays A (computed C)" in result.stdout
    assert tiers_in_db(seeded)["C004"] == "A"
    with Session(seeded) as session:
        snap = session.execute(
            select(TierSnapshot.pinned, TierSnapshot.details)
            .join(Customer, Customer.id == TierSnapshot.customer_id)
            .where(Customer.code == "C004")
        ).one()
    assert snap.pinned and json.loads(snap.details)["computed_tier"] == "C"
    # a pyramid run does not use an A pin: C004 has no value -> lead
    assert (
        rows_of(run(*AS_OF, "tier", "--method", "pyramid", "--format", "json"))["C004"]["tier"]
        == "lead"
    )
    assert run("tier", "unpin", "C004").exit_code == 0
    assert rows_of(run(*AS_OF, "tier", "--format", "json"))["C004"]["tier"] == "C"
    assert tiers_in_db(seeded)["C004"] == "C"


def test_dry_run_stores_nothing(run, seeded) -> None:
    result = run(*AS_OF, "tier", "--dry-run", "--format", "json")
    assert rows_of(result)["C001"]["tier"] == "A"
    assert "nothing stored" in result.stderr
    with Session(seeded) as session:
        assert session.scalar(select(func.count()).select_from(TierRun)) == 0
    assert set(tiers_in_db(seeded).values()) == {None}


def test_pyramid_with_zh_labels(run, seeded) -> None:
    # 4 buyers: platinum ceil(0.04) -> at least 1; gold to ceil(0.2) = 1, iron to ceil(0.8) = 1: the rest lead
    rows = rows_of(run(*AS_OF, "tier", "--method", "pyramid", "--format", "json"))
    assert [rows[c]["tier"] for c in ("C001", "C002", "C003", "C005", "C004")] == ["platinum"] + [
        "lead"
    ] * 4
    table = run(*AS_OF, "--lang", "zh", "tier", "--method", "pyramid", "--dry-run")
    assert "白金" in table.stdout and "铅" in table.stdout and "客户数" in table.stdout


def test_messages_in_chinese(run, seeded) -> None:
    zh = (*AS_OF, "--lang", "zh")
    first = run(*zh, "tier", "--method", "pyramid")
    assert "变动：此方法没有上一批次可比较，全部为新进。" in first.stdout
    # by customer goes without saying: the title is one line over the table
    assert "客户金字塔，按销售额，期间 近 12 个月，截至 2024-06-30" in first.stdout.splitlines()[0]
    assert "已保存分级批次 #1。" in first.stderr
    pinned = run("--lang", "zh", "tier", "pin", "C004", "gold")
    assert "已将 C004 的客户金字塔等级锁定为黄金" in pinned.stderr
    # the pin lifts C004 from lead to gold; C001 stays platinum, the other three lead
    second = run(*zh, "tier", "--method", "pyramid", "--dry-run")
    assert second.exit_code == 0, second.stderr
    assert "与批次 #1（2024-06-30）相比的变动：升级 1，不变 4" in second.stdout
    assert "锁定：C004 保持黄金（计算结果为铅）" in second.stdout
    assert "试运行：未保存任何内容。" in second.stderr
    profit = run(*zh, "tier", "--metric", "profit", "--dry-run")
    assert "提示：期间内有 2 笔订单没有成本，未计入利润" in profit.stderr


def test_rfm_scores_and_segments(run, seeded) -> None:
    # recency C001 117 days (03-05), C002 60, C003 365, C005 0 -> r = 2, 3, 1, 4 (n = 4: 1 + 5*(rank-1)//4)
    # frequency 2, 1, 1, 1 -> f = 4, 1, 1, 1; monetary 8,000, 1,500, 1,000, 500 -> m = 4, 3, 2, 1
    rows = rows_of(run(*AS_OF, "tier", "--method", "rfm", "--format", "json"))
    got = {
        c: (r["recency"], r["frequency"], r["rfm_code"], r["segment"], r["tier"])
        for c, r in rows.items()
    }
    assert got == {
        "C001": (117, 2, "244", "cannot_lose", "cannot_lose"),
        "C002": (60, 1, "313", "potential", "potential"),
        "C003": (365, 1, "112", "lost", "lost"),
        "C005": (0, 1, "411", "new", "new"),
        "C004": (
            None,
            0,
            None,
            "other",
            "other",
        ),  # no order: nothing in the window, no recency, no scores
    }
    assert rows["C001"]["monetary"] == 8000.0 and rows["C001"]["m"] == 4
    assert (rows["C004"]["monetary"], rows["C004"]["r"]) == (0.0, None)


def test_bad_options_are_usage_errors(run, seeded) -> None:
    result = run(*AS_OF, "tier", "--thresholds", "95,80")
    assert result.exit_code == 2 and "--thresholds" in result.stderr
    assert run(*AS_OF, "tier", "--window", "1y").exit_code == 2
    result = run(
        *AS_OF, "tier", "--method", "rfm", "--by", "region"
    )  # options that cannot go together
    assert result.exit_code == 2 and "--by region" in result.stderr
    result = run("tier", "pin", "C001", "diamond")
    assert result.exit_code == 2 and "not a tier" in result.stderr and "Usage:" in result.stderr
    assert run("tier", "history", "NOPE").exit_code == 1


@pytest.fixture
def cdnow(engine):
    """The CDNOW sample as customers (code = master id) and orders, through Core bulk inserts."""
    raw = pd.read_csv(
        CDNOW,
        sep=r"\s+",
        header=None,
        names=["master", "sample", "day", "cds", "dollars"],
        dtype={"master": str, "day": str},
    )
    now = utcnow()
    codes = sorted(raw["master"].unique())
    with engine.begin() as conn:
        conn.execute(
            insert(Customer.__table__),
            [
                {
                    "code": c,
                    "name": f"CDNOW {c}",
                    "type": "consumer",
                    "status": "active",
                    "created_at": now,
                    "updated_at": now,
                }
                for c in codes
            ],
        )
        ids = dict(conn.execute(select(Customer.code, Customer.id)).all())
        conn.execute(
            insert(Order.__table__),
            [
                {
                    "order_no": f"N{i}",
                    "customer_id": ids[m],
                    "order_date": date(int(d[:4]), int(d[4:6]), int(d[6:])),
                    "amount_cents": round(v * 100),
                    "quantity": q,
                }
                for i, (m, d, v, q) in enumerate(
                    zip(raw["master"], raw["day"], raw["dollars"], raw["cds"], strict=True)
                )
            ],
        )
    return engine


@pytest.mark.parametrize("where", ["global", "command"])
def test_fit_reproduces_cdnow(run, cdnow, where) -> None:
    # the as-of day given before the command (global) or after it, as `tier fit --help` shows
    args = (
        ("--as-of", "1997-09-30", "tier", "fit")
        if where == "global"
        else ("tier", "fit", "--as-of", "1997-09-30")
    )
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    model = json.loads(result.stdout)
    assert set(model) == {
        "time_unit",
        "customers",
        "r",
        "alpha",
        "a",
        "b",
        "log_likelihood",
        "p",
        "q",
        "v",
    }
    assert (model["time_unit"], model["customers"]) == ("week", 2357)
    published = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    assert {k: round(model[k], 3) for k in published} == published
    assert round(model["log_likelihood"], 1) == -9582.4
    assert (round(model["p"], 2), round(model["q"], 2), round(model["v"], 2)) == (6.25, 3.74, 15.44)


def test_clv_tiers_cdnow_customer_4(run, cdnow) -> None:
    # 39 weeks = 273 days: customer 00004 expects 1.226 purchases, P(alive) 0.727 (FHL 2005)
    result = run(
        "--as-of", "1997-09-30", "tier", "--method", "clv", "--horizon", "273", "--format", "json"
    )
    rows = rows_of(result)
    c4 = rows["00004"]
    assert round(c4["expected_purchases"], 3) == 1.226 and round(c4["p_alive"], 3) == 0.727
    assert c4["predicted_value"] == pytest.approx(
        c4["expected_purchases"] * c4["expected_order_value"], abs=0.01
    )
    assert c4["value"] == c4["predicted_value"]
    # the history gives the same money to the cent (SPEC §2: money rounded to 2 decimals), with the customer's code
    [h] = json.loads(run("tier", "history", "00004", "--format", "json").stdout)
    assert (h["customer_code"], h["metric"], h["value"]) == (
        "00004",
        "predicted_value",
        c4["predicted_value"],
    )
    assert h["value"] == round(h["value"], 2)
    assert {r["tier"] for r in rows.values()} == {"A", "B", "C"}
    a_share = sum(r["share"] for r in rows.values() if r["tier"] == "A")
    assert 0.80 <= a_share < 0.80 + max(r["share"] for r in rows.values())

"""abc and the pyramid ranked inside the database (store.tier_ranking), on both backends, against a brute-force
reference written here from SPEC §6 alone: a random book with ties, losses, pins and codes whose order differs
between Python's str order and a natural-language collation."""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
from datetime import date, timedelta
from fractions import Fraction

import pytest
from sqlalchemy import insert, select
from sqlmodel import Session

from kacrm.analysis.tier_rules import TierRequest
from kacrm.app.tiering import run_tiering
from kacrm.store.clock import utcnow
from kacrm.store.engine import make_engine
from kacrm.store.models import Customer, Interaction, Order, TierRun, TierSnapshot

AS_OF = date(2024, 6, 30)
WINDOW_START = date(2023, 6, 30)  # 12m: (2023-06-30, 2024-06-30]
# Python's str order puts upper case before lower case and CJK last; a locale collation would interleave them
CODES = [f"{prefix}{n:02d}" for prefix in ("K", "k", "客户", "a-", "Z") for n in range(30)]


def _book(engine, seed: int) -> dict[str, dict[str, Fraction]]:
    """A random book; returns each code's value per metric over the window, computed here from what was written.

    Amounts come from a small set so that many customers tie; quantities are multiples of 0.25, exact in binary,
    so that no summation order can change a tie.
    """
    rng = random.Random(seed)
    now = utcnow()
    values: dict[str, dict[str, Fraction]] = {
        code: {
            "revenue": Fraction(0),
            "profit": Fraction(0),
            "orders": Fraction(0),
            "quantity": Fraction(0),
        }
        for code in CODES
    }
    with Session(engine) as session:
        session.execute(
            insert(Customer),
            [
                {"code": code, "name": f"客户 {code}", "created_at": now, "updated_at": now}
                for code in CODES
            ],
        )
        ids = dict(session.execute(select(Customer.code, Customer.id)).all())
        orders, interactions = [], []
        for code in CODES:
            if rng.random() < 0.2:
                continue  # a customer who never bought
            for _ in range(rng.randint(1, 6)):
                day = date(2023, 1, 1) + timedelta(
                    days=rng.randint(0, 640)
                )  # some before, some after the window
                amount = rng.choice([100, 250, 1000, 5000, 20000]) * 100
                cost = rng.choice([None, amount // 2, amount + 10000])  # unknown, a margin, a loss
                quantity = rng.choice([None, 0.25, 1.5, 3.0])
                orders.append(
                    {
                        "order_no": f"O{len(orders)}",
                        "customer_id": ids[code],
                        "order_date": day,
                        "amount_cents": amount,
                        "cost_cents": cost,
                        "quantity": quantity,
                    }
                )
                if WINDOW_START < day <= AS_OF:
                    v = values[code]
                    v["revenue"] += amount
                    v["orders"] += 1
                    v["quantity"] += Fraction(quantity or 0)
                    v["profit"] += amount - cost if cost is not None else 0
            if rng.random() < 0.3:
                day = date(2023, 3, 1) + timedelta(days=rng.randint(0, 500))
                interactions.append(
                    {
                        "customer_id": ids[code],
                        "happened_on": day,
                        "kind": "gift",
                        "cost_cents": 30000,
                    }
                )
                if WINDOW_START < day <= AS_OF:
                    values[code]["profit"] -= 30000
        session.execute(insert(Order), orders)
        session.execute(insert(Interaction), interactions)
        session.commit()
    return values


def _reference(values: dict[str, Fraction], method: str) -> dict[str, tuple[str, int]]:
    """code -> (tier, rank) by SPEC §6, computed the long way."""
    order = sorted(values, key=lambda code: (-values[code], code))
    positive = [code for code in order if values[code] > 0]
    tiers = {code: ("C" if method == "abc" else "lead") for code in order}
    if method == "abc":
        total, cumulative, a_open, b_open = (
            sum(values[c] for c in positive),
            Fraction(0),
            True,
            True,
        )
        for code in positive:
            cumulative += values[code]
            if a_open:
                tiers[code] = "A"
            elif b_open:
                tiers[code] = "B"
            a_open = a_open and cumulative < total * Fraction(80, 100)
            b_open = b_open and cumulative < total * Fraction(95, 100)
    else:
        n = len(positive)
        k1 = max(math.ceil(Fraction(1, 100) * n), 1)
        k2 = max(math.ceil(Fraction(5, 100) * n), k1)
        k3 = max(math.ceil(Fraction(20, 100) * n), k2)
        for position, code in enumerate(positive, start=1):
            tiers[code] = (
                "platinum"
                if position <= k1
                else "gold"
                if position <= k2
                else "iron"
                if position <= k3
                else "lead"
            )
    return {code: (tiers[code], rank) for rank, code in enumerate(order, start=1)}


def _json_rows(run, *args: str) -> dict[str, dict]:
    result = run("--as-of", AS_OF.isoformat(), "tier", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return {row["customer_code"]: row for row in json.loads(result.stdout)}


@pytest.mark.parametrize(
    ("method", "metric"),
    [("abc", "revenue"), ("abc", "profit"), ("abc", "quantity"), ("pyramid", "orders")],
)
def test_tiers_ranks_and_snapshots_match_the_rules_worked_by_hand(
    run, engine, method, metric
) -> None:
    values = {
        code: v[metric] for code, v in _book(engine, seed=len(method) * 7 + len(metric)).items()
    }
    expected = _reference(values, method)
    rows = _json_rows(run, "--method", method, "--metric", metric)
    assert {code: (row["tier"], row["rank"]) for code, row in rows.items()} == expected
    money = metric in ("revenue", "profit")
    for code, row in rows.items():
        assert row["value"] == pytest.approx(float(values[code] / 100 if money else values[code]))
    positive_total = sum(v for v in values.values() if v > 0)
    by_rank = sorted(rows.values(), key=lambda row: row["rank"])
    cumulative = Fraction(0)
    for row in by_rank:
        value = values[row["customer_code"]]
        cumulative += max(value, Fraction(0))
        assert row["share"] == pytest.approx(float(value / positive_total))
        assert row["cumulative_share"] == pytest.approx(float(cumulative / positive_total))
    with Session(engine) as session:
        snapshots = session.execute(
            select(Customer.code, TierSnapshot.tier, TierSnapshot.rank, TierSnapshot.value).join(
                Customer, Customer.id == TierSnapshot.customer_id
            )
        ).all()
        assert {code: (tier, rank) for code, tier, rank, _ in snapshots} == expected
        assert {code: value for code, _, _, value in snapshots} == pytest.approx(
            {code: float(values[code] / 100 if money else values[code]) for code in values}
        )
        # only the primary method (abc, the default) sets the tier in force (issue 15)
        assert dict(session.execute(select(Customer.code, Customer.tier)).all()) == {
            code: tier if method == "abc" else None for code, (tier, _) in expected.items()
        }


def test_pins_of_the_method_hold_and_others_do_not(run, engine) -> None:
    values = {code: v["revenue"] for code, v in _book(engine, seed=3).items()}
    expected = _reference(values, "abc")
    lowest = next(code for code, (tier, _) in expected.items() if tier == "C")
    top = next(code for code, (_, rank) in expected.items() if rank == 1)
    assert run("tier", "pin", lowest, "A").exit_code == 0  # an abc pin (abc is primary)
    assert run("tier", "pin", top, "gold").exit_code == 0  # a pyramid pin: not abc's
    result = run("--as-of", AS_OF.isoformat(), "tier")
    assert f"Pinned: {lowest} stays A (computed C)" in result.stdout
    rows = _json_rows(run, "--dry-run")
    assert rows[lowest]["tier"] == "A" and rows[top]["tier"] == "A"
    assert {code: (row["tier"], row["rank"]) for code, row in rows.items() if code != lowest} == {
        code: value for code, value in expected.items() if code != lowest
    }
    with Session(engine) as session:
        details = session.scalars(
            select(TierSnapshot.details)
            .join(Customer, Customer.id == TierSnapshot.customer_id)
            .where(Customer.code == lowest)
        ).one()
    assert json.loads(details) == {"computed_tier": "C"}


def test_the_table_counts_every_movement_and_lists_the_first_twenty(run, engine) -> None:
    _book(engine, seed=5)
    assert (
        run("--as-of", "2024-01-31", "tier").exit_code == 0
    )  # another window: many customers move
    rows = _json_rows(run, "--dry-run")
    moved = [row for row in rows.values() if row["previous_tier"] not in (None, row["tier"])]
    same = sum(row["previous_tier"] == row["tier"] for row in rows.values())
    up = sum("ABC".index(row["tier"]) < "ABC".index(row["previous_tier"]) for row in moved)
    assert len(moved) > 20
    table = run("--as-of", AS_OF.isoformat(), "tier")
    assert table.exit_code == 0, table.stderr
    assert f"up {up}, down {len(moved) - up}, same {same}" in table.stdout
    assert f"… and {len(moved) - 20} more" in table.stdout
    first = min(moved, key=lambda row: row["rank"])
    assert first["customer_code"] in table.stdout


def test_a_dry_run_then_a_run_on_one_engine(engine) -> None:
    """The temporary tables of a run do not outlive it on a pooled connection."""
    values = {code: v["revenue"] for code, v in _book(engine, seed=9).items()}
    expected = _reference(values, "abc")
    dry = run_tiering(engine, TierRequest(dry_run=True), AS_OF, rows=False)
    assert dry.run_id is None and dry.rows is None
    stored = run_tiering(engine, TierRequest(), AS_OF)
    assert (
        dict(
            zip(
                stored.rows["code"],
                zip(stored.rows["tier"], stored.rows["rank"], strict=True),
                strict=True,
            )
        )
        == expected
    )
    again = run_tiering(engine, TierRequest(), AS_OF, rows=False)
    assert again.movement_counts == {"same": len(CODES)}
    assert {row["tier"]: row["customers"] for row in dry.summary} == {
        tier: sum(t == tier for t, _ in expected.values()) for tier in "ABC"
    }
    with Session(engine) as session:
        assert (
            session.scalar(select(TierRun.id).order_by(TierRun.id.desc()).limit(1)) == again.run_id
        )


def test_the_table_output_loads_no_pandas(sqlite_url) -> None:
    """What keeps `kacrm tier` fast on a big book (bench/bench_tier.py): a table needs SQL and the rules only."""
    engine = make_engine(sqlite_url)
    _book(engine, seed=11)
    engine.dispose()
    script = (
        "import sys\nfrom kacrm.cli.app import main\nsys.argv = ['kacrm', '--db', sys.argv[1], 'tier']\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "print(sorted(m for m in ('pandas', 'numpy', 'scipy') if m in sys.modules), file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, sqlite_url], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "Stored tier run #1." in done.stderr and done.stderr.rstrip().endswith("[]")

"""rfm by customer scored, segmented and stored inside the database (store.tier_rfm), on both backends, against
scores worked by hand (ties, n not divisible by 5) and a reference written here from docs/tiering.md alone: a
random book with many equal values."""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import date, timedelta

import pytest
from sqlalchemy import insert, select
from sqlmodel import Session

from kacrm.store.clock import utcnow
from kacrm.store.models import Customer, Order, TierSnapshot
from kacrm.store.tier_rfm import SEGMENT

AS_OF = date(2024, 6, 30)
WINDOW_START = date(2023, 6, 30)  # 12m: (2023-06-30, 2024-06-30]


def _write(engine, orders: dict[str, list[tuple[date, int]]]) -> None:
    """Customers (in the given order) with their orders (day, amount in cents)."""
    now = utcnow()
    with Session(engine) as session:
        session.execute(
            insert(Customer),
            [{"code": c, "name": c, "created_at": now, "updated_at": now} for c in orders],
        )
        ids = dict(session.execute(select(Customer.code, Customer.id)).all())
        rows = [
            {
                "order_no": f"{code}-{i}",
                "customer_id": ids[code],
                "order_date": d,
                "amount_cents": a,
            }
            for code, placed in orders.items()
            for i, (d, a) in enumerate(placed)
        ]
        if rows:
            session.execute(insert(Order), rows)
        session.commit()


def _rows(run, *args: str) -> dict[str, dict]:
    result = run("--as-of", AS_OF.isoformat(), "tier", "--method", "rfm", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return {row["customer_code"]: row for row in json.loads(result.stdout)}


def _details(engine) -> dict[str, dict]:
    with Session(engine) as session:
        found = session.execute(
            select(Customer.code, TierSnapshot.details).join(
                Customer, Customer.id == TierSnapshot.customer_id
            )
        ).all()
    return {code: json.loads(details) for code, details in found}


def test_scores_worked_by_hand(run, engine) -> None:
    day = lambda text: date.fromisoformat(text)  # noqa: E731
    _write(
        engine,
        {
            "C1": [(day("2024-06-29"), 50000)] * 10,
            "C2": [(day("2024-06-01"), 50000)] * 4,
            "C3": [(day("2024-01-01"), 10000)],
            "C4": [(day("2024-05-01"), 15000)] * 2,
            "C5": [(day("2023-12-01"), 15000)] * 6,
            "C6": [(day("2023-01-01"), 99900)],  # only before the window: lost
            "C7": [(day("2024-07-01"), 99900)],  # only after the as-of date: never bought, other
        },
    )
    rows = _rows(run)
    # recency 1, 29, 181, 60, 212 days; n = 5, one per quintile: r (fewer days better) 5, 4, 2, 3, 1;
    # f (10, 4, 1, 2, 6 orders) 5, 3, 1, 2, 4; m (5000, 2000, 100, 300, 900 yuan) 5, 4, 1, 2, 3
    got = {c: (r["recency"], r["frequency"], r["rfm_code"], r["segment"]) for c, r in rows.items()}
    assert got == {
        "C1": (1, 10, "555", "champions"),
        "C2": (29, 4, "434", "loyal"),  # r >= 3, f >= 3
        "C3": (181, 1, "211", "hibernating"),
        "C4": (60, 2, "322", "potential"),
        "C5": (212, 6, "143", "at_risk"),  # r <= 2, f >= 3 but m < 4
        "C6": (None, 0, None, "lost"),
        "C7": (None, 0, None, "other"),
    }
    assert (rows["C2"]["monetary"], rows["C6"]["monetary"], rows["C6"]["r"]) == (2000.0, 0.0, None)
    assert {c: r["tier"] for c, r in rows.items()} == {c: g[3] for c, g in got.items()}


def test_equal_values_share_a_score_and_n_need_not_divide_by_five(run, engine) -> None:
    # ten buyers on one day (6 with 1 order, 3 with 2, 1 with 3), seven with 1…7 orders on 2024-01-01…07:
    # n = 17, every score by RANK() (equal values share the rank of the first of them)
    day = date(2024, 6, 1)
    counts = [1] * 6 + [2] * 3 + [3]
    books = {f"T{i:02d}": [(day, 100)] * n for i, n in enumerate(counts)}
    books |= {f"S{n}": [(date(2024, 1, n), 100)] * n for n in range(1, 8)}
    _write(engine, books)
    rows = _rows(run)
    # f over 17: 1 order ×7 (T00–T05, S1) → rank 1; 2 ×4 (T06–T08, S2) → rank 8: 1 + 35//17 = 3;
    # 3 ×2 (T09, S3) → rank 12: 1 + 55//17 = 4; 4, 5, 6, 7 → ranks 14…17: 1 + 65//17 = 4, 5, 5, 5
    f = {c: r["f"] for c, r in rows.items()}
    assert [f[f"T{i:02d}"] for i in range(10)] == [1] * 6 + [3] * 3 + [4]
    assert [f[f"S{n}"] for n in range(1, 8)] == [1, 3, 4, 4, 5, 5, 5]
    # recency: S1…S7 last ordered 2024-01-01…07 (the oldest is the worst: ranks 1…7), T* 2024-06-01 (rank 8)
    r = {c: rows[c]["r"] for c in rows}
    assert [r[f"S{n}"] for n in range(1, 8)] == [1 + 5 * k // 17 for k in range(7)]
    assert {r[f"T{i:02d}"] for i in range(10)} == {1 + 5 * 7 // 17}


def _segment(r: int, f: int, m: int) -> str:
    """docs/tiering.md's segment table, first matching rule wins."""
    rules = [
        (r >= 4 and f >= 4, "champions"),
        (r >= 3 and f >= 3, "loyal"),
        (r >= 4 and f <= 1, "new"),
        (r >= 3, "potential"),
        (f >= 4 and m >= 4, "cannot_lose"),
        (f >= 3, "at_risk"),
        (r == 2, "hibernating"),
    ]
    return next((segment for rule, segment in rules if rule), "lost")


@pytest.mark.parametrize(
    ("r", "f", "m", "segment"),
    [
        (5, 5, 5, "champions"),
        (4, 4, 1, "champions"),
        (3, 5, 5, "loyal"),
        (5, 1, 1, "new"),
        (5, 2, 3, "potential"),
        (3, 1, 1, "potential"),
        (1, 5, 5, "cannot_lose"),
        (2, 4, 3, "at_risk"),
        (1, 3, 5, "at_risk"),
        (2, 2, 2, "hibernating"),
        (1, 1, 5, "lost"),
    ],
)
def test_the_segment_table(r: int, f: int, m: int, segment: str) -> None:
    sql = f"SELECT {SEGMENT} FROM (SELECT ? AS r, ? AS f, ? AS m) AS s"
    assert sqlite3.connect(":memory:").execute(sql, (r, f, m)).fetchone()[0] == segment
    assert _segment(r, f, m) == segment


def _reference(orders: dict[str, list[tuple[date, int]]]) -> dict[str, dict]:
    """code -> the rfm figures by docs/tiering.md, computed the long way (rank "min": 1 + the number of worse)."""
    active = {
        code: [(d, a) for d, a in placed if WINDOW_START < d <= AS_OF]
        for code, placed in orders.items()
    }
    figures = {
        code: ((AS_OF - max(d for d, _ in inside)).days, len(inside), sum(a for _, a in inside))
        for code, inside in active.items()
        if inside
    }
    n = len(figures)

    def score(code: str, position: int, worse) -> int:
        rank = 1 + sum(
            worse(other[position], figures[code][position]) for other in figures.values()
        )
        return 1 + 5 * (rank - 1) // n

    out = {}
    for code, placed in orders.items():
        if code not in figures:
            before = any(d <= WINDOW_START for d, _ in placed)
            out[code] = {"recency": None, "frequency": 0, "monetary": 0.0, "r": None, "f": None}
            out[code] |= {"m": None, "rfm_code": None, "segment": "lost" if before else "other"}
            continue
        recency, frequency, monetary = figures[code]
        r = score(code, 0, lambda other, mine: other > mine)  # more days is worse
        f = score(code, 1, lambda other, mine: other < mine)
        m = score(code, 2, lambda other, mine: other < mine)
        out[code] = {"recency": recency, "frequency": frequency, "monetary": monetary / 100}
        out[code] |= {
            "r": r,
            "f": f,
            "m": m,
            "rfm_code": f"{r}{f}{m}",
            "segment": _segment(r, f, m),
        }
    return out


def test_scores_segments_and_details_match_the_reference(run, engine) -> None:
    rng = random.Random(19)
    orders = {}
    for i in range(
        143
    ):  # 143 customers, about 100 with orders in the window: n is not a multiple of 5
        kind = rng.random()
        if kind < 0.1:
            orders[f"K{i:03d}"] = []
            continue
        first = date(2022, 9, 1) if kind < 0.2 else WINDOW_START + timedelta(days=1)
        orders[f"K{i:03d}"] = [
            (first + timedelta(days=rng.choice(range(0, 300, 30))), rng.choice([100, 150, 2500]))
            for _ in range(rng.randint(1, 4))
        ]
    _write(engine, orders)
    expected = _reference(orders)
    pinned = next(code for code, e in expected.items() if e["segment"] != "champions")
    assert run("tier", "pin", pinned, "champions", "--method", "rfm").exit_code == 0
    rows = _rows(run)
    keys = list(next(iter(expected.values())))
    assert {code: {k: row[k] for k in keys} for code, row in rows.items()} == expected
    assert rows[pinned]["tier"] == "champions"
    assert all(row["tier"] == row["segment"] for code, row in rows.items() if code != pinned)
    # a stored run: the details JSON holds the same figures, and the computed segment under the pin
    assert run("--as-of", AS_OF.isoformat(), "tier", "--method", "rfm").exit_code == 0
    stored = _details(engine)
    assert {code: {k: d[k] for k in keys} for code, d in stored.items()} == expected
    assert stored[pinned]["computed_tier"] == expected[pinned]["segment"]
    assert all("computed_tier" not in d for code, d in stored.items() if code != pinned)

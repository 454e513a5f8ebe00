"""Benchmark data: a large synthetic book of business as CSV files with English headers, vectorised with numpy.

At scale 1: 100,000 customers, 1,000,000 orders over three years (Pareto-like customer sizes and order amounts,
seasonal), ~950,000 payments (the book of a firm that is mostly paid), ~300,000 interactions, ~150,000
contacts. Every order, payment, interaction and contact names an existing customer; every payment's order_no
(when given) names an order of that customer.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

GENERATOR_VERSION = 3  # bump when the output changes, so cached data is regenerated
BENCH_TODAY = date(
    2026, 11, 20
)  # the last day of the generated history; benchmarks run --as-of this day
DAYS = 3 * 365
FULL_COUNTS = {
    "customers": 100_000,
    "orders": 1_000_000,
    "payments": 950_000,
    "interactions": 300_000,
    "contacts": 150_000,
}
HEADERS = {
    "customers": ["code", "name", "type", "region", "owner", "payment_terms_days"],
    "orders": ["order_no", "customer_code", "order_date", "amount", "quantity", "product", "cost"],
    "payments": ["payment_no", "customer_code", "order_no", "paid_on", "amount"],
    "interactions": [
        "customer_code",
        "happened_on",
        "kind",
        "summary",
        "cost",
        "resolved_on",
        "next_due",
    ],
    "contacts": [
        "customer_code",
        "name",
        "title",
        "role",
        "phone",
        "birthday",
        "lunar_birthday",
        "anniversary",
    ],
}
REGIONS = ["华南", "华东", "华北", "西南", "华中", "西北", "东北"]
TYPES, TYPE_P = ["business", "channel", "consumer"], [0.75, 0.15, 0.10]
PRODUCTS = [f"P{i:02d}" for i in range(40)]
KINDS, KIND_P = (
    ["call", "visit", "message", "meal", "gift", "service", "complaint", "meeting"],
    [0.30, 0.24, 0.20, 0.08, 0.06, 0.05, 0.04, 0.03],
)
ROLES = ["decision_maker", "influencer", "user", "gatekeeper"]
TITLES = ["总经理", "采购总监", "技术总监", "财务经理", "采购专员", "工程师"]
# relative order volume by month (Spring Festival dip in February, year-end peak)
SEASON = np.array([0.9, 0.45, 1.0, 1.0, 1.0, 1.25, 0.85, 0.85, 1.1, 0.8, 1.3, 1.45])


def counts_for(scale: float) -> dict[str, int]:
    return {kind: max(1, round(n * scale)) for kind, n in FULL_COUNTS.items()}


def _codes(prefix: str, n: int, width: int) -> pd.Series:
    return prefix + pd.Series(np.arange(1, n + 1)).astype(str).str.zfill(width)


def _iso(days: np.ndarray, present: np.ndarray | None = None) -> pd.Series:
    """Day numbers (days since 1970-01-01) as ISO strings; empty where ``present`` is False."""
    text = pd.Series(days.astype("datetime64[D]")).dt.strftime("%Y-%m-%d")
    return text if present is None else text.where(present, "")


def _money(cents: np.ndarray) -> pd.Series:
    return pd.Series(cents / 100).map("{:.2f}".format)


def _seasonal_days(rng: np.random.Generator, n: int, first: int, span: int) -> np.ndarray:
    """n day numbers in [first, first + span), thinned by month so that volume follows SEASON."""
    days = first + rng.integers(0, span, size=n * 2)
    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(int) % 12
    keep = rng.random(days.size) < SEASON[months] / SEASON.max()
    kept = days[keep]
    while kept.size < n:  # thinning keeps ~75%: top up (rare) so the count is exact
        kept = np.concatenate([kept, _seasonal_days(rng, n - kept.size, first, span)])
    return np.sort(kept[:n])


def customers_frame(
    rng: np.random.Generator, n: int
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The customers, their relative sizes (Pareto, alpha 1.2) and payment terms."""
    codes = _codes("C", n, 6)
    terms = rng.choice([30, 45, 60], size=n, p=[0.5, 0.3, 0.2])
    frame = pd.DataFrame(
        {
            "code": codes,
            "name": "客户" + codes.str[1:] + "有限公司",
            "type": rng.choice(TYPES, size=n, p=TYPE_P),
            "region": rng.choice(REGIONS, size=n),
            "owner": "业务员" + pd.Series(rng.integers(1, 51, size=n)).astype(str),
            "payment_terms_days": terms,
        }
    )
    sizes = rng.pareto(1.2, size=n) + 1.0
    return frame, sizes, terms


def orders_frame(
    rng: np.random.Generator, n: int, codes: pd.Series, sizes: np.ndarray, first_day: int
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    """Orders: customers drawn by size, amounts Pareto-like; returns also customer index, day and cents."""
    customer = rng.choice(codes.size, size=n, p=sizes / sizes.sum())
    days = _seasonal_days(rng, n, first_day, DAYS)
    cents = (
        np.minimum((rng.pareto(1.5, size=n) + 1.0) * 50_000, 500_000_000).round().astype(np.int64)
    )
    cost = np.where(rng.random(n) < 0.9, cents * rng.uniform(0.5, 0.8, size=n), np.nan)
    frame = pd.DataFrame(
        {
            "order_no": _codes("O", n, 7),
            "customer_code": codes.to_numpy()[customer],
            "order_date": _iso(days),
            "amount": _money(cents),
            "quantity": rng.integers(1, 500, size=n),
            "product": rng.choice(PRODUCTS, size=n),
            "cost": pd.Series(cost / 100).map(lambda v: "" if v != v else f"{v:.2f}"),
        }
    )
    return frame, customer, days, cents


def payments_frame(
    rng: np.random.Generator,
    n: int,
    orders: pd.DataFrame,
    customer: np.ndarray,
    days: np.ndarray,
    cents: np.ndarray,
    terms: np.ndarray,
    last_day: int,
) -> pd.DataFrame:
    """A realistic receivables book: the orders due longest ago are paid (mostly on time, some late, a few in
    part), the newest ones are still open, and about 1% of older orders were never paid (bad debts)."""
    n = min(n, len(orders))
    due = days + terms[customer]
    bad = rng.random(len(orders)) < 0.01
    # pay the n orders that fell due earliest among the good ones; bad debts and the newest stay open
    by_due = np.lexsort((np.arange(len(orders)), bad, due))  # good before bad within a due day
    candidates = by_due[~bad[by_due]]
    paid = np.sort(candidates[:n]) if len(candidates) >= n else np.sort(by_due[:n])
    n = len(paid)
    delay = np.where(
        rng.random(n) < 0.85, rng.integers(-10, 5, size=n), rng.integers(5, 90, size=n)
    )
    paid_on = np.clip(due[paid] + delay, days[paid], last_day)
    share = np.where(rng.random(n) < 0.03, rng.uniform(0.3, 0.9, size=n), 1.0)
    order_no = orders["order_no"].to_numpy()[paid]
    return pd.DataFrame(
        {
            "payment_no": _codes("P", n, 7),
            "customer_code": orders["customer_code"].to_numpy()[paid],
            "order_no": np.where(rng.random(n) < 0.8, order_no, ""),
            "paid_on": _iso(paid_on),
            "amount": _money((cents[paid] * share).round().astype(np.int64)),
        }
    )


def interactions_frame(
    rng: np.random.Generator, n: int, codes: pd.Series, sizes: np.ndarray, last_day: int
) -> pd.DataFrame:
    """Contacts of a team that works its list: complaints are resolved within days (a few of the last month
    still open), and follow-up dates are set on the last 45 days' contacts only (older ones were done)."""
    weights = np.sqrt(sizes)
    happened = np.sort(last_day - rng.integers(0, 2 * 365, size=n))
    kind = rng.choice(KINDS, size=n, p=KIND_P)
    cost = np.where(np.isin(kind, ["meal", "gift"]), rng.integers(200, 3500, size=n) * 100, -1)
    resolved = happened + rng.integers(1, 10, size=n)
    is_resolved = (
        (kind == "complaint")
        & (resolved <= last_day)
        & ~((happened > last_day - 30) & (rng.random(n) < 0.5))
    )
    next_due = happened + rng.integers(7, 45, size=n)
    return pd.DataFrame(
        {
            "customer_code": codes.to_numpy()[
                rng.choice(codes.size, size=n, p=weights / weights.sum())
            ],
            "happened_on": _iso(happened),
            "kind": kind,
            "summary": pd.Series(kind).map(lambda k: f"{k} follow-up"),
            "cost": pd.Series(cost).map(lambda c: "" if c < 0 else f"{c / 100:.2f}"),
            "resolved_on": _iso(resolved, is_resolved),
            "next_due": _iso(next_due, (rng.random(n) < 0.3) & (happened > last_day - 45)),
        }
    )


def contacts_frame(rng: np.random.Generator, n: int, codes: pd.Series) -> pd.DataFrame:
    """Key persons: every customer gets one (while n lasts), the rest go to random customers; names unique."""
    owners = (
        np.arange(n) % codes.size
        if n <= codes.size
        else np.concatenate(
            [np.arange(codes.size), rng.integers(0, codes.size, size=n - codes.size)]
        )
    )
    birth = rng.integers(-8000, 8000, size=n)  # around 1948-2013, as day numbers
    birth_text = _iso(birth)
    no_year = rng.random(n) < 0.2
    birth_text = birth_text.where(~no_year, "--" + birth_text.str[5:])  # ISO 8601 without the year
    birth_text = birth_text.where(rng.random(n) < 0.7, "")
    lunar = (
        pd.Series(rng.integers(1, 13, size=n)).astype(str)
        + "-"
        + pd.Series(rng.integers(1, 30, size=n)).astype(str)
    )
    anniversary = rng.integers(7000, 17000, size=n)  # 1989-2016
    return pd.DataFrame(
        {
            "customer_code": codes.to_numpy()[owners],
            "name": "联系人" + pd.Series(np.arange(1, n + 1)).astype(str),
            "title": rng.choice(TITLES, size=n),
            "role": rng.choice(ROLES, size=n),
            "phone": "138" + pd.Series(rng.integers(0, 10**8, size=n)).astype(str).str.zfill(8),
            "birthday": birth_text,
            "lunar_birthday": lunar.where(rng.random(n) < 0.15, ""),
            "anniversary": _iso(anniversary, rng.random(n) < 0.25),
        }
    )


def generate(out: Path, scale: float = 1.0, seed: int = 1) -> dict[str, int]:
    """Write the five CSV files and a manifest into ``out``; returns the row counts."""
    rng = np.random.default_rng(seed)
    n = counts_for(scale)
    last_day = int(np.datetime64(BENCH_TODAY, "D").astype(int))
    first_day = last_day - DAYS + 1
    customers, sizes, terms = customers_frame(rng, n["customers"])
    codes = customers["code"]
    orders, customer, days, cents = orders_frame(rng, n["orders"], codes, sizes, first_day)
    frames = {
        "customers": customers,
        "orders": orders,
        "payments": payments_frame(
            rng, n["payments"], orders, customer, days, cents, terms, last_day
        ),
        "interactions": interactions_frame(rng, n["interactions"], codes, sizes, last_day),
        "contacts": contacts_frame(rng, n["contacts"], codes),
    }
    out.mkdir(parents=True, exist_ok=True)
    for kind, frame in frames.items():
        frame[HEADERS[kind]].to_csv(out / f"{kind}.csv", index=False, encoding="utf-8")
    counts = {kind: len(frame) for kind, frame in frames.items()}
    manifest = {
        "version": GENERATOR_VERSION,
        "scale": scale,
        "seed": seed,
        "today": BENCH_TODAY.isoformat(),
        "counts": counts,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return counts


def ensure_data(root: Path, scale: float, seed: int = 1) -> tuple[Path, bool]:
    """The data directory for this scale and seed, generated unless a matching one is cached; (dir, generated)."""
    out = root / f"scale-{scale:g}-seed-{seed}"
    manifest = out / "manifest.json"
    if manifest.exists():
        cached = json.loads(manifest.read_text(encoding="utf-8"))
        if cached.get("version") == GENERATOR_VERSION:
            return out, False
    generate(out, scale, seed)
    return out, True

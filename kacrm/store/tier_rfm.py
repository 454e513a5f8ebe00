"""RFM by customer in SQL (docs/tiering.md, RFM): each customer's activity in the window, its scores and segment in
a temporary table, and the snapshots' details JSON, so that `tier --method rfm` never reads the customers into
pandas (store.tier_ranking ranks and stores the run as it does abc's).

Scores: score = 1 + ⌊5·(rank − 1)/n⌋ over the n customers with orders in the window, rank = RANK() (equal values
share the rank of the first of them) ascending from the worst value: for recency the oldest last order.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kacrm.store.reader import Reader

RFM_TABLE = "tier_rfm"  # customers with orders up to the as-of date: recency … m and segment
RFM_COLUMNS = ("recency", "frequency", "monetary", "r", "f", "m")

# the segment table of docs/tiering.md, first matching rule wins; customers without scores are lost or other
SEGMENT = (
    "CASE WHEN r >= 4 AND f >= 4 THEN 'champions' WHEN r >= 3 AND f >= 3 THEN 'loyal' "
    "WHEN r >= 4 AND f <= 1 THEN 'new' WHEN r >= 3 THEN 'potential' "
    "WHEN f >= 4 AND m >= 4 THEN 'cannot_lose' WHEN f >= 3 THEN 'at_risk' "
    "WHEN r = 2 THEN 'hibernating' ELSE 'lost' END"
)


def _score(order: str) -> str:
    """The score of a customer with orders in the window (NULL without), by ``order`` from the worst value."""
    scored = "PARTITION BY orders > 0"
    return (
        f"CASE WHEN orders > 0 THEN 1 + 5 * (RANK() OVER ({scored} ORDER BY {order}) - 1) "
        f"/ COUNT(*) OVER ({scored}) END"
    )


def _recency(dialect: str) -> str:
    """Days from the last order in the window to the as-of date (:end)."""
    if dialect == "postgresql":
        return "CAST(:end AS DATE) - last_on"
    return "CAST(julianday(:end) - julianday(last_on) AS INTEGER)"


def rank_rfm(reader: Reader, start: date | None, window: dict[str, Any]) -> None:
    """The temporary RFM_TABLE: per customer with an order up to ``end``, the window's recency, frequency,
    monetary (cents), scores and segment; a customer with orders only before the window has no recency and no
    scores, frequency and monetary 0, segment lost (one absent from the table never bought: other). ``window``:
    the bind parameters :start (without it, every order up to :end) and :end."""
    inside = "order_date > :start" if start is not None else "order_date IS NOT NULL"
    activity = (
        f"SELECT customer_id, MAX(CASE WHEN {inside} THEN order_date END) AS last_on, "
        f"SUM(CASE WHEN {inside} THEN 1 ELSE 0 END) AS orders, "
        f"COALESCE(SUM(CASE WHEN {inside} THEN amount_cents ELSE 0 END), 0) AS revenue, "
        f"SUM(CASE WHEN {inside} THEN 0 ELSE 1 END) AS earlier "
        "FROM orders WHERE order_date <= :end GROUP BY customer_id"
    )
    scores = (
        f"SELECT customer_id, last_on, orders, revenue, earlier, {_score('last_on')} AS r, "
        f"{_score('orders')} AS f, {_score('revenue')} AS m FROM ({activity}) AS a"
    )
    reader.run(
        f"CREATE TEMPORARY TABLE {RFM_TABLE} (customer_id INTEGER PRIMARY KEY, recency INTEGER, "
        "frequency BIGINT, monetary BIGINT, r INTEGER, f INTEGER, m INTEGER, segment VARCHAR(16))"
    )
    reader.run(
        f"INSERT INTO {RFM_TABLE} (customer_id, recency, frequency, monetary, r, f, m, segment) "
        f"SELECT customer_id, CASE WHEN orders > 0 THEN {_recency(reader.dialect)} END, "
        "CASE WHEN orders > 0 THEN orders ELSE 0 END, CASE WHEN orders > 0 THEN revenue ELSE 0 END, r, f, m, "
        f"CASE WHEN r IS NULL THEN CASE WHEN earlier > 0 THEN 'lost' ELSE 'other' END ELSE {SEGMENT} END "
        f"FROM ({scores}) AS s",
        **window,
    )


def ranked_columns(alias: str) -> str:
    """The RFM columns of the ranked table, from RFM_TABLE joined as ``alias`` (none there: never bought)."""
    return (
        f"{alias}.recency AS recency, COALESCE({alias}.frequency, 0) AS frequency, "
        f"COALESCE({alias}.monetary, 0) AS monetary, {alias}.r AS r, {alias}.f AS f, {alias}.m AS m, "
        f"COALESCE({alias}.segment, 'other') AS segment"
    )


def rfm_code(alias: str = "") -> str:
    """The three scores as text ('545'), NULL without scores."""
    digits = " || ".join(f"CAST({alias}{score} AS TEXT)" for score in "rfm")
    return f"CASE WHEN {alias}r IS NOT NULL THEN {digits} END"


def _number(column: str) -> str:
    return f"COALESCE(CAST({column} AS TEXT), 'null')"


def _yuan(cents: str) -> str:
    """JSON text of cents / 100 as Python writes the float (123.45, 123.5, 123.0)."""
    whole = f"ABS({cents})"
    return (
        f"CASE WHEN {cents} < 0 THEN '-' ELSE '' END || CAST({whole} / 100 AS TEXT) || '.' || "
        f"CASE WHEN {whole} % 100 = 0 THEN '0' WHEN {whole} % 10 = 0 THEN CAST({whole} % 100 / 10 AS TEXT) "
        f"ELSE SUBSTR(CAST(100 + {whole} % 100 AS TEXT), 2) END"
    )


def details(overridden: str, computed: str) -> str:
    """The SQL of a snapshot's details JSON over the ranked table: the RFM figures (monetary in yuan), and the
    computed segment where a pin ``overridden`` it, with the keys, their order and spacing of json.dumps."""
    parts = [f"""'{{"recency": ' || {_number("recency")}"""]
    parts += [f"""', "frequency": ' || {_number("frequency")}"""]
    parts += [f"""', "monetary": ' || {_yuan("monetary")}"""]
    parts += [f"""', "{score}": ' || {_number(score)}""" for score in "rfm"]
    parts += [
        f"""', "rfm_code": ' || COALESCE('"' || {rfm_code()} || '"', 'null')""",
        """', "segment": "' || segment || '"'""",
        f"""CASE WHEN {overridden} THEN ', "computed_tier": "' || {computed} || '"' ELSE '' END""",
        "'}'",
    ]
    return " || ".join(parts)

"""ABC, the pyramid and RFM by customer, ranked and stored inside the database.

The window totals, the ranking (value descending, ties by code) and the run's snapshots stay in the database:
reading 100,000 customers into pandas and writing 100,000 snapshots back took 1.2 s of a 2.2 s run. Python decides
where each tier ends (analysis.tier_rules.tier_bands, from the positive values in rank order) and reads only what it
shows: the per-tier summary, the movement counts and a few rows, or every row when asked for (json, csv, md).
RFM ranks by the metric as the others do; its tier is the segment of store.tier_rfm's scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from kacrm.analysis import tier_rules
from kacrm.analysis.tier_rules import TierRequest
from kacrm.domain import MONEY_METRICS, TIERS
from kacrm.store.clock import utcnow
from kacrm.store.reader import AlchemyReader, Reader, SqliteBook, reading
from kacrm.store.tier_history import insert_run, run_row
from kacrm.store.tier_rfm import (
    RFM_COLUMNS,
    RFM_TABLE,
    RFM_VALUES,
    rank_rfm,
    ranked_columns,
    rfm_code,
)
from kacrm.store.tier_rfm import details as rfm_details

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy import Connection, Engine

TOTALS_TABLE = "tier_total"  # customer_id, value: customers with something in the window
RANKED_TABLE = (
    "tier_ranked"  # every customer: code, pin, current tier and method, value, previous tier, rank
)

ORDER_VALUES = {  # per metric: what one order adds
    "revenue": "amount_cents",
    "orders": "1",
    "quantity": "COALESCE(quantity, 0.0)",
    "profit": "CASE WHEN cost_cents IS NOT NULL THEN amount_cents - cost_cents ELSE 0 END",
}


def in_window(column: str, start: date | None) -> str:
    """The SQL condition for column in (start, end]: bind parameters :start and :end."""
    return f"{column} <= :end" + (f" AND {column} > :start" if start is not None else "")


def window_params(start: date | None, end: date) -> dict[str, date]:
    """The bind parameters of in_window's condition."""
    return {"end": end} | ({"start": start} if start is not None else {})


def values_sql(metric: str, start: date | None) -> str:
    """SELECT customer_id, value: each customer's metric over the window, for customers with anything in it.

    Profit is the orders' margin (revenue − cost where the cost is known) less the interaction costs (SPEC §6).
    """
    window = in_window("order_date", start)
    if metric != "profit":
        return (
            f"SELECT customer_id, SUM({ORDER_VALUES[metric]}) AS value FROM orders WHERE {window} "
            "GROUP BY customer_id"
        )
    orders = f"SELECT customer_id, {ORDER_VALUES[metric]} AS value FROM orders WHERE {window}"
    service = (
        "SELECT customer_id, -cost_cents AS value FROM interaction "
        f"WHERE cost_cents IS NOT NULL AND {in_window('happened_on', start)}"
    )
    return f"SELECT customer_id, SUM(value) AS value FROM ({orders} UNION ALL {service}) AS o GROUP BY customer_id"


def unknown_cost_sql(start: date | None) -> str:
    """The number of orders in the window without a cost (left out of profit)."""
    return (
        f"SELECT COUNT(*) FROM orders WHERE cost_cents IS NULL AND {in_window('order_date', start)}"
    )


def _metric_value(metric: str, raw: Any) -> Any:
    """A metric sum as Python: PostgreSQL sums integers as numeric (Decimal)."""
    return float(raw) if metric == "quantity" else int(raw)


def _sql_tiers(names: tuple[str, ...]) -> str:
    return ", ".join(f"'{name}'" for name in names)


@dataclass
class DatabaseRanking:
    """One abc, pyramid or rfm run by customer, ranked in temporary tables read by ``reader``
    (drop_temporary_tables): on a dry run of a current SQLite file, the stdlib connection (temporary tables are
    written even to a file opened read-only), else the run's SQLAlchemy connection.

    ``positive`` holds the values above zero in rank order, ``bands`` where each tier ends (tier_bands).
    """

    reader: Reader
    method: str
    metric: str
    positive: list[Any]
    bands: list[tuple[str, int]]

    @property
    def computed(self) -> str:
        """The SQL expression of a ranked row's computed tier."""
        if self.method == "rfm":
            return "segment"
        lowest = TIERS[self.method][-1]
        if not self.bands:
            return f"'{lowest}'"
        cases = " ".join(f"WHEN rank <= {int(end)} THEN '{tier}'" for tier, end in self.bands)
        return f"CASE {cases} ELSE '{lowest}' END"

    @property
    def tier(self) -> str:
        """The SQL expression of the stored tier: the pin where one of this method's tiers is pinned."""
        return f"COALESCE(pin, {self.computed})"

    def summary(self) -> tuple[list[dict[str, Any]], dict[str, int]]:
        """The per-tier summary (tier_rules.summary_of) and the movement counts, from one pass over the ranked rows."""
        grouped = self.reader.execute(
            f"SELECT previous_tier, {self.tier}, COUNT(*), SUM(value) "
            f"FROM {RANKED_TABLE} GROUP BY 1, 2",
            {},
        )[1]
        totals: dict[str, tuple[int, Any]] = {}
        for _, tier, count, value in grouped:
            before = totals.get(tier, (0, 0))
            totals[tier] = (before[0] + count, before[1] + _metric_value(self.metric, value))
        n = sum(count for _, _, count, _ in grouped)
        summary = tier_rules.summary_of(totals, n, sum(self.positive), self.method)
        counts: dict[str, int] = {}
        for previous, tier, count, _ in grouped:
            kind = tier_rules.movement(previous, tier, self.method)
            counts[kind] = counts.get(kind, 0) + count
        return summary, counts

    def moved(self, limit: int) -> list[dict[str, Any]]:
        """The first ``limit`` customers by rank whose tier differs from the previous run's."""
        rows = self.reader.execute(
            f"SELECT r.code, c.name, r.previous_tier, {self.tier} FROM {RANKED_TABLE} AS r "
            f"JOIN customer AS c ON c.id = r.customer_id WHERE r.previous_tier IS NOT NULL "
            f"AND r.previous_tier <> {self.tier} ORDER BY r.rank LIMIT :limit",
            {"limit": limit},
        )[1]
        return [
            {
                "code": code,
                "name": name,
                "previous_tier": before,
                "tier": tier,
                "movement": tier_rules.movement(before, tier, self.method),
            }
            for code, name, before, tier in rows
        ]

    def pin_overrides(self, limit: int) -> list[dict[str, Any]]:
        """The first ``limit`` customers by rank whose pin overrides the computed tier."""
        rows = self.reader.execute(
            f"SELECT code, pin, {self.computed} FROM {RANKED_TABLE} WHERE pin IS NOT NULL "
            f"AND pin <> {self.computed} ORDER BY rank LIMIT :limit",
            {"limit": limit},
        )[1]
        return [
            {"code": code, "tier": tier, "computed_tier": computed} for code, tier, computed in rows
        ]

    def rows(self) -> pd.DataFrame:
        """Every customer in rank order: key, code, name, value, rank, computed_tier, tier, pinned, previous_tier
        and for rfm recency … m, rfm_code, segment (app.tiering adds the shares and movements of
        tiering.tier_rows)."""
        import pandas as pd

        rfm = self.method == "rfm"
        extra = "".join(f", r.{name}" for name in RFM_COLUMNS) + f", {rfm_code('r.')}, r.segment"
        result = self.reader.execute(
            f"SELECT r.customer_id, r.code, c.name, r.value, r.rank, {self.computed}, {self.tier}, "
            f"CASE WHEN r.pin IS NULL THEN 0 ELSE 1 END, r.previous_tier{extra if rfm else ''} "
            f"FROM {RANKED_TABLE} AS r JOIN customer AS c ON c.id = r.customer_id ORDER BY r.rank",
            {},
        )[1]
        columns = [
            "key",
            "code",
            "name",
            "value",
            "rank",
            "computed_tier",
            "tier",
            "pinned",
            "previous_tier",
            *((*RFM_COLUMNS, "rfm_code", "segment") if rfm else ()),
        ]
        frame = pd.DataFrame.from_records(result, columns=columns)
        for name in RFM_COLUMNS if rfm else ():
            frame[name] = frame[name].astype("Int64")
        frame["value"] = frame["value"].astype("float64" if self.metric == "quantity" else "int64")
        frame["pinned"] = frame["pinned"].astype(bool)
        return frame

    def store(self, conn: Connection, run_id: int, now: datetime, *, in_force: bool = True) -> None:
        """The run's snapshots (in customer order, which keeps the index local) and, for a run of the primary
        method (``in_force``), the customers whose tier in force or tier method changes; ``conn`` is the
        run's connection, the one the ranking was read on."""
        from sqlalchemy import DateTime, bindparam, text

        total = sum(self.positive)
        value = (
            "value / 100.0" if self.metric in MONEY_METRICS else "CAST(value AS DOUBLE PRECISION)"
        )
        share = f"CAST(value AS DOUBLE PRECISION) / {float(total)!r}" if total > 0 else "0.0"
        overridden = f"pin IS NOT NULL AND pin <> {self.computed}"
        details = (
            rfm_details(overridden, self.computed)
            if self.method == "rfm"
            else f"""CASE WHEN {overridden} THEN '{{"computed_tier": "' || {self.computed} || '"}}' END"""
        )
        conn.execute(
            text(
                "INSERT INTO tier_snapshot (run_id, customer_id, tier, value, share, rank, pinned, details) "
                f"SELECT :run, customer_id, {self.tier}, {value}, {share}, rank, pin IS NOT NULL, "
                f"{details} FROM {RANKED_TABLE} ORDER BY customer_id"
            ),
            {"run": run_id},
        )
        update = text(
            "UPDATE customer SET tier = changed.tier, tier_method = :method, updated_at = :now FROM ("
            f"SELECT customer_id, tier FROM (SELECT customer_id, {self.tier} AS tier, current_tier, current_method "
            f"FROM {RANKED_TABLE}) AS r WHERE current_tier IS NULL OR current_tier <> tier "
            "OR current_method IS NULL OR current_method <> :method) AS changed "
            "WHERE customer.id = changed.customer_id"
        ).bindparams(bindparam("now", type_=DateTime()))
        if in_force:
            conn.execute(update, {"method": self.method, "now": now})


def drop_temporary_tables(reader: Reader) -> None:
    for table in (RANKED_TABLE, TOTALS_TABLE, RFM_TABLE):
        reader.run(f"DROP TABLE IF EXISTS {table}")


def rank_in_database(
    reader: Reader, request: TierRequest, start: date | None, end: date, previous_id: int | None
) -> DatabaseRanking:
    """Rank every customer by the request's metric in temporary tables and find the tier bands."""
    value_type = "DOUBLE PRECISION" if request.metric == "quantity" else "BIGINT"
    by_code = (
        'c.code COLLATE "C"' if reader.dialect == "postgresql" else "c.code"
    )  # Python's str order
    if request.method not in TIERS:  # it is inlined in the SQL below
        raise ValueError(f"not a tiering method: {request.method!r}")
    family = _sql_tiers(TIERS[request.method])
    drop_temporary_tables(reader)  # left on this pooled connection by a run that failed
    reader.run(
        f"CREATE TEMPORARY TABLE {TOTALS_TABLE} (customer_id INTEGER PRIMARY KEY, value {value_type})"
    )
    rfm = request.method == "rfm"
    if rfm:
        rank_rfm(reader, start, window_params(start, end))
    # rfm by the window's revenue or orders: the scores' table summed them already
    if rfm and request.metric in RFM_VALUES:
        reader.run(
            f"INSERT INTO {TOTALS_TABLE} (customer_id, value) SELECT customer_id, "
            f"{RFM_VALUES[request.metric]} FROM {RFM_TABLE} WHERE frequency > 0"
        )
    else:
        reader.run(
            f"INSERT INTO {TOTALS_TABLE} (customer_id, value) {values_sql(request.metric, start)}",
            **window_params(start, end),
        )
    reader.run(
        f"CREATE TEMPORARY TABLE {RANKED_TABLE} AS SELECT c.id AS customer_id, c.code AS code, "
        f"CASE WHEN pn.tier IN ({family}) THEN pn.tier END AS pin, c.tier AS current_tier, "
        "c.tier_method AS current_method, COALESCE(t.value, 0) AS value, p.tier AS previous_tier, "
        f"ROW_NUMBER() OVER (ORDER BY COALESCE(t.value, 0) DESC, {by_code}) AS rank"
        f"{', ' + ranked_columns('x') if rfm else ''} "
        f"FROM customer AS c LEFT JOIN {TOTALS_TABLE} AS t ON t.customer_id = c.id "
        f"{f'LEFT JOIN {RFM_TABLE} AS x ON x.customer_id = c.id ' if rfm else ''}"
        # the pins of this method (issue 15); the method is one of domain.METHODS
        f"LEFT JOIN tier_pin AS pn ON pn.customer_id = c.id AND pn.method = '{request.method}' "
        # the previous run's id is inlined: PostgreSQL takes no bind parameters in CREATE TABLE … AS
        f"LEFT JOIN tier_snapshot AS p ON p.run_id = {'NULL' if previous_id is None else int(previous_id)} "
        "AND p.customer_id = c.id"
    )
    rows = reader.execute(f"SELECT value FROM {RANKED_TABLE} WHERE value > 0 ORDER BY rank", {})[1]
    positive = [_metric_value(request.metric, value) for (value,) in rows]
    bands = []  # rfm: the segment is the tier
    if not rfm:
        bands = tier_rules.tier_bands(
            request.method, positive, request.thresholds, request.percentages
        )
    return DatabaseRanking(reader, request.method, request.metric, positive, bands)


@dataclass
class DatabaseRun:
    """What a run ranked in the database shows: the summary, movements, a few rows, every row when asked for."""

    summary: list[dict[str, Any]]
    movement_counts: dict[str, int]
    moved: list[dict[str, Any]]
    pin_overrides: list[dict[str, Any]]
    rows: pd.DataFrame | None
    run_id: int | None


def run_in_database(
    book: SqliteBook | Engine,
    request: TierRequest,
    start: date | None,
    today: date,
    previous_id: int | None,
    *,
    rows: bool,
    shown: int,
    in_force: bool = True,
) -> DatabaseRun:
    """abc, the pyramid or rfm by customer, ranked and stored in one transaction; a dry run only reads (``book``: a
    current SQLite file through the stdlib driver, or an engine), a stored run needs the engine."""

    def shown_of(ranking: DatabaseRanking, run_id: int | None) -> DatabaseRun:
        summary, counts = ranking.summary()
        return DatabaseRun(
            summary,
            counts,
            ranking.moved(shown),
            ranking.pin_overrides(shown),
            rows=ranking.rows() if rows else None,
            run_id=run_id,
        )

    if request.dry_run:
        with reading(book) as reader:
            result = shown_of(rank_in_database(reader, request, start, today, previous_id), None)
            drop_temporary_tables(reader)
        return result
    from kacrm.store.bulk import sqlite_foreign_keys_off

    assert not isinstance(book, SqliteBook), "a stored run is written through the engine"
    with book.connect() as conn, sqlite_foreign_keys_off(conn):
        reader = AlchemyReader(conn)
        with conn.begin():
            # the run first: on SQLite its insert takes the write lock before anything is read
            run_id = conn.execute(insert_run(), run_row(request, today)).scalar_one()
            ranking = rank_in_database(reader, request, start, today, previous_id)
            result = shown_of(ranking, run_id)
            ranking.store(conn, run_id, utcnow(), in_force=in_force)
        drop_temporary_tables(reader)  # they outlive a commit
        conn.commit()
    return result


def unknown_costs(
    book: SqliteBook | Engine, request: TierRequest, start: date | None, today: date
) -> int:
    """How many orders in the window profit leaves out for want of a cost (0 for other metrics)."""
    if request.metric != "profit" or request.method == "clv":
        return 0
    with reading(book) as reader:
        return int(reader.scalar(unknown_cost_sql(start), **window_params(start, today)))

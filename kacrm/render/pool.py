"""The views of the public pool (公海, issue 18): `kacrm pool`, what `pool release` did, the ownership history."""

from __future__ import annotations

from typing import Any

from kacrm.analysis.pool import PoolRow
from kacrm.i18n import label, text
from kacrm.render.listing import Column, ColumnKind, Listing


def _column(key: str, kind: ColumnKind = "text", prefix: str = "pool_col_") -> Column:
    return Column(key, text(f"{prefix}{key}", "en"), text(f"{prefix}{key}", "zh"), kind)


POOL_COLUMNS = [
    _column("customer_code"),
    _column("customer_name"),
    _column("owner"),
    _column("tier"),
    _column("last_touch_on", "date"),
    _column("release_on", "date"),
    _column("status"),
]

HISTORY_COLUMNS = [
    _column("on", "date", "own_col_"),
    _column("reason", prefix="own_col_"),
    _column("owner", prefix="own_col_"),
    _column("previous_owner", prefix="own_col_"),
    _column("note", prefix="own_col_"),
]


def pool_row(row: PoolRow) -> dict[str, Any]:
    """The SPEC §14 keys of one account."""
    return {
        "customer_code": row.customer_code,
        "customer_name": row.customer_name,
        "owner": row.owner,
        "tier": row.tier,
        "last_touch_on": row.last_touch_on,
        "release_on": row.release_on,
        "status": row.status,
    }


def pool_listing(rows: list[PoolRow], lang: str, table: bool) -> Listing:
    """`kacrm pool`: json/csv/md keep the stored status; the table shows it in the user's language."""
    out = [pool_row(r) for r in rows]
    if table and lang == "zh":
        for r in out:
            r["status"] = text(f"pool_status_{r['status']}", lang)
    return Listing(POOL_COLUMNS, out, title=text("pool_title", lang) if table else None)


def history_listing(history: list[dict[str, Any]], lang: str, table: bool) -> Listing:
    """The ownership history of one account (`customer show`)."""
    rows = [{**h, "reason": label(h["reason"], lang) if table else h["reason"]} for h in history]
    return Listing(HISTORY_COLUMNS, rows, title=text("own_title", lang) if table else None)


def release_lines(rows: list[PoolRow], lang: str, dry_run: bool) -> list[str]:
    """One line per account released (or that would be), then the count."""
    key = "pool_would_release_one" if dry_run else "pool_released_one"
    lines = [
        text(key, lang).format(
            code=r.customer_code,
            name=r.customer_name,
            owner=r.owner,
            tier=r.tier,
            last=r.last_touch_on.isoformat() if r.last_touch_on else "-",
            on=r.release_on.isoformat() if r.release_on else "-",
        )
        for r in rows
    ]
    count = "pool_would_release_count" if dry_run else "pool_released_count"
    lines.append(text(count, lang).format(n=len(rows)))
    return lines

"""The views of `kacrm credit`: the overview, the review, a score's factors and the aging table."""

from __future__ import annotations

from typing import Any

from kacrm.i18n import t, text
from kacrm.render.listing import Column, Listing, Tone, column


def overview_listing(rows: list[dict[str, Any]], lang: str) -> Listing:
    """`kacrm credit`: grade, limit, outstanding, utilization, overdue and flags per customer."""
    columns = [
        column("credit", "customer_code"),
        column("credit", "customer_name", drop=1),
        column("credit", "grade"),
        column("credit", "limit", "money"),
        column("credit", "outstanding", "money"),
        column("credit", "utilization", "percent", drop=3),
        column("credit", "overdue", "money", drop=2),
        column("credit", "oldest_overdue_days", "int", drop=4),
        column("credit", "flags"),
    ]
    return Listing(
        columns,
        rows,
        title=t("credit_title", lang),
        empty=t("credit_empty", lang),
        tone=_credit_tone,
    )


def _credit_tone(row: dict[str, Any]) -> Tone | None:
    """Over the limit or overdue: red (read from the amounts, whatever language the flags are shown in)."""
    limit, outstanding = row.get("limit"), row.get("outstanding") or 0
    over_limit = limit is not None and outstanding > limit
    return "bad" if over_limit or (row.get("overdue") or 0) > 0 else None


def review_listing(rows: list[dict[str, Any]], lang: str) -> Listing:
    """`credit review`: each score, grade and limit against the previous ones."""
    columns = [
        column("credit", "customer_code"),
        column("credit", "customer_name", drop=1),
        column("credit", "score", "float", drop=3),
        column("credit", "previous_grade"),
        column("credit", "grade"),
        column("credit", "change", drop=2),
        column("credit", "previous_limit", "money"),
        column("credit", "limit", "money"),
        column("credit", "manual"),
    ]
    return Listing(columns, rows, title=t("credit_review_title", lang))


def factors_listing(result: dict[str, Any], title: str) -> Listing:
    """`credit explain`: the factors of one score, with the score as the footer."""
    columns = [
        column("credit", "factor"),
        column("credit", "raw", "float"),
        column("credit", "sub_score", "float"),
        column("credit", "weight", "float"),
        column("credit", "points", "float"),
    ]
    total = {"factor": "score", "points": result["score"]}
    return Listing(columns, result["factors"], title=title, footer=total)


def bucket_labels(key: str) -> tuple[str, str]:
    """English and Chinese headers of a bucket_keys key: not_due -> Not due, d31_60 -> 31–60, over_180 -> >180."""
    if key == "not_due":
        return text("credit_bucket_not_due", "en"), text("credit_bucket_not_due", "zh")
    days = f">{key[5:]}" if key.startswith("over_") else key[1:].replace("_", "–")
    return t("credit_bucket_days", "en", days=days), t("credit_bucket_days", "zh", days=days)


def aging_listing(rows: list[dict[str, Any]], totals: dict[str, Any], lang: str) -> Listing:
    """`credit aging`: receivables per customer in buckets of days past due, with the totals row."""
    keys = [k for k in totals if k not in ("customer_code", "total")]
    # Narrow terminals drop the name, then the buckets from the youngest (not yet due) on: the old debts and
    # the total stay.
    columns = [
        column("credit", "customer_code"),
        column("credit", "customer_name", drop=len(keys) + 1),
    ]
    columns += [Column(k, *bucket_labels(k), "money", len(keys) - i) for i, k in enumerate(keys)]
    columns.append(column("credit", "total", "money"))
    return Listing(
        columns,
        rows,
        title=t("credit_aging_title", lang),
        footer=totals,
        empty=t("credit_aging_empty", lang),
    )

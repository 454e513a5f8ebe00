"""The views of `kacrm credit`: the overview, the review, a score's factors and the aging table."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from kacrm.i18n import t, text
from kacrm.render.listing import Column, ColumnKind, Listing, Tone, column
from kacrm.render.section import Section


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
        column("credit", "flags", coded=_flag_word),
    ]
    return Listing(
        columns,
        rows,
        title=t("credit_title", lang),
        empty=t("credit_empty", lang),
        tone=_credit_tone,
    )


def _flag_word(flag: str, lang: str) -> str:
    """A credit flag in words, English too (over limit, big debtor, on hold); json and csv keep the codes."""
    return text(f"credit_flag_{flag}", lang)


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
        column("credit", "change", drop=2, coded="credit_change_"),
        column("credit", "previous_limit", "money"),
        column("credit", "limit", "money"),
        column("credit", "manual"),
    ]
    return Listing(columns, rows, title=t("credit_review_title", lang))


def factors_listing(result: dict[str, Any], title: str) -> Listing:
    """`credit explain`: the factors of one score, with the score as the footer."""
    columns = [
        column("credit", "factor", coded="credit_factor_"),
        column("credit", "raw", "float"),
        column("credit", "sub_score", "float"),
        column("credit", "weight", "float"),
        column("credit", "points", "float"),
    ]
    total = {"factor": "score", "points": result["score"]}
    return Listing(columns, result["factors"], title=title, footer=total)


def _in_years(days: int) -> int | None:
    return days // 365 if days % 365 == 0 else None


def bucket_labels(key: str, basis: str = "due") -> tuple[str, str]:
    """English and Chinese headers of a bucket_keys key: not_due -> Not due, d31_60 -> 31–60, over_180 -> >180;
    buckets in whole years read as years: d1_365 -> 1年以内, d366_730 -> 1–2年, over_1095 -> 3年以上."""
    if key == "not_due":
        name = "credit_bucket_not_due" if basis == "due" else "credit_bucket_not_yet"
        return text(name, "en"), text(name, "zh")
    if key.startswith("over_"):
        years = _in_years(int(key[5:]))
        if years:
            return (
                t("credit_bucket_over_years", "en", n=years),
                t("credit_bucket_over_years", "zh", n=years),
            )
        days = f">{key[5:]}"
    else:
        low, high = (int(part) for part in key[1:].split("_"))
        years, after = _in_years(high), _in_years(low - 1)
        if years and after is not None:
            if after == 0 and years == 1:
                return text("credit_bucket_first_year", "en"), text(
                    "credit_bucket_first_year", "zh"
                )
            return (
                t("credit_bucket_years", "en", lo=after, hi=years),
                t("credit_bucket_years", "zh", lo=after, hi=years),
            )
        days = key[1:].replace("_", "–")
    return t("credit_bucket_days", "en", days=days), t("credit_bucket_days", "zh", days=days)


def aging_listing(
    rows: list[dict[str, Any]], totals: dict[str, Any], lang: str, basis: str = "due"
) -> Listing:
    """`credit aging`: receivables per customer in buckets of days past due (or since the order date), with the
    totals row."""
    keys = [k for k in totals if k not in ("customer_code", "total")]
    # Narrow terminals drop the name, then the buckets from the youngest (not yet due) on: the old debts and
    # the total stay, and the note naming what is left out says the total includes it.
    columns = [
        column("credit", "customer_code"),
        column("credit", "customer_name", drop=len(keys) + 1),
    ]
    columns += [
        Column(k, *bucket_labels(k, basis), "money", len(keys) - i) for i, k in enumerate(keys)
    ]
    columns.append(column("credit", "total", "money"))
    return Listing(
        columns,
        rows,
        title=t("credit_aging_title" if basis == "due" else "credit_aging_by_order_title", lang),
        footer={**totals, "customer_code": text("credit_col_total", lang)},
        empty=t("credit_aging_empty", lang),
        adds_up=("total", tuple(keys)),
    )


def statement_listings(result: dict[str, Any], lang: str) -> tuple[Listing, Listing]:
    """`credit statement` for people: the lines (opening balance first, closing balance as the footer) and the
    open items with their age and ladder action, kinds and actions in ``lang``."""
    zh = lang == "zh"

    def col(key: str, kind: ColumnKind = "text", drop: int = 0) -> Column:
        return column("stmt", key, kind, drop=drop)

    opening = {
        "date": result["from"],
        "kind": text("stmt_opening", lang),
        "ref": "",
        "debit": None,
        "credit": None,
        "balance": result["opening_balance"],
    }
    lines = [opening] + [
        {**line, "kind": text(f"stmt_kind_{line['kind']}", lang) if zh else line["kind"]}
        for line in result["lines"]
    ]
    closing = {"kind": text("stmt_closing", lang), "balance": result["closing_balance"]}
    title = t(
        "stmt_title",
        lang,
        code=result["customer_code"],
        name=result["customer_name"],
        start=result["from"].isoformat(),
        end=result["to"].isoformat(),
    )
    first = Listing(
        [
            col("date", "date"),
            # a narrow terminal keeps the amounts and the balance
            col("kind", drop=1),
            col("ref", drop=2),
            col("debit", "money"),
            col("credit", "money"),
            col("balance", "money"),
        ],
        lines,
        title=title,
        footer=closing,
    )
    items = [
        {
            **i,
            "action": text(f"stmt_action_{i['action']}", lang)
            if zh and i["action"]
            else i["action"],
        }
        for i in result["open_items"]
    ]
    second = Listing(
        [
            col("ref"),
            col("due_on", "date"),
            col("amount", "money"),
            col("days_overdue", "int"),
            col("action"),
        ],
        items,
        title=text("stmt_open_items", lang),
    )
    return first, second


def statement_sections(result: dict[str, Any], lang: str) -> list[Section]:
    """The statement as the sections of an html page or xlsx workbook (lines, then open items)."""
    lines, items = statement_listings(result, lang)
    pairs = [
        (text("stmt_opening", lang), result["opening_balance"], "money"),
        (text("stmt_closing", lang), result["closing_balance"], "money"),
    ]
    rows = [
        *lines.rows,
        lines.footer or {},
    ]  # the closing balance as the last line: files show no footer
    return [
        Section(
            "statement",
            lines.title or "",
            pairs=pairs,
            listing=replace(lines, title=None, rows=rows, footer=None),
        ),
        Section("open_items", items.title or "", listing=replace(items, title=None)),
    ]

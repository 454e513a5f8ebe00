"""The views of `kacrm tier`: the per-tier summary, the movements since the previous run, every row, a customer's
tier history."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kacrm.domain import MONEY_METRICS, SEGMENTS, money
from kacrm.i18n import label, t, text
from kacrm.render.listing import Column, Listing, column, window_words

if TYPE_CHECKING:
    from kacrm.analysis.tier_rules import TierOutcome

EXTRA_COLUMNS = {
    "rfm": [
        column("tier", "recency", "int", drop=14),
        column("tier", "frequency", "int", drop=13),
        column("tier", "monetary", "money", drop=12),
        column("tier", "r", "int", drop=11),
        column("tier", "f", "int", drop=10),
        column("tier", "m", "int", drop=9),
        Column("rfm_code", "RFM", drop=8),
        column("tier", "segment", drop=7),
    ],
    "clv": [
        column("tier", "p_alive", "float", drop=10),
        column("tier", "expected_purchases", "float", drop=9),
        column("tier", "expected_order_value", "money", drop=8),
        column("tier", "predicted_value", "money", drop=7),
    ],
}
MOVED_KINDS = ("up", "down", "changed")


def tiering_words(lang: str, **codes: str) -> dict[str, str]:
    """The codes of a tiering (method, primary, metric, window) for a message, each with its words as
    ``{name}_zh`` in ``lang`` (the Chinese templates name the methods in words, the commands in code)."""
    words = dict(codes)
    for name, code in codes.items():
        if name in ("method", "primary"):
            words[f"{name}_zh"] = text(f"method_{code}", lang)
        elif name == "metric":
            words[f"{name}_zh"] = text(f"metric_{code}", lang)
        elif name == "window":
            words[f"{name}_zh"] = window_words(code, lang) or code
    return words


def tier_label(tier: str | None, lang: str) -> str | None:
    """Table labels: pyramid tiers and segments in Chinese with --lang zh; A/B/C stay A/B/C."""
    if tier in SEGMENTS:
        return text(f"segment_{tier}", lang)
    return label(tier, lang)


def _is_money(outcome: TierOutcome) -> bool:
    return outcome.request.method != "clv" and outcome.request.metric in MONEY_METRICS


def _value_kind(outcome: TierOutcome) -> str:
    if _is_money(outcome) or outcome.request.method == "clv":
        return "money"
    return "int" if outcome.request.metric == "orders" else "float"


def _value(outcome: TierOutcome, value: Any) -> Any:
    return money(int(value)) if _is_money(outcome) else value


def _metric_name(outcome: TierOutcome) -> str:
    return "predicted_value" if outcome.request.method == "clv" else outcome.request.metric


def rows_listing(outcome: TierOutcome) -> Listing:
    """The per-customer (or per-region) rows with the SPEC §6 json keys."""
    import pandas as pd

    method = outcome.request.method
    by_region = outcome.request.by == "region"
    columns = (
        [column("tier", "region")]
        if by_region
        else [column("tier", "customer_code"), column("tier", "customer_name", drop=1)]
    )
    columns += [
        column("tier", "tier", coded=True),
        column("tier", "value", _value_kind(outcome)),
        column("tier", "share", "percent", drop=3),
        column("tier", "cumulative_share", "percent", drop=5),
        column("tier", "rank", "int", drop=4),
        column("tier", "previous_tier", drop=2, coded=True),
    ]
    extra = EXTRA_COLUMNS.get(method, [])
    rows = []
    for record in outcome.rows.to_dict("records"):
        row = (
            {"region": record["key"]}
            if by_region
            else {"customer_code": record["code"], "customer_name": record["name"]}
        )
        row.update(
            tier=record["tier"],
            value=_value(outcome, record["value"]),
            share=record["share"],
            cumulative_share=record["cumulative_share"],
            rank=record["rank"],
            previous_tier=record["previous_tier"],
        )
        for extra_column in extra:
            value = record[extra_column.key]
            row[extra_column.key] = None if pd.isna(value) else value
        if method == "rfm" and row["monetary"] is not None:
            row["monetary"] = money(int(row["monetary"]))
        rows.append(row)
    return Listing(columns + extra, rows)


def summary_listing(outcome: TierOutcome, lang: str) -> Listing:
    """The per-tier table, titled with the method, metric, grouping, window and day."""
    request = outcome.request
    metric = _metric_name(outcome)
    name_en, name = text(f"metric_{metric}"), text(f"metric_{metric}", lang)
    zh = lang == "zh"
    title = t(
        "tier_title",
        lang,
        method=text(f"method_{request.method}", lang),
        metric=name if zh else metric,
        # by customer is the default grouping and goes without saying (the title then fits an 80-column table)
        by=""
        if request.by == "customer"
        else t("tier_title_by", lang, by=text(f"by_{request.by}", lang)),
        window=window_words(request.window, lang),
        as_of=outcome.as_of.isoformat(),
    )
    return Listing(
        [
            column("tier", "tier", coded=True),
            column("tier", "customers", "int", words=f"tier_col_customers_by_{request.by}"),
            column("tier", "customers_share", "percent"),
            Column("value", name_en, name, _value_kind(outcome)),
            Column(
                "value_share",
                t("tier_col_value_share", "en", metric=name_en.lower()),
                t("tier_col_value_share", "zh", metric=name),
                "percent",
            ),
        ],
        [
            {**row, "tier": tier_label(row["tier"], lang), "value": _value(outcome, row["value"])}
            for row in outcome.summary
        ],
        title=title,
    )


def movements_view(outcome: TierOutcome, lang: str) -> list[str | Listing]:
    """What the table output shows under the summary: the movements since the previous run (a line, the first
    customers that moved, how many more), then a line per pin that overrode the computed tier."""
    previous, counts = outcome.previous_run, outcome.movement_counts
    parts: list[str | Listing] = []
    if previous is None:
        parts.append(t("tier_no_previous", lang))
    else:
        kinds = text("movement_separator", lang).join(
            f"{text(f'movement_{m}', lang)} {counts[m]}"
            for m in (*MOVED_KINDS, "new", "same")
            if counts.get(m)
        )
        parts.append(
            t(
                "tier_movements",
                lang,
                id=previous["id"],
                as_of=previous["as_of"].isoformat(),
                parts=kinds,
            )
        )
        if outcome.moved:
            parts.append(_moved_listing(outcome, lang))
            moved = sum(counts.get(m, 0) for m in MOVED_KINDS)
            if moved > len(outcome.moved):
                parts.append(t("tier_more_moved", lang, n=moved - len(outcome.moved)))
    parts += [
        t(
            "tier_pin_holds",
            lang,
            code=r["code"],
            tier=tier_label(r["tier"], lang),
            computed=tier_label(r["computed_tier"], lang),
        )
        for r in outcome.pin_overrides
    ]
    return parts


def _moved_listing(outcome: TierOutcome, lang: str) -> Listing:
    """The first customers whose tier moved since the previous run."""
    return Listing(
        [
            column("tier", "code"),
            column("tier", "name"),
            column("tier", "previous_tier", coded=True),
            column("tier", "tier", coded=True),
            column("tier", "movement"),
        ],
        [
            {
                "code": r["code"],
                "name": r["name"],
                "previous_tier": tier_label(r["previous_tier"], lang),
                "tier": tier_label(r["tier"], lang),
                "movement": text(f"movement_{r['movement']}", lang),
            }
            for r in outcome.moved
        ],
    )


def history_listing(rows: list[dict[str, Any]], code: str, lang: str, *, labelled: bool) -> Listing:
    """One customer's tier in every stored run; ``labelled``: tiers in the user's language (tables)."""
    if labelled:
        rows = [
            {**r, "tier": tier_label(r["tier"], lang), "window": window_words(r["window"], lang)}
            for r in rows
        ]
    money_only = all(isinstance(r["value"], Decimal) for r in rows)
    columns = [
        column("tier", "customer_code"),
        column("tier", "customer_name", words="tier_col_history_customer_name"),
        column("tier", "run", "int"),
        column("tier", "as_of", "date"),
        # a narrow terminal leaves out how a run ranked before what it decided
        column("tier", "method", coded="method_", drop=3),
        column("tier", "metric", coded="metric_", drop=1),
        column("tier", "window", drop=2),
        column("tier", "tier", coded=True),
        column("tier", "value", "money" if money_only else "float"),
        column("tier", "share", "percent"),
        column("tier", "rank", "int"),
        column("tier", "pinned"),
    ]
    title = t(
        "tier_history_title",
        lang,
        code=rows[0]["customer_code"] if rows else code,
        name=rows[0]["customer_name"] if rows else "",
    ).rstrip()
    return Listing(columns, rows, title=title, hidden=("customer_code", "customer_name"))

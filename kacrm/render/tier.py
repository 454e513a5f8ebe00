"""The views of `kacrm tier`: the per-tier summary, the movements since the previous run, every row, a customer's
tier history."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kacrm.domain import MONEY_METRICS, SEGMENTS, money
from kacrm.i18n import label, t, text
from kacrm.render.listing import Column, Listing

if TYPE_CHECKING:
    from kacrm.analysis.tier_rules import TierOutcome

EXTRA_COLUMNS = {
    "rfm": [
        Column("recency", "Recency (days)", "最近购买(天)", "int"),
        Column("frequency", "Frequency", "频次", "int"),
        Column("monetary", "Monetary", "金额", "money"),
        Column("r", "R", "R", "int"),
        Column("f", "F", "F", "int"),
        Column("m", "M", "M", "int"),
        Column("rfm_code", "RFM"),
        Column("segment", "Segment", "细分"),
    ],
    "clv": [
        Column("p_alive", "P(alive)", "活跃概率", "float"),
        Column("expected_purchases", "Expected purchases", "预期购买次数", "float"),
        Column("expected_order_value", "Expected order value", "预期单笔金额", "money"),
        Column("predicted_value", "Predicted value", "预测价值", "money"),
    ],
}
MOVED_KINDS = ("up", "down", "changed")


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
        [Column("region", "Region", "区域")]
        if by_region
        else [Column("customer_code", "Code", "编号"), Column("customer_name", "Name", "客户名称")]
    )
    columns += [
        Column("tier", "Tier", "等级"),
        Column("value", "Value", "数值", _value_kind(outcome)),
        Column("share", "Share", "占比", "percent"),
        Column("cumulative_share", "Cumulative", "累计占比", "percent"),
        Column("rank", "Rank", "排名", "int"),
        Column("previous_tier", "Previous", "上次等级"),
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
        for column in extra:
            value = record[column.key]
            row[column.key] = None if pd.isna(value) else value
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
        by=text(f"by_{request.by}", lang),
        window=request.window,
        as_of=outcome.as_of.isoformat(),
    )
    return Listing(
        [
            Column("tier", "Tier", "等级"),
            Column(
                "customers",
                "Regions" if request.by == "region" else "Customers",
                "区域数" if request.by == "region" else "客户数",
                "int",
            ),
            Column("customers_share", "% customers", "客户占比", "percent"),
            Column("value", name_en, name, _value_kind(outcome)),
            Column("value_share", f"% {name_en.lower()}", f"{name}占比", "percent"),
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
            Column("code", "Code", "编号"),
            Column("name", "Name", "客户名称"),
            Column("previous_tier", "Previous", "上次等级"),
            Column("tier", "Tier", "等级"),
            Column("movement", "Movement", "变动"),
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
        rows = [{**r, "tier": tier_label(r["tier"], lang)} for r in rows]
    money_only = all(isinstance(r["value"], Decimal) for r in rows)
    columns = [
        Column("customer_code", "Code", "编号"),
        Column("customer_name", "Customer", "客户"),
        Column("run", "Run", "批次", "int"),
        Column("as_of", "As of", "日期", "date"),
        Column("method", "Method", "方法"),
        Column("metric", "Metric", "指标"),
        Column("window", "Window", "期间"),
        Column("tier", "Tier", "等级"),
        Column("value", "Value", "数值", "money" if money_only else "float"),
        Column("share", "Share", "占比", "percent"),
        Column("rank", "Rank", "排名", "int"),
        Column("pinned", "Pinned", "锁定"),
    ]
    title = t(
        "tier_history_title",
        lang,
        code=rows[0]["customer_code"] if rows else code,
        name=rows[0]["customer_name"] if rows else "",
    ).rstrip()
    return Listing(columns, rows, title=title, hidden=("customer_code", "customer_name"))

"""`kacrm tier`: ABC, pyramid, RFM and CLV tiering with history, movements and pins (SPEC §6)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kacrm.cli.common import (
    AsOfOption,
    FormatOption,
    OutputFormat,
    as_of_or_today,
    get_state,
    parse_option,
)
from kacrm.domain import MAX_SPAN_DAYS
from kacrm.i18n import label, t
from kacrm.render.listing import Column

if TYPE_CHECKING:
    from kacrm.cli.common import AppState
    from kacrm.store.tier_history import TierOutcome

app = typer.Typer(
    help="Tier customers (ABC, pyramid, RFM, CLV), see their tier history, pin tiers by hand.",
    invoke_without_command=True,
)


class Method(StrEnum):
    abc = "abc"
    pyramid = "pyramid"
    rfm = "rfm"
    clv = "clv"


class Metric(StrEnum):
    revenue = "revenue"
    profit = "profit"
    orders = "orders"
    quantity = "quantity"


class By(StrEnum):
    customer = "customer"
    region = "region"


class TimeUnit(StrEnum):
    week = "week"
    day = "day"


WindowOption = Annotated[
    str | None,
    typer.Option(
        "--window",
        help="Orders in the last N months before --as-of: 12m, 24m or all. "
        "[default: 12m; all for clv]",
    ),
]
TimeUnitOption = Annotated[TimeUnit, typer.Option("--time-unit", help="CLV time unit.")]

SEGMENT_ZH = {
    "champions": "核心客户",
    "loyal": "忠诚客户",
    "potential": "潜力客户",
    "new": "新客户",
    "at_risk": "有流失风险",
    "cannot_lose": "不可失去",
    "hibernating": "沉睡客户",
    "lost": "已流失",
    "other": "其他",
}
METHOD_ZH = {"abc": "ABC 分类", "pyramid": "客户金字塔", "rfm": "RFM", "clv": "CLV 购买概率"}
BY_ZH = {"customer": "按客户", "region": "按区域"}
MOVEMENT_ZH = {"up": "升级", "down": "降级", "new": "新进", "same": "不变", "changed": "变化"}
METRIC_LABELS = {
    "revenue": ("Revenue", "销售额"),
    "profit": ("Profit", "利润"),
    "orders": ("Orders", "订单数"),
    "quantity": ("Quantity", "数量"),
    "predicted_value": ("Predicted value", "预测价值"),
}


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


def _tier_label(tier: str | None, lang: str) -> str | None:
    """Table labels: pyramid tiers and segments in Chinese with --lang zh; A/B/C stay A/B/C."""
    if lang == "zh" and tier in SEGMENT_ZH:
        return SEGMENT_ZH[tier]
    return label(tier, lang)


@app.callback()
def tier(
    ctx: typer.Context,
    method: Annotated[Method, typer.Option(help="Tiering method.")] = Method.abc,
    metric: Annotated[
        Metric, typer.Option(help="The value customers are ranked by (abc, pyramid, rfm).")
    ] = (Metric.revenue),
    window: WindowOption = None,
    thresholds: Annotated[
        str | None,
        typer.Option(
            help="Cumulative % where A and B end (abc, clv). [default: tier.abc_thresholds]"
        ),
    ] = None,
    by: Annotated[By, typer.Option(help="Tier customers, or sales regions (abc).")] = By.customer,
    horizon: Annotated[
        int | None,
        typer.Option(
            min=1, max=MAX_SPAN_DAYS, help="CLV horizon in days. [default: tier.clv_horizon_days]"
        ),
    ] = None,
    time_unit: TimeUnitOption = TimeUnit.week,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Compute and show; store nothing.")
    ] = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Tier every customer, store the run and show the tiers and the movements since the last run.

    Example: kacrm tier --method abc --metric revenue --window 12m --thresholds 80,95
    """
    if ctx.invoked_subcommand is not None:
        return
    from kacrm.analysis.tier_rules import check_percentages, parse_thresholds
    from kacrm.analysis.windows import parse_window
    from kacrm.store.tier_history import TierRequest, run_tiering

    if by == By.region and method != Method.abc:
        raise typer.BadParameter(
            "works with --method abc only (ABC sales areas)", param_hint="--by region"
        )
    state = get_state(ctx)
    settings = state.settings.tier
    window = window or ("all" if method == Method.clv else "12m")
    parse_option(window, parse_window, "--window")
    request = TierRequest(
        method=method.value,
        metric=metric.value,
        window=window,
        by=by.value,
        thresholds=parse_option(thresholds, parse_thresholds, "--thresholds")
        if thresholds
        else tuple(settings.abc_thresholds),
        percentages=check_percentages(settings.pyramid_percentages),
        horizon_days=horizon if horizon is not None else settings.clv_horizon_days,
        time_unit=time_unit.value,
        dry_run=dry_run,
    )
    outcome = run_tiering(state.engine, request, state.today, rows=fmt != OutputFormat.table)
    if outcome.unknown_costs:
        state.err.print(t("tier_unknown_costs", state.lang, n=outcome.unknown_costs))
    if fmt == OutputFormat.table:
        _show_tables(outcome, state)
    else:
        from kacrm.render.output import emit

        emit(_rows_listing(outcome), fmt, state)
    if outcome.run_id is None:
        state.err.print(t("tier_dry_run", state.lang))
    else:
        state.err.print(t("tier_stored", state.lang, id=outcome.run_id))


def _is_money(outcome: TierOutcome) -> bool:
    return outcome.request.method != "clv" and outcome.request.metric in ("revenue", "profit")


def _value_kind(outcome: TierOutcome) -> str:
    if _is_money(outcome) or outcome.request.method == "clv":
        return "money"
    return "int" if outcome.request.metric == "orders" else "float"


def _value(outcome: TierOutcome, value: Any) -> Any:
    from kacrm.domain import money

    return money(int(value)) if _is_money(outcome) else value


def _metric_name(outcome: TierOutcome) -> str:
    return "predicted_value" if outcome.request.method == "clv" else outcome.request.metric


def _rows_listing(outcome: TierOutcome):
    """The per-customer (or per-region) rows with the SPEC §6 json keys."""
    import pandas as pd

    from kacrm.domain import money
    from kacrm.render.listing import Listing

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


def _show_tables(outcome: TierOutcome, state: AppState) -> None:
    from kacrm.render.listing import Listing
    from kacrm.render.output import emit

    lang, request = state.lang, outcome.request
    name_en, name_zh = METRIC_LABELS[_metric_name(outcome)]
    kind = _value_kind(outcome)
    zh = lang == "zh"
    title = t(
        "tier_title",
        lang,
        method=METHOD_ZH[request.method] if zh else request.method,
        metric=name_zh if zh else _metric_name(outcome),
        by=BY_ZH[request.by] if zh else request.by,
        window=request.window,
        as_of=outcome.as_of.isoformat(),
    )
    summary = Listing(
        [
            Column("tier", "Tier", "等级"),
            Column(
                "customers",
                "Regions" if request.by == "region" else "Customers",
                "区域数" if request.by == "region" else "客户数",
                "int",
            ),
            Column("customers_share", "% customers", "客户占比", "percent"),
            Column("value", name_en, name_zh, kind),
            Column("value_share", f"% {name_en.lower()}", f"{name_zh}占比", "percent"),
        ],
        [
            {**row, "tier": _tier_label(row["tier"], lang), "value": _value(outcome, row["value"])}
            for row in outcome.summary
        ],
        title=title,
    )
    emit(summary, OutputFormat.table, state)
    _show_movements(outcome, state)


def _show_movements(outcome: TierOutcome, state: AppState) -> None:
    from kacrm.render.listing import Listing
    from kacrm.render.output import emit

    lang, previous, counts = state.lang, outcome.previous_run, outcome.movement_counts
    if previous is None:
        state.out.print(t("tier_no_previous", lang))
    else:
        parts = ("，" if lang == "zh" else ", ").join(
            f"{MOVEMENT_ZH[m] if lang == 'zh' else m} {counts[m]}"
            for m in ("up", "down", "changed", "new", "same")
            if counts.get(m)
        )
        state.out.print(
            t(
                "tier_movements",
                lang,
                id=previous["id"],
                as_of=previous["as_of"].isoformat(),
                parts=parts,
            )
        )
        if outcome.moved:
            listing = Listing(
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
                        "previous_tier": _tier_label(r["previous_tier"], lang),
                        "tier": _tier_label(r["tier"], lang),
                        "movement": MOVEMENT_ZH[r["movement"]] if lang == "zh" else r["movement"],
                    }
                    for r in outcome.moved
                ],
            )
            emit(listing, OutputFormat.table, state)
            moved = sum(counts.get(m, 0) for m in ("up", "down", "changed"))
            if moved > len(outcome.moved):
                state.out.print(t("tier_more_moved", lang, n=moved - len(outcome.moved)))
    for r in outcome.pin_overrides:
        state.out.print(
            t(
                "tier_pin_holds",
                lang,
                code=r["code"],
                tier=_tier_label(r["tier"], lang),
                computed=_tier_label(r["computed_tier"], lang),
            )
        )


@app.command("history")
def history(ctx: typer.Context, code: str, fmt: FormatOption = OutputFormat.table) -> None:
    """One customer's tier in every stored run, oldest first.

    Example: kacrm tier history C001
    """
    from decimal import Decimal

    from kacrm.render.listing import Listing
    from kacrm.render.output import emit
    from kacrm.store.tier_history import customer_history

    state = get_state(ctx)
    rows = customer_history(state.engine, code)
    if fmt == OutputFormat.table:
        rows = [{**r, "tier": _tier_label(r["tier"], state.lang)} for r in rows]
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
        state.lang,
        code=rows[0]["customer_code"] if rows else code,
        name=rows[0]["customer_name"] if rows else "",
    ).rstrip()
    emit(Listing(columns, rows, title=title, hidden=("customer_code", "customer_name")), fmt, state)


@app.command("pin")
def pin(ctx: typer.Context, code: str, tier: str) -> None:
    """Fix a customer's tier by hand: later runs of a method with that tier keep it.

    Example: kacrm tier pin C001 A
    """
    from kacrm.store.tier_history import pin_tier

    state = get_state(ctx)
    pinned_code, _ = pin_tier(state.engine, code, tier)
    state.err.print(
        t("tier_pinned", state.lang, code=pinned_code, tier=_tier_label(tier, state.lang))
    )


@app.command("unpin")
def unpin(ctx: typer.Context, code: str) -> None:
    """Let re-tiering decide a pinned customer's tier again (from the next run).

    Example: kacrm tier unpin C001
    """
    from kacrm.store.tier_history import pin_tier

    state = get_state(ctx)
    pinned_code, old = pin_tier(state.engine, code, None)
    if old is None:
        state.err.print(t("tier_not_pinned", state.lang, code=pinned_code))
    else:
        state.err.print(
            t("tier_unpinned", state.lang, code=pinned_code, old=_tier_label(old, state.lang))
        )


@app.command("fit")
def fit(
    ctx: typer.Context,
    window: WindowOption = None,
    time_unit: TimeUnitOption = TimeUnit.week,
    fmt: FormatOption = OutputFormat.table,
    as_of: AsOfOption = None,
) -> None:
    """Fit the purchase (BG/NBD) and order-value (Gamma-Gamma) models and print their parameters.

    Example: kacrm tier fit --as-of 1997-09-30 --format json
    """
    from kacrm.analysis.windows import parse_window
    from kacrm.render.output import emit_object
    from kacrm.store.tier_frames import fit_models

    state = get_state(ctx)
    window = window or "all"
    parse_option(window, parse_window, "--window")
    today = as_of_or_today(state, as_of)
    model = fit_models(state.engine, window, today, time_unit.value)
    converged, iterations = model.pop("converged"), model.pop("iterations")
    if not converged:
        state.err.print(t("tier_not_converged", state.lang, n=iterations))
    if fmt != OutputFormat.json:
        model.update(converged=converged, iterations=iterations)
    emit_object(model, fmt, state, title=t("tier_model_title", state.lang, as_of=today.isoformat()))

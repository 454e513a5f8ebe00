"""The views of `kacrm report`: the sections every renderer (terminal, md, html, xlsx) draws, their titles,
labels and column lists. The words are kacrm.i18n.report's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from kacrm.analysis.report import Overview, pareto_headline, tier_sort_key
from kacrm.domain import money
from kacrm.i18n import label, t, text
from kacrm.i18n.due import KIND_LABELS_ZH
from kacrm.render.charts import BarChart, ParetoChart
from kacrm.render.customers import CONTACT_COLUMNS, profile_columns
from kacrm.render.listing import Column, Listing, column, window_words
from kacrm.render.section import Section

AGING_NAMED = ("not_due",)  # aging buckets with a name rather than a range of days


def bucket_label(key: str, lang: str) -> str:
    """not_due -> "not due"; d31_60 -> "31–60"; over_180 -> "> 180" (days past due)."""
    if key in AGING_NAMED:
        return text(f"report_aging_{key}", lang)
    if key.startswith("over_"):
        return f"> {key[5:]}"
    low, high = key[1:].split("_")
    return f"{low}–{high}"


def _tier_label(tier: str | None, lang: str) -> str:
    return label(tier, lang) or "—"


TIER_COLUMNS = [
    column("report", "tier", coded=True),
    column("report", "customers", "int"),
    column("report", "revenue", "money"),
    column("report", "share", "percent"),
]
RISK_COLUMNS = [
    column("report", "customer_code"),
    column("report", "customer_name"),
    column("report", "tier", coded=True),
    column("report", "reasons"),
]
UPCOMING_COLUMNS = [
    column("report", "on", "date"),
    column("report", "kind", drop=2),
    column("report", "customer_code"),
    column("report", "customer_name", drop=1),
    column("report", "contact", drop=3),
    column("report", "reason"),
]
COUNT_COLUMNS = [column("report", "value"), column("report", "customers", "int")]
AGING_COLUMNS = [
    column("report", "bucket"),
    column("report", "amount", "money"),
]
PARETO_COLUMNS = [
    column("report", "rank", "int", drop=2),
    column("report", "customer_code"),
    column("report", "customer_name", drop=1),
    column("report", "revenue", "money"),
    column("report", "share", "percent", drop=3),
    column("report", "cumulative_share", "percent"),
    column("report", "customer_share", "percent", drop=4),
]
MOVEMENT_COLUMNS = [
    column("report", "from_tier", coded=True),
    column("report", "to_tier", coded=True),
    column("report", "customers", "int"),
]


def pareto_chart(curve: Sequence[Mapping[str, Any]], lang: str) -> ParetoChart:
    return ParetoChart(
        text("report_pareto", lang),
        [(r["customer_share"], r["cumulative_share"]) for r in curve],
        t("report_x_axis", lang),
        t("report_y_axis", lang),
    )


def overview_sections(ov: Overview, lang: str) -> list[Section]:
    share, contacted, key = ov.coverage
    summary = [
        (t("report_as_of", lang), ov.as_of, "date"),
        (t("report_window", lang), window_words(ov.window, lang), "text"),
        (t("report_customers", lang), ov.customers, "int"),
        (t("report_revenue", lang), money(ov.revenue_cents), "money"),
        (t("report_receivables", lang), money(ov.receivables_cents), "money"),
        (t("report_overdue", lang), money(ov.overdue_cents), "money"),
        (t("report_contact_coverage", lang), share, "percent"),
    ]
    if ov.pool is not None:
        summary.append((t("report_pool_pooled", lang), ov.pool["pooled"], "int"))
        summary.append((t("report_pool_released", lang), ov.pool["released"], "int"))
    tiers = [{**row, "tier": _tier_label(row["tier"], lang)} for row in ov.tiers]
    conc = [
        (t(f"report_{k}", lang), v, "float" if k == "gini" else "percent")
        for k, v in ov.concentration.items()
    ]
    aging_rows = [{**row, "bucket": bucket_label(row["bucket"], lang)} for row in ov.aging]
    headline = pareto_headline(ov.pareto)
    return [
        Section(
            "summary",
            text("report_summary", lang),
            pairs=summary,
            notes=[t("report_contacted_of", lang, contacted=contacted, accounts=key)]
            if key
            else [],
        ),
        Section(
            "tiers",
            text("report_tiers", lang),
            listing=Listing(TIER_COLUMNS, tiers),
            notes=[t("report_tiers_note", lang, method=text(f"method_{ov.tier_method}", lang))]
            if ov.tier_method
            else [],
            chart=BarChart(
                _tiers_title(ov, lang),
                [r["tier"] for r in tiers],
                [r["customers"] for r in tiers],
                "tiers",
                fmt=lambda v: f"{v:,.0f}",
            ),
        ),
        Section(
            "concentration",
            text("report_concentration", lang),
            pairs=conc,
            chart=pareto_chart(ov.pareto, lang) if ov.pareto else None,
            notes=[
                t("report_headline", lang, **headline) if headline else t("report_no_buyers", lang)
            ],
        ),
        Section(
            "aging",
            text("report_aging", lang),
            listing=Listing(AGING_COLUMNS, aging_rows),
            chart=BarChart(
                text("report_aging", lang),
                [r["bucket"] for r in aging_rows],
                [float(r["amount"]) for r in aging_rows],
                "aging",
                fmt=lambda v: f"{v:,.2f}",
            ),
        ),
        Section("at_risk", text("report_at_risk", lang), listing=Listing(RISK_COLUMNS, ov.at_risk)),
        Section(
            "upcoming",
            text("report_upcoming", lang),
            listing=Listing(
                UPCOMING_COLUMNS,
                [
                    {
                        **row,
                        "kind": KIND_LABELS_ZH.get(row["kind"], row["kind"])
                        if lang == "zh"
                        else row["kind"],
                    }
                    for row in ov.upcoming
                ],
            ),
        ),
        Section(
            "types",
            text("report_types", lang),
            listing=Listing(COUNT_COLUMNS, _labelled(ov.by_type, lang)),
        ),
        Section(
            "regions",
            text("report_regions", lang),
            listing=Listing(COUNT_COLUMNS, _labelled(ov.by_region, lang)),
        ),
    ]


def _labelled(rows: Sequence[Mapping[str, Any]], lang: str) -> list[dict[str, Any]]:
    return [{**row, "value": label(row["value"], lang) or "—"} for row in rows]


def pareto_sections(curve: list[dict[str, Any]], lang: str) -> list[Section]:
    headline = pareto_headline(curve)
    return [
        Section(
            "pareto",
            text("report_pareto", lang),
            listing=Listing(PARETO_COLUMNS, curve),
            chart=pareto_chart(curve, lang) if curve else None,
            notes=[
                t("report_headline", lang, **headline) if headline else t("report_no_buyers", lang)
            ],
        )
    ]


def movement_sections(
    rows: list[dict[str, Any]], method: str, previous: date, latest: date, lang: str
) -> list[Section]:
    """The matrix as people read it: a row per old tier, a column per new tier."""
    tiers = sorted(
        {r["from_tier"] for r in rows if r["from_tier"]}
        | {r["to_tier"] for r in rows if r["to_tier"]},
        key=tier_sort_key,
    )
    counts = {(r["from_tier"], r["to_tier"]): r["customers"] for r in rows}
    has_new = any(f is None for f, _ in counts)
    has_gone = any(t is None for _, t in counts)
    columns = [Column("from", t("report_from_to", lang))]
    columns += [Column(f"to_{t}", _tier_label(t, lang), kind="int") for t in tiers]
    if has_gone:
        columns.append(Column("to_gone", t("report_gone", lang), kind="int"))
    matrix = []
    for f in [*tiers, *([None] if has_new else [])]:
        row: dict[str, Any] = {"from": _tier_label(f, lang) if f else t("report_new", lang)}
        row.update({f"to_{t}": counts.get((f, t), 0) for t in tiers})
        if has_gone:
            row["to_gone"] = counts.get((f, None), 0) if f else None
        matrix.append(row)
    note = t(
        "report_runs",
        lang,
        method=text(f"method_{method}", lang),
        previous=previous.isoformat(),
        latest=latest.isoformat(),
    )
    return [
        Section(
            "movement",
            text("report_movement", lang),
            listing=Listing(columns, matrix),
            notes=[note],
        )
    ]


def churn_sections(rows: list[dict[str, Any]], lang: str) -> list[Section]:
    return [Section("churn", text("report_churn", lang), listing=Listing(RISK_COLUMNS, rows))]


def customer_sections(report: Mapping[str, Any], lang: str) -> list[Section]:
    known = profile_columns()
    profile = []
    for key, value in report["profile"].items():
        field = known.get(key, Column(key, key))
        profile.append((field.header(lang), field.shown(value, lang), field.kind))
    credit = report["credit"]
    credit_kinds = {
        "credit_limit": "money",
        "outstanding": "money",
        "overdue": "money",
        "oldest_overdue_days": "int",
        "payment_terms_days": "int",
        "last_review_on": "date",
        "score": "float",
        "credit_grade": "text",
    }
    return [
        Section("profile", f"{report['customer_code']} {report['customer_name']}", pairs=profile),
        Section(
            "key_persons",
            text("report_key_persons", lang),
            listing=Listing(CONTACT_COLUMNS, report["key_persons"]),
        ),
        Section(
            "purchases",
            text("report_purchases", lang),
            listing=Listing(
                [
                    column("report", "year"),
                    column("report", "orders", "int"),
                    column("report", "revenue", "money"),
                    column("report", "quantity", "float"),
                ],
                report["purchases_by_year"],
            ),
        ),
        Section(
            "credit",
            text("report_credit", lang),
            pairs=[(t(f"report_{k}", lang), v, credit_kinds[k]) for k, v in credit.items()],
        ),
        Section(
            "interactions",
            text("report_interactions", lang),
            listing=Listing(
                [
                    column("report", "happened_on", "date"),
                    column("report", "kind", words="report_col_interaction_kind", coded=True),
                    column("report", "contact"),
                    column("report", "summary"),
                    column("report", "outcome"),
                    column("report", "cost", "money"),
                    column("report", "resolved_on", "date"),
                    column("report", "next_due", "date"),
                ],
                report["interactions"],
            ),
        ),
        Section(
            "plans",
            text("report_plans", lang),
            listing=Listing(
                [
                    column("report", "id", "int"),
                    column("report", "horizon", coded=True),
                    column("report", "goal"),
                    column("report", "target_date", "date"),
                    column("report", "status", coded="plan_status_"),
                    column("report", "done_on", "date"),
                ],
                report["plans"],
            ),
        ),
        Section(
            "tier_history",
            text("report_tier_history", lang),
            listing=Listing(
                [
                    column("report", "as_of", "date"),
                    column("report", "method", coded="method_"),
                    column("report", "tier", coded=True),
                    column("report", "rank", "int"),
                    column("report", "share", "percent"),
                ],
                report["tier_history"],
            ),
        ),
    ]


def _tiers_title(ov: Any, lang: str) -> str:
    """ "Tiers (abc, the primary method)": the tiers shown are the tiers in force, of the primary method."""
    if ov.tier_method is None:
        return text("report_tiers", lang)
    return t(
        "report_tiers_primary",
        lang,
        title=text("report_tiers", lang),
        method=text(f"method_{ov.tier_method}", lang),
    )

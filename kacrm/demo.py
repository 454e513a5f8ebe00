"""`kacrm demo`: import the shipped sample data into a database and collect what to show.

The demo first imports the five sample files (one `import_files` call per file, the kind given) and the ERP-style
export set (kinds detected), then runs a list
of steps; each step calls one public function of kacrm and returns a Listing (or None when there is nothing to
show). A step whose feature has not landed in this build (its module cannot be imported) is skipped, so the demo
works with whatever exists. Add a step by appending to ``STEPS``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from kacrm.errors import KacrmError
from kacrm.i18n import label, t

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kacrm.config import Settings
    from kacrm.render.listing import Listing

# The day the sample data was "exported": its newest order and interaction are on or just before it.
SAMPLE_TODAY = date(2026, 11, 20)
# Sample files by kind, in import order (customers first: the other files name them).
SAMPLE_FILES: dict[str, str] = {
    "customers": "客户资料.csv",
    "contacts": "联系人.xlsx",
    "orders": "订单.csv",
    "payments": "回款.csv",
    "interactions": "客户联系记录.xlsx",
}
# An ERP-style export set (用友 U8 customer archive, 金蝶 K3 sales order list, 管家婆 GBK receipts: title rows,
# a merged two-row header, short names, 小计/合计 rows), imported as a user would: kind from headers and name.
ERP_SAMPLE_FILES = ("用友U8客户档案.xlsx", "金蝶K3销售订单列表.xlsx", "管家婆收款单.csv")
TOP_ROWS = 10  # rows shown per listing


@contextmanager
def sample_paths() -> Iterator[dict[str, Path]]:
    """Real file paths of the sample files (extracted to a temporary place if the package is zipped)."""
    from importlib import resources

    checkout = Path(__file__).resolve().parent.parent / "sample_data"
    # a source checkout reads its own sample_data/ beside kacrm/, whatever is installed
    root = checkout if checkout.is_dir() else resources.files("kacrm.sample_data")
    with ExitStack() as stack:
        paths = {}
        for kind, name in [*SAMPLE_FILES.items(), *((n, n) for n in ERP_SAMPLE_FILES)]:
            resource = root / name
            if not resource.is_file():
                raise KacrmError(
                    f"the sample file {name} is missing from this installation of kacrm"
                )
            paths[kind] = stack.enter_context(resources.as_file(resource))
        yield paths


def default_demo_db() -> Path:
    """A fresh database file under the system temp dir."""
    return Path(tempfile.mkdtemp(prefix="kacrm-demo-")) / "demo.db"


def customer_count(engine: Engine) -> int:
    from sqlalchemy import func, select

    from kacrm.store.models import Customer

    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(Customer)).scalar_one())


@dataclass
class DemoContext:
    """What every step may use."""

    engine: Engine
    today: date
    settings: Settings
    paths: dict[str, Path] = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    title: str
    run: Callable[[DemoContext], Listing | None]


@dataclass
class Section:
    title: str
    listing: Listing | None = None
    skipped: str | None = None  # why the step did not run


def import_samples(ctx: DemoContext) -> Listing:
    """Import every sample file (one import per file, kind given explicitly) and list the summaries."""
    from kacrm.io.importer import import_files
    from kacrm.render.listing import Column, Listing

    keys = ("kind", "rows_read", "inserted", "updated", "unchanged", "rejected", "seconds")
    rows = []
    for key, path in ctx.paths.items():
        kind = key if key in SAMPLE_FILES else None  # the ERP set's kinds are detected
        for summary in import_files(ctx.engine, [path], kind=kind):
            rows.append(
                {
                    "file": path.name,
                    **{key: getattr(summary, key) for key in keys},
                    "kind": label(summary.kind, ctx.settings.lang),
                }
            )
    columns = [
        Column("file", "File", "文件"),
        Column("kind", "Kind", "类型"),
        Column("rows_read", "Read", "读取", "int"),
        Column("inserted", "Inserted", "新增", "int"),
        Column("updated", "Updated", "更新", "int"),
        Column("unchanged", "Unchanged", "未变", "int"),
        Column("rejected", "Rejected", "拒绝", "int"),
        Column("seconds", "Seconds", "秒", "float"),
    ]
    return Listing(columns, rows, title=t("demo_import_title", ctx.settings.lang))


def abc_tiers(ctx: DemoContext) -> Listing:
    """`kacrm tier` (ABC by revenue of the last 12 months), stored, so the customer list shows the tiers."""
    from kacrm.render.listing import Column, Listing, money
    from kacrm.store.tier_history import TierRequest, run_tiering

    tier = ctx.settings.tier
    request = TierRequest(
        method="abc", metric="revenue", window="12m", thresholds=tuple(tier.abc_thresholds)
    )
    outcome = run_tiering(ctx.engine, request, ctx.today)
    columns = [
        Column("tier", "Tier", "等级"),
        Column("customers", "Customers", "客户数", "int"),
        Column("customers_share", "% customers", "客户占比", "percent"),
        Column("value", "Revenue", "销售额", "money"),
        Column("value_share", "% revenue", "销售额占比", "percent"),
    ]
    rows = [{**row, "value": money(int(row["value"]))} for row in outcome.summary]
    return Listing(columns, rows, title=t("demo_abc_title", ctx.settings.lang))


def credit_review(ctx: DemoContext) -> Listing:
    """`kacrm credit review`: grades and limits for every customer with purchases; the count per grade."""
    from kacrm.render.listing import Column, Listing, money
    from kacrm.store.credit_store import review

    rows = review(ctx.engine, ctx.settings, ctx.today)
    per_grade: dict[str, dict[str, object]] = {}
    for row in rows:
        grade = per_grade.setdefault(
            row["grade"], {"grade": row["grade"], "customers": 0, "limit": money(0)}
        )
        grade["customers"] += 1
        grade["limit"] += row["limit"] or 0
    order = [*ctx.settings.credit.grade_cutoffs, "C"]
    ranked = sorted(
        per_grade.values(),
        key=lambda g: order.index(g["grade"]) if g["grade"] in order else len(order),
    )
    columns = [
        Column("grade", "Grade", "信用等级"),
        Column("customers", "Customers", "客户数", "int"),
        Column("limit", "Total limit", "额度合计", "money"),
    ]
    return Listing(columns, ranked, title=t("demo_credit_title", ctx.settings.lang))


def top_customers(ctx: DemoContext) -> Listing:
    """The customer list as `kacrm customer list` shows it, the biggest customers by revenue."""
    from kacrm.analysis.customers import HIDDEN_IN_TABLE, LIST_COLUMNS, list_row
    from kacrm.render.listing import Listing
    from kacrm.store.repo import customer_summaries

    rows = [list_row(s) for s in customer_summaries(ctx.engine, ctx.today)[:TOP_ROWS]]
    return Listing(
        LIST_COLUMNS,
        rows,
        title=t("demo_top_title", ctx.settings.lang, n=TOP_ROWS),
        hidden=HIDDEN_IN_TABLE,
    )


def due_this_week(ctx: DemoContext) -> Listing:
    """The first items of `kacrm due --week`: overdue first, then by day."""
    from kacrm.analysis.due import KIND_LABELS_ZH, due_items
    from kacrm.render.listing import Column, Listing
    from kacrm.store.due_store import load_due_data

    end = ctx.today + timedelta(days=6)
    items = due_items(
        load_due_data(ctx.engine, ctx.settings, ctx.today, end),
        ctx.settings,
        ctx.today,
        ctx.today,
        end,
    )
    columns = [
        Column("due_on", "Due", "办理日", "date"),
        Column("kind", "Kind", "类别"),
        Column("customer_code", "Code", "客户编号"),
        Column("customer_name", "Customer", "客户"),
        Column("contact", "Contact", "联系人"),
        Column("reason", "Reason", "事由"),
        Column("overdue_days", "Overdue", "逾期天数", "int"),
    ]
    zh = ctx.settings.lang == "zh"
    rows = [
        {c.key: getattr(item, c.key) for c in columns}
        | ({"kind": KIND_LABELS_ZH[item.kind], "reason": item.reason_zh} if zh else {})
        for item in items[: TOP_ROWS * 2]
    ]
    return Listing(
        columns, rows, title=t("demo_due_title", ctx.settings.lang, n=len(items), shown=len(rows))
    )


def receivables_aging(ctx: DemoContext) -> Listing:
    """The biggest receivables of `kacrm credit aging`, with the totals of all customers."""
    from kacrm.analysis.receivables import bucket_labels
    from kacrm.render.listing import Column, Listing
    from kacrm.store.credit_store import aging_rows

    rows, totals = aging_rows(
        ctx.engine, ctx.settings, ctx.today, list(ctx.settings.credit.aging_buckets)
    )
    columns = [Column("customer_code", "Code", "编号"), Column("customer_name", "Customer", "客户")]
    buckets = [key for key in totals if key not in ("customer_code", "total")]
    columns += [Column(key, *bucket_labels(key), kind="money") for key in buckets]
    columns.append(Column("total", "Total", "合计", "money"))
    return Listing(
        columns, rows[:TOP_ROWS], title=t("demo_aging_title", ctx.settings.lang), footer=totals
    )


STEPS: list[
    Step
] = [  # tiering and credit first: they fill the tier and grade columns of the customer list
    Step("tier", abc_tiers),
    Step("credit", credit_review),
    Step("customers", top_customers),
    Step("due", due_this_week),
    Step("aging", receivables_aging),
]


def run_demo(
    engine: Engine, today: date, settings: Settings, steps: list[Step] | None = None
) -> list[Section]:
    """Import the sample data into ``engine``, then run every step; steps whose feature is missing are skipped."""
    with sample_paths() as paths:
        ctx = DemoContext(engine=engine, today=today, settings=settings, paths=paths)
        try:
            sections = [Section("import", import_samples(ctx))]
        except ImportError as exc:
            raise KacrmError(
                f"the importer is not available in this build ({exc.name or exc})"
            ) from exc
        for step in STEPS if steps is None else steps:
            try:
                sections.append(Section(step.title, step.run(ctx)))
            except ImportError as exc:
                sections.append(
                    Section(step.title, skipped=f"not available in this build ({exc.name or exc})")
                )
    return sections

"""`kacrm demo`: import the shipped sample data into a database and collect what to show.

The demo first imports the five sample files (one `import_files` call per file, the kind given) and the ERP-style
export set (kinds detected), then runs a list of steps; each step makes the same app call and shows the same
view as its CLI command, and returns a Listing (or
None when there is nothing to show). A step that raises ImportError (a feature missing from this build) is
skipped, so the demo works with whatever exists. Add a step by appending to ``STEPS``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine

from kacrm.analysis.tier_rules import TierRequest
from kacrm.app.credit import aging_rows, review
from kacrm.app.customers import customer_list
from kacrm.app.database import open_engine
from kacrm.app.due import due_items_for
from kacrm.app.imports import import_files
from kacrm.app.tiering import run_tiering
from kacrm.config import Settings
from kacrm.due_facts import DueItem
from kacrm.errors import KacrmError
from kacrm.i18n import t
from kacrm.render.credit import aging_listing, review_listing
from kacrm.render.customers import HIDDEN_IN_TABLE, LIST_COLUMNS
from kacrm.render.due import due_listing
from kacrm.render.imports import import_listing
from kacrm.render.listing import Listing
from kacrm.render.tier import summary_listing
from kacrm.store.import_write import customer_count

# The day the sample data was "exported": its newest order and interaction are on or just before it.
SAMPLE_TODAY = date(2026, 11, 20)
# Sample files by kind, in import order (customers first: the other files name them).
SAMPLE_FILES: dict[str, str] = {
    "customers": "客户资料.csv",
    "contacts": "联系人.xlsx",
    "orders": "订单.csv",
    "payments": "回款.csv",
    "interactions": "客户联系记录.xlsx",
    "schedules": "回款计划.csv",  # payment plans of some large orders, after the orders they name
}
# An ERP-style export set (用友 U8 customer archive, 金蝶 K3 sales order list, 管家婆 GBK receipts: title rows,
# a merged two-row header, short names, 小计/合计 rows), imported as a user would: kind from headers and name.
ERP_SAMPLE_FILES = ("用友U8客户档案.xlsx", "金蝶K3销售订单列表.xlsx", "管家婆收款单.csv")
TOP_ROWS = 10  # rows shown per listing


@contextmanager
def sample_paths() -> Iterator[dict[str, Path]]:
    """Real file paths of the sample files (extracted to a temporary place if the package is zipped)."""
    checkout = Path(__file__).resolve().parents[2] / "sample_data"
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


def open_demo_db(target: str, *, force: bool) -> Engine:
    """The engine of ``target``; KacrmError when it already holds customers, unless ``force`` (the demo is not for
    the user's own book)."""
    engine = open_engine(target, create=True)
    existing = customer_count(engine)
    if existing and not force:
        engine.dispose()
        values = {"target": target, "n": existing, "s": "s" if existing != 1 else ""}
        raise KacrmError(t("demo_not_empty", "en", **values), t("demo_not_empty", "zh", **values))
    return engine


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
    """Import every sample file (one import per file; the kind given, but detected for the ERP set) and list
    the summaries."""
    summaries = []
    for key, path in ctx.paths.items():
        kind = key if key in SAMPLE_FILES else None
        for summary in import_files(ctx.engine, [path], kind=kind):
            summary.file = path.name  # the sample's name, not where it was unpacked
            summaries.append(summary)
    listing = import_listing(summaries, ctx.settings.lang, table=True)
    return replace(listing, title=t("demo_import_title", ctx.settings.lang))


def abc_tiers(ctx: DemoContext) -> Listing:
    """`kacrm tier` (ABC by revenue of the last 12 months), stored, so the customer list shows the tiers."""
    request = TierRequest(
        method="abc",
        metric="revenue",
        window="12m",
        thresholds=tuple(ctx.settings.tier.abc_thresholds),
    )
    outcome = run_tiering(ctx.engine, request, ctx.today)
    listing = summary_listing(outcome, ctx.settings.lang)
    return replace(listing, title=t("demo_abc_title", ctx.settings.lang))


def credit_review(ctx: DemoContext) -> Listing:
    """`kacrm credit review`: grades and limits for every customer with purchases (the first rows shown)."""
    listing = review_listing(review(ctx.engine, ctx.settings, ctx.today), ctx.settings.lang)
    return replace(
        listing, rows=listing.rows[:TOP_ROWS], title=t("demo_credit_title", ctx.settings.lang)
    )


def top_customers(ctx: DemoContext) -> Listing:
    """The customer list as `kacrm customer list` shows it, the biggest customers by revenue."""
    rows = customer_list(ctx.engine, ctx.today)[:TOP_ROWS]
    return Listing(
        LIST_COLUMNS,
        rows,
        title=t("demo_top_title", ctx.settings.lang, n=TOP_ROWS),
        hidden=HIDDEN_IN_TABLE,
    )


def due_this_week(ctx: DemoContext) -> Listing:
    """The first items of `kacrm due --week`: overdue first, then by day."""
    end = ctx.today + timedelta(days=6)
    items = due_items_for(ctx.engine, ctx.settings, ctx.today, ctx.today, end)
    shown = items[: TOP_ROWS * 2]
    listing = due_listing(shown, ctx.settings.lang, table=True, today=ctx.today)
    title = t("demo_due_title", ctx.settings.lang, n=len(items), shown=len(shown))
    return replace(listing, title=title)


def collection_ladder(ctx: DemoContext) -> Listing:
    """The follow-up ladder in the week's due list: the most overdue collection item at each action, mildest
    first (instalments of the payment plans among them)."""
    end = ctx.today + timedelta(days=6)
    items = [
        i
        for i in due_items_for(ctx.engine, ctx.settings, ctx.today, ctx.today, end)
        if i.kind == "collection"
    ]
    first: dict[str, DueItem] = {}
    for item in items:
        first.setdefault(item.action or "", item)
    order = [lv["action"] for lv in ctx.settings.collections.levels]
    shown = sorted(first.values(), key=lambda i: order.index(i.action) if i.action in order else 0)
    listing = due_listing(shown, ctx.settings.lang, table=True, today=ctx.today)
    title = t("demo_ladder_title", ctx.settings.lang, n=len(items))
    return replace(listing, title=title)


def receivables_aging(ctx: DemoContext) -> Listing:
    """The biggest receivables of `kacrm credit aging`, with the totals of all customers."""
    rows, totals = aging_rows(
        ctx.engine, ctx.settings, ctx.today, list(ctx.settings.credit.aging_buckets)
    )
    listing = aging_listing(rows[:TOP_ROWS], totals, ctx.settings.lang)
    return replace(listing, title=t("demo_aging_title", ctx.settings.lang))


STEPS: list[
    Step
] = [  # tiering and credit first: they fill the tier and grade columns of the customer list
    Step("tier", abc_tiers),
    Step("credit", credit_review),
    Step("customers", top_customers),
    Step("due", due_this_week),
    Step("ladder", collection_ladder),
    Step("aging", receivables_aging),
]


def run_demo(
    engine: Engine, today: date, settings: Settings, steps: list[Step] | None = None
) -> list[Section]:
    """Import the sample data into ``engine``, then run every step; steps whose feature is missing are skipped."""
    with sample_paths() as paths:
        ctx = DemoContext(engine=engine, today=today, settings=settings, paths=paths)
        sections = [Section("import", import_samples(ctx))]
        for step in STEPS if steps is None else steps:
            try:
                sections.append(Section(step.title, step.run(ctx)))
            except ImportError as exc:
                sections.append(
                    Section(step.title, skipped=f"not available in this build ({exc.name or exc})")
                )
    return sections

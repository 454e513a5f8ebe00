"""`kacrm demo`: import the shipped sample data into a database and collect what to show.

The demo is a list of steps; each step calls one public function of kacrm and returns a Listing (or None when
there is nothing to show). A step whose feature has not landed in this build (its module cannot be imported) is
skipped, so the demo works with whatever exists. Add a step by appending to ``STEPS``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kacrm.errors import KacrmError

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
TOP_CUSTOMERS = 10


@contextmanager
def sample_paths() -> Iterator[dict[str, Path]]:
    """Real file paths of the sample files (extracted to a temporary place if the package is zipped)."""
    from importlib import resources

    try:
        root = resources.files("kacrm.sample_data")
    except ModuleNotFoundError:  # a source checkout on PYTHONPATH, not installed: sample_data/ beside kacrm/
        root = Path(__file__).resolve().parent.parent / "sample_data"
    with ExitStack() as stack:
        paths = {}
        for kind, name in SAMPLE_FILES.items():
            resource = root / name
            if not resource.is_file():
                raise KacrmError(f"the sample file {name} is missing from this installation of kacrm")
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


def _summary_value(summary: Any, name: str) -> Any:
    return summary.get(name) if isinstance(summary, dict) else getattr(summary, name, None)


def import_samples(ctx: DemoContext) -> Listing:
    """Import every sample file (one import per file, kind given explicitly) and list the summaries."""
    from kacrm.io.importer import import_files
    from kacrm.render.listing import Column, Listing

    rows = []
    for kind, path in ctx.paths.items():
        for summary in import_files(ctx.engine, [path], kind=kind):
            rows.append({
                "file": path.name,
                "kind": _summary_value(summary, "kind") or kind,
                **{key: _summary_value(summary, key) for key in
                   ("rows_read", "inserted", "updated", "unchanged", "rejected", "seconds")},
            })
    columns = [
        Column("file", "File", "文件"), Column("kind", "Kind", "类型"),
        Column("rows_read", "Read", "读取", "int"), Column("inserted", "Inserted", "新增", "int"),
        Column("updated", "Updated", "更新", "int"), Column("unchanged", "Unchanged", "未变", "int"),
        Column("rejected", "Rejected", "拒绝", "int"), Column("seconds", "Seconds", "秒", "float"),
    ]
    return Listing(columns, rows, title="Import of the sample data")


def top_customers(ctx: DemoContext) -> Listing:
    """The customer list (as `kacrm customer list` computes it), top customers by revenue."""
    from kacrm.render.listing import Column, Listing, money
    from kacrm.store.repo import customer_summaries

    rows = []
    for s in customer_summaries(ctx.engine, ctx.today)[:TOP_CUSTOMERS]:
        c = s["customer"]
        rows.append({
            "customer_code": c.code, "customer_name": c.name, "region": c.region, "owner": c.owner,
            "orders": s["orders"], "revenue": money(s["revenue_cents"]), "paid": money(s["paid_cents"]),
            "outstanding": money(s["outstanding_cents"]), "last_order_on": s["last_order_on"],
        })
    columns = [
        Column("customer_code", "Code", "编号"), Column("customer_name", "Customer", "客户"),
        Column("region", "Region", "区域"), Column("owner", "Owner", "负责人"),
        Column("orders", "Orders", "订单数", "int"), Column("revenue", "Revenue", "销售额", "money"),
        Column("paid", "Paid", "已回款", "money"), Column("outstanding", "Outstanding", "未回款", "money"),
        Column("last_order_on", "Last order", "最近下单", "date"),
    ]
    return Listing(columns, rows, title=f"Top {TOP_CUSTOMERS} customers by revenue")


STEPS: list[Step] = [
    Step("import", import_samples),
    Step("customers", top_customers),
]


def run_demo(engine: Engine, today: date, settings: Settings, steps: list[Step] | None = None) -> list[Section]:
    """Import the sample data into ``engine`` and run every step; steps whose feature is missing are skipped."""
    sections = []
    with sample_paths() as paths:
        ctx = DemoContext(engine=engine, today=today, settings=settings, paths=paths)
        for step in STEPS if steps is None else steps:
            try:
                sections.append(Section(step.title, step.run(ctx)))
            except ImportError as exc:
                sections.append(Section(step.title, skipped=f"not available in this build ({exc.name or exc})"))
    return sections

"""One part of a report or statement, as every format draws it (terminal, md, html, xlsx): kept apart from
kacrm.render.report so that `credit` and its statement do not load the report's views and charts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kacrm.render.charts import Chart
    from kacrm.render.listing import Listing


@dataclass
class Section:
    """One part of a report: key/value pairs (label, value, column kind), a listing, a chart, notes."""

    key: str  # a stable name: the xlsx sheet, the html anchor
    title: str
    pairs: list[tuple[str, Any, str]] = field(default_factory=list)
    listing: Listing | None = None
    chart: Chart | None = None
    notes: list[str] = field(default_factory=list)

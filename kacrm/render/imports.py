"""The view of `kacrm import` (and the demo's import step): one row of counts per file."""

from __future__ import annotations

from typing import Any

from kacrm.i18n import label, t, text
from kacrm.render.listing import Column, ColumnKind, Listing


def _column(key: str, kind: ColumnKind = "text") -> Column:
    return Column(key, text(f"import_col_{key}", "en"), text(f"import_col_{key}", "zh"), kind)


COLUMNS = [
    _column("file"),
    _column("kind"),
    _column("rows_read", "int"),
    _column("inserted", "int"),
    _column("updated", "int"),
    _column("unchanged", "int"),
    _column("rejected", "int"),
    _column("seconds", "float"),
    _column("unknown_columns"),
]


def import_listing(summaries: list[Any], lang: str, *, table: bool) -> Listing:
    """The ``kacrm.io.importer.FileSummary`` of each file; ``table`` shows kinds in ``lang`` (json and csv keep
    the kind names of SPEC §5)."""
    rows = [{c.key: getattr(s, c.key) for c in COLUMNS} for s in summaries]
    for row in rows:
        row["seconds"] = round(row["seconds"], 3)
        if table:
            row["kind"] = label(row["kind"], lang)
    return Listing(COLUMNS, rows, title=t("import_title", lang))

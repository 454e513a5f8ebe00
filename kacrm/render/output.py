"""One renderer per format, shared by all commands: Rich table, json, csv, md."""

from __future__ import annotations

import csv
import json
import math
import sys
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Protocol

from kacrm.files import neutralise_cell
from kacrm.i18n import text
from kacrm.render.listing import NUMERIC_KINDS, Column, Listing

if TYPE_CHECKING:
    from rich.console import Console


class Screen(Protocol):
    """What a view needs from the caller: the console for stdout and the user's language."""

    @property
    def out(self) -> Console: ...

    @property
    def lang(self) -> str: ...


_PLAIN_TYPES = frozenset(
    {str, int, bool, type(None)}
)  # already JSON values, whatever the column's kind


def to_jsonable(value: Any, kind: str = "text") -> Any:
    """Plain JSON values: dates ISO, money rounded to 2 decimals, numpy scalars as Python numbers."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy / pandas scalars
        value = value.item()
    if isinstance(value, datetime):
        return value.date().isoformat() if kind == "date" else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if kind == "money":
            return round(value, 2)
        return value
    if isinstance(value, dict):
        return {k: v if type(v) in _PLAIN_TYPES else to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [v if type(v) in _PLAIN_TYPES else to_jsonable(v) for v in value]
    return value


def format_cell(value: Any, kind: str) -> str:
    """Human text for a table cell: thousands separators, 2-decimal money, percentages, ISO dates."""
    value = to_jsonable(value, kind)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if kind == "money" and isinstance(value, (int, float)):
        return f"{value:,.2f}"
    if kind == "percent" and isinstance(value, (int, float)):
        return f"{value * 100:.1f}%"
    if kind == "int" and isinstance(value, (int, float)):
        return f"{int(value):,}"
    if kind == "float" and isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _json_rows(rows: list[dict[str, Any]], columns: list[Column]) -> list[dict[str, Any]]:
    kinds = {c.key: c.kind for c in columns}
    return [
        {
            k: v if type(v) in _PLAIN_TYPES else to_jsonable(v, kinds.get(k, "text"))
            for k, v in row.items()
        }
        for row in rows
    ]


def rich_table(
    listing: Listing, lang: str, rows: list[dict[str, Any]] | None = None, title: str | None = None
):
    from rich.table import Table

    columns = [c for c in listing.columns if c.key not in listing.hidden]
    table = Table(
        title=title if title is not None else listing.title, show_lines=False, title_justify="left"
    )
    for col in columns:
        table.add_column(col.header(lang), justify="right" if col.kind in NUMERIC_KINDS else "left")
    for row in listing.rows if rows is None else rows:
        table.add_row(*(format_cell(row.get(c.key), c.kind) for c in columns))
    if listing.footer:
        table.add_section()
        table.add_row(
            *(format_cell(listing.footer.get(c.key), c.kind) for c in columns), style="bold"
        )
    return table


def _print_table(listing: Listing, state: Screen) -> None:
    if not listing.group_by:
        state.out.print(rich_table(listing, state.lang))
        return
    if listing.title:
        state.out.print(listing.title)
    groups: dict[Any, list[dict[str, Any]]] = {}
    for row in listing.rows:
        groups.setdefault(row.get(listing.group_by), []).append(row)
    limit, cut = listing.group_limit, False
    for key, rows in groups.items():
        shown = rows if limit is None or len(rows) <= limit else rows[:limit]
        state.out.print(rich_table(listing, state.lang, rows=shown, title=str(key)))
        if len(shown) < len(rows):
            cut = True
            state.out.print(listing.group_more.format(more=len(rows) - len(shown), total=len(rows)))
    if cut and listing.cut_hint:
        state.out.print(listing.cut_hint)


def _csv_cell(value: Any) -> Any:
    """Plain values; text that a spreadsheet would run as a formula gets an apostrophe first, as in export."""
    value = to_jsonable(value)
    if isinstance(value, list):
        value = ";".join(str(v) for v in value)
    return neutralise_cell(value) if isinstance(value, str) else value


def emit(listing: Listing, fmt: str, state: Screen) -> None:
    """Print a listing on stdout in the chosen format."""
    fmt = str(getattr(fmt, "value", fmt))
    if fmt == "json":
        # One object per line: readable, and fast (json's C encoder is used only without indent).
        encode = json.JSONEncoder(ensure_ascii=False).encode
        lines = [encode(row) for row in _json_rows(listing.rows, listing.columns)]
        sys.stdout.write("[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n")
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        keys = [c.key for c in listing.columns]
        writer.writerow(keys)
        for row in listing.rows:
            writer.writerow([_csv_cell(row.get(k)) for k in keys])
    elif fmt == "md":
        columns = listing.columns
        lines = ["| " + " | ".join(c.header(state.lang) for c in columns) + " |"]
        lines.append(
            "|" + "|".join("---:" if c.kind in NUMERIC_KINDS else "---" for c in columns) + "|"
        )
        for row in listing.rows:
            cells = (format_cell(row.get(c.key), c.kind).replace("|", "\\|") for c in columns)
            lines.append("| " + " | ".join(cells) + " |")
        sys.stdout.write("\n".join(lines) + "\n")
    else:
        _print_table(listing, state)
    sys.stdout.flush()


def emit_object(obj: dict[str, Any], fmt: str, state: Screen, title: str | None = None) -> None:
    """Print one record: a json object, or a two-column key/value table (md and csv alike)."""
    fmt = str(getattr(fmt, "value", fmt))
    if fmt == "json":
        sys.stdout.write(json.dumps(to_jsonable(obj), ensure_ascii=False, indent=2) + "\n")
        sys.stdout.flush()
        return
    scalars = [
        {"field": k, "value": format_cell(v, "money" if isinstance(v, Decimal) else "text")}
        for k, v in obj.items()
        if not isinstance(v, (list, dict))
    ]
    listing = Listing(
        [
            Column("field", text("col_field", "en"), text("col_field", "zh")),
            Column("value", text("col_value", "en"), text("col_value", "zh")),
        ],
        scalars,
        title=title,
    )
    emit(listing, fmt, state)

"""The result type every listing command returns: columns that know their kind, and rows of plain values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from kacrm.i18n import text

ColumnKind = Literal["text", "int", "float", "money", "percent", "date"]
NUMERIC_KINDS = ("int", "float", "money", "percent")


@dataclass(frozen=True)
class Column:
    key: str  # the json/csv key (SPEC names, snake_case)
    label: str  # the English header for tables and md
    label_zh: str | None = None
    kind: ColumnKind = "text"

    def header(self, lang: str) -> str:
        return self.label_zh if lang == "zh" and self.label_zh else self.label


def column(area: str, key: str, kind: ColumnKind = "text", *, words: str | None = None) -> Column:
    """A column whose headers are the i18n message ``{area}_col_{key}`` (or ``words``), in English and Chinese."""
    name = words or f"{area}_col_{key}"
    return Column(key, text(name, "en"), text(name, "zh"), kind)


@dataclass
class Listing:
    columns: list[Column]
    rows: list[dict[str, Any]]
    title: str | None = None
    group_by: str | None = None  # a row key: the table view starts a new section when it changes
    footer: dict[str, Any] | None = None  # a totals row for the table view only
    hidden: tuple[str, ...] = field(
        default=()
    )  # keys present in json/csv but not shown in the table
    # The table view shows at most this many rows per group (None: all), then ``group_more`` formatted with
    # ``more`` (rows left out) and ``total`` (rows of the group), and once at the end ``cut_hint`` if any group
    # was cut; json, csv and md always have every row.
    group_limit: int | None = None
    group_more: str = "… {more:,} more of {total:,} not shown"
    cut_hint: str | None = None

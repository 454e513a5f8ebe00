"""The result type every listing command returns: columns that know their kind, and rows of plain values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from kacrm.analysis.calendar import lunar_label
from kacrm.i18n import MESSAGES, label, t, text

if TYPE_CHECKING:
    from collections.abc import Callable

# "lunar": a lunar day as SPEC writes it (`09-15`, `L04-08` for a leap month), in Chinese words under zh (九月十五,
# 闰四月初八).
ColumnKind = Literal["text", "int", "float", "money", "percent", "date", "lunar"]
NUMERIC_KINDS = ("int", "float", "money", "percent")
# What a row's colour says on a terminal (render/output.TONE_STYLES): refused, over the limit or overdue ("bad",
# red), due today ("soon", yellow), done ("good", green). Pipes, files and NO_COLOR get no colour.
Tone = Literal["bad", "soon", "good"]

# Text columns whose values are prose or names: a narrow table folds them; every other column keeps its values
# whole on one line (no wrap, a minimum width).
FOLDING_KEYS = frozenset(
    {
        "customer_name",
        "name",
        "contact",
        "reason",
        "reasons",
        "flags",
        "summary",
        "goal",
        "outcome",
        "title",
        "hobbies",
        "segment",
        "label",
        "value",
        "unknown_columns",
        "file",
        "from",
        "source",
    }
)


class Column(NamedTuple):
    key: str  # the json/csv key (SPEC names, snake_case)
    label: str  # the English header for tables and md
    label_zh: str | None = None
    kind: ColumnKind = "text"
    # On a narrow terminal the table view drops the columns with the highest ``drop`` first (0: never dropped).
    drop: int = 0
    # The values are stored English codes (business, over_limit, decision_maker, up…): tables, md, html and xlsx
    # show them in the user's language, json and csv keep the codes. True: by their i18n ``label``; a string: by
    # the i18n message ``{coded}{code}`` (for codes whose word depends on the area: a credit "hold" is not a
    # stage "hold"), else by their label (English: the code as it is); a function: its answer for (value, lang),
    # English too.
    coded: bool | str | Callable[[str, str], str] = False

    def header(self, lang: str) -> str:
        return self.label_zh if lang == "zh" and self.label_zh else self.label

    def shown(self, value: Any, lang: str) -> Any:
        """``value`` as a person reads it in ``lang``: a code (or each code of a list) by its label."""
        if (
            self.kind == "lunar"
        ):  # in words in English too, as `due` writes it (lunar birthday (九月十五) of …)
            return lunar_words(value)
        if not self.coded or (lang == "en" and not callable(self.coded)):
            return value
        if isinstance(value, list):
            return [self._word(v, lang) for v in value]
        return self._word(value, lang)

    def _word(self, value: Any, lang: str) -> Any:
        if not isinstance(value, str):
            return value
        if callable(self.coded):
            return self.coded(value, lang)
        if isinstance(self.coded, str) and f"{self.coded}{value}" in MESSAGES:
            return text(f"{self.coded}{value}", lang)
        return label(value, lang)

    @property
    def folds(self) -> bool:
        """Whether a table may fold this column's text over several lines: names, reasons and other prose do;
        ids, codes, dates, amounts and other short values are never cut."""
        return self.kind == "text" and self.key in FOLDING_KEYS


def lunar_words(value: Any) -> Any:
    """`09-15` -> 九月十五, `L04-08` -> 闰四月初八; anything else as it is."""
    if not isinstance(value, str):
        return value
    leap = value.startswith("L")
    month, _, day = value.removeprefix("L").partition("-")
    if not (month.isdigit() and day.isdigit() and 1 <= int(month) <= 12 and 1 <= int(day) <= 30):
        return value
    return lunar_label(int(month), int(day), leap)


def window_words(window: str | None, lang: str) -> str | None:
    """An order window as a person reads it: `12m` -> 近 12 个月, `all` -> 全部 under zh; as typed in English."""
    if window is None or lang == "en":
        return window
    months = window.strip().lower().removesuffix("m").strip()
    if window.strip().lower() == "all":
        return text("window_all", lang)
    return t("window_months", lang, n=int(months)) if months.isdigit() else window


def column(
    area: str,
    key: str,
    kind: ColumnKind = "text",
    *,
    words: str | None = None,
    drop: int = 0,
    coded: bool | str | Callable[[str, str], str] = False,
) -> Column:
    """A column whose headers are the i18n message ``{area}_col_{key}`` (or ``words``), in English and Chinese;
    ``drop`` > 0 lets a narrow table leave it out (the highest first); ``coded``: its values are codes shown by
    their label (i18n ``label``) in tables, md, html and xlsx."""
    name = words or f"{area}_col_{key}"
    return Column(key, text(name, "en"), text(name, "zh"), kind, drop, coded)


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
    # The one line (stderr) the table view writes instead of an empty table; None: i18n output_empty.
    empty: str | None = None
    title_tone: Tone | None = None  # the colour of the title: a refused credit check is red
    # A column that adds up others of its row (aging's total, its buckets): when a narrow terminal leaves some of
    # them out, the note that names them says the total includes them.
    adds_up: tuple[str, tuple[str, ...]] | None = None
    # The tone of a row in the table view (None: plain).
    tone: Callable[[dict[str, Any]], Tone | None] | None = None

"""One renderer per format, shared by all commands: Rich table, json, csv, md."""

from __future__ import annotations

import csv
import json
import math
import re
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Protocol

from kacrm.files import neutralise_cell
from kacrm.i18n import t, text
from kacrm.render.fold import fold_lines, tokens, wrap_cell
from kacrm.render.listing import NUMERIC_KINDS, Column, Listing, Tone
from kacrm.render.plain_table import markup_free, plain_lines, table_class, write_lines

if TYPE_CHECKING:
    from rich.console import Console


class Screen(Protocol):
    """What a view needs from the caller: the console for stdout and the user's language; ``plain_width``: the
    width of stdout when it is plain text (a pipe, a file), where tables are drawn without Rich's console; None
    draws them with ``out``."""

    @property
    def out(self) -> Console: ...

    @property
    def plain_width(self) -> int | None: ...

    @property
    def plain_err_width(self) -> int | None: ...

    @property
    def lang(self) -> str: ...

    @property
    def err(self) -> Console: ...


_PLAIN_TYPES = frozenset(
    {str, int, bool, type(None)}
)  # already JSON values, whatever the column's kind


def to_jsonable(value: Any, kind: str = "text") -> Any:
    """Plain JSON values: dates ISO, money rounded to 2 decimals, numpy scalars as Python numbers."""
    if value is None:
        return None
    if type(value) is date:  # the commonest cell after plain ones: before the checks below
        return value.isoformat()
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
        return {
            k: v
            if type(v) in _PLAIN_TYPES
            else v.isoformat()
            if type(v) is date
            else to_jsonable(v)
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [v if type(v) in _PLAIN_TYPES else to_jsonable(v) for v in value]
    return value


def format_cell(value: Any, kind: str, lang: str = "en") -> str:
    """Human text for a table cell: thousands separators, 2-decimal money, percentages, ISO dates, yes/no,
    lists and mappings in ``lang``; a moment (created_at…) in local time to the minute, where json keeps ISO
    8601 in UTC."""
    if isinstance(value, datetime):
        return (value.astimezone() if value.tzinfo else value).strftime("%Y-%m-%d %H:%M")
    value = to_jsonable(value, kind)
    if value is None:
        return ""
    if isinstance(value, bool):
        return text("value_yes" if value else "value_no", lang)
    if kind == "money" and isinstance(value, (int, float)):
        return f"{value:,.2f}"
    if kind == "percent" and isinstance(value, (int, float)):
        return f"{value * 100:.1f}%"
    if kind == "int" and isinstance(value, (int, float)):
        return f"{int(value):,}"
    if kind == "float" and isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".")
    if isinstance(value, dict):
        return _pairs(value)
    if isinstance(value, list):
        return text("list_separator", lang).join(
            f"({_pairs(v)})" if isinstance(v, dict) else str(v) for v in value
        )
    return str(value)


def _pairs(value: dict[str, Any]) -> str:
    """A mapping as a person reads it (and as config.toml writes it): `A = 14, B = 30`, not Python's repr."""
    return ", ".join(f"{k} = {v}" for k, v in value.items())


def cell_text(column: Column, value: Any, lang: str) -> str:
    """A listing's cell as a person reads it: a coded value by its label, then formatted (format_cell)."""
    coded = column.coded
    plain = lang == "en" or not coded  # English shows codes as they are, but for a function's words
    if type(value) is str and column.kind != "lunar" and plain and not callable(coded):
        return value  # what shown() and format_cell() give a text that is no code and no lunar day
    return format_cell(column.shown(value, lang), column.kind, lang)


def _json_rows(rows: list[dict[str, Any]], columns: list[Column]) -> list[dict[str, Any]]:
    kinds = {c.key: c.kind for c in columns}
    # a day is ISO text whatever its column's kind (to_jsonable): written here, it saves a call per date cell
    return [
        {
            k: v
            if type(v) in _PLAIN_TYPES
            else v.isoformat()
            if type(v) is date
            else to_jsonable(v, kinds.get(k, "text"))
            for k, v in row.items()
        }
        for row in rows
    ]


def _iso_day(value: Any) -> str:
    """A day as to_jsonable writes it; any other value json does not know stops the fast encoder."""
    if type(value) is date:
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} needs to_jsonable")


# Rows whose cells are JSON values or days (a due list: 140,000 rows) are encoded as they are: json's C encoder
# meets the days and _iso_day writes them, instead of each row being copied through to_jsonable first (0.4 s).
# A cell that needs more (a moment, a Decimal, a NaN: allow_nan=False stops at it) sends the listing the long way;
# so do money columns, whose floats to_jsonable rounds.
_AS_THEY_ARE = json.JSONEncoder(ensure_ascii=False, allow_nan=False, default=_iso_day).encode
_CONVERTED = json.JSONEncoder(ensure_ascii=False).encode


def _json_lines(listing: Listing) -> list[str]:
    """One json object per row."""
    if all(c.kind != "money" for c in listing.columns):
        try:
            return [_AS_THEY_ARE(row) for row in listing.rows]
        except (TypeError, ValueError):
            pass
    return [_CONVERTED(row) for row in _json_rows(listing.rows, listing.columns)]


def _write_json_lines(lines: list[str], chunk: int = 2000) -> None:
    """``[``, the lines separated by ``,``, ``]``, one per line: written a chunk of lines at a time, which for a
    whole book's 40 MB costs a fifth of making it one string first."""
    if not lines:
        sys.stdout.write("[]\n")
        return
    sys.stdout.write("[\n")
    for start in range(0, len(lines), chunk):
        sys.stdout.write((",\n" if start else "") + ",\n".join(lines[start : start + chunk]))
    sys.stdout.write("\n]\n")


TONE_STYLES = {
    "bad": "red",
    "soon": "yellow",
    "good": "green",
}  # colour with a meaning, terminals only
FOLD_MIN = 12  # the narrowest a folding column (names, reasons) gets before columns are dropped
FOLD_MAX = 24  # ... or as wide as its longest word (an order number in a reason), up to this
_FULL_EDGES = 1  # a boxed table: one rule per column plus one, and a space either side of each cell
_COMPACT_GAP = 2  # a compact table: no box, two spaces between columns


@dataclass
class TablePlan:
    """How a listing fits the terminal: the columns shown, their minimum widths, and the box style."""

    columns: list[Column]
    widths: dict[str, int]
    compact: bool = False
    # the width of each folding column when the table is fitted to a terminal: its cells are wrapped here, between
    # words and Chinese characters, never inside a number, a date or a code
    fold_widths: dict[str, int] = field(default_factory=dict)
    # a compact table's other columns, each as wide as it is drawn: what fits the terminal, decided here and
    # not left to Rich, which would widen a header past the terminal's edge for the console to cut
    fixed_widths: dict[str, int] = field(default_factory=dict)


def _words_width(header: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(word) for word in header.split()), default=0)


def _shown_columns(listing: Listing) -> list[Column]:
    return [c for c in listing.columns if c.key not in listing.hidden]


def _row_texts(listing: Listing, rows: list[dict[str, Any]], lang: str) -> list[list[str]]:
    """Each row's cells as shown (cell_text), in the order of _shown_columns: computed once for a table's plan
    and its drawing."""
    columns = _shown_columns(listing)
    return [[cell_text(c, row.get(c.key), lang) for c in columns] for row in rows]


def plan_table(
    listing: Listing,
    lang: str,
    width: int | None,
    rows: list[dict[str, Any]] | None = None,
    texts: list[list[str]] | None = None,
) -> TablePlan:
    """Choose what a table shows at ``width`` columns: ids, codes, dates and amounts whole on one line, names
    and reasons folded; a boxed table if everything fits, else a compact one, else the compact table without the
    columns of highest ``drop`` (one at a time) until it fits. ``width`` None: everything, boxed. ``texts``: the
    rows' cells (_row_texts), when the caller has them."""
    from rich.cells import cell_len

    columns = _shown_columns(listing)
    rows = listing.rows if rows is None else rows
    texts = _row_texts(listing, rows, lang) if texts is None else texts
    widths: dict[str, int] = {}
    natural: dict[str, int] = {}
    blank: set[str] = set()  # columns without a word in any row
    for index, col in enumerate(columns):
        cells = [row_texts[index] for row_texts in texts]
        if listing.footer:
            cells.append(cell_text(col, listing.footer.get(col.key), lang))
        longest = max((cell_len(cell) for cell in cells), default=0)
        if longest == 0:
            blank.add(col.key)
        need = max(longest, _words_width(col.header(lang)))
        natural[col.key] = need
        if col.folds:
            # wide enough for the longest word (a code, an order number, an amount), up to FOLD_MAX
            words = _widest_token(cells, FOLD_MAX)
            widths[col.key] = min(need, max(FOLD_MIN, min(words, FOLD_MAX)))
        else:
            widths[col.key] = need
    if width is None:
        return TablePlan(columns, widths)

    def boxed(cols: list[Column]) -> int:
        return sum(widths[c.key] for c in cols) + 3 * len(cols) + _FULL_EDGES

    def compact(cols: list[Column]) -> int:
        return sum(widths[c.key] for c in cols) + _COMPACT_GAP * (len(cols) - 1)

    overflows = sum(natural[c.key] for c in columns) + 3 * len(columns) + _FULL_EDGES > width
    if rows and blank and len(blank) < len(columns) and overflows:
        # folding needed: a column empty in every row gives its room to the folding ones
        columns = [c for c in columns if c.key not in blank]
    if boxed(columns) <= width:
        spare = width - boxed(columns)
        headers_whole = sum(
            widths[c.key] if c.folds else max(widths[c.key], cell_len(c.header(lang)))
            for c in columns
        )
        if headers_whole + 3 * len(columns) + _FULL_EDGES <= width:
            return TablePlan(columns, widths, fold_widths=_share(columns, widths, natural, spare))
        # tight: Rich would widen a header to one line past the terminal's edge, for the console to cut the last
        # column ("over limit, overdue, bi" at 120 columns): every column as wide as planned
        fixed = _header_widths(columns, widths, lang, spare)
        spare -= sum(fixed[key] - widths[key] for key in fixed)
        return TablePlan(
            columns,
            widths,
            fold_widths=_share(columns, widths, natural, spare),
            fixed_widths=fixed,
        )
    shown = list(columns)
    # the columns of highest ``drop`` first; then, if the rest is still too wide, the others from the right,
    # words before numbers (never the first column, which says what a row is): a column is left out whole and
    # named on stderr, never cut at the terminal's edge, where an amount cut short reads as a real one
    by_drop = sorted((c for c in columns if c.drop > 0), key=lambda c: -c.drop)
    rest = [c for c in reversed(columns[1:]) if c.drop == 0]
    by_drop += sorted(rest, key=lambda c: c.kind in NUMERIC_KINDS)
    while compact(shown) > width and by_drop:
        shown.remove(by_drop.pop(0))
    spare = max(0, width - compact(shown))
    fixed = _header_widths(shown, widths, lang, spare)
    spare -= sum(fixed[key] - widths[key] for key in fixed)
    return TablePlan(
        shown,
        widths,
        compact=True,
        fold_widths=_share(shown, widths, natural, spare),
        fixed_widths=fixed,
    )


def _header_widths(
    columns: list[Column], widths: dict[str, int], lang: str, spare: int
) -> dict[str, int]:
    """Each column that does not fold as wide as it is drawn: its planned width, plus what puts its header on one
    line where the ``spare`` columns allow, left to right."""
    from rich.cells import cell_len

    fixed: dict[str, int] = {}
    for col in columns:
        if col.folds:
            continue
        more = max(0, cell_len(col.header(lang)) - widths[col.key])
        if more > spare:
            more = 0
        spare -= more
        fixed[col.key] = widths[col.key] + more
    return fixed


def _share(
    columns: list[Column], widths: dict[str, int], natural: dict[str, int], spare: int
) -> dict[str, int]:
    """The folding columns' widths: their minimum, plus the spare columns of the terminal shared in proportion to
    what each still lacks for its longest value."""
    folding = [c for c in columns if c.folds]
    lacking = {c.key: natural[c.key] - widths[c.key] for c in folding}
    total = sum(lacking.values())
    if total <= spare:
        return {c.key: natural[c.key] for c in folding}
    out = {c.key: widths[c.key] + spare * lacking[c.key] // total for c in folding}
    return out


def _widest_token(cells: list[str], enough: int) -> int:
    """The widest of the cells' tokens (0 if none), or a width of at least ``enough`` once one has it.

    tokens never joins across a space, so a cell's tokens are its spaces and the tokens of each run without
    spaces, taken alone; a run of ASCII is a single token, and a run is never narrower than one of its tokens
    (without the zero-width joiner or VS16, which measure differently as a whole)."""
    from rich.cells import cell_len

    widest = 0
    for cell in cells:
        if widest >= enough:
            break
        if any(ch.isspace() for ch in set(cell)):
            widest = max([widest, *(cell_len(ch) for ch in set(cell) if ch.isspace())])
        for run in cell.split():
            if run.isascii():
                widest = max(widest, cell_len(run))
            elif "\u200d" in run or "\ufe0f" in run or cell_len(run) > widest:
                widest = max([widest, *(cell_len(token) for token in tokens(run))])
    return widest


def rich_table(
    listing: Listing,
    lang: str,
    rows: list[dict[str, Any]] | None = None,
    title: str | None = None,
    width: int | None = None,
    plan: TablePlan | None = None,
    texts: list[list[str]] | None = None,
):
    """The Rich table of a listing, fitted to ``width`` terminal columns (see plan_table); ``texts``: the
    rows' cells (_row_texts), when the caller has them."""
    from rich import box
    from rich.text import Text

    rows = listing.rows if rows is None else rows
    title = title if title is not None else listing.title
    tone = TONE_STYLES.get(listing.title_tone or "")
    texts = _row_texts(listing, rows, lang) if texts is None else texts
    plan = plan or plan_table(listing, lang, width, rows, texts)
    options: dict[str, Any] = (
        {"box": box.SIMPLE_HEAD, "show_edge": False, "pad_edge": False, "collapse_padding": True}
        if plan.compact
        else {}
    )
    table = table_class()(
        title=Text(title, style=tone) if title and tone else title,
        show_lines=False,
        title_justify="left",
        **options,
    )
    folded = plan.fold_widths
    for col in plan.columns:
        table.add_column(
            # the header may wrap between words; the values below it are never cut unless they fold
            Text(col.header(lang), no_wrap=False, overflow="fold"),
            justify="right" if col.kind in NUMERIC_KINDS else "left",
            no_wrap=not col.folds,
            overflow="fold",
            min_width=plan.widths[col.key],
            width=folded.get(col.key, plan.fixed_widths.get(col.key)),
        )
    # cells as Text, not str: a value is shown as it is (a name with [brackets] is not Rich markup), and Rich
    # skips parsing markup in every cell
    position = {c.key: i for i, c in enumerate(_shown_columns(listing))}
    indices = [position[c.key] for c in plan.columns]
    for row, row_texts in zip(rows, texts, strict=True):
        tone = listing.tone(row) if listing.tone else None
        cells = (row_texts[i] for i in indices)
        table.add_row(
            *(
                Text(wrap_cell(cell, folded[c.key]) if c.key in folded else cell)
                for c, cell in zip(plan.columns, cells, strict=True)
            ),
            style=TONE_STYLES[tone] if tone else None,
        )
    if listing.footer:
        table.add_section()
        table.add_row(
            *(Text(cell_text(c, listing.footer.get(c.key), lang)) for c in plan.columns),
            style="bold",
        )
    return table


def _draw(
    listing: Listing,
    state: Screen,
    plan: TablePlan,
    texts: list[list[str]],
    rows: list[dict[str, Any]] | None = None,
    title: str | None = None,
) -> None:
    """One table of the listing: its plain lines where the screen is plain text and they can be drawn without
    Rich (plain_table.plain_lines), else Rich's."""
    from rich.cells import cell_len

    width = state.plain_width
    title = title if title is not None else listing.title
    # a title of plain words gets a line of its own, whole, when it is wider than the table: Rich folds it at the
    # table's edge (`ABC 分类，按销售额，…，截至` / `2026-11-20` above a narrow table)
    # (one the screen itself would fold stays Rich's to fold, as before)
    own_line = title is not None and _plain_title(title) and cell_len(title) <= _width(state)
    if width is not None:
        lang, folded, fixed = state.lang, plan.fold_widths, plan.fixed_widths
        position = {c.key: i for i, c in enumerate(_shown_columns(listing))}
        indices = [position[c.key] for c in plan.columns]
        lines = plain_lines(
            None if own_line else title,
            [c.header(lang) for c in plan.columns],
            [c.kind in NUMERIC_KINDS for c in plan.columns],
            [folded.get(c.key, fixed.get(c.key)) for c in plan.columns],
            [plan.widths[c.key] for c in plan.columns],
            [
                [
                    wrap_cell(row_texts[i], folded[c.key]) if c.key in folded else row_texts[i]
                    for c, i in zip(plan.columns, indices, strict=True)
                ]
                for row_texts in texts
            ],
            [cell_text(c, listing.footer.get(c.key), lang) for c in plan.columns]
            if listing.footer
            else None,
            "compact" if plan.compact else "boxed",
            width,
        )
        if lines is not None:
            if own_line:
                assert title is not None
                table_width = cell_len(lines[0])
                spare = table_width - cell_len(title)
                lines = [title + " " * spare if spare >= 0 else title, *lines]
            write_lines(sys.stdout, lines)
            return
    table = rich_table(listing, state.lang, rows=rows, title=title, plan=plan, texts=texts)
    if not own_line:
        state.out.print(table)
        return
    # as Rich styles a title: a plain one "table.title", a toned one (a refused check: red) its tone alone
    title_style = TONE_STYLES.get(listing.title_tone or "") or "table.title"
    table.title = None
    from rich.segment import Segment, Segments
    from rich.text import Text

    assert title is not None
    console = state.out
    drawn = console.render_lines(table, console.options, pad=False)  # drawn once, measured, printed
    spare = max((Segment.get_line_length(line) for line in drawn), default=0) - cell_len(title)
    console.print(Text(title + " " * spare if spare >= 0 else title, style=title_style))
    console.print(Segments([part for line in drawn for part in (*line, Segment.line())]))


def _plain_title(title: str) -> bool:
    """A title kacrm may draw itself: one line of printable words without blanks at its ends, and nothing Rich
    would read as markup (plain_table hands such a title to Rich as it is)."""
    return title.isprintable() and title == title.strip() and markup_free(title)


# what Rich's emoji codes look like (rich._emoji_replace): two colons with no blank between them; a line without
# one has none to replace, and Rich need not load its table of them (~2 ms)
_EMOJI_CODE = re.compile(r":\S*:")


def print_line(line: str, state: Screen, *, markup: bool = True, err: bool = False) -> None:
    """A line on stdout (``err``: stderr) as ``state.out.print`` (``state.err.print``) prints it, Rich
    ``markup`` read or not: written as it is where the stream is plain text and Rich would print it so: words
    that fit, no blank at an end, no markup ("[") when it is read, no emoji code (":name:")."""
    width = state.plain_err_width if err else state.plain_width
    emoji = _EMOJI_CODE.search(line) is not None
    if width is not None and not emoji and not (markup and "[" in line):
        parts = line.split("\n")
        if all(part == part.strip() for part in parts) and _fits(parts, width):
            write_lines(sys.stderr if err else sys.stdout, [line])
            return
    (state.err if err else state.out).print(line, markup=markup, emoji=emoji)


def _fits(lines: list[str], width: int) -> bool:
    from rich.cells import cell_len

    return all(line.isprintable() and cell_len(line) <= width for line in lines)


def _width(state: Screen) -> int:
    """The screen's width: a plain one's without making its console."""
    plain = state.plain_width
    return plain if plain is not None else state.out.width


def print_table(listing: Listing, state: Screen) -> None:
    """A listing as Rich tables on the screen, fitted to its width, one table per group if it has groups."""
    width = _width(state)
    if not listing.group_by:
        texts = _row_texts(listing, listing.rows, state.lang)
        plan = plan_table(listing, state.lang, width, texts=texts)
        _draw(listing, state, plan, texts)
        _say_hidden_columns(listing, plan, state)
        return
    if listing.title:
        print_line(listing.title, state)
    groups: dict[Any, list[dict[str, Any]]] = {}
    for row in listing.rows:
        groups.setdefault(row.get(listing.group_by), []).append(row)
    limit = listing.group_limit
    shown = {
        key: rows if limit is None or len(rows) <= limit else rows[:limit]
        for key, rows in groups.items()
    }
    texts = {key: _row_texts(listing, rows, state.lang) for key, rows in shown.items()}
    # One plan for all groups: the same columns in every day's table.
    plan = plan_table(
        listing,
        state.lang,
        width,
        [r for rows in shown.values() for r in rows],
        [cells for group in texts.values() for cells in group],
    )
    cut = False
    for key, rows in groups.items():
        _draw(listing, state, plan, texts[key], rows=shown[key], title=str(key))
        if len(shown[key]) < len(rows):
            cut = True
            print_line(
                listing.group_more.format(more=len(rows) - len(shown[key]), total=len(rows)), state
            )
    if cut and listing.cut_hint:
        print_line(listing.cut_hint, state)
    _say_hidden_columns(listing, plan, state)


def _say_hidden_columns(listing: Listing, plan: TablePlan, state: Screen) -> None:
    """Name on stderr the columns a narrow terminal left out, so that a row's total without some of its parts
    (credit aging without its youngest buckets) is not read as the sum of what is shown."""
    shown = {c.key for c in plan.columns}
    # a column empty in every row hides nothing (the import's "unknown columns" of a file that has none)
    hidden = [
        c
        for c in listing.columns
        if c.key not in listing.hidden
        and c.key not in shown
        and any(row.get(c.key) not in (None, "", []) for row in listing.rows)
    ]
    if not hidden or not listing.rows:
        return
    lang, separator = state.lang, text("list_separator", state.lang)
    note = t("table_columns_hidden", lang, columns=separator.join(c.header(lang) for c in hidden))
    if listing.adds_up is not None and listing.adds_up[0] in shown:
        total, parts = listing.adds_up
        left_out = [c.header(lang) for c in hidden if c.key in parts]
        if left_out:
            header = next(c.header(lang) for c in plan.columns if c.key == total)
            note += t("table_total_includes", lang, total=header, columns=separator.join(left_out))
    print_note(note, state)


def print_note(note: str, state: Screen) -> None:
    """A note on stderr, its text as it is (no markup): folded here at a terminal, between words and Chinese
    characters (kacrm.render.fold), where Rich would break "--format" of a Chinese line at any character; one
    line each off a terminal (a log line is greppable whole)."""
    state.err.print(
        note if state.err.soft_wrap else fold_lines(note, state.err.width), markup=False
    )


def _csv_cell(value: Any, kind: str = "text") -> Any:
    """Plain values, money with two decimals as `kacrm export` writes it (10000.00, not 10000.0); text that a
    spreadsheet would run as a formula gets an apostrophe first, as in export."""
    value = to_jsonable(value, kind)
    if kind == "money" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:.2f}"
    if isinstance(value, list):
        value = ";".join(str(v) for v in value)
    return neutralise_cell(value) if isinstance(value, str) else value


def emit(listing: Listing, fmt: str, state: Screen) -> None:
    """Print a listing on stdout in the chosen format."""
    fmt = str(getattr(fmt, "value", fmt))
    if fmt == "json":
        # One object per line: readable, and fast (json's C encoder is used only without indent).
        _write_json_lines(_json_lines(listing))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        columns = listing.columns
        writer.writerow([c.key for c in columns])
        for row in listing.rows:
            writer.writerow([_csv_cell(row.get(c.key), c.kind) for c in columns])
    elif fmt == "md":
        columns = listing.columns
        lines = ["| " + " | ".join(c.header(state.lang) for c in columns) + " |"]
        lines.append(
            "|" + "|".join("---:" if c.kind in NUMERIC_KINDS else "---" for c in columns) + "|"
        )
        for row in listing.rows:
            cells = (cell_text(c, row.get(c.key), state.lang).replace("|", "\\|") for c in columns)
            lines.append("| " + " | ".join(cells) + " |")
        sys.stdout.write("\n".join(lines) + "\n")
    elif not listing.rows:
        # An empty answer on a terminal: one line on stderr, nothing on stdout.
        sys.stdout.flush()
        sys.stderr.write((listing.empty or t("output_empty", state.lang)) + "\n")
        sys.stderr.flush()
    else:
        print_table(listing, state)
    sys.stdout.flush()


def emit_object(
    obj: dict[str, Any],
    fmt: str,
    state: Screen,
    title: str | None = None,
    tone: Tone | None = None,
) -> None:
    """Print one record: a json object, or a two-column key/value table (md and csv alike); ``tone``
    colours the table's title on a terminal."""
    fmt = str(getattr(fmt, "value", fmt))
    if fmt == "json":
        sys.stdout.write(json.dumps(to_jsonable(obj), ensure_ascii=False, indent=2) + "\n")
        sys.stdout.flush()
        return
    scalars = [
        {
            "field": k,
            "value": format_cell(v, "money" if isinstance(v, Decimal) else "text", state.lang),
        }
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
        title_tone=tone,
    )
    emit(listing, fmt, state)

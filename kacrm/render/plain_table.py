"""A Rich table drawn line by line when the console writes plain text (a pipe, a file, cron; issue 19).

Rich renders every cell through its whole machinery (a Padding around a Text, wrapped, cropped, aligned, shaped),
about 0.1 ms a cell: most of `customer list` (200 rows × 16 columns) or `due --week` on a small book. When the
console has no colour system no style is written, so a cell that fits its column on one line is only its text
justified between its paddings. ``table_class()`` is Rich's Table with that shortcut; everything else (the column
widths, the title, a cell that wraps, a header on two lines, the box characters) is Rich's own, so the output is
the same text. On a terminal (a colour system: styles, tones) Rich draws the table as always.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from rich.cells import cell_len


@cache
def _rich_types() -> tuple[type, type]:
    """Rich's Padding and Text, imported once they are needed (not by the json, csv or md outputs)."""
    from rich.padding import Padding
    from rich.text import Text

    return Padding, Text


def _padded_text(renderable: Any) -> Any:
    """The Text inside a cell's Padding (what kacrm's tables hold), else None."""
    padding_type, text_type = _rich_types()
    if type(renderable) is padding_type and type(renderable.renderable) is text_type:
        return renderable.renderable
    return None


def _gaps(lines: list[str], inner: int) -> list[int] | None:
    """The blank each line leaves in ``inner`` columns, or None unless every line is printable text without
    leading or trailing blanks that fits."""
    gaps = []
    for line in lines:
        if not line.isprintable() or line != line.strip():
            return None
        size = cell_len(line)
        if size > inner:
            return None
        gaps.append(inner - size)
    return gaps


def _cell_lines(console: Any, options: Any, cell: Any, width: int, column: Any) -> list[str]:
    """A cell's lines, each exactly ``width`` columns: lines of text that fit, justified between the paddings,
    here; anything else by Rich (with ``options`` for the column, made only then: a copy costs as much as the
    cell)."""
    justify = column.justify
    padding = cell.renderable
    text = _padded_text(padding)
    if text is not None and not padding.top and not padding.bottom and text.justify is None:
        inner = width - padding.left - padding.right
        plain = text.plain
        # one line (printable text has no line break), the common cell; else each line of it
        lines = [plain] if plain.isprintable() else plain.split("\n")
        gaps = _gaps(lines, inner) if justify in ("left", "right", "default", None) else None
        if gaps is not None:
            left, right = " " * padding.left, " " * padding.right
            if justify == "right":
                return [
                    f"{left}{' ' * gap}{line}{right}" for line, gap in zip(lines, gaps, strict=True)
                ]
            return [
                f"{left}{line}{' ' * gap}{right}" for line, gap in zip(lines, gaps, strict=True)
            ]
    options = options.update(
        width=width,
        justify=justify,
        no_wrap=column.no_wrap,
        overflow=column.overflow,
        height=None,
        highlight=column.highlight,
    )
    rendered = console.render_lines(padding, options, style=console.get_style(cell.style))
    return ["".join(segment.text for segment in line) for line in rendered]


def _normalize(low: int, high: int) -> tuple[int, int]:
    low = min(max(0, low), high)
    return max(0, low), max(0, max(low, high))


def _get(max_width: int, low: int, high: int) -> tuple[int, int]:
    """Measurement.get's steps (rich/measure.py) on what a renderable's __rich_measure__ returned."""
    low, high = _normalize(low, high)
    low, high = min(low, max_width), min(high, max_width)
    return (0, 0) if high < 1 else _normalize(low, high)


def _measure_padded_text(left: int, right: int, plain: str, max_width: int) -> tuple[int, int]:
    """Measurement.get of a Padding (``left`` and ``right`` blank columns) around a Text of ``plain``, as Padding
    and Text measure themselves (rich 13–15)."""
    if max_width < 1:
        return 0, 0
    extra = left + right
    if max_width - extra < 1:
        return _get(max_width, max_width, max_width)
    if plain.isprintable():  # one line whose only blank is the space: its words are split by spaces
        high = cell_len(plain)
        low = (
            max((cell_len(word) for word in plain.split()), default=high) if " " in plain else high
        )
        # 0 <= low <= high and max_width >= 1: the two _get below come down to clamping to max_width
        low, high = min(low, max_width), min(high, max_width)
        if high < 1:
            low = high = 0
        low, high = min(low + extra, max_width), min(high + extra, max_width)
        return (0, 0) if high < 1 else (low, high)
    lines = plain.splitlines()
    high = max(cell_len(line) for line in lines) if lines else 0
    words = plain.split()
    low = max(cell_len(word) for word in words) if words else high
    low, high = _get(max_width, low, high)
    return _get(max_width, min(low + extra, max_width), min(high + extra, max_width))


@cache
def table_class() -> type:
    """Rich's Table, drawn as plain lines when the console writes no styles."""
    from rich.measure import Measurement
    from rich.segment import Segment
    from rich.style import Style
    from rich.table import Table
    from rich.text import Text

    class PlainTable(Table):  # type: ignore[misc]
        def __rich_console__(self, console: Any, options: Any) -> Any:
            """Table.__rich_console__, with a title of plain words given as the Text that
            console.render_str would make of it: without "[" there is no markup, with fewer than two ":" no
            emoji code (":name:"), so Rich need not load its table of emoji codes (~2 ms) to find none."""
            title = self.title
            if title and isinstance(title, str) and markup_free(title):
                self.title = Text(title, style=Style.pick_first(self.title_style, "table.title"))
            try:
                yield from super().__rich_console__(console, options)
            finally:
                self.title = title

        def _get_cells(self, console: Any, column_index: int, column: Any) -> Any:
            """Table._get_cells, kept: a column's cells (a Padding around each) are measured, then drawn, and
            a table is drawn once its rows are all added."""
            cache = self.__dict__.setdefault("_kacrm_cells", {})
            if column_index not in cache:
                cache[column_index] = list(super()._get_cells(console, column_index, column))
            return cache[column_index]

        def _measure_column(self, console: Any, options: Any, column: Any) -> Any:
            """Table._measure_column, with the cells of text measured without Rich's generic path."""
            max_width = options.max_width
            if max_width < 1 or column.width is not None:
                return super()._measure_column(console, options, column)
            padding_width = self._get_padding_width(column._index)
            lows, highs = [], []
            for cell in self._get_cells(console, column._index, column):
                text = _padded_text(cell.renderable)
                if text is None:
                    low, high = Measurement.get(console, options, cell.renderable)
                else:
                    padding = cell.renderable
                    low, high = _measure_padded_text(
                        padding.left, padding.right, text.plain, max_width
                    )
                lows.append(low)
                highs.append(high)
            measurement = Measurement(
                max(lows) if lows else 1, max(highs) if highs else max_width
            ).with_maximum(max_width)
            return measurement.clamp(
                None if column.min_width is None else column.min_width + padding_width,
                None if column.max_width is None else column.max_width + padding_width,
            )

        def _render(self, console: Any, options: Any, widths: list[int]) -> Any:
            if console.color_system is not None or self.show_footer or self.leading:
                yield from super()._render(console, options, widths)
                return
            lines = _plain_lines(self, console, options, widths)
            line_type = _table_line(cell_len(lines[0])) if lines else Segment
            for line in lines:
                yield line_type(line)
                yield Segment.line()

    return PlainTable


@cache
def _table_line(width: int) -> type:
    """Rich's Segment for a line of a plain table, its cell length known: every line of the table is as wide as
    the first (each cell's lines are exactly its column's width, the edges and dividers the same on every row),
    so the console need not measure each line again when it crops them to its width, character by character
    once a line holds a Chinese name (~5 ms for `credit`'s 193 rows)."""
    from rich.segment import Segment

    return type("TableLine", (Segment,), {"__slots__": (), "cell_length": width})


def _plain_lines(table: Any, console: Any, options: Any, widths: list[int]) -> list[str]:
    """The lines of Table._render (rich/table.py) without styles, for a table with no footer and no leading."""
    columns = table.columns
    cells_by_column = [list(table._get_cells(console, i, c)) for i, c in enumerate(columns)]
    safe = table.safe_box if table.safe_box is not None else console.safe_box
    box = table.box.substitute(options, safe=safe) if table.box else None
    if box and not table.show_header:
        box = box.get_plain_headed_box()
    show_header, show_edge = table.show_header, table.show_edge
    out: list[str] = []
    if box and show_edge:
        out.append(box.get_top(widths))
    rows = list(zip(*cells_by_column, strict=True))
    edges = (
        [
            (box.head_left, box.head_right, box.head_vertical),
            (box.mid_left, box.mid_right, box.mid_vertical),
            (box.foot_left, box.foot_right, box.foot_vertical),
        ]
        if box
        else []
    )
    for index, row_cells in enumerate(rows):
        first, last = index == 0, index == len(rows) - 1
        header_row = first and show_header
        cells = []
        for width, cell, column in zip(widths, row_cells, columns, strict=True):
            cells.append(_cell_lines(console, options, cell, width, column))
        height = max(len(lines) for lines in cells)
        for width, lines, cell in zip(widths, cells, row_cells, strict=True):
            blank = [" " * width] * (height - len(lines))
            vertical = "bottom" if header_row else cell.vertical
            if vertical == "bottom":
                lines[:0] = blank
            elif vertical == "middle":
                top = (height - len(lines)) // 2
                lines[:0] = blank[:top]
                lines.extend(blank[top:])
            else:
                lines.extend(blank)
        if box:
            left, right, divider = edges[0 if first else (2 if last else 1)]
            for line_no in range(height):
                line = divider.join(lines[line_no] for lines in cells)
                out.append(f"{left}{line}{right}" if show_edge else line)
        else:
            out.extend("".join(lines[line_no] for lines in cells) for line_no in range(height))
        if box and header_row:
            out.append(box.get_row(widths, "head", edge=show_edge))
        row = table.rows[index - show_header] if not header_row else None
        if (
            box
            and (table.show_lines or (row is not None and row.end_section))
            and not last
            and not header_row
        ):
            out.append(box.get_row(widths, "row", edge=show_edge))
    if box and show_edge:
        out.append(box.get_bottom(widths))
    return out


def write_lines(stream: Any, lines: list[str]) -> None:
    """Lines on ``stream``, flushed as Rich's console flushes what it prints (stdout and stderr in one file,
    `2>&1`, stay in the order they were written)."""
    stream.write("".join(f"{line}\n" for line in lines))
    stream.flush()


def _wrapped(words: str, width: int) -> list[str] | None:
    """A header's lines as Rich wraps it (rich._wrap.divide_line): a word goes on the line if it fits what the
    line's words and a space after each leave; None when a word is wider than ``width`` (Rich folds it) or the
    words are not one space apart."""
    if words != words.strip() or "  " in words:
        return None
    lines: list[str] = []
    offset = 0
    for word in words.split(" "):
        size = cell_len(word)
        if size > width:
            return None
        if lines and width - offset >= size:
            lines[-1] += f" {word}"
            offset += size + 1
        else:
            lines.append(word)
            offset = size + 1
    return lines


def markup_free(text: str) -> bool:
    """Whether Rich prints ``text`` as it is when it reads markup and emoji codes: no "[" (no markup), fewer
    than two ":" (no emoji code ":name:")."""
    return "[" not in text and text.count(":") < 2


def plain_lines(
    title: str | None,
    headers: list[str] | None,
    on_right: list[bool],
    widths_given: list[int | None],
    min_widths: list[int | None],
    rows: list[list[str]],
    footer: list[str] | None,
    kind: str,
    max_width: int,
) -> list[str] | None:
    """The lines Rich draws, without a colour system, for the tables kacrm builds: output.rich_table's (its title
    on the left, a column per header with ``min_widths``, ``widths_given`` where set, numbers ``on_right``; a
    footer after a section; ``kind`` "compact": SIMPLE_HEAD, no edge, collapsed padding; "boxed": HEAVY_HEAD with
    a space either side) and charts._rich_bars' ("bare": no box, no header, a space either side), on a console
    ``max_width`` columns wide; drawn without importing Rich's console (issue 19: ~20 ms of a read command).
    None when Rich must draw it: the table wider than the console, a cell or header that wraps, a title Rich
    would read as markup or wrap, a cell with tabs, spaces at its ends or control characters."""
    from rich import box as boxes

    box = {"boxed": boxes.HEAVY_HEAD, "compact": boxes.SIMPLE_HEAD, "bare": None}[kind]
    compact = kind == "compact"
    count = len(on_right)
    # the dividers, and the two edges of a boxed table
    extra = 0 if box is None else count - 1 + (0 if compact else 2)
    inner_max = max_width - extra
    table = [*([headers] if headers is not None else []), *rows, *([footer] if footer else [])]
    if not table:
        return None
    pads = [
        (0, 0 if i == count - 1 else 1) if compact else (1, 1) for i in range(count)
    ]  # (left, right) of every cell of a column: Table._get_cells' padding of (0, 1)
    widths = []
    for i, (left, right) in enumerate(pads):  # Table._measure_column's maximum
        given = widths_given[i]
        if given is not None:
            width = min(given + left + right, inner_max)
        else:
            width = max(
                _measure_padded_text(left, right, cells[i], inner_max)[1] for cells in table
            )
            width = min(width, inner_max)
            if min_widths[i] is not None:
                width = max(width, min_widths[i] + left + right)
        widths.append(width or 1)
    table_width = sum(widths) + extra
    if sum(widths) > inner_max:
        return None  # Rich would collapse the columns
    out: list[str] = []
    if title:
        if not markup_free(title) or _gaps([title], table_width) is None:
            return None
        out.append(title + " " * (table_width - cell_len(title)))
    if box is not None and not compact:
        out.append(box.get_top(widths))
    for index, cells in enumerate(table):
        header, last = index == 0 and headers is not None, index == len(table) - 1
        drawn = []
        for cell, width, (left, right), at_right in zip(cells, widths, pads, on_right, strict=True):
            lines = [cell] if cell.isprintable() else cell.split("\n")
            gaps = _gaps(lines, width - left - right)
            if gaps is None and header and cell.isprintable():
                lines = _wrapped(cell, width - left - right)
                gaps = None if lines is None else _gaps(lines, width - left - right)
            if gaps is None:
                return None
            before, after = " " * left, " " * right
            drawn.append(
                [
                    f"{before}{' ' * gap}{line}{after}"
                    if at_right
                    else f"{before}{line}{' ' * gap}{after}"
                    for line, gap in zip(lines, gaps, strict=True)
                ]
            )
        height = max(len(lines) for lines in drawn)
        for width, lines in zip(widths, drawn, strict=True):
            blank = [" " * width] * (height - len(lines))
            if header:  # a header sits on the row's bottom, a cell at its top
                lines[:0] = blank
            else:
                lines.extend(blank)
        if box is None:
            out.extend("".join(lines[line_no] for lines in drawn) for line_no in range(height))
            continue
        left_edge, right_edge, divider = (
            (box.head_left, box.head_right, box.head_vertical)
            if index == 0
            else (box.foot_left, box.foot_right, box.foot_vertical)
            if last
            else (box.mid_left, box.mid_right, box.mid_vertical)
        )
        for line_no in range(height):
            line = divider.join(lines[line_no] for lines in drawn)
            out.append(line if compact else f"{left_edge}{line}{right_edge}")
        if header:
            out.append(box.get_row(widths, "head", edge=not compact))
        elif footer and index == len(table) - 2:  # the section before the footer
            out.append(box.get_row(widths, "row", edge=not compact))
    if box is not None and not compact:
        out.append(box.get_bottom(widths))
    return out

"""Issue 19: kacrm's tables drawn as plain lines (render/plain_table.py) are Rich's tables, character for character.

Each case builds the same table twice, once with Rich's own Table and once with kacrm's, and prints both on a
console of the same width: without a colour system (a pipe: kacrm's own drawing) and on a colour terminal
(Rich's drawing, with kacrm's measuring of the cells). The cases are the shapes kacrm's listings take (boxed and
compact, numbers on the right, folded cells, a footer after a section, Chinese) and the ones the shortcut must hand
back to Rich (a value wider than its column, a header that wraps, tabs, spaces at the ends, a justified Text).
"""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from kacrm.render.plain_table import table_class

COMPACT = {"box": box.SIMPLE_HEAD, "show_edge": False, "pad_edge": False, "collapse_padding": True}
ROWS = [
    ["KH0001", "深圳市鹏程智能装备（集团）有限公司", "1,234,567.89", "2026-11-20"],
    ["KH0002", "Acme Trading Co. Ltd", "0.00", ""],
    ["KH0003", "上海\n浦东", "12.50", "2026-01-02"],
    ["", "a name far too long for the narrowest column it could be given", "9", "x"],
    ["KH0005", "  spaces at both ends  ", "1", "tab\there"],
]


def build(cls: type, options: dict[str, Any], fold: int | None, title: str | None) -> Any:
    table = cls(title=title, title_justify="left", show_lines=False, **options)
    table.add_column(Text("Code", no_wrap=False, overflow="fold"), no_wrap=True, overflow="fold")
    table.add_column(
        Text("Customer name", no_wrap=False, overflow="fold"), overflow="fold", width=fold
    )
    table.add_column(
        Text("Outstanding amount", no_wrap=False, overflow="fold"),
        justify="right",
        no_wrap=True,
        overflow="fold",
        min_width=6,
    )
    table.add_column(Text("Last order", no_wrap=False, overflow="fold"), no_wrap=True)
    for i, row in enumerate(ROWS):
        table.add_row(*(Text(cell) for cell in row), style="red" if i == 1 else None)
    table.add_row(Text("centred", justify="center"), Text("x"), Text("1"), Text("y"))
    table.add_section()
    table.add_row(Text("Total"), Text(""), Text("1,234,590.39"), Text(""), style="bold")
    return table


def printed(table: Any, width: int, terminal: bool) -> str:
    console = Console(
        file=StringIO(),
        width=width,
        force_terminal=terminal,
        color_system="truecolor" if terminal else None,
        highlight=False,
        soft_wrap=False,
    )
    console.print(table)
    return console.file.getvalue()


@pytest.mark.parametrize("terminal", [False, True], ids=["pipe", "terminal"])
@pytest.mark.parametrize("options", [{}, COMPACT], ids=["boxed", "compact"])
@pytest.mark.parametrize("fold", [None, 12])
@pytest.mark.parametrize("title", [None, "逾期 Overdue"])
@pytest.mark.parametrize("width", [30, 60, 80, 200])
def test_the_plain_drawing_is_riches(terminal, options, fold, title, width) -> None:
    ours = printed(build(table_class(), options, fold, title), width, terminal)
    assert ours == printed(build(Table, options, fold, title), width, terminal)
    assert ("KH0001" in ours) == (width >= 60)  # at 30 columns Rich folds even the code column


# A title of plain words (one colon at most) is handed to Rich as a Text; one with markup or two colons (an emoji
# code may be between them) is Rich's to read
TITLES = [
    "Credit overview",
    "Pareto: revenue by customer rank",
    "Late:warning: 3",
    "Late :no_such_code: 3",
    "[bold]Due[/bold] soon",
    "Late :warning: 3",
    "Totals: 12:30",
    "a [b] c",
    "客户：逾期",
]


@pytest.mark.parametrize("terminal", [False, True], ids=["pipe", "terminal"])
@pytest.mark.parametrize("title", TITLES)
@pytest.mark.parametrize("width", [30, 80])
def test_titles_are_read_as_rich_reads_them(terminal, title, width) -> None:
    ours = build(table_class(), {}, None, title)
    assert printed(ours, width, terminal) == printed(build(Table, {}, None, title), width, terminal)
    assert ours.title == title  # given back after the drawing


def test_a_plain_console_takes_the_shortcut(monkeypatch: pytest.MonkeyPatch) -> None:
    # the cases above would pass if nothing took the shortcut: on a pipe, only the cells it hands back (the long
    # name, the spaces, the tab, the centred Text, headers that wrap) go through Rich's rendering
    calls: list[Any] = []
    render_lines = Console.render_lines

    def counted(self: Console, *args: Any, **kwargs: Any) -> Any:
        calls.append(args[0])
        return render_lines(self, *args, **kwargs)

    monkeypatch.setattr(Console, "render_lines", counted)
    printed(build(table_class(), {}, None, None), 200, terminal=False)
    handed_back = [c.renderable.plain for c in calls if isinstance(c, Padding)]
    assert handed_back == ["  spaces at both ends  ", "tab\there", "centred"]
    calls.clear()
    printed(build(Table, {}, None, None), 200, terminal=False)
    assert len([c for c in calls if isinstance(c, Padding)]) == 4 * (
        1 + len(ROWS) + 2
    )  # every cell


@pytest.mark.parametrize(
    "options", [{}, COMPACT, {"box": None}], ids=["boxed", "compact", "no-box"]
)
@pytest.mark.parametrize("fold", [None, 12])
@pytest.mark.parametrize("width", [30, 60, 200])
def test_every_line_of_a_plain_table_is_as_wide_as_its_first(options, fold, width) -> None:
    # the console is told each line's width from the first's (kacrm.render.plain_table._table_line): measured here
    # by Rich, line by line (Chinese names, folded cells, a footer, a 30-column console)
    from rich.cells import cell_len

    lines = printed(build(table_class(), options, fold, None), width, False).splitlines()
    assert len({cell_len(line) for line in lines}) == 1

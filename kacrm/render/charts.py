"""Charts drawn in Python: inline SVG for the HTML report, and bars of block characters for the terminal.

No JavaScript and nothing fetched: the SVG is plain markup that any browser draws offline.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from kacrm.analysis.report import top_count
from kacrm.render.html import escape
from kacrm.render.plain_table import plain_lines, table_class, write_lines

if TYPE_CHECKING:
    from rich.console import RenderableType

    from kacrm.render.output import Screen

WIDTH, HEIGHT = 520, 320
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 56, 16, 16, 44
BAR_COLOURS = ("#3b6ea8", "#5b8fc7", "#7aa9d6", "#9bc1e2", "#c47f3a", "#b8503d", "#8c2f2f")
TERMINAL_BAR_WIDTH = 36


class BarChart(NamedTuple):
    """Horizontal bars: one label and one non-negative value per bar."""

    title: str
    labels: Sequence[str]
    values: Sequence[float]
    css_class: str
    fmt: Callable[[float], str] = lambda v: f"{v:,.0f}"

    def svg(self) -> str:
        n = max(1, len(self.values))
        row = 28
        label_w, value_w = 150, 110
        height = MARGIN_TOP + n * row + 8
        plot_w = WIDTH - label_w - value_w
        top = max([*self.values, 0.0]) or 1.0
        parts = [_svg_open(self.title, self.css_class, height)]
        for i, (label, value) in enumerate(zip(self.labels, self.values, strict=True)):
            y = MARGIN_TOP + i * row
            w = max(0.0, value) / top * plot_w
            colour = BAR_COLOURS[i % len(BAR_COLOURS)]
            parts.append(
                f'<text x="{label_w - 8}" y="{y + 18}" text-anchor="end" class="label">{escape(label)}</text>'
                f'<rect class="bar" x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" fill="{colour}">'
                f"<title>{escape(label)}: {escape(self.fmt(value))}</title></rect>"
                f'<text x="{label_w + w + 6:.1f}" y="{y + 18}" class="value">{escape(self.fmt(value))}</text>'
            )
        parts.append("</svg>")
        return "".join(parts)

    def rich(self) -> RenderableType:
        return _rich_bars(self.title, self.bars())

    def bars(self) -> list[list[str]]:
        """The rows of the terminal's bars: label, bar, value."""
        top = max([*self.values, 0.0]) or 1.0
        return _bar_rows(
            self.labels, [v / top for v in self.values], [self.fmt(v) for v in self.values]
        )


class ParetoChart(NamedTuple):
    """The cumulative revenue share (y) against the share of customers ranked by revenue (x), both 0…1."""

    title: str
    points: Sequence[tuple[float, float]]
    x_label: str
    y_label: str
    css_class: str = "pareto"

    def svg(self) -> str:
        plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
        plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

        def px(x: float) -> str:
            return f"{MARGIN_LEFT + x * plot_w:.1f}"

        def py(y: float) -> str:
            return f"{MARGIN_TOP + (1 - y) * plot_h:.1f}"

        parts = [_svg_open(self.title, self.css_class, HEIGHT)]
        for tick in range(0, 101, 20):  # grid lines and axis labels every 20%
            f = tick / 100
            parts.append(
                f'<line class="grid" x1="{px(0)}" y1="{py(f)}" x2="{px(1)}" y2="{py(f)}"/>'
                f'<text class="tick" x="{MARGIN_LEFT - 6}" y="{float(py(f)) + 4:.1f}" text-anchor="end">{tick}%</text>'
                f'<text class="tick" x="{px(f)}" y="{HEIGHT - MARGIN_BOTTOM + 16}" text-anchor="middle">{tick}%</text>'
            )
        parts.append(f'<path class="equality" d="M{px(0)},{py(0)} L{px(1)},{py(1)}"/>')
        path = " L".join(f"{px(x)},{py(y)}" for x, y in [(0.0, 0.0), *self.points])
        parts.append(f'<path class="curve" d="M{path}"/>')
        middle = MARGIN_TOP + plot_h / 2
        parts.append(
            f'<text class="axis" x="{MARGIN_LEFT + plot_w / 2:.0f}" y="{HEIGHT - 6}" text-anchor="middle">'
            f"{escape(self.x_label)}</text>"
            f'<text class="axis" x="14" y="{middle:.0f}" text-anchor="middle" '
            f'transform="rotate(-90 14 {middle:.0f})">{escape(self.y_label)}</text></svg>'
        )
        return "".join(parts)

    def rich(self) -> RenderableType:
        return _rich_bars(self.title, self.bars())

    def bars(self) -> list[list[str]]:
        """Cumulative revenue share of the top tenth, two tenths… of the customers, in whole customers (as the
        report's "Top 20% of customers (36 of 177)" counts them), not read between the curve's points."""
        labels, fractions, texts = [], [], []
        for decile in range(1, 11):
            y = self.top_share(decile * 10)
            labels.append(f"{decile * 10}%")
            fractions.append(y)
            texts.append(f"{y * 100:.1f}%")
        return _bar_rows(labels, fractions, texts)

    def top_share(self, percent: int) -> float:
        """The cumulative share of the top ``percent``% of the customers: the first ceil(percent·n/100) of the n
        points, at least 1 (kacrm.analysis.report.top_count; 0 without points)."""
        k = top_count(len(self.points), percent)
        return self.points[k - 1][1] if k else 0.0


Chart = BarChart | ParetoChart


def _svg_open(title: str, css_class: str, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {escape(css_class)}" width="{WIDTH}" '
        f'height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
    )


def _bar_rows(
    labels: Sequence[str], fractions: Sequence[float], texts: Sequence[str]
) -> list[list[str]]:
    """Label, a bar of █ (eighths for the remainder), the value."""
    return [
        [label, bar_text(fraction), text]
        for label, fraction, text in zip(labels, fractions, texts, strict=True)
    ]


_BAR_RIGHT = [True, False, True]  # the label and the value on the right


def _rich_bars(title: str, rows: list[list[str]]):
    """A borderless table of the bars' rows. Its cells are Text (no markup to parse), so that on a pipe
    kacrm.render.plain_table draws them line by line."""
    from rich.text import Text

    table = table_class()(
        title=title, title_justify="left", show_header=False, box=None, padding=(0, 1)
    )
    for right in _BAR_RIGHT:
        if right:
            table.add_column(justify="right")
        else:
            table.add_column(no_wrap=True)
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    return table


def print_chart(chart: Chart, state: Screen) -> None:
    """A chart's bars on stdout: as plain lines where the screen is plain text and Rich would draw them so
    (plain_table.plain_lines), else as Rich's table."""
    width = state.plain_width
    if width is not None:
        count = len(_BAR_RIGHT)
        rows = chart.bars()
        lines = plain_lines(
            chart.title, None, _BAR_RIGHT, [None] * count, [None] * count, rows, None, "bare", width
        )
        if lines is not None:
            write_lines(sys.stdout, lines)
            return
    state.out.print(chart.rich())


def bar_text(fraction: float, width: int = TERMINAL_BAR_WIDTH) -> str:
    """A bar `fraction` (0…1) of `width` cells long, in full blocks and one partial block."""
    eighths = round(max(0.0, min(1.0, fraction)) * width * 8)
    full, rest = divmod(eighths, 8)
    return "█" * full + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[rest]

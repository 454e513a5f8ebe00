"""Folding text at a width as a terminal shows it: between words and Chinese characters, never inside a number, a
date, a code or a file name. Light (Rich's cell widths are loaded only when a text
needs folding), so that every command's error path can fold its message without loading the table renderer."""

from __future__ import annotations

import unicodedata
from functools import cache
from itertools import pairwise
from typing import Any

_CLOSING = set("，。、；：！？）」』》〉】”’,.;:!?)%")  # stays on the line of what comes before it
_OPENING = set("（「『《〈【“‘(")  # stays on the line of what comes after it


def tokens(text_: str) -> list[str]:
    """Units a line may break between: a Chinese character (with the punctuation that belongs to it, and a file's
    extension after it), a run of other characters without spaces (a word, a number, a date, a code), a space."""
    found: list[str] = []
    word = ""
    for ch in text_:
        wide = unicodedata.east_asian_width(ch) in "WF"
        if ch.isspace() or (wide and ch not in _CLOSING):
            if word:
                found.append(word)
                word = ""
            found.append(ch)
        elif ch in _CLOSING and not word and found and not found[-1].isspace():
            found[-1] += ch
        else:
            word += ch
            if wide:  # a line may break after a Chinese comma or bracket that ends a run (…，2026-11-13）)
                found.append(word)
                word = ""
    if word:
        found.append(word)
    merged: list[str] = []
    for token in found:
        # after an opening bracket, or after a full stop with no space (a file's extension: 列表.xlsx)
        joins = merged and (
            merged[-1][-1:] in _OPENING or (merged[-1][-1:] == "." and token[:1].isalnum())
        )
        if joins and not token.isspace():
            merged[-1] += token
        else:
            merged.append(token)
    return merged


def wrap_cell(text_: str, width: int) -> str:
    """``text_`` in lines of at most ``width`` columns, broken between words and Chinese characters
    (``break_offsets``); a word wider than the column is cut (the only case)."""
    from rich.cells import cell_len

    if width <= 0 or cell_len(text_) <= width:
        return text_
    text_ = text_.lstrip()
    bounds = [0, *break_offsets(text_, width), len(text_)]
    lines = (text_[start:end].rstrip() for start, end in pairwise(bounds))
    return "\n".join(line for line in lines if line)


def fold_lines(text_: str, width: int) -> str:
    """Each line of ``text_`` folded at ``width`` (wrap_cell): a message as a terminal of that width shows it, an
    option name (``--format``) or a code whole on one line, where the terminal or Rich would break a line of
    Chinese text without spaces at any character."""
    return "\n".join(wrap_cell(line, width) for line in text_.split("\n"))


def break_offsets(text_: str, width: int) -> list[int]:
    """Where one line of ``text_`` breaks to fit ``width`` columns, as offsets into it (what Rich's
    ``Text.divide`` takes): before a word or Chinese character that does not fit (``tokens``), the spaces before
    it ending the line above; inside a word only when it is wider than a whole line (as ``wrap_cell``)."""
    from rich.cells import cell_len

    offsets: list[int] = []
    used, position = 0, 0  # the columns taken on the current line; where the token starts
    for token in tokens(text_):
        size = cell_len(token)
        if token.isspace() or used + size <= width or width <= 0:
            used += size
        else:
            if used:
                offsets.append(position)
            start, rest = position, token
            while cell_len(rest) > width:  # a single word wider than the line
                cut = next(
                    (i for i in range(len(rest) - 1, 0, -1) if cell_len(rest[:i]) <= width), 1
                )
                start, rest = start + cut, rest[cut:]
                offsets.append(start)
            used = cell_len(rest)
        position += len(token)
    return offsets


@cache
def _folding_text() -> type:
    """A Rich ``Text`` that wraps at ``break_offsets`` (made once, when help is first drawn: Rich's text module
    is not loaded before)."""
    from rich.containers import Lines
    from rich.text import Text

    class FoldingText(Text):
        def wrap(self, console: Any, width: int, **options: Any) -> Lines:
            lines = Lines()
            for line in self.split(allow_blank=True):
                for piece in line.divide(break_offsets(line.plain, width)):
                    lines.extend(Text.wrap(piece, console, width, **options))
            return lines

    return FoldingText


def folding_text(made: Any, lang: str) -> Any:
    """Help text (a Rich ``Text``) that folds where it must instead of ending in an ellipsis. In Chinese it folds
    between words and Chinese characters (``break_offsets``), never inside an ASCII word, option name or date:
    Rich wraps at spaces only and cut a line of Chinese text wherever it was full (help at 80 columns read
    ``follo|w_up``). English has its spaces, and a Chinese value in it (``--map 客户简称=customer_name``,
    ``2026年11月20日``) stays whole as Rich keeps it."""
    if lang != "zh":
        made.overflow = "fold"
        return made
    return _folding_text()(
        made.plain,
        style=made.style,
        justify=made.justify,
        overflow="fold",
        no_wrap=made.no_wrap,
        end=made.end,
        tab_size=made.tab_size,
        spans=made.spans,
    )

"""Chinese help at 80 columns breaks lines between words and Chinese characters, never inside an ASCII word, an
option name or a date (Rich's own wrapping cut `follo|w_up`, `annive|rsary`, `pay|ments` and `2026/1|1/20`,
because Chinese text has no spaces for it to wrap at)."""

from __future__ import annotations

import itertools
import re

import pytest
import typer
from typer.testing import CliRunner

from kacrm.cli.app import app
from kacrm.cli.language import paragraphs
from kacrm.render.fold import break_offsets, tokens

WORD = re.compile(r"[A-Za-z0-9_./-]+")


def _commands(
    group: typer.main.TyperGroup, prefix: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], object]]:
    found: list[tuple[tuple[str, ...], object]] = [(prefix, group)]
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            found += _commands(command, (*prefix, name))
        else:
            found.append(((*prefix, name), command))
    return found


COMMANDS = _commands(typer.main.get_command(app))


def _source_words(command: object) -> set[str]:
    """The ASCII words of the command's Chinese help as written (its help and its options'), whole."""
    written = [getattr(command, "_kacrm_help_en", None) or getattr(command, "help", None) or ""]
    for param in getattr(command, "params", []):
        written.append(getattr(param, "_kacrm_help_en", None) or getattr(param, "help", None) or "")
    return {w for source in written for w in WORD.findall(paragraphs(source, "zh"))}


def _inner(line: str) -> str:
    return line.strip().strip("│").strip()


def _cut_words(page: str, words: set[str]) -> list[str]:
    """Pairs of lines where one ends and the next begins with parts of one word the source has whole."""
    lines = [_inner(line) for line in page.splitlines()]
    cut = []
    for upper, lower in itertools.pairwise(lines):
        tail, start = re.search(r"[A-Za-z0-9_./-]+$", upper), WORD.match(lower)
        if tail is None or start is None:
            continue
        joined = tail.group() + start.group()
        if any(joined in w for w in words):
            cut.append(f"{tail.group()}|{start.group()}")
    return cut


@pytest.mark.parametrize(
    ("path", "command"), COMMANDS, ids=[" ".join(p) or "kacrm" for p, _ in COMMANDS]
)
def test_zh_help_at_80_columns_breaks_no_ascii_word(path: tuple[str, ...], command: object) -> None:
    result = CliRunner().invoke(app, ["--lang", "zh", *path, "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert _cut_words(result.stdout, _source_words(command)) == []


def test_the_due_kinds_and_a_date_stay_whole() -> None:
    """The cases the tester saw, by name (`kacrm --lang zh due --help`)."""
    page = CliRunner().invoke(app, ["--lang", "zh", "due", "--help"], env={"COLUMNS": "80"}).stdout
    words = {w for line in page.splitlines() for w in WORD.findall(line)}
    assert {"follow_up", "anniversary", "2026/11/20"} <= words


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        # by hand: 12 columns of Chinese, then the word whole on the next line
        ("只看这一类：cadence（例行联系）", 14, ["只看这一类：", "cadence（例行", "联系）"]),
        # a closing mark stays with what comes before it; a space ends a line, it never starts one
        ("跟进（follow_up）、生日", 16, ["跟进", "（follow_up）、", "生日"]),
        ("abc defghij k", 8, ["abc ", "defghij ", "k"]),
        # a word wider than a line is cut (the only case)
        ("abcdefghij", 4, ["abcd", "efgh", "ij"]),
    ],
)
def test_break_offsets(text: str, width: int, lines: list[str]) -> None:
    assert "".join(tokens(text)) == text
    offsets = [0, *break_offsets(text, width), len(text)]
    assert [text[a:b] for a, b in itertools.pairwise(offsets)] == lines

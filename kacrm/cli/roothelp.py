"""`kacrm --help`, `kacrm -h` and a bare `kacrm`, drawn without loading Typer (issue 19).

Typer draws help with its Rich formatter, typer.rich_utils, whose imports (rich.markdown with markdown-it,
rich.traceback with Pygments, rich.pretty…) cost more CPU than Python, Typer and Rich together; the Typer app
and kacrm's command-line modules add more. The root's help is the first page a user reads, so this module draws
it from kacrm.cli.root with the few Rich pieces it needs, the way ``typer.rich_utils.rich_format_help`` draws a
group (with kacrm.cli.helpfmt's changes: text that folds, the help in --lang/KACRM_LANG). It is the same page
byte for byte: tests/test_root_help.py compares the two on a pipe and on a colour terminal, at two widths, in
English and Chinese. Any other command line, and anything unusual about this one (shell completion, Windows, a
long program name, Typer's switches TYPER_USE_RICH and _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION), goes to
Typer.
"""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kacrm.cli.language import early_lang, paragraphs, set_early_lang
from kacrm.cli.root import (
    COMMAND_SUMMARIES,
    GLOBAL_OPTIONS,
    HELP,
    HELP_FLAGS,
    HELP_OPTION,
    TYPER_OPTIONS,
    GlobalOption,
)
from kacrm.i18n import text
from kacrm.render.fold import folding_text

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.highlighter import RegexHighlighter

# typer.rich_utils's styles and highlighters
_THEME = {
    "option": "bold cyan",
    "switch": "bold green",
    "negative_option": "bold magenta",
    "negative_switch": "bold red",
    "types": "bold yellow",
    "types_sep": "dim",
    "usage": "yellow",
}
_OPTION_WORDS = [
    r"(^|\W)(?P<switch>\-\w+)(?![a-zA-Z0-9])",
    r"(^|\W)(?P<option>\-\-[\w\-]+)(?![a-zA-Z0-9])",
    r"(?P<types>\<[^\>]+\>)",
    r"(?P<usage>Usage: )",
]
_NEGATIVE_WORDS = [
    r"(^|\W)(?P<negative_switch>\-\w+)(?![a-zA-Z0-9])",
    r"(^|\W)(?P<negative_option>\-\-[\w\-]+)(?![a-zA-Z0-9])",
]
_TYPE_WORDS = [r"^(?P<types_sep>(\[|<))", r"(?P<types_sep>\|)", r"(?P<types_sep>(\]|>))(\.\.\.)?$"]

_USAGE_ARGS = "[OPTIONS] COMMAND [ARGS]..."
# the narrowest width Typer's formatter wraps the usage line to (click.formatting.HelpFormatter)
_NARROWEST = 50
_LANG = "--lang"


def show(args: Sequence[str], environ: Mapping[str, str] = os.environ) -> int | None:
    """When ``args`` ask for the root's help alone (nothing, -h or --help, with at most one --lang), print it as
    Typer would and return the exit code (2 for a bare ``kacrm``, as Typer's); else None, for Typer."""
    if os.name == "nt" or "_KACRM_COMPLETE" in environ:
        return None
    if {"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "TYPER_USE_RICH"} & environ.keys():
        return None  # other completion options; help drawn by Click without Rich
    rest = list(args)
    for i, arg in enumerate(rest):
        if arg.startswith(f"{_LANG}="):
            del rest[i]
            break
        if arg == _LANG and i + 1 < len(rest) and not rest[i + 1].startswith("-"):
            del rest[i : i + 2]
            break
    if args and (len(rest) != 1 or rest[0] not in HELP_FLAGS):
        return None
    lang = set_early_lang(args)
    usage = f"{text('help_usage', lang)}{_program_name()} {_USAGE_ARGS}"
    if len(usage) > _NARROWEST:  # Typer would wrap it
        return None
    _draw(usage, lang)
    if not args:
        return 2
    sys.stdout.write("\n")  # Typer echoes the (empty) text its formatter returned
    sys.stdout.flush()
    return 0


def _program_name() -> str:
    """The program's name as Click's ``_detect_program_name`` gives it: ``kacrm`` or ``python -m kacrm``."""
    main = sys.modules["__main__"]
    path = sys.argv[0]
    package = getattr(main, "__package__", None)
    if package in (None, ""):
        return os.path.basename(path)
    name = os.path.splitext(os.path.basename(path))[0]
    module = package if name == "__main__" else f"{package}.{name}"
    return f"python -m {module.lstrip('.')}"


def _highlighter(patterns: list[str]) -> RegexHighlighter:
    from rich.highlighter import RegexHighlighter

    made = RegexHighlighter()
    made.highlights = patterns
    return made


def _console() -> Console:
    """Typer's help console: its theme, its highlighter, colour and width from the same environment."""
    from rich.console import Console
    from rich.theme import Theme

    width = os.environ.get("TERMINAL_WIDTH")
    forced = any(os.environ.get(v) for v in ("GITHUB_ACTIONS", "FORCE_COLOR", "PY_COLORS"))
    return Console(
        theme=Theme(_THEME),
        highlighter=_highlighter(_OPTION_WORDS),
        color_system="auto",
        force_terminal=False if os.environ.get("_TYPER_FORCE_DISABLE_TERMINAL") else forced or None,
        width=int(width) if width else None,
    )


def _rich_text(words: str, style: str = "") -> Any:
    """typer.rich_utils._make_rich_text in Rich markup mode, folding (kacrm.cli.helpfmt)."""
    from rich.text import Text

    cleaned = inspect.cleandoc(words)
    # with fewer than two ":" no emoji code (":name:") can be there: Rich need not load its table of them (~2 ms)
    emoji = cleaned.count(":") >= 2
    made = _highlighter(_OPTION_WORDS)(Text.from_markup(cleaned, style=style, emoji=emoji))
    return folding_text(made, early_lang())


def _draw(usage: str, lang: str) -> None:
    from rich.align import Align
    from rich.console import Group
    from rich.padding import Padding

    console = _console()
    console.print(Padding(_highlighter(_OPTION_WORDS)(usage), 1), style="bold")
    console.print(
        Padding(Align(Group(*_help_text(paragraphs(HELP, lang))), pad=False), (0, 1, 1, 1))
    )
    options = [*GLOBAL_OPTIONS.values(), *TYPER_OPTIONS, HELP_OPTION]
    console.print(_panel(_options_table(options, lang), text("help_options", lang)))
    console.print(_panel(_commands_table(lang), text("help_commands", lang)))


def _help_text(help_text: str) -> list[Any]:
    """typer.rich_utils._get_help_text: the first paragraph, then the others dim."""
    from rich.text import Text

    first, *others = inspect.cleandoc(help_text).partition("\f")[0].split("\n\n")
    shown = [_rich_text(first.replace("\n", " ").strip())]
    if others:
        shown += [Text(""), _rich_text("\n\n".join(others), style="dim")]
    return shown


def _panel(table: RenderableType, title: str) -> RenderableType:
    from rich.panel import Panel
    from rich.text import Text

    # a title of plain words as the Text Rich's markup would make of it, without looking up emoji codes
    plain = "[" not in title and title.count(":") < 2
    shown = Text(title) if plain else title
    return Panel(table, border_style="dim", title=shown, title_align="left")


def _table(highlight: bool) -> Any:
    from rich.table import Table

    return Table(
        highlight=highlight,
        show_header=False,
        expand=True,
        box=None,
        show_lines=False,
        leading=0,
        border_style=None,
        row_styles=None,
        pad_edge=False,
        padding=(0, 1),
    )


def _options_table(options: list[GlobalOption], lang: str) -> RenderableType:
    """typer.rich_utils._print_options_panel for options that are neither required nor shown with a default."""
    from rich.columns import Columns
    from rich.text import Text

    table = _table(highlight=True)
    names, negative = _highlighter(_OPTION_WORDS), _highlighter(_NEGATIVE_WORDS)
    for option in options:
        kind = Text(style="bold yellow", overflow="fold")
        if option.metavar is not None:
            kind.append(option.metavar)
        lines = [p.replace("\n", " ").strip() for p in paragraphs(option.help, lang).split("\n\n")]
        cell = [_rich_text("\n".join(lines).strip())]
        if option.envvar:
            cell.append(Text(text("help_envvar", lang).format(option.envvar), style="dim yellow"))
        table.add_row(
            names(option.flag),
            names(option.short),
            negative(""),
            negative(""),
            _highlighter(_TYPE_WORDS)(kind),
            Columns(cell),
        )
    return table


def _commands_table(lang: str) -> RenderableType:
    """typer.rich_utils._print_commands_panel, each command's help its summary (kacrm.cli.root)."""
    from rich.text import Text

    table = _table(highlight=False)
    table.add_column(style="bold cyan", no_wrap=True, width=max(map(len, COMMAND_SUMMARIES)))
    table.add_column("Description", justify="left", no_wrap=False, ratio=10)
    for name, summary in COMMAND_SUMMARIES.items():
        first = inspect.cleandoc(paragraphs(summary, lang)).split("\n\n")[0]
        table.add_row(Text(name), _rich_text(first.strip()))
    return table

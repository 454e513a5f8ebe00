"""Help in the words of a command line, not of Python: TEXT, INTEGER, NUMBER, PATH, DATE or the list of choices
for an option's value (never ``<str>``, ``<bool>`` or ``<list[Path]>``), nothing after a flag, and arguments
named CODE or [FILE]... in the usage line.

Typer names a value by its Python annotation; kacrm replaces those methods of its parameter classes once, when the
CLI is imported (``install()``). The metavar given to an option (``metavar="DATE"``) still wins. The help texts of
the command shown, and the help's own words, are put in the language of --lang/KACRM_LANG just before Typer draws
the help or a usage error.

Typer imports its Rich formatter (typer.rich_utils, which loads rich.markdown) only to show help or an error; the
changes kacrm makes to it wait for that import (kacrm.cli.after_import), so that a command that shows no help does not
pay for it.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from types import ModuleType
from typing import Any, get_args

from typer import core
from typer._click import core as click_core
from typer._click import formatting

from kacrm.cli.after_import import after_import
from kacrm.cli.language import early_lang, paragraphs
from kacrm.i18n import text
from kacrm.render.fold import folding_text

_NAMES = {
    str: "TEXT",
    int: "INTEGER",
    float: "NUMBER",
    Path: "PATH",
    date: "DATE",
    datetime: "DATE",
}


def value_name(param: Any, ctx: Any = None) -> str | None:
    """What an option or argument takes, in capitals (None for a flag)."""
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return None
    if param.metavar is not None:
        return param.metavar
    desc = param.type_descriptor
    annotation = desc.annotation
    if desc.is_choice:
        name = "|".join(str(getattr(c, "value", c)) for c in desc.choices or ())
    elif desc.is_path:
        name = "PATH"
    else:
        if desc.is_list:
            (annotation,) = get_args(annotation) or (str,)
        name = _NAMES.get(annotation, "TEXT")
    if param.param_type_name == "argument" and (desc.is_list or param.nargs != 1):
        name += "..."
    return name


def _usage_name(self: Any) -> str:
    name = self.metavar or self.name.upper()
    if not self.required:
        name = f"[{name}]"
    if self.nargs != 1:
        name += "..."
    return name


def _panel_name(self: Any) -> str:
    name = self.metavar or self.name.upper()
    if self.metavar is None and self.nargs != 1:
        name += "..."
    return name


def install() -> None:
    """Replace Typer's Python-type names in help (idempotent)."""
    core.TyperOption.display_type_rich = value_name  # type: ignore[method-assign]
    core.TyperOption.display_type = value_name  # type: ignore[method-assign]
    core.TyperArgument.display_type_rich = value_name  # type: ignore[method-assign]
    core.TyperArgument.display_type = value_name  # type: ignore[method-assign]
    core.TyperArgument._usage_display_name = _usage_name  # type: ignore[method-assign]
    core.TyperArgument._rich_display_name = _panel_name  # type: ignore[method-assign]
    formatting.HelpFormatter.write_usage = _write_usage_localized  # type: ignore[method-assign]
    if not hasattr(click_core.Command.get_help_option, "__wrapped__"):
        click_core.Command.get_help_option = _localized_help_option(
            click_core.Command.get_help_option
        )
    after_import("typer.rich_utils", _install_rich)


def _install_rich(rich_utils: ModuleType) -> None:
    """kacrm's changes to Typer's Rich formatter: help that folds, in the user's language (idempotent)."""
    if hasattr(rich_utils._make_rich_text, "__wrapped__"):
        return
    rich_utils._make_rich_text = _folding(rich_utils._make_rich_text)
    show_help, show_error, show_abort = (
        rich_utils.rich_format_help,
        rich_utils.rich_format_error,
        rich_utils.rich_abort_error,
    )

    def rich_format_help(*, obj: Any, **kwargs: Any) -> None:
        _help_words(rich_utils, early_lang())
        _localize_command(obj, early_lang())
        show_help(obj=obj, **kwargs)

    def rich_format_error(*args: Any, **kwargs: Any) -> None:
        _help_words(rich_utils, early_lang())
        show_error(*args, **kwargs)

    def rich_abort_error(*args: Any, **kwargs: Any) -> None:
        _help_words(rich_utils, early_lang())
        show_abort(*args, **kwargs)

    rich_utils.rich_format_help = rich_format_help
    rich_utils.rich_format_error = rich_format_error
    rich_utils.rich_abort_error = rich_abort_error


def _folding(make: Any) -> Any:
    """Help text that folds where it must (Chinese has no spaces to wrap at) instead of ending in an ellipsis; in
    Chinese between words and Chinese characters (kacrm.render.fold), never inside an option name or a date."""
    from rich.text import Text as RichText

    def make_rich_text(*args: Any, **kwargs: Any) -> Any:
        made = make(*args, **kwargs)
        return folding_text(made, early_lang()) if isinstance(made, RichText) else made

    make_rich_text.__wrapped__ = make  # type: ignore[attr-defined]
    return make_rich_text


def _localized_help_option(get: Any) -> Any:
    def get_help_option(self: Any, ctx: Any) -> Any:
        option = get(self, ctx)
        if option is not None and option.help:
            option.help = paragraphs(_english(option) or "", early_lang())
        return option

    get_help_option.__wrapped__ = get  # type: ignore[attr-defined]
    return get_help_option


def _english(item: Any) -> str | None:
    """The help as written (Typer may reuse its command objects from one run to the next, e.g. in tests)."""
    if not hasattr(item, "_kacrm_help_en"):
        item._kacrm_help_en = item.help
    return item._kacrm_help_en


def _localize_command(command: Any, lang: str) -> None:
    if english := _english(command):
        command.help = paragraphs(english, lang)
        command.short_help = None
    for param in command.params:
        if english := (_english(param) if getattr(param, "help", None) else None):
            param.help = paragraphs(english, lang)
    for sub in getattr(command, "commands", {}).values():
        _localize_command(sub, lang)


def set_language(lang: str) -> None:
    """The language of the usage line, set before Typer parses the command line (a usage error shows it)."""
    _usage_prefix[0] = text("help_usage", lang)


def localize(root: Any) -> None:
    """Every help text under ``root`` (every command, loading them all) unwrapped and in the language set."""
    _localize_command(root, early_lang())


def _help_words(rich_utils: ModuleType, lang: str) -> None:
    """The help's own words (Options, Usage, Error…) in ``lang``."""
    rich_utils.ARGUMENTS_PANEL_TITLE = text("help_arguments", lang)
    rich_utils.OPTIONS_PANEL_TITLE = text("help_options", lang)
    rich_utils.COMMANDS_PANEL_TITLE = text("help_commands", lang)
    rich_utils.ERRORS_PANEL_TITLE = text("help_error", lang)
    rich_utils.DEFAULT_STRING = text("help_default", lang)
    rich_utils.ENVVAR_STRING = text("help_envvar", lang)
    rich_utils.REQUIRED_LONG_STRING = text("help_required", lang)
    rich_utils.RICH_HELP = text("help_try", lang)
    rich_utils.ABORTED_TEXT = text("help_aborted", lang)


_usage_prefix = ["Usage: "]
_write_usage = formatting.HelpFormatter.write_usage


def _write_usage_localized(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
    _write_usage(self, prog, args, _usage_prefix[0] if prefix is None else prefix)

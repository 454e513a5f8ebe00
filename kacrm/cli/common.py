"""What every command shares: the application state built from the global options, and common option types."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kacrm.config import load_settings
from kacrm.errors import InputError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from rich.console import Console
    from sqlalchemy import Engine
    from sqlmodel import Session

    from kacrm.config import Settings


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format", "-f", help="Output format: table, json, csv or md.", show_default=True
    ),
]


AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="The day to compute for (default: the global --as-of, else today)."
    ),
]


def as_of_or_today(state: AppState, as_of: str | None) -> date:
    """A command's own --as-of, else the global one (else today)."""
    return parse_date_option(as_of, "--as-of") if as_of else state.today


# The days a date on the command line may name: the range the lunar calendar and festival tables cover.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)


def parse_date_option(text: str, option: str) -> date:
    """An ISO date given on the command line (usage error, exit 2, when malformed or outside 1900–2100)."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not a date; use YYYY-MM-DD", param_hint=option
        ) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise typer.BadParameter(
            f"{day.isoformat()} is outside {FIRST_DAY.isoformat()} … {LAST_DAY.isoformat()}",
            param_hint=option,
        )
    return day


def parse_option(value: str, parser: Callable[[str], Any], option: str) -> Any:
    """``parser(value)``, its InputError ("--option: reason") turned into a usage error (exit 2) on ``option``."""
    try:
        return parser(value)
    except InputError as exc:
        raise typer.BadParameter(
            exc.message.removeprefix(f"{option}: "), param_hint=option
        ) from None


def _console(stderr: bool) -> Console:
    from rich.console import Console

    stream_is_tty = (sys.stderr if stderr else sys.stdout).isatty()
    # Plain, stable output when piped or run from cron: no colour, and wide enough not to wrap tables.
    return Console(
        stderr=stderr,
        width=None if stream_is_tty else 200,
        no_color=True if not stream_is_tty else None,  # None: Rich honours NO_COLOR
        highlight=False,
        soft_wrap=False,
    )


@dataclass
class AppState:
    """The global options, with the expensive parts (settings, engine, consoles) built on first use."""

    db: str | None = None
    config_path: str | None = None
    lang_option: str | None = None
    as_of: date | None = None
    _engine: Any = field(default=None, repr=False)

    @cached_property
    def settings(self) -> Settings:
        return load_settings(self.config_path, lang=self.lang_option)

    @property
    def lang(self) -> str:
        return self.settings.lang

    @property
    def today(self) -> date:
        return self.as_of or date.today()

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from kacrm.app.database import open_engine

            self._engine = open_engine(self.db)
        return self._engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        from kacrm.app.database import session

        with session(self.engine) as current:
            yield current

    @cached_property
    def out(self) -> Console:
        return _console(stderr=False)

    @cached_property
    def err(self) -> Console:
        return _console(stderr=True)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def get_state(ctx: typer.Context) -> AppState:
    root = ctx.find_root()
    if not isinstance(root.obj, AppState):
        root.obj = AppState()
    return root.obj

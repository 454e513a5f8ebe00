"""What every command shares: the application state built from the global options, and common option types."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kacrm.app.database import discard_new_file, new_sqlite_file, open_engine, open_reads, session
from kacrm.cli.language import early_lang
from kacrm.config import load_settings
from kacrm.errors import CellError, InputError
from kacrm.i18n import label, t
from kacrm.values import option_word, parse_date

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping

    from rich.console import Console

    from kacrm.app.database import Engine, Session, SqliteBook
    from kacrm.config import Settings


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


class DocumentFormat(StrEnum):
    """The formats of a view that can also be a file (`report`, `credit statement`): OutputFormat's, and html or
    xlsx written with --output."""

    table = "table"
    json = "json"
    csv = "csv"
    md = "md"
    html = "html"
    xlsx = "xlsx"


FILE_FORMATS = (DocumentFormat.html, DocumentFormat.xlsx)  # the formats --output is for
# ... and the endings of their files: a workbook written as report.html (or a page as .xlsx) opens as garbage
FILE_SUFFIXES = {DocumentFormat.html: (".html", ".htm"), DocumentFormat.xlsx: (".xlsx",)}


def check_file_suffix(output: Path, fmt: DocumentFormat) -> None:
    """Refuse (exit 2) an --output whose name says another kind of file than --format writes."""
    suffixes = FILE_SUFFIXES[fmt]
    if output.suffix.lower() not in suffixes:
        words = t(
            "output_suffix", early_lang(), fmt=fmt.value, suffix=suffixes[0], name=output.name
        )
        raise typer.BadParameter(words, param_hint="--output")


FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format", "-f", help="Output format: table, json, csv or md.", show_default=True
    ),
]


def _as_of_given(ctx: typer.Context, param: typer.CallbackParam, value: str | None) -> str | None:
    """A command's own --as-of: read once (the importer's date forms) and made the day 'today' means."""
    if value:
        get_state(ctx).as_of = parse_date_option(value, "--as-of")
    return value


AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        callback=_as_of_given,
        help="The day 'today' means here (2026-11-20, 2026/11/20, 2026年11月20日…); overrides the global one.",
    ),
]


def as_of_or_today(state: AppState, as_of: str | None = None) -> date:
    """The day 'today' means: a command's --as-of (already read by its callback), else the global one, else today."""
    return state.today


# The days a date on the command line may name: the range the lunar calendar and festival tables cover.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)


def parse_date_option(text: str, source: str) -> date:
    """A date given on the command line or in ``KACRM_TODAY`` (``source`` names which), in any form the importer
    reads (2026-11-20, 2026/11/20, 2026.11.20, 20261120, 2026年11月20日…); a usage error (exit 2) naming the
    source when it is not a date or lies outside 1900–2100."""
    try:
        day = date.fromisoformat(
            text.strip()
        )  # any ISO day, so that 0001-01-01 is "outside", not "no date"
    except ValueError:
        day = None
    try:
        day = day or parse_date(text)
    except CellError as exc:
        raise typer.BadParameter(
            t("date_source_bad", _argv_lang(), value=text, reason=exc), param_hint=source
        ) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise typer.BadParameter(
            t("date_source_range", _argv_lang(), day=day, first=FIRST_DAY, last=LAST_DAY),
            param_hint=source,
        )
    return day


def _argv_lang() -> str:
    """The language of a usage error, known before the settings are read (--lang, else KACRM_LANG)."""
    return early_lang()


def code_from_words(
    value: str, codes: Iterable[str], extra_zh: Mapping[str, str] | None = None
) -> str:
    """The English code a person meant: the code itself (any case), or its Chinese label (订单 → orders, 生日 →
    birthday); the value unchanged when it is neither, for the command to refuse with its list."""
    wanted = value.strip()
    for code in codes:
        names = {code.lower(), label(code, "zh"), (extra_zh or {}).get(code)}
        if wanted.lower() in names or wanted in names:
            return code
    return wanted


def parse_option(value: str, parser: Callable[[str], Any], option: str) -> Any:
    """``parser(value)``, its InputError ("--option: reason") turned into a usage error (exit 2) on ``option``."""
    try:
        return parser(value)
    except InputError as exc:
        raise typer.BadParameter(
            exc.text(early_lang()).removeprefix(f"{option}: "), param_hint=option
        ) from None


def _pipe_width() -> int:
    """The width of tables written to a pipe or a file. A pipe typed at a terminal (``kacrm due | less``: stderr
    is still the terminal) gets the terminal's width, so that lines do not wrap there. When stderr is piped too
    (``kacrm credit aging 2>&1 | head``): COLUMNS if it is set (exported on purpose: a shell does not export it),
    else the size of the controlling terminal (/dev/tty) if there is one; else (cron, scripts, a file) 200
    columns, wide enough not to fold a table."""
    try:
        return os.get_terminal_size(sys.stderr.fileno()).columns
    except (OSError, ValueError):
        pass
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        with open("/dev/tty", "rb") as tty:
            return os.get_terminal_size(tty.fileno()).columns
    except (OSError, ValueError):
        return 200


def _plain_width(stream: Any) -> int | None:
    """What _console makes the width of a ``stream`` that is no terminal, whose Console has no colour system
    (Rich takes FORCE_COLOR or TTY_COMPATIBLE=1 for a terminal) and writes UTF-8 (else Rich draws ASCII boxes);
    else None."""
    if (
        stream.isatty()
        or os.environ.get("FORCE_COLOR")
        or os.environ.get("TTY_COMPATIBLE") == "1"
        or sys.platform == "win32"
        or not (getattr(stream, "encoding", None) or "utf-8").lower().startswith("utf")
    ):
        return None
    return _pipe_width()


def _console(stderr: bool) -> Console:
    from rich.console import Console

    stream_is_tty = (sys.stderr if stderr else sys.stdout).isatty()
    # Plain, stable output when piped or run from cron: no colour, and wide enough not to wrap tables. Messages on
    # a stderr that is no terminal (a log, cron's mail) stay one line each, however long the file name in them.
    return Console(
        stderr=stderr,
        width=None if stream_is_tty else _pipe_width(),
        no_color=True if not stream_is_tty else None,  # None: Rich honours NO_COLOR
        highlight=False,
        soft_wrap=stderr and not stream_is_tty,
    )


@dataclass
class AppState:
    """The global options, with the expensive parts (settings, engine, consoles) built on first use."""

    db: str | None = None
    config_path: str | None = None
    lang_option: str | None = None
    as_of: date | None = None
    # Set by the commands that may make a new database (import, customer add, init; the demo opens its own).
    may_create: bool = False
    _engine: Any = field(default=None, repr=False)
    _book: Any = field(default=None, repr=False)
    _created: Path | None = field(default=None, repr=False)  # the SQLite file this command made

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
            # recorded before the file is made: a Ctrl-C while its schema is created (a second or so) must
            # find it recorded, or the empty file outlives the failed command
            self._created = new_sqlite_file(self.db) if self.may_create else None
            self._engine = open_engine(
                self.db, create=self.may_create, on_lock_wait=self._say_waiting
            )
        return self._engine

    @property
    def book(self) -> SqliteBook | Engine:
        """What a read command reads: the SQLite file through the stdlib driver when it needs no upgrade, so
        that SQLAlchemy is not even imported (issue 19); else (a server, a file to upgrade) the engine."""
        if self._book is None:
            found = None if self.may_create else open_reads(self.db, on_lock_wait=self._say_waiting)
            self._book = found if found is not None else self.engine
        return self._book

    def _say_waiting(self, path: Path, seconds: int) -> None:
        """Another kacrm holds the write lock: say so on stderr (from the lock watcher's thread)."""
        print(t("db_waiting", self.lang, path=path, seconds=seconds), file=sys.stderr, flush=True)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with session(self.engine) as current:
            yield current

    @cached_property
    def out(self) -> Console:
        return _console(stderr=False)

    @cached_property
    def plain_width(self) -> int | None:
        """The width of stdout when it is plain text, without making its console (Rich's console module is ~20
        ms of a read command, issue 19); None: what it prints is Rich's to draw."""
        return _plain_width(sys.stdout)

    @cached_property
    def plain_err_width(self) -> int | None:
        """The same for stderr."""
        return _plain_width(sys.stderr)

    @cached_property
    def err(self) -> Console:
        return _console(stderr=True)

    def close(self, failed: bool = False) -> None:
        """Release the database; after a failure, remove the database file this command created (nothing of
        the user's can be in it: the failed command wrote nothing)."""
        if self._book is not None and self._book is not self._engine:
            self._book.close()
        self._book = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        if failed and self._created is not None:
            discard_new_file(self._created)
            self._created = None


def get_state(ctx: typer.Context) -> AppState:
    root = ctx.find_root()
    if not isinstance(root.obj, AppState):
        root.obj = AppState()
    return root.obj


def chinese_choices(*options: str) -> dict[str, Any]:
    """Context settings under which the choice options ``options`` (keys of values.OPTION_WORDS) also take their
    Chinese (--method 金字塔): Click normalises every choice token with this function before matching."""
    return {"token_normalize_func": lambda token: option_word(token, *options)}

"""`kacrm import FILE...`: read spreadsheets into the database (SPEC §5); the work is in kacrm.app.imports."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kacrm.cli.common import (
    AsOfOption,
    FormatOption,
    OutputFormat,
    as_of_or_today,
    code_from_words,
    get_state,
)
from kacrm.cli.language import early_lang
from kacrm.domain import FILE_KINDS
from kacrm.errors import ImportRejected, Interrupted, bad_rows, input_error, worded
from kacrm.files import text_encoding
from kacrm.i18n import t
from kacrm.render.imports import import_listing, import_notes
from kacrm.render.output import emit, print_note

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from kacrm.cli.common import AppState
    from kacrm.errors import RejectedRow

SHOWN_REJECTS = 20
PROGRESS_MIN_ROWS = 10_000


def _check_encoding(encoding: str) -> None:
    """A usage error (exit 2) unless ``encoding`` names a text encoding (rot13, base64, hex… do not)."""
    if text_encoding(encoding) is None:
        raise typer.BadParameter(
            t("import_unknown_encoding", early_lang(), encoding=encoding), param_hint="--encoding"
        )


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)


def _mapping(pairs: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        source, sep, target = pair.partition("=")
        if not sep or not source.strip() or not target.strip():
            raise typer.BadParameter(
                t("imp_map_usage", early_lang(), pair=pair), param_hint="--map"
            )
        mapping[source.strip()] = target.strip()
    return mapping


def import_command(
    ctx: typer.Context,
    files: Annotated[
        list[Path], typer.Argument(help="CSV, TSV, TXT, XLSX or XLS files, imported in this order.")
    ],
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help="customers, contacts, orders, payments, interactions, owners or schedules (payment "
            "plans); detected from the headers.",
        ),
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map", help="Read column SOURCE as FIELD (repeatable): --map 客户简称=customer_name."
        ),
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="Text encoding of CSV files (detected when absent).")
    ] = None,
    sheet: Annotated[
        str | None, typer.Option(help="The Excel sheet to read (default: the first).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and count everything, write nothing.")
    ] = False,
    on_error: Annotated[
        str,
        typer.Option(
            "--on-error", help="abort: one bad row rejects the import; skip: import the good rows."
        ),
    ] = "abort",
    rejects: Annotated[
        Path | None,
        typer.Option(
            "--rejects",
            help="Write every bad row (original columns, row, reason) to this CSV file.",
        ),
    ] = None,
    create_customers: Annotated[
        bool,
        typer.Option(
            "--create-customers",
            help="Create customers that the rows name but the database does not know.",
        ),
    ] = False,
    fmt: FormatOption = OutputFormat.table,
    as_of: AsOfOption = None,
) -> None:
    """Import customers, contacts, orders, payments, interactions, owners or payment plans from spreadsheets;
    re-import is an upsert.

    Example: kacrm import 客户资料.csv 订单.csv --on-error skip --rejects bad.csv
    """
    state = get_state(ctx)
    state.may_create = True
    if kind is not None:
        kind = code_from_words(kind, FILE_KINDS)
    if on_error not in ("abort", "skip"):
        raise typer.BadParameter("use abort or skip", param_hint="--on-error")
    if encoding is not None:
        _check_encoding(encoding)
    for path in files:  # said before pandas and the importer load (a second of start-up for a typo)
        if not path.exists():
            raise input_error("file_missing", path=path)
    files = _without_lock_files(state, files)
    from kacrm.app.imports import import_files

    try:
        with _progress(state) as progress:
            summaries = import_files(
                state.engine,
                files,
                kind=kind,
                mapping=_mapping(mapping or []),
                encoding=encoding,
                sheet=sheet,
                dry_run=dry_run,
                on_error=on_error,
                rejects_path=rejects,
                create_customers=create_customers,
                progress=progress,
                lang=state.lang,
                settings=state.settings,
                today=as_of_or_today(state, as_of),
            )
    except KeyboardInterrupt:  # before import_files committed: its transaction is rolled back
        raise worded(Interrupted, "import_interrupted") from None
    except ImportRejected as exc:
        _emit(
            exc.summaries, fmt, state
        )  # the counts of the aborted files: nothing inserted, the rejected rows
        _notes(state, exc.summaries)
        _show_rejects(state, exc.rejects)
        if rejects is not None:
            state.err.print(
                t("import_rejects_file", state.lang, n=len(bad_rows(exc.rejects)), path=rejects)
            )
        raise
    _emit(summaries, fmt, state)
    _notes(state, summaries, dry_run)
    skipped = [r for s in summaries for r in s.rejects]
    if skipped:
        _show_rejects(state, skipped)
        rows = sum(s.rejected for s in summaries)
        if rejects is not None:
            state.err.print(t("import_skipped_file", state.lang, n=rows, path=rejects))
        else:
            state.err.print(t("import_skipped", state.lang, n=rows))
    if dry_run:
        # it wrote nothing: a database file made for the check goes, as after a refused import
        state.close(failed=True)
        state.err.print(t("import_dry_run", state.lang))


def _without_lock_files(state: AppState, files: list[Path]) -> list[Path]:
    """The files but Excel's lock files (``~$订单.xlsx``, beside a workbook open in Excel), which a shell's
    ``*.xlsx`` picks up: each skipped with a note; refused when nothing else is left."""
    locks = [path for path in files if path.name.startswith("~$")]
    if locks and len(locks) == len(files):
        raise input_error("import_lock_file_only", path=locks[0], workbook=locks[0].name[2:])
    for path in locks:
        state.err.print(
            t("import_lock_file_skipped", state.lang, path=path, workbook=path.name[2:])
        )
    return [path for path in files if path not in locks]


def _notes(state: AppState, summaries: list, dry_run: bool = False) -> None:
    for note in import_notes(summaries, state.lang, dry_run):
        print_note(note, state)


def _show_rejects(state: AppState, rejects: list[RejectedRow]) -> None:
    from rich.markup import escape

    rows = bad_rows(rejects)
    shown = set(rows[:SHOWN_REJECTS])
    for r in rejects:  # every bad cell of the first SHOWN_REJECTS bad rows
        if (r.file, r.row) in shown:
            state.err.print(escape(r.describe(state.lang)))
    if len(rows) > SHOWN_REJECTS:
        state.err.print(t("import_more_rejects", state.lang, n=len(rows) - SHOWN_REJECTS))


def _emit(summaries: list[Any], fmt: OutputFormat, state: AppState) -> None:
    emit(import_listing(summaries, state.lang, table=fmt == OutputFormat.table), fmt, state)


class _Progress:
    """A Rich progress bar on stderr over the whole import (read, check, write), shown only on a terminal and
    only for imports of over PROGRESS_MIN_ROWS rows."""

    def __init__(self, state: AppState) -> None:
        self.state = state
        self.bar = None
        self.task = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if total <= 3 * PROGRESS_MIN_ROWS:  # each row counts three times: read, check, write
                return
            from rich.progress import Progress

            self.bar = Progress(console=self.state.err, transient=True)
            self.bar.start()
            self.task = self.bar.add_task(t("import_title", self.state.lang), total=total)
        self.bar.update(self.task, completed=done, total=total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@contextmanager
def _progress(state: AppState) -> Iterator[Callable[[int, int], None] | None]:
    if not sys.stderr.isatty():
        yield None
        return
    progress = _Progress(state)
    try:
        yield progress
    finally:
        progress.close()

"""`kacrm report`: the overview of the book, and `pareto`, `movement`, `churn`, `customer CODE` (SPEC §9)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple

import typer

from kacrm.app import report
from kacrm.cli.common import (
    FILE_FORMATS,
    AsOfOption,
    DocumentFormat,
    check_file_suffix,
    get_state,
    parse_option,
)
from kacrm.cli.language import early_lang
from kacrm.cli.lazy import LazyGroup
from kacrm.i18n import t, text
from kacrm.render import report as views
from kacrm.render.charts import print_chart
from kacrm.render.html import write_html
from kacrm.render.listing import Column, Listing, window_words
from kacrm.render.output import emit, emit_object, format_cell, print_line, print_table
from kacrm.render.xlsx import write_xlsx
from kacrm.values import window_code

if TYPE_CHECKING:
    from kacrm.cli.common import AppState
    from kacrm.render.section import Section


META_KEY = "kacrm.report.options"

WindowOption = Annotated[
    str | None,
    typer.Option(
        "--window", help="Revenue window: 12m (default), 24m or all.", callback=window_code
    ),
]
ReportFormatOption = Annotated[
    DocumentFormat | None,
    typer.Option("--format", "-f", help="table, json, csv, md, html or xlsx (default table)."),
]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="The file for --format html or xlsx.")
]
RedactOption = Annotated[
    bool | None,
    typer.Option("--redact/--no-redact", help="Hide phones, birthdays, anniversaries and hobbies."),
]


# `kacrm report`'s subcommands, loaded from their module when one runs (kacrm.cli.lazy), and the first paragraph
# of each one's help, for `kacrm report --help` (tests/test_cli_help.py checks that it is their own)
SUBCOMMAND_MODULES = {
    name: "report_subcommands" for name in ("pareto", "movement", "churn", "customer")
}
SUBCOMMAND_SUMMARIES = {
    "pareto": "The 80/20 curve: customers ranked by revenue in the window with their cumulative share.",
    "movement": "How customers moved between tiers from the previous tier run to the latest of one method.",
    "churn": "Key accounts at risk, each with its reasons: quiet too long, revenue down, overdue, low p_alive, "
    "an open\ncomplaint, a tier drop.",
    "customer": "One customer's full card: profile, key persons, purchases by year, credit, recent "
    "interactions, plans,\ntier history.",
}


class ReportGroup(LazyGroup):
    """`kacrm report`: the overview is this module's; its subcommands are kacrm.cli.report_subcommands', loaded
    when one runs: the overview pays neither for their conversion nor for one customer's credit (issue 19)."""

    MODULES = SUBCOMMAND_MODULES
    SUMMARIES = SUBCOMMAND_SUMMARIES


app = typer.Typer(
    cls=ReportGroup,
    invoke_without_command=True,
    help="Reports: the overview of the book, the 80/20 curve, tier movement, churn risk, one customer's card."
    "\n\nExample: kacrm report pareto",
)


class Options(NamedTuple):
    window: str
    fmt: DocumentFormat
    output: Path | None
    redact: bool


def chosen_options(
    ctx: typer.Context,
    window: str | None,
    fmt: DocumentFormat | None,
    output: Path | None,
    redact: bool | None,
) -> Options:
    """A subcommand's own options, else those given to `kacrm report` before it, else the defaults."""
    parent: Options | None = ctx.meta.get(META_KEY)
    options = Options(
        window=window or (parent.window if parent else "12m"),
        fmt=fmt or (parent.fmt if parent else DocumentFormat.table),
        output=output or (parent.output if parent else None),
        redact=redact if redact is not None else bool(parent and parent.redact),
    )
    parse_option(options.window, report.check_window, "--window")  # fails before any loading
    if options.fmt in FILE_FORMATS and options.output is None:
        raise typer.BadParameter(
            t("report_output_needs_file_format", early_lang(), fmt=options.fmt),
            param_hint="--output",
        )
    if options.output is not None and options.fmt not in FILE_FORMATS:
        raise typer.BadParameter(t("report_output_only_files", early_lang()), param_hint="--output")
    if options.output is not None:
        check_file_suffix(options.output, options.fmt)
    return options


def show_report(
    state: AppState,
    options: Options,
    title: str,
    sections: list[Section],
    *,
    json_value: Any,
    listing: Listing | None = None,
) -> None:
    """One report in the chosen format: json/csv for programs, sections for people, or an html/xlsx file."""
    fmt = options.fmt
    if fmt == DocumentFormat.json and listing is not None:
        emit(listing, "json", state)
    elif fmt == DocumentFormat.json:
        emit_object(json_value, "json", state)
    elif fmt == DocumentFormat.csv:
        if listing is None:
            raise typer.BadParameter(
                t("report_csv_only_lists", early_lang()), param_hint="--format"
            )
        emit(listing, "csv", state)
    elif fmt in FILE_FORMATS:
        _write_file(state, options, title, sections)
    else:
        _print_sections(state, title, sections, markdown=fmt == DocumentFormat.md)


def _print_sections(
    state: AppState, title: str, sections: list[Section], *, markdown: bool
) -> None:
    """Sections for people: Rich tables and bar charts on the terminal, or one md document."""

    def show(listing: Listing) -> None:
        if not listing.rows:  # a section with nothing in it: a word, not a table of headers
            say(text("report_section_empty", state.lang))
        elif markdown:
            emit(listing, "md", state)
        else:
            print_table(listing, state)

    def say(line: str) -> None:
        if markdown:
            sys.stdout.write(f"\n{line}\n")
        else:
            print_line(line, state, markup=False)

    if markdown:
        sys.stdout.write(f"# {title}\n")
    for section in sections:
        say(f"## {section.title}\n" if markdown else f"\n== {section.title} ==")
        if section.pairs:
            rows = [
                {"label": label, "value": format_cell(value, kind)}
                for label, value, kind in section.pairs
            ]
            show(Listing([Column("label", ""), Column("value", "")], rows))
        if section.chart is not None and not markdown:
            print_chart(section.chart, state)
        if section.listing is not None:
            show(section.listing)
        for note in section.notes:
            say(note)
    sys.stdout.flush()


def _write_file(state: AppState, options: Options, title: str, sections: list[Section]) -> None:
    assert options.output is not None
    if options.fmt == DocumentFormat.html:
        window = window_words(options.window, state.lang) or options.window
        subtitle = f"{state.today.isoformat()} · {window}" + (
            f" · {text('report_redacted', state.lang)}" if options.redact else ""
        )
        write_html(options.output, title, subtitle, sections, state.lang, footer="kacrm")
    else:
        write_xlsx(options.output, sections, state.lang)
    state.err.print(t("report_wrote", state.lang, path=options.output))


@app.callback()
def overview(
    ctx: typer.Context,
    window: WindowOption = None,
    fmt: ReportFormatOption = None,
    output: OutputOption = None,
    redact: RedactOption = None,
    owner: Annotated[
        str | None, typer.Option("--owner", help="Only this salesperson's customers.")
    ] = None,
    as_of: AsOfOption = None,
) -> None:
    """The book at a glance: tiers (in force, of the primary method), concentration and Gini, receivables,
    contact coverage, at-risk key accounts, the next 7 days.

    Example: kacrm report --format html --output report.html
    """
    if ctx.invoked_subcommand is not None:  # options given here are the subcommand's defaults
        ctx.meta[META_KEY] = Options(
            window or "12m", fmt or DocumentFormat.table, output, bool(redact)
        )
        return
    options = chosen_options(ctx, window, fmt, output, redact)
    state = get_state(ctx)
    result = report.overview(
        state.book,
        state.settings,
        state.today,
        options.window,
        redact=options.redact,
        lang=state.lang,
        owner=owner,
    )
    show_report(
        state,
        options,
        text("report_overview", state.lang),
        views.overview_sections(result, state.lang),
        json_value=result.to_json(),
    )


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="report")

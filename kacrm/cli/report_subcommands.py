"""The subcommands of `kacrm report`: `pareto`, `movement`, `churn` and `customer CODE` (SPEC §9). Loaded when one
of them runs (kacrm.cli.report.ReportGroup); their options, formats and output are the overview's
(kacrm.cli.report)."""

from __future__ import annotations

from typing import Annotated

import typer

from kacrm.app import report, report_card
from kacrm.cli.common import AsOfOption, get_state
from kacrm.cli.report import (
    OutputOption,
    RedactOption,
    ReportFormatOption,
    WindowOption,
    chosen_options,
    show_report,
)
from kacrm.render import report as views
from kacrm.render.listing import Listing


def pareto(
    ctx: typer.Context,
    window: WindowOption = None,
    fmt: ReportFormatOption = None,
    output: OutputOption = None,
    as_of: AsOfOption = None,
) -> None:
    """The 80/20 curve: customers ranked by revenue in the window with their cumulative share.

    Example: kacrm report pareto --window 24m
    """
    options = chosen_options(ctx, window, fmt, output, None)
    state = get_state(ctx)
    curve = report.pareto(state.book, options.window, state.today)
    sections = views.pareto_sections(curve, state.lang)
    show_report(
        state, options, sections[0].title, sections, json_value=curve, listing=sections[0].listing
    )


def movement(
    ctx: typer.Context,
    method: Annotated[
        str | None,
        typer.Option(
            help="The tiering method: abc, pyramid, rfm or clv (default: the one whose tiers are in force)."
        ),
    ] = None,
    fmt: ReportFormatOption = None,
    output: OutputOption = None,
    as_of: AsOfOption = None,
) -> None:
    """How customers moved between tiers from the previous tier run to the latest of one method.

    Example: kacrm report movement --method pyramid
    """
    options = chosen_options(ctx, None, fmt, output, None)
    state = get_state(ctx)
    moved = report.movement(state.book, method, state.settings, state.today)
    sections = views.movement_sections(
        moved.rows, moved.method, moved.previous_on, moved.latest_on, state.lang
    )
    show_report(
        state,
        options,
        sections[0].title,
        sections,
        json_value=moved.rows,
        listing=Listing(views.MOVEMENT_COLUMNS, moved.rows),
    )


def churn(
    ctx: typer.Context,
    window: WindowOption = None,
    fmt: ReportFormatOption = None,
    output: OutputOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Key accounts at risk, each with its reasons: quiet too long, revenue down, overdue, low p_alive, an open
    complaint, a tier drop.

    Example: kacrm report churn --format json
    """
    options = chosen_options(ctx, window, fmt, output, None)
    state = get_state(ctx)
    rows = report.churn(state.book, state.settings, options.window, state.today, state.lang)
    sections = views.churn_sections(rows, state.lang)
    show_report(
        state, options, sections[0].title, sections, json_value=rows, listing=sections[0].listing
    )


def customer(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Customer code.")],
    fmt: ReportFormatOption = None,
    output: OutputOption = None,
    redact: RedactOption = None,
    as_of: AsOfOption = None,
) -> None:
    """One customer's full card: profile, key persons, purchases by year, credit, recent interactions, plans,
    tier history.

    Example: kacrm report customer KH0052 --format html --output KH0052.html --redact
    """
    options = chosen_options(ctx, None, fmt, output, redact)
    state = get_state(ctx)
    card = report_card.customer(
        state.book, state.settings, code, state.today, redact=options.redact
    )
    sections = views.customer_sections(card, state.lang)
    show_report(state, options, sections[0].title, sections, json_value=card)


def register(root: typer.Typer) -> None:
    for name, command in (
        ("pareto", pareto),
        ("movement", movement),
        ("churn", churn),
        ("customer", customer),
    ):
        root.command(name)(command)

"""`kacrm export KIND --output FILE`: a table as CSV or XLSX that `kacrm import` reads back (SPEC §9)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kacrm.cli.common import code_from_words, get_state
from kacrm.domain import EXPORT_KINDS
from kacrm.i18n import label, t

_KINDS_HELP = (
    "customers, contacts, orders, payments, interactions, owners, schedules (read back by `kacrm import`), "
    "or the read-only tier_history and credit_reviews."
)


def export_command(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help=_KINDS_HELP)],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="The file: .csv or .xlsx (written with mode 0600)."),
    ],
) -> None:
    """Write a table as CSV or XLSX with the importer's headers; formula-like cells are neutralised.

    Example: kacrm export orders --output orders.xlsx
    """
    from kacrm.app.export import export_table

    state = get_state(ctx)
    kind = code_from_words(kind, EXPORT_KINDS)
    n = export_table(state.engine, kind, output)
    state.err.print(t("export_wrote", state.lang, n=n, kind=label(kind, state.lang), path=output))


def register(app: typer.Typer) -> None:
    app.command("export")(export_command)

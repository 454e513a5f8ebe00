"""`kacrm schedule add|list`: payment plans (回款计划), the instalments an order falls due by (SPEC §15)."""

from __future__ import annotations

from typing import Annotated

import typer

from kacrm.app import collections as collections_app
from kacrm.cli.common import FormatOption, OutputFormat, get_state, parse_date_option
from kacrm.errors import refused_value
from kacrm.render import collections as views
from kacrm.render.output import emit, emit_object
from kacrm.values import parse_money_cents

app = typer.Typer(
    help="Payment plans (回款计划): the instalments an order falls due by.\n\n"
    "Example: kacrm schedule list KH0052",
    no_args_is_help=True,
)


@app.command("add")
def add_command(
    ctx: typer.Context,
    order_no: Annotated[str, typer.Argument(metavar="ORDER_NO", help="The order's number.")],
    instalment: Annotated[int, typer.Option(help="Instalment number (期数), 1 for the first.")],
    due: Annotated[str, typer.Option(help="The day the instalment falls due, e.g. 2026-12-31.")],
    amount: Annotated[str, typer.Option(help="The instalment's amount, e.g. 50000 or 5万.")],
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Add (or replace) one instalment of an order's payment plan; the instalments may not add up to more
    than the order. What they leave uncovered stays due on the order's own due date.

    Example: kacrm schedule add SO20261110-003 --instalment 1 --due 2026-11-30 --amount 10万
    """
    state = get_state(ctx)
    try:
        cents = parse_money_cents(amount)
    except ValueError as exc:
        raise refused_value("--amount", amount, exc) from None
    result = collections_app.add_instalment(
        state.engine, order_no, instalment, parse_date_option(due, "--due"), cents
    )
    if fmt == OutputFormat.json:
        emit_object(result, fmt, state)
    else:
        state.err.print(views.instalment_added(result, state.lang))


@app.command("list")
def list_command(
    ctx: typer.Context,
    code: Annotated[str | None, typer.Argument(help="Only this customer's plans.")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """List the instalments of every payment plan (or one customer's), by customer, order and instalment.

    Example: kacrm schedule list KH0052 --format json
    """
    state = get_state(ctx)
    rows = collections_app.schedule_list(state.book, code)
    emit(views.schedule_listing(rows, state.lang), fmt, state)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="schedule")

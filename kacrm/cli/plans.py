"""`kacrm plan add|list|done`: development plans per customer (short, mid, long term)."""

from __future__ import annotations

from typing import Annotated

import typer

from kacrm.app import customers
from kacrm.cli.common import AsOfOption, FormatOption, OutputFormat, get_state, parse_date_option
from kacrm.errors import refused_value
from kacrm.i18n import t
from kacrm.render.customers import PLAN_COLUMNS
from kacrm.render.listing import Listing
from kacrm.render.output import emit
from kacrm.values import parse_enum

app = typer.Typer(
    help="Development plans: goals per customer with a target date.\n\n"
    "Example: kacrm plan list --customer KH0052",
    no_args_is_help=True,
)


@app.command("add")
def add_plan(
    ctx: typer.Context,
    code: str,
    horizon: Annotated[str, typer.Option(help="short, mid or long (短期/中期/长期).")],
    goal: Annotated[str, typer.Option(help="What to achieve.")],
    target: Annotated[str | None, typer.Option(help="Target date YYYY-MM-DD.")] = None,
    as_of: AsOfOption = None,
) -> None:
    """Add a development-plan goal for a customer.

    Example: kacrm plan add KH0052 --horizon mid --goal "进入二期项目供应商名单" --target 2027-03-31
    """
    state = get_state(ctx)
    try:
        horizon_value = parse_enum(horizon, "horizon")
    except ValueError as exc:
        raise refused_value("--horizon", horizon, exc) from None
    plan_id = customers.add_plan(
        state.book,
        code,
        horizon_value,
        goal,
        parse_date_option(target, "--target") if target else None,
    )
    state.err.print(t("plan_added", state.lang, id=plan_id, code=code))


@app.command("list")
def list_plans(
    ctx: typer.Context,
    customer: Annotated[
        str | None, typer.Option("--customer", help="Only this customer's plans.")
    ] = None,
    all_plans: Annotated[bool, typer.Option("--all", help="Include finished plans.")] = False,
    fmt: FormatOption = OutputFormat.table,
    as_of: AsOfOption = None,
) -> None:
    """List open plans, soonest target first.

    Example: kacrm plan list --format json
    """
    state = get_state(ctx)
    rows = customers.plans(state.book, include_done=all_plans, code=customer)
    emit(Listing(PLAN_COLUMNS, rows), fmt, state)


@app.command("done")
def plan_done(
    ctx: typer.Context,
    plan_id: Annotated[int, typer.Argument(metavar="ID")],
    as_of: AsOfOption = None,
) -> None:
    """Mark a plan done.

    Example: kacrm plan done 1
    """
    state = get_state(ctx)
    customers.complete_plan(state.book, plan_id, state.today)
    state.err.print(t("plan_done", state.lang, id=plan_id), style="green")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="plan")

"""`kacrm plan add|list|done`: development plans per customer (short, mid, long term)."""

from __future__ import annotations

from typing import Annotated

import typer

from kacrm.cli.common import FormatOption, OutputFormat, get_state, parse_date_option
from kacrm.i18n import t

app = typer.Typer(
    help="Development plans: goals per customer with a target date.", no_args_is_help=True
)


@app.command("add")
def add_plan(
    ctx: typer.Context,
    code: str,
    horizon: Annotated[str, typer.Option(help="short, mid or long (短期/中期/长期).")],
    goal: Annotated[str, typer.Option(help="What to achieve.")],
    target: Annotated[str | None, typer.Option(help="Target date YYYY-MM-DD.")] = None,
) -> None:
    """Add a development-plan goal for a customer.

    Example: kacrm plan add C001 --horizon mid --goal "进入二期项目供应商名单" --target 2027-03-31
    """
    from kacrm.errors import refused_value
    from kacrm.store.records import add_plan as add
    from kacrm.values import parse_enum

    state = get_state(ctx)
    try:
        horizon_value = parse_enum(horizon, "horizon")
    except ValueError as exc:
        raise refused_value("--horizon", horizon, exc) from None
    plan = add(
        state.engine,
        code,
        horizon_value,
        goal,
        parse_date_option(target, "--target") if target else None,
    )
    state.err.print(t("plan_added", state.lang, id=plan.id, code=code))


@app.command("list")
def list_plans(
    ctx: typer.Context,
    customer: Annotated[
        str | None, typer.Option("--customer", help="Only this customer's plans.")
    ] = None,
    all_plans: Annotated[bool, typer.Option("--all", help="Include finished plans.")] = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """List open plans, soonest target first.

    Example: kacrm plan list --format json
    """
    from kacrm.render.listing import Column, Listing
    from kacrm.render.output import emit
    from kacrm.store.records import list_plans as plans

    state = get_state(ctx)
    rows = [
        {
            "id": plan.id,
            "customer_code": cust.code,
            "customer_name": cust.name,
            "horizon": plan.horizon,
            "goal": plan.goal,
            "target_date": plan.target_date,
            "status": plan.status,
            "done_on": plan.done_on,
        }
        for plan, cust in plans(state.engine, include_done=all_plans, code=customer)
    ]
    columns = [
        Column("id", "ID", "编号", "int"),
        Column("customer_code", "Code", "客户编号"),
        Column("customer_name", "Customer", "客户"),
        Column("horizon", "Horizon", "期限"),
        Column("goal", "Goal", "目标"),
        Column("target_date", "Target", "目标日期", "date"),
        Column("status", "Status", "状态"),
        Column("done_on", "Done", "完成日期", "date"),
    ]
    emit(Listing(columns, rows), fmt, state)


@app.command("done")
def plan_done(ctx: typer.Context, plan_id: Annotated[int, typer.Argument(metavar="ID")]) -> None:
    """Mark a plan done.

    Example: kacrm plan done 3
    """
    from kacrm.store.records import complete_plan

    state = get_state(ctx)
    complete_plan(state.engine, plan_id, state.today)
    state.err.print(t("plan_done", state.lang, id=plan_id))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="plan")

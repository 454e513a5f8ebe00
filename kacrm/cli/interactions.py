"""`kacrm log`: record an interaction with a customer by hand (SPEC §8)."""

from __future__ import annotations

from typing import Annotated

import typer

from kacrm.app import customers
from kacrm.cli.common import AsOfOption, get_state, parse_date_option
from kacrm.cli.language import early_lang
from kacrm.errors import refused_value
from kacrm.i18n import label, t
from kacrm.values import parse_enum, parse_money_cents


def log_command(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Customer code.")],
    kind: Annotated[
        str,
        typer.Argument(
            help="visit, call, meal, email, message, gift, card, survey, complaint, "
            "service, meeting, other (or 拜访, 电话, 宴请…)."
        ),
    ],
    note: Annotated[str | None, typer.Option("--note", "-n", help="What was said or done.")] = None,
    contact: Annotated[str | None, typer.Option(help="The key person's name.")] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="The day it happened (default: today).")
    ] = None,
    next_due: Annotated[str | None, typer.Option("--next", help="Follow up on this day.")] = None,
    cost: Annotated[
        str | None, typer.Option(help="What it cost (meal, gift…), e.g. 680 or ¥1,200.")
    ] = None,
    outcome: Annotated[str | None, typer.Option(help="The result.")] = None,
    as_of: AsOfOption = None,
) -> None:
    """Record a visit, call, meal, gift, complaint… with a customer; it restarts the contact cadence.

    Example: kacrm log KH0052 visit --note "季度回顾" --contact 宋伟艳 --next 2026-12-15
    """
    state = get_state(ctx)
    try:
        kind_value = parse_enum(kind, "kind")
    except ValueError as exc:
        raise refused_value("kind", kind, exc) from None
    try:
        cost_cents = parse_money_cents(cost) if cost else None
    except ValueError as exc:
        raise refused_value("--cost", cost, exc) from None
    happened_on = parse_date_option(on, "--on") if on else state.today
    # a year typed wrong would hide the customer's last contact until then
    if happened_on > state.today:
        raise typer.BadParameter(
            t("log_on_future", early_lang(), on=happened_on, today=state.today), param_hint="--on"
        )
    follow_up = parse_date_option(next_due, "--next") if next_due else None
    if follow_up is not None and follow_up < happened_on:
        raise typer.BadParameter(
            t("log_next_before", early_lang(), next=follow_up, on=happened_on), param_hint="--next"
        )
    customers.log(
        state.book,
        code,
        kind_value,
        happened_on,
        summary=note,
        contact=contact,
        next_due=follow_up,
        cost_cents=cost_cents,
        outcome=outcome,
    )
    state.err.print(
        t(
            "logged",
            state.lang,
            kind=label(kind_value, state.lang),
            code=code,
            on=happened_on.isoformat(),
        )
    )


def register(root: typer.Typer) -> None:
    root.command("log")(log_command)

"""`kacrm credit`: receivables, aging, credit reviews, grades, limits and the order check (SPEC §7). The list is
this module's; `aging` is kacrm.cli.credit_aging's and the other subcommands are kacrm.cli.credit_subcommands',
each loaded when it runs (kacrm.cli.lazy): the list pays for none of them (issue 19)."""

from __future__ import annotations

from typing import Annotated

import typer

from kacrm.app import credit as credit_app
from kacrm.cli.common import (
    AsOfOption,
    FormatOption,
    OutputFormat,
    as_of_or_today,
    get_state,
)
from kacrm.cli.lazy import LazyGroup
from kacrm.render import credit as views
from kacrm.render.output import emit

# The subcommands, loaded from their module when one runs, and the first paragraph of each one's help, for `kacrm
# credit --help` (tests/test_cli_help.py checks that it is their own)
SUBCOMMAND_MODULES = {
    "review": "credit_subcommands",
    "explain": "credit_subcommands",
    "aging": "credit_aging",
    "check": "credit_subcommands",
    "set": "credit_subcommands",
    "hold": "credit_subcommands",
    "release": "credit_subcommands",
    "statement": "credit_subcommands",
}
SUBCOMMAND_SUMMARIES = {
    "review": "Score every customer with purchases (0–100), grade it (AAA…C) and set its limit; every review "
    "is kept.",
    "explain": "Break a customer's credit score into its factors: raw value, sub-score, weight and points.",
    "aging": "Receivables by customer in buckets of days past due (or since the order date), with totals.",
    "check": "Approve (exit 0) or refuse (exit 4) a new order, with every reason for a refusal.",
    "set": "Decide a customer's limit, terms or grade by hand; later reviews keep it until --clear.",
    "hold": "Put a customer on credit hold by hand: `credit check` refuses every new order until released.",
    "release": "Lift a credit hold by hand (kept in the credit history); it lasts until another open item "
    "reaches the\nhold level of the follow-up ladder.",
    "statement": "Statement of account (对账单): opening balance, orders and instalments, payments, closing "
    "balance and the\nopen items with their age and follow-up level, ready to send to the customer.",
}


class CreditGroup(LazyGroup):
    """`kacrm credit`: the list is this module's; each subcommand is loaded from its module when it runs."""

    MODULES = SUBCOMMAND_MODULES
    SUMMARIES = SUBCOMMAND_SUMMARIES


app = typer.Typer(
    cls=CreditGroup,
    invoke_without_command=True,
    help="Credit: without a command, list grade, limit, outstanding, overdue and flags per customer; "
    "or review, explain, aging, check, set.\n\nExample: kacrm credit aging",
)


OwnerOption = Annotated[
    str | None, typer.Option("--owner", help="Only this salesperson's customers.")
]


@app.callback()
def credit_list(
    ctx: typer.Context,
    fmt: FormatOption = OutputFormat.table,
    as_of: AsOfOption = None,
    owner: OwnerOption = None,
) -> None:
    """List customers with their grade, limit, outstanding, utilization, overdue and flags.

    Flags: over_limit, overdue, big_debtor (a top-revenue customer with anything overdue).

    Example: kacrm credit --format json
    """
    if ctx.invoked_subcommand is not None:
        return
    state = get_state(ctx)
    rows = credit_app.overview_rows(state.book, state.settings, as_of_or_today(state, as_of), owner)
    emit(views.overview_listing(rows, state.lang), fmt, state)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="credit")

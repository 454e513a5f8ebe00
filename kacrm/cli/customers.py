"""`kacrm customer list|show|add|edit|rm`: the customer records and their information card (SPEC §4)."""

from __future__ import annotations

from typing import Annotated

import typer

from kacrm.cli.common import FormatOption, OutputFormat, get_state
from kacrm.i18n import t

app = typer.Typer(
    help="Customers: list, show the information card, add, edit, remove.", no_args_is_help=True
)

Text = Annotated[str | None, typer.Option()]


@app.command("list")
def list_customers(
    ctx: typer.Context,
    tier: Annotated[str | None, typer.Option(help="Only this tier (A, gold…).")] = None,
    owner: Annotated[str | None, typer.Option(help="Only this salesperson's customers.")] = None,
    search: Annotated[str | None, typer.Option(help="Text in the code or name.")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """List customers with their orders, revenue, payments and last contact, biggest first.

    Example: kacrm customer list --tier A --format json
    """
    from kacrm.analysis.customers import HIDDEN_IN_TABLE, LIST_COLUMNS, list_row
    from kacrm.render.listing import Listing
    from kacrm.render.output import emit
    from kacrm.store.repo import customer_summaries

    state = get_state(ctx)
    summaries = customer_summaries(state.engine, state.today, tier=tier, owner=owner, search=search)
    listing = Listing(LIST_COLUMNS, [list_row(s) for s in summaries], hidden=HIDDEN_IN_TABLE)
    emit(listing, fmt, state)


@app.command("show")
def show_customer(ctx: typer.Context, code: str, fmt: FormatOption = OutputFormat.table) -> None:
    """Show one customer's information card with its key persons.

    Example: kacrm customer show C001
    """
    from kacrm.analysis.customers import CONTACT_COLUMNS, customer_card
    from kacrm.render.listing import Listing
    from kacrm.render.output import emit_object, rich_table
    from kacrm.store.repo import customer_card_inputs

    state = get_state(ctx)
    card = customer_card(*customer_card_inputs(state.engine, code, state.today))
    emit_object(card, fmt, state, title=f"{card['customer_code']} {card['customer_name']}")
    if fmt == OutputFormat.table and card["contacts"]:
        state.out.print(rich_table(Listing(CONTACT_COLUMNS, card["contacts"]), state.lang))


def _fields(**raw: str | None) -> dict[str, object]:
    from kacrm.store.records import parse_customer_fields

    return parse_customer_fields(raw)


@app.command("add")
def add_customer(
    ctx: typer.Context,
    code: str,
    name: str,
    type: Text = None,
    status: Text = None,
    region: Text = None,
    industry: Text = None,
    owner: Text = None,
    address: Text = None,
    phone: Text = None,
    email: Text = None,
    source: Text = None,
    notes: Text = None,
    stage: Text = None,
    payment_terms_days: Annotated[
        str | None, typer.Option("--terms", help="Payment terms in days.")
    ] = None,
    credit_limit: Annotated[str | None, typer.Option("--credit-limit")] = None,
    cadence_days: Annotated[
        str | None, typer.Option("--cadence-days", help="Contact every N days.")
    ] = None,
    referred_by: Annotated[
        str | None, typer.Option(help="Code of the customer who recommended this one.")
    ] = None,
) -> None:
    """Add one customer by hand.

    Example: kacrm customer add C201 "深圳市华南电子有限公司" --region 华南 --owner 张伟 --terms 30
    """
    from kacrm.store.records import add_customer as add

    state = get_state(ctx)
    fields = _fields(
        name=name,
        type=type,
        status=status,
        region=region,
        industry=industry,
        owner=owner,
        address=address,
        phone=phone,
        email=email,
        source=source,
        notes=notes,
        stage=stage,
        payment_terms_days=payment_terms_days,
        credit_limit=credit_limit,
        cadence_days=cadence_days,
    )
    customer = add(state.engine, code.strip(), fields, referred_by=referred_by)
    state.err.print(t("customer_added", state.lang, code=customer.code, name=customer.name))


@app.command("edit")
def edit_customer(
    ctx: typer.Context,
    code: str,
    name: Text = None,
    type: Text = None,
    status: Text = None,
    region: Text = None,
    industry: Text = None,
    owner: Text = None,
    address: Text = None,
    phone: Text = None,
    email: Text = None,
    source: Text = None,
    notes: Text = None,
    stage: Text = None,
    payment_terms_days: Annotated[
        str | None, typer.Option("--terms", help="Payment terms in days.")
    ] = None,
    credit_limit: Annotated[str | None, typer.Option("--credit-limit")] = None,
    cadence_days: Annotated[
        str | None, typer.Option("--cadence-days", help="Contact every N days.")
    ] = None,
    referred_by: Annotated[str | None, typer.Option(help="Referrer's code ('' clears it).")] = None,
) -> None:
    """Change fields of one customer.

    Example: kacrm customer edit C001 --owner 李娜 --status active
    """
    from kacrm.errors import KacrmError
    from kacrm.store.records import edit_customer as edit

    state = get_state(ctx)
    fields = _fields(
        name=name,
        type=type,
        status=status,
        region=region,
        industry=industry,
        owner=owner,
        address=address,
        phone=phone,
        email=email,
        source=source,
        notes=notes,
        stage=stage,
        payment_terms_days=payment_terms_days,
        credit_limit=credit_limit,
        cadence_days=cadence_days,
    )
    if not fields and referred_by is None:
        raise KacrmError(t("nothing_to_update", state.lang))
    customer = edit(state.engine, code, fields, referred_by=referred_by)
    state.err.print(t("customer_updated", state.lang, code=customer.code))


@app.command("rm")
def remove_customer(
    ctx: typer.Context,
    code: str,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")] = False,
) -> None:
    """Remove a customer with all its contacts, orders, payments and interactions.

    Example: kacrm customer rm C001 --yes
    """
    from kacrm.store.records import remove_customer as remove
    from kacrm.store.repo import customer_by_code

    state = get_state(ctx)
    with state.session() as session:
        customer = customer_by_code(session, code)
        name = customer.name
    if not yes and not typer.confirm(
        t("confirm_remove", state.lang, code=code, name=name), err=True
    ):
        raise typer.Exit(1)
    remove(state.engine, code)
    state.err.print(t("customer_removed", state.lang, code=code))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="customer")

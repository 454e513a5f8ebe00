"""`kacrm customer list|show|add|edit|rm`: the customer records and their information card (SPEC §4)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from kacrm import values
from kacrm.app import customers
from kacrm.app.primary import primary as primary_tiering
from kacrm.cli import pool
from kacrm.cli.common import AsOfOption, FormatOption, OutputFormat, as_of_or_today, get_state
from kacrm.cli.lazy import LazyGroup
from kacrm.errors import KacrmError, cell_error, refused_value
from kacrm.i18n import t
from kacrm.render.customers import (
    CONTACT_COLUMNS,
    HIDDEN_IN_TABLE,
    LIST_COLUMNS,
    card_record,
    tiers_line,
)
from kacrm.render.listing import Listing
from kacrm.render.output import emit, emit_object, print_line, print_table
from kacrm.render.pool import history_listing

# The group's commands, converted from their functions when one runs (kacrm.cli.lazy: `customer list` does not
# pay for the other seven), and the first paragraph of each one's help, for `kacrm customer --help`
# (tests/test_cli_help.py checks that it is their own)
SUBCOMMAND_MODULES = {
    name: "customers" for name in ("list", "show", "add", "edit", "rm", "assign", "lock", "unlock")
}
SUBCOMMAND_SUMMARIES = {
    "list": "List customers with their orders, revenue, payments and last contact, biggest first.",
    "show": "Show one customer's information card with its key persons.",
    "add": "Add one customer by hand.",
    "edit": "Change fields of one customer.",
    "rm": "Remove a customer with all its contacts, orders, payments and interactions.",
    "assign": "Assign an account to a salesperson (from the pool or from another owner); refused "
    "(exit 4) over the\nowner's capacity or, for its previous owner, within the cooldown "
    "after its release.",
    "lock": "Lock an account: it is never released to the pool.",
    "unlock": "Unlock an account: the pool rules apply to it again.",
}


class CustomerGroup(LazyGroup):
    """`kacrm customer`: its commands are registered by ``register_subcommands`` when one is used."""

    MODULES = SUBCOMMAND_MODULES
    SUMMARIES = SUBCOMMAND_SUMMARIES
    REGISTRAR = "register_subcommands"


app = typer.Typer(
    cls=CustomerGroup,
    help="Customers: list, show the information card, add, edit, remove.\n\n"
    "Example: kacrm customer show KH0052",
    no_args_is_help=True,
)

Text = Annotated[str | None, typer.Option()]
ShortNameOption = Annotated[str | None, typer.Option(help="Short name (简称), matched on import.")]
UsccOption = Annotated[
    str | None,
    typer.Option(help="Unified social credit code (统一社会信用代码), check character verified."),
]
FaxOption = Annotated[
    str | None, typer.Option(help="Fax number (传真), read as the importer reads it.")
]


def list_customers(
    ctx: typer.Context,
    tier: Annotated[str | None, typer.Option(help="Only this tier (A, gold…).")] = None,
    owner: Annotated[str | None, typer.Option(help="Only this salesperson's customers.")] = None,
    search: Annotated[str | None, typer.Option(help="Text in the code or name.")] = None,
    fmt: FormatOption = OutputFormat.table,
    as_of: AsOfOption = None,
) -> None:
    """List customers with their orders, revenue, payments and last contact, biggest first.

    Example: kacrm customer list --tier A --format json
    """
    state = get_state(ctx)
    rows = customers.customer_list(
        state.book, state.today, tier=tier, owner=owner, search=search, settings=state.settings
    )
    listing = Listing(
        LIST_COLUMNS, rows, hidden=HIDDEN_IN_TABLE, empty=t("customers_empty", state.lang)
    )
    emit(listing, fmt, state)


def show_customer(
    ctx: typer.Context, code: str, fmt: FormatOption = OutputFormat.table, as_of: AsOfOption = None
) -> None:
    """Show one customer's information card with its key persons.

    Example: kacrm customer show KH0052
    """
    state = get_state(ctx)
    card = customers.card(state.book, code, state.today)
    shown = card if fmt == OutputFormat.json else card_record(card, state.lang)
    emit_object(shown, fmt, state, title=f"{card['customer_code']} {card['customer_name']}")
    if fmt not in (OutputFormat.table, OutputFormat.md):
        return  # json holds everything; csv is the record's one table
    # the rest of the card for a person: the tiers line, the key persons, the ownership history (md: as
    # paragraphs and tables of their own, for a meeting's notes)
    primary = primary_tiering(state.book, state.settings.tier, state.settings.sources)
    line = tiers_line(card["tiers"], primary.method, state.lang)
    more = [Listing(CONTACT_COLUMNS, card["contacts"])] if card["contacts"] else []
    if card["ownership"]:
        more.append(history_listing(card["ownership"], state.lang, table=True))
    if fmt == OutputFormat.table:
        print_line(line, state)
        for listing in more:
            print_table(listing, state)
        return
    print(f"\n{line}")
    for listing in more:
        print(f"\n### {listing.title}\n" if listing.title else "")
        emit(listing, fmt, state)


def _text(text: str) -> str | None:
    return values.normalize_text(text) or None


def _email(text: str) -> str | None:
    """An address in its normal form, checked as an owner's is (`owner set --email`); '' clears it."""
    return values.parse_email(text) if text.strip() else None


def _enum(field: str) -> Callable[[str], str]:
    return lambda text: values.parse_enum(text, field)


def _limit(text: str) -> int:
    """A credit limit in cents: money, 0 (cash only) or more."""
    cents = values.parse_money_cents(text)
    if cents < 0:
        raise cell_error("credit_limit_negative")
    return cents


# field -> (its option, the parser of what the user typed, the column it sets)
FIELD_OPTIONS: dict[str, tuple[str, Callable[[str], Any], str]] = {
    "name": ("--name", _text, "name"),
    "short_name": ("--short-name", _text, "short_name"),
    "uscc": ("--uscc", values.parse_uscc, "uscc"),
    "type": ("--type", _enum("customer_type"), "type"),
    "status": ("--status", _enum("status"), "status"),
    "region": ("--region", _text, "region"),
    "industry": ("--industry", _text, "industry"),
    "owner": ("--owner", _text, "owner"),
    "address": ("--address", _text, "address"),
    "phone": ("--phone", values.parse_phone, "phone"),
    "fax": ("--fax", values.parse_phone, "fax"),  # read as the importer reads 传真: a number
    "email": ("--email", _email, "email"),
    "source": ("--source", _text, "source"),
    "notes": ("--notes", _text, "notes"),
    "stage": ("--stage", _enum("stage"), "stage"),
    "payment_terms_days": ("--terms", values.parse_int, "payment_terms_days"),
    "credit_limit": ("--credit-limit", _limit, "credit_limit_cents"),
    "cadence_days": ("--cadence-days", values.parse_int, "cadence_days"),
}


def _fields(**raw: str | None) -> dict[str, Any]:
    """Typed column values from the options given; a bad value is an InputError naming the option."""
    parsed: dict[str, Any] = {}
    for key, text in raw.items():
        if text is None:
            continue
        option, parse, column = FIELD_OPTIONS[key]
        try:
            parsed[column] = parse(text)
        except ValueError as exc:
            raise refused_value(option, text, exc) from None
    return parsed


def add_customer(
    ctx: typer.Context,
    code: str,
    name: str,
    short_name: ShortNameOption = None,
    uscc: UsccOption = None,
    type: Text = None,
    status: Text = None,
    region: Text = None,
    industry: Text = None,
    owner: Text = None,
    address: Text = None,
    phone: Text = None,
    fax: FaxOption = None,
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
    as_of: AsOfOption = None,
) -> None:
    """Add one customer by hand.

    Example: kacrm customer add KH0201 "深圳市华南电子有限公司" --region 华南 --owner 张伟 --terms 30
    """
    state = get_state(ctx)
    fields = _fields(
        name=name,
        short_name=short_name,
        uscc=uscc,
        type=type,
        status=status,
        region=region,
        industry=industry,
        owner=owner,
        address=address,
        phone=phone,
        fax=fax,
        email=email,
        source=source,
        notes=notes,
        stage=stage,
        payment_terms_days=payment_terms_days,
        credit_limit=credit_limit,
        cadence_days=cadence_days,
    )
    state.may_create = True
    customer = customers.add(
        state.engine, code, fields, as_of_or_today(state, as_of), referred_by=referred_by
    )
    state.err.print(t("customer_added", state.lang, code=customer.code, name=customer.name))


def edit_customer(
    ctx: typer.Context,
    code: str,
    name: Text = None,
    short_name: ShortNameOption = None,
    uscc: UsccOption = None,
    type: Text = None,
    status: Text = None,
    region: Text = None,
    industry: Text = None,
    owner: Text = None,
    address: Text = None,
    phone: Text = None,
    fax: FaxOption = None,
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
    as_of: AsOfOption = None,
) -> None:
    """Change fields of one customer.

    A new --owner is an assignment, as `customer assign` (refused over capacity or within the cooldown; the
    owner's pool clock starts that day; kept in the ownership history); --owner "" puts the account in the pool.

    Example: kacrm customer edit KH0052 --owner 李娜 --status active
    """
    state = get_state(ctx)
    fields = _fields(
        name=name,
        short_name=short_name,
        uscc=uscc,
        type=type,
        status=status,
        region=region,
        industry=industry,
        owner=owner,
        address=address,
        phone=phone,
        fax=fax,
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
    # an owner is the pool's to hand over (kacrm.app.pool), through the engine; the rest is a light write
    book = state.engine if "owner" in fields else state.book
    code = customers.edit(book, state.settings, state.today, code, fields, referred_by=referred_by)
    state.err.print(t("customer_updated", state.lang, code=code))


def remove_customer(
    ctx: typer.Context,
    code: str,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")] = False,
) -> None:
    """Remove a customer with all its contacts, orders, payments and interactions.

    Example: kacrm customer rm KH0052 --yes
    """
    state = get_state(ctx)
    name = customers.name_of(state.engine, code)
    if not yes and not typer.confirm(
        t("confirm_remove", state.lang, code=code, name=name), err=True
    ):
        raise typer.Exit(1)
    customers.remove(state.engine, code)
    state.err.print(t("customer_removed", state.lang, code=code))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="customer")


def register_subcommands(group: typer.Typer) -> None:
    for name, command in (
        ("list", list_customers),
        ("show", show_customer),
        ("add", add_customer),
        ("edit", edit_customer),
        ("rm", remove_customer),
    ):
        group.command(name)(command)
    # after the card's own commands in the group's help, as when kacrm.cli.app registered them
    pool.register_customer_commands(group)

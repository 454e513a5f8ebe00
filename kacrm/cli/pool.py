"""`kacrm pool`, `pool release`, `pool claim`: the public pool (公海, SPEC §14); `customer assign|lock|unlock`
are registered on the customer group (kacrm.cli.customers)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from kacrm.app import pool as pool_app
from kacrm.cli.common import AsOfOption, FormatOption, OutputFormat, as_of_or_today, get_state
from kacrm.i18n import t
from kacrm.render.output import emit, print_line
from kacrm.render.pool import pool_listing, release_lines

app = typer.Typer(
    invoke_without_command=True,
    help="The public pool (公海): without a command, list the accounts due for release, in warning and in "
    "the pool; or release, claim.\n\nExample: kacrm pool --owner 张伟",
)

OwnerOption = Annotated[str, typer.Option("--owner", help="The salesperson who takes the account.")]
NoteOption = Annotated[str | None, typer.Option("--note", help="Why (kept in the history).")]


@app.callback()
def pool_list(
    ctx: typer.Context,
    owner: Annotated[str | None, typer.Option(help="Only this salesperson's accounts.")] = None,
    fmt: FormatOption = OutputFormat.table,
    as_of: AsOfOption = None,
) -> None:
    """List accounts due for release (due), close to it (warning) and in the pool (pooled).

    An account is released when its owner has not touched it (contact, order, claim) for the days its tier
    has in [pool] release_after_days; see docs/pool.md.

    Example: kacrm pool --format json
    """
    if ctx.invoked_subcommand is not None:
        return
    state = get_state(ctx)
    rows = pool_app.pool_list(state.book, state.settings, as_of_or_today(state, as_of), owner)
    if notice := pool_app.pool_notice(state.book, state.settings, state.lang):
        print_line(notice, state, markup=False, err=True)
    emit(pool_listing(rows, state.lang, fmt == OutputFormat.table), fmt, state)


@app.command("release")
def release_command(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be released; change nothing.")
    ] = False,
    fmt: FormatOption = OutputFormat.table,
    as_of: AsOfOption = None,
) -> None:
    """Release every account due for release to the pool (owner cleared, kept in the history).

    Meant for the same cron as the digest; two runs at once release each account once.

    Example: kacrm pool release --dry-run
    """
    state = get_state(ctx)
    rows = pool_app.release_due(
        state.engine, state.settings, as_of_or_today(state, as_of), dry_run=dry_run
    )
    if notice := pool_app.pool_notice(state.engine, state.settings, state.lang):
        state.err.print(notice, markup=False)
    lines = release_lines(rows, state.lang, dry_run)
    if fmt == OutputFormat.table:
        for line in lines[:-1]:
            state.out.print(line, markup=False, highlight=False)
    else:
        emit(pool_listing(rows, state.lang, False), fmt, state)
    # cron mails any output: a morning with nothing released is quiet
    if rows or dry_run or sys.stderr.isatty():
        state.err.print(lines[-1], markup=False, highlight=False)


@app.command("claim")
def claim_command(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Customer code.")],
    owner: OwnerOption,
    note: NoteOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Claim an account from the pool; refused (exit 4) over the owner's capacity or, for its previous owner,
    within the cooldown after its release.

    Example: kacrm pool claim KH0162 --owner 李娜
    """
    state = get_state(ctx)
    done = pool_app.hand_over(
        state.engine, state.settings, as_of_or_today(state, as_of), code, owner, "claimed", note
    )
    key = "pool_claimed" if done.changed else "pool_same_owner"
    state.err.print(t(key, state.lang, code=done.code, name=done.name, owner=done.owner))


def assign_command(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Customer code.")],
    owner: OwnerOption,
    note: NoteOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Assign an account to a salesperson (from the pool or from another owner); refused (exit 4) over the
    owner's capacity or, for its previous owner, within the cooldown after its release.

    Example: kacrm customer assign KH0017 --owner 李娜
    """
    state = get_state(ctx)
    done = pool_app.hand_over(
        state.engine, state.settings, as_of_or_today(state, as_of), code, owner, "assigned", note
    )
    if done.changed:
        message = t(
            "pool_assigned" if done.previous else "pool_assigned_from_pool",
            state.lang,
            code=done.code,
            name=done.name,
            owner=done.owner,
            previous=done.previous,
        )
    else:
        message = t("pool_same_owner", state.lang, code=done.code, owner=done.owner)
    state.err.print(message)


def lock_command(
    ctx: typer.Context, code: Annotated[str, typer.Argument(help="Customer code.")]
) -> None:
    """Lock an account: it is never released to the pool.

    Example: kacrm customer lock KH0001
    """
    state = get_state(ctx)
    code, name = pool_app.lock(state.book, code, True)
    state.err.print(t("pool_locked", state.lang, code=code, name=name))


def unlock_command(
    ctx: typer.Context, code: Annotated[str, typer.Argument(help="Customer code.")]
) -> None:
    """Unlock an account: the pool rules apply to it again.

    Example: kacrm customer unlock KH0001
    """
    state = get_state(ctx)
    code, name = pool_app.lock(state.book, code, False)
    state.err.print(t("pool_unlocked", state.lang, code=code, name=name))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="pool")


def register_customer_commands(customer: typer.Typer) -> None:
    """`customer assign|lock|unlock`, on the customer group (kacrm.cli.customers does it once, when imported)."""
    customer.command("assign")(assign_command)
    customer.command("lock")(lock_command)
    customer.command("unlock")(unlock_command)

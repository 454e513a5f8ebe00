"""`kacrm tier`: ABC, pyramid, RFM and CLV tiering with history, movements and pins (SPEC §6)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Annotated

import typer

from kacrm.app import tiering
from kacrm.app.primary import primary as primary_tiering
from kacrm.cli.common import (
    AsOfOption,
    FormatOption,
    OutputFormat,
    as_of_or_today,
    chinese_choices,
    code_from_words,
    get_state,
)
from kacrm.cli.language import early_lang
from kacrm.cli.lazy import LazyGroup
from kacrm.domain import ALL_TIERS, MAX_SPAN_DAYS, METHODS, METRICS, TIER_BYS, TIME_UNITS
from kacrm.errors import InputError
from kacrm.i18n import t
from kacrm.i18n.tier import SEGMENT_WORDS_ZH
from kacrm.render import tier as views
from kacrm.render.fields import shown_record
from kacrm.render.output import emit, emit_object, print_line
from kacrm.values import option_word, window_code

# The subcommands, converted from their functions when one runs (kacrm.cli.lazy: `tier --dry-run` does not pay
# for them), and the first paragraph of each one's help, for `kacrm tier --help` (tests/test_cli_help.py checks
# that it is their own)
SUBCOMMAND_MODULES = {name: "tier" for name in ("primary", "history", "pin", "unpin", "fit")}
SUBCOMMAND_SUMMARIES = {
    "primary": "Show or switch the primary tiering: the only one whose runs and pins set the tier in "
    "force (cadence,\nfestivals, key accounts, --tier, reports). Switching re-derives the "
    "tier in force from the method's latest\nrun and pins and records the movements; the "
    "choice is stored in the database for the whole team.",
    "history": "One customer's tier in every stored run, oldest first.",
    "pin": "Fix a customer's tier by hand for one method: later runs of that method keep it. A pin "
    "of the primary\nmethod is the tier in force at once.",
    "unpin": "Let re-tiering decide a pinned customer's tier again; unpinning the primary method's "
    "pin puts back the\ntier its latest run computed.",
    "fit": "Fit the purchase (BG/NBD) and order-value (Gamma-Gamma) models and print their parameters.",
}


class TierGroup(LazyGroup):
    """`kacrm tier`: tiering is this module's callback; its subcommands are registered by
    ``register_subcommands`` when one is used."""

    MODULES = SUBCOMMAND_MODULES
    SUMMARIES = SUBCOMMAND_SUMMARIES
    REGISTRAR = "register_subcommands"


app = typer.Typer(
    cls=TierGroup,
    help="Tier customers (ABC, pyramid, RFM, CLV), see their tier history, pin tiers by hand.\n\n"
    "Example: kacrm tier --method rfm",
    invoke_without_command=True,
    context_settings=chinese_choices("method", "metric", "by"),
)


Method = StrEnum("Method", {name: name for name in METHODS})
Metric = StrEnum("Metric", {name: name for name in METRICS})
By = StrEnum("By", {name: name for name in TIER_BYS})
TimeUnit = StrEnum("TimeUnit", {name: name for name in TIME_UNITS})


WindowOption = Annotated[
    str | None,
    typer.Option(
        "--window",
        help="Orders in the last N months before --as-of: 12m, 24m or all. "
        "[default: 12m; all for clv]",
        callback=window_code,
    ),
]
TimeUnitOption = Annotated[TimeUnit, typer.Option("--time-unit", help="CLV time unit.")]


@contextmanager
def usage_errors() -> Iterator[None]:
    """An InputError about an option ("--option: reason") as a usage error (exit 2) on that option."""
    try:
        yield
    except InputError as exc:
        option, _, reason = exc.text(early_lang()).partition(": ")
        if not option.startswith("--"):
            raise
        raise typer.BadParameter(reason, param_hint=option) from None


@app.callback()
def tier(
    ctx: typer.Context,
    method: Annotated[
        Method | None,
        typer.Option(help="Tiering method. [default: the primary tiering, `kacrm tier primary`]"),
    ] = None,
    metric: Annotated[
        Metric | None,
        typer.Option(
            help="The value customers are ranked by (abc, pyramid, rfm). "
            "[default: the primary's metric without --method, else revenue]"
        ),
    ] = None,
    window: WindowOption = None,
    thresholds: Annotated[
        str | None,
        typer.Option(
            help="Cumulative % where A and B end (abc, clv). [default: tier.abc_thresholds]"
        ),
    ] = None,
    by: Annotated[By, typer.Option(help="Tier customers, or sales regions (abc).")] = By.customer,
    horizon: Annotated[
        int | None,
        typer.Option(
            min=1, max=MAX_SPAN_DAYS, help="CLV horizon in days. [default: tier.clv_horizon_days]"
        ),
    ] = None,
    time_unit: TimeUnitOption = TimeUnit.week,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Compute and show; store nothing.")
    ] = False,
    fmt: FormatOption = OutputFormat.table,
    as_of: AsOfOption = None,
) -> None:
    """Tier every customer, store the run and show the tiers and the movements since the last run.

    Example: kacrm tier --method abc --metric revenue --window 12m --thresholds 80,95
    """
    if ctx.invoked_subcommand is not None:
        return
    state = get_state(ctx)
    settings = state.settings.tier
    # a dry run only reads: a current SQLite file through the stdlib driver (issue 19)
    book = state.book if dry_run else state.engine
    primary = primary_tiering(book, settings, state.settings.sources)
    if method is None:
        chosen, metric_value = primary.method, metric.value if metric else primary.metric
        window = window or primary.window
    else:
        chosen, metric_value = method.value, metric.value if metric else "revenue"
    with usage_errors():
        request = tiering.tier_request(
            method=chosen,
            metric=metric_value,
            window=window or ("all" if chosen == "clv" else "12m"),
            by=by.value,
            thresholds=thresholds,
            horizon_days=horizon,
            time_unit=time_unit.value,
            dry_run=dry_run,
            settings=settings,
        )
    outcome = tiering.run_tiering(
        book,
        request,
        state.today,
        rows=fmt != OutputFormat.table,
        primary_method=primary.method,
    )
    if outcome.unknown_costs:
        print_line(t("tier_unknown_costs", state.lang, n=outcome.unknown_costs), state, err=True)
    if fmt == OutputFormat.table:
        emit(views.summary_listing(outcome, state.lang), OutputFormat.table, state)
        for part in views.movements_view(outcome, state.lang):
            if isinstance(part, str):
                print_line(part, state)
            else:
                emit(part, OutputFormat.table, state)
    else:
        emit(views.rows_listing(outcome), fmt, state)
    if outcome.run_id is None:
        print_line(t("tier_dry_run", state.lang), state, err=True)
    else:
        print_line(t("tier_stored", state.lang, id=outcome.run_id), state, err=True)
        if outcome.newer_in_force is not None:
            words = views.tiering_words(state.lang, method=chosen)
            print_line(
                t("tier_history_run", state.lang, newer=outcome.newer_in_force, **words),
                state,
                err=True,
            )
        if chosen != primary.method:
            key = "tier_rfm_not_in_force" if chosen == "rfm" else "tier_not_in_force"
            state.err.print(
                t(
                    key,
                    state.lang,
                    **views.tiering_words(state.lang, primary=primary.method, method=chosen),
                    source=_source(primary.source, state.lang),
                )
            )
            # the due list's win-back rule reads the newest clv run, primary or not (SPEC §8)
            if chosen == "clv":
                limit = state.settings.due.win_back_p_alive
                state.err.print(t("tier_clv_win_back", state.lang, p_alive=limit))


def _source(source: str, lang: str) -> str:
    if source in ("database", "default"):
        return t(f"source_{source}", lang)
    return source


def set_primary(
    ctx: typer.Context,
    method: Annotated[
        str | None,
        typer.Argument(
            metavar="METHOD", help="abc, pyramid or clv (not rfm). Without it: show the primary."
        ),
    ] = None,
    metric: Annotated[
        Metric | None,
        typer.Option(help="Its metric. [default: its latest run's, else revenue]"),
    ] = None,
    window: Annotated[
        str | None,
        typer.Option(
            "--window",
            help="Its window. [default: its latest run's, else 12m; all for clv]",
            callback=window_code,
        ),
    ] = None,
    as_of: AsOfOption = None,
) -> None:
    """Show or switch the primary tiering: the only one whose runs and pins set the tier in force (cadence,
    festivals, key accounts, --tier, reports). Switching re-derives the tier in force from the method's latest
    run and pins and records the movements; the choice is stored in the database for the whole team.

    A method that never ran is refused while customers have a tier in force (it would leave them all untiered):
    run `kacrm tier --method METHOD` first.

    Example: kacrm tier primary pyramid
    """
    state = get_state(ctx)
    if method is None:
        current = primary_tiering(state.engine, state.settings.tier, state.settings.sources)
        state.out.print(
            t(
                "tier_primary_show",
                state.lang,
                **views.tiering_words(
                    state.lang,
                    method=current.method,
                    metric=current.metric,
                    window=current.window,
                ),
                source=_source(current.source, state.lang),
            )
        )
        return
    method = option_word(method, "method").strip().lower()
    if window is not None:
        with usage_errors():
            tiering.check_window(window)
    chosen, run_id, moved = tiering.set_primary(
        state.engine, method, metric.value if metric else None, window, state.today
    )
    state.err.print(
        t(
            "tier_primary_set",
            state.lang,
            **views.tiering_words(
                state.lang, method=chosen.method, metric=chosen.metric, window=chosen.window
            ),
            moved=len(moved),
            run="" if run_id is None else t("tier_primary_from_run", state.lang, id=run_id),
        )
    )
    if run_id is None:
        state.err.print(
            t(
                "tier_primary_never_run",
                state.lang,
                **views.tiering_words(state.lang, method=chosen.method),
            )
        )


def history(ctx: typer.Context, code: str, fmt: FormatOption = OutputFormat.table) -> None:
    """One customer's tier in every stored run, oldest first.

    Example: kacrm tier history KH0052
    """
    state = get_state(ctx)
    rows = tiering.customer_history(state.engine, code)
    listing = views.history_listing(
        rows, code, state.lang, labelled=fmt in (OutputFormat.table, OutputFormat.md)
    )
    emit(listing, fmt, state)


PinMethodOption = Annotated[
    Method | None,
    typer.Option(
        "--method",
        help="The method the pin belongs to. [default: the primary where the tier is one of its tiers]",
    ),
]


def pin(ctx: typer.Context, code: str, tier: str, method: PinMethodOption = None) -> None:
    """Fix a customer's tier by hand for one method: later runs of that method keep it. A pin of the primary
    method is the tier in force at once.

    Example: kacrm tier pin KH0052 A
    """
    state = get_state(ctx)
    primary = primary_tiering(state.engine, state.settings.tier, state.settings.sources)
    tier = code_from_words(tier, sorted(ALL_TIERS), SEGMENT_WORDS_ZH)
    pinned_code, pinned_method, _ = tiering.pin_tier(
        state.engine, code, tier, primary.method, method.value if method else None
    )
    note = (
        ""
        if pinned_method == primary.method
        else t(
            "tier_pin_not_in_force",
            state.lang,
            **views.tiering_words(state.lang, primary=primary.method),
        )
    )
    state.err.print(
        t(
            "tier_pinned_method",
            state.lang,
            code=pinned_code,
            tier=views.tier_label(tier, state.lang),
            **views.tiering_words(state.lang, method=pinned_method),
            note=note,
        )
    )


def unpin(ctx: typer.Context, code: str, method: PinMethodOption = None) -> None:
    """Let re-tiering decide a pinned customer's tier again; unpinning the primary method's pin puts back the
    tier its latest run computed.

    Example: kacrm tier unpin KH0052
    """
    state = get_state(ctx)
    primary = primary_tiering(state.engine, state.settings.tier, state.settings.sources)
    pinned_code, _, old = tiering.pin_tier(
        state.engine, code, None, primary.method, method.value if method else None
    )
    if old is None:
        state.err.print(t("tier_not_pinned", state.lang, code=pinned_code))
    else:
        state.err.print(
            t("tier_unpinned", state.lang, code=pinned_code, old=views.tier_label(old, state.lang))
        )


def fit(
    ctx: typer.Context,
    window: WindowOption = None,
    time_unit: TimeUnitOption = TimeUnit.week,
    fmt: FormatOption = OutputFormat.table,
    as_of: AsOfOption = None,
) -> None:
    """Fit the purchase (BG/NBD) and order-value (Gamma-Gamma) models and print their parameters.

    Example: kacrm tier fit --as-of 2026-06-30 --format json
    """
    state = get_state(ctx)
    window = window or "all"
    with usage_errors():
        tiering.check_window(window)
    today = as_of_or_today(state, as_of)
    model = tiering.fit_models(state.engine, window, today, time_unit.value)
    converged, iterations = model.pop("converged"), model.pop("iterations")
    if not converged:
        state.err.print(t("tier_not_converged", state.lang, n=iterations))
    if fmt != OutputFormat.json:
        model.update(converged=converged, iterations=iterations)
    shown = model if fmt == OutputFormat.json else shown_record(model, state.lang)
    emit_object(shown, fmt, state, title=t("tier_model_title", state.lang, as_of=today.isoformat()))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="tier")


def register_subcommands(group: typer.Typer) -> None:
    for name, command in (
        ("primary", set_primary),
        ("history", history),
        ("pin", pin),
        ("unpin", unpin),
        ("fit", fit),
    ):
        group.command(name)(command)

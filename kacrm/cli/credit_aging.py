"""`kacrm credit aging`: receivables by customer in buckets of days past due (SPEC §7); loaded when it runs
(kacrm.cli.credit.CreditGroup)."""

from __future__ import annotations

from enum import StrEnum
from itertools import pairwise
from typing import Annotated

import typer

from kacrm.app import credit as credit_app
from kacrm.cli.common import (
    AsOfOption,
    FormatOption,
    OutputFormat,
    as_of_or_today,
    chinese_choices,
    get_state,
)
from kacrm.cli.credit import OwnerOption
from kacrm.cli.language import early_lang
from kacrm.i18n import t
from kacrm.render import credit as views
from kacrm.render.output import emit


class AgingBasis(StrEnum):
    due = "due"
    order = "order"


def aging_command(
    ctx: typer.Context,
    buckets: Annotated[
        str | None,
        typer.Option(
            help="Bucket limits in days past due, e.g. 30,60,90,180 (default from config)."
        ),
    ] = None,
    basis: Annotated[
        AgingBasis,
        typer.Option(help="Age by days past the due date (due) or since the order date (order)."),
    ] = AgingBasis.due,
    fmt: FormatOption = OutputFormat.table,
    as_of: AsOfOption = None,
    owner: OwnerOption = None,
) -> None:
    """Receivables by customer in buckets of days past due (or since the order date), with totals.

    Buckets in whole years (365,730,1095) read as years: up to 1 year, 1–2 years, 2–3 years, over 3 years.

    Example: kacrm credit aging --buckets 15,30,60
    """
    state = get_state(ctx)
    limits = _parse_buckets(buckets) if buckets else list(state.settings.credit.aging_buckets)
    rows, totals = credit_app.aging_rows(
        state.book,
        state.settings,
        as_of_or_today(state, as_of),
        limits,
        owner=owner,
        basis=basis.value,
    )
    emit(views.aging_listing(rows, totals, state.lang, basis.value), fmt, state)


def _parse_buckets(given: str) -> list[int]:
    """Whole days, positive and increasing; anything else is a usage error (exit 2)."""
    try:
        limits = [int(part) for part in given.replace("，", ",").split(",")]
    except ValueError:
        raise typer.BadParameter(
            t("credit_buckets_whole_days", early_lang(), given=given), param_hint="--buckets"
        ) from None
    if any(b <= 0 for b in limits) or any(a >= b for a, b in pairwise(limits)):
        raise typer.BadParameter(
            t("credit_buckets_increasing", early_lang(), given=given), param_hint="--buckets"
        )
    return limits


def register(root: typer.Typer) -> None:
    root.command("aging", context_settings=chinese_choices("basis"))(aging_command)

"""`kacrm due`, `done`, `snooze`: the morning list of calls, visits, greetings and collections (SPEC §8)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

import typer

from kacrm.app import due as due_app
from kacrm.cli.common import AsOfOption, FormatOption, OutputFormat, code_from_words, get_state
from kacrm.cli.language import early_lang
from kacrm.domain import DUE_KINDS, MAX_SPAN_DAYS
from kacrm.files import write_private
from kacrm.i18n import label, t
from kacrm.i18n.due import KIND_LABELS_ZH
from kacrm.render.due import due_listing
from kacrm.render.ics import items_to_ics
from kacrm.render.output import emit
from kacrm.values import parse_enum

_KIND_HELP = (
    "Only this kind: cadence, follow_up, birthday, anniversary, festival, after_sale, collection, pool, "
    "win_back, plan, complaint."
)


def window(today: date, today_only: bool, days: int | None) -> tuple[date, date]:
    """[today, today] for --today, N days from today for --days N, else the week: today + 6 days."""
    if today_only and days is not None:
        raise typer.BadParameter(t("due_one_window", early_lang()), param_hint="--days")
    if days is not None and days < 1:
        raise typer.BadParameter(t("usage_at_least", early_lang(), n=1), param_hint="--days")
    if days is not None and days > MAX_SPAN_DAYS:
        raise typer.BadParameter(
            t("usage_at_most", early_lang(), n=MAX_SPAN_DAYS), param_hint="--days"
        )
    span = 1 if today_only else days if days is not None else 7
    return today, today + timedelta(days=span - 1)


def due_command(
    ctx: typer.Context,
    today_only: Annotated[
        bool, typer.Option("--today", help="Only what is due today (and overdue).")
    ] = False,
    week: Annotated[
        bool, typer.Option("--week", help="Today and the next 6 days (the default).")
    ] = False,
    days: Annotated[int | None, typer.Option("--days", help="Today and the next N-1 days.")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue items.")] = False,
    owner: Annotated[str | None, typer.Option(help="Only this salesperson's customers.")] = None,
    tier: Annotated[str | None, typer.Option(help="Only customers of this tier.")] = None,
    kind: Annotated[str | None, typer.Option(help=_KIND_HELP)] = None,
    ics: Annotated[
        Path | None, typer.Option("--ics", help="Also write the items to this iCalendar file.")
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    as_of: AsOfOption = None,
) -> None:
    """What to do for whom: calls by cadence, follow-ups, birthdays, festivals, collections… overdue first.

    Example: kacrm due --week --owner 张伟 --ics ~/kacrm.ics
    """
    if kind is not None:
        kind = code_from_words(kind, DUE_KINDS, KIND_LABELS_ZH)
    if kind is not None and kind not in DUE_KINDS:
        lang = early_lang()
        kinds = (KIND_LABELS_ZH[k] if lang == "zh" else k for k in DUE_KINDS)
        raise typer.BadParameter(
            t("usage_use_one_of", lang, choices=t("list_separator", lang).join(kinds)),
            param_hint="--kind",
        )
    if week and (today_only or days is not None):
        raise typer.BadParameter(t("due_one_window", early_lang()), param_hint="--week")
    state = get_state(ctx)
    today = state.today
    start, end = window(today, today_only, days)
    items = due_app.due_list(
        state.book,
        state.settings,
        today,
        start,
        end,
        owner=owner,
        tier=tier,
        kind=kind,
        overdue_only=overdue,
    )
    if ics is not None:
        write_private(
            ics.expanduser(), items_to_ics(items, today, state.lang)
        )  # 0600: birthdays, names
        state.err.print(t("due_ics", state.lang, n=len(items), path=ics))
    fmt_value = str(getattr(fmt, "value", fmt))
    emit(
        due_listing(
            items,
            state.lang,
            table=fmt_value == "table",
            rows_per_day=max(0, state.settings.due.table_rows_per_day),
            today=today,
        ),
        fmt,
        state,
    )


def done_command(
    ctx: typer.Context,
    item_id: Annotated[str, typer.Argument(metavar="ID", help="The item id shown by `kacrm due`.")],
    note: Annotated[str | None, typer.Option("--note", "-n", help="What was said or done.")] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            help="Log this interaction kind instead of the usual one (call, visit, card…)."
        ),
    ] = None,
    as_of: AsOfOption = None,
) -> None:
    """Record what a due item asked for: the call, visit or card is logged and the cadence restarts.

    Example: kacrm done cad-162-20250308 --kind visit --note "季度回顾"
    """
    state = get_state(ctx)
    kind_value = None
    if kind is not None:
        try:
            kind_value = parse_enum(kind, "kind")
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--kind") from None
    item, logged = due_app.done(
        state.book, state.settings, state.today, item_id.strip(), note=note, kind=kind_value
    )
    state.err.print(
        t("due_done", state.lang, id=item.id, what=label(logged, state.lang)), style="green"
    )


def snooze_command(
    ctx: typer.Context,
    item_id: Annotated[str, typer.Argument(metavar="ID", help="The item id shown by `kacrm due`.")],
    days: Annotated[
        int, typer.Option("--days", min=1, max=MAX_SPAN_DAYS, help="Hide it for this many days.")
    ],
    note: Annotated[str | None, typer.Option("--note", "-n", help="Why.")] = None,
    as_of: AsOfOption = None,
) -> None:
    """Hide a due item for N days; it comes back then, due that day.

    Example: kacrm snooze bday-13-20261121 --days 2
    """
    state = get_state(ctx)
    item, until = due_app.snooze(
        state.book, state.settings, state.today, item_id.strip(), days, note
    )
    state.err.print(t("due_snoozed", state.lang, id=item.id, until=until.isoformat()))


def register(app: typer.Typer) -> None:
    app.command("due")(due_command)
    app.command("done")(done_command)
    app.command("snooze")(snooze_command)

"""The subcommands of `kacrm credit` but `aging`: review, explain, check, set, hold, release, statement (SPEC §7);
loaded when one runs (kacrm.cli.credit.CreditGroup)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kacrm.app import credit as credit_app
from kacrm.cli.common import (
    FILE_FORMATS,
    AsOfOption,
    DocumentFormat,
    FormatOption,
    OutputFormat,
    as_of_or_today,
    check_file_suffix,
    get_state,
    parse_date_option,
)
from kacrm.cli.language import early_lang
from kacrm.domain import MAX_SPAN_DAYS
from kacrm.errors import CreditRefused, refused_value
from kacrm.i18n import t, text
from kacrm.render import credit as views
from kacrm.render.fields import shown_record
from kacrm.render.html import write_html
from kacrm.render.output import emit, emit_object
from kacrm.render.xlsx import write_xlsx
from kacrm.values import parse_money_cents


def _money_cents(text: str, option: str) -> int:
    try:
        return parse_money_cents(text)
    except ValueError as exc:
        raise refused_value(option, text, exc) from None


def review_command(
    ctx: typer.Context, fmt: FormatOption = OutputFormat.table, as_of: AsOfOption = None
) -> None:
    """Score every customer with purchases (0–100), grade it (AAA…C) and set its limit; every review is kept.

    Manual decisions (`kacrm credit set`) stay in force until cleared. See docs/credit.md for the model.

    A review as of a day before the newest stored one (--as-of in the past) is kept as history and says so: the
    grades and limits in force stay those of the newest review.

    Example: kacrm credit review --format json
    """
    state = get_state(ctx)
    day = as_of_or_today(state, as_of)
    newer = credit_app.newer_review(state.engine, day)
    rows = credit_app.review(state.engine, state.settings, day)
    emit(views.review_listing(rows, state.lang), fmt, state)
    if (
        newer is not None
    ):  # nothing in force changed: no count of changes, which would say otherwise
        state.err.print(t("credit_review_past", state.lang, day=day, newer=newer))
        return
    changed = sum(1 for r in rows if r["change"] or r["limit"] != r["previous_limit"])
    state.err.print(t("credit_reviewed", state.lang, n=len(rows), changed=changed))


def explain_command(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Customer code.")],
    fmt: FormatOption = OutputFormat.table,
    as_of: AsOfOption = None,
) -> None:
    """Break a customer's credit score into its factors: raw value, sub-score, weight and points.

    Example: kacrm credit explain KH0052
    """
    state = get_state(ctx)
    result = credit_app.explain(state.book, state.settings, code, as_of_or_today(state, as_of))
    if fmt == OutputFormat.json:
        emit_object(result, fmt, state)
        return
    lang = state.lang
    title = t(
        "credit_explain_title",
        lang,
        code=result["customer_code"],
        name=result["customer_name"],
        score=result["score"],
        grade=result["grade"],
        limit=result["limit"],
    )
    if result["reviewed_on"]:
        state.err.print(t("credit_from_review", lang, on=result["reviewed_on"]))
    else:
        state.err.print(t("credit_not_stored", lang))
    if result["manual"]:
        decided = ", ".join(f"{k} {v}" for k, v in result["manual"].items())
        state.err.print(
            t(
                "credit_manual",
                lang,
                decided=decided,
                grade=result["computed_grade"],
                limit=result["computed_limit"],
            )
        )
    emit(views.factors_listing(result, title), fmt, state)


def check_command(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Customer code.")],
    amount: Annotated[
        str, typer.Option(help="The new order's amount, e.g. 12000, ¥12,000 or 1.2万.")
    ],
    grace_days: Annotated[
        int | None, typer.Option(help="Overdue days tolerated (default from config: 30).")
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    as_of: AsOfOption = None,
) -> None:
    """Approve (exit 0) or refuse (exit 4) a new order, with every reason for a refusal.

    Example: kacrm credit check KH0196 --amount ¥12,000 && echo approved
    """
    state = get_state(ctx)
    grace = state.settings.credit.grace_days if grace_days is None else grace_days
    result = credit_app.check(
        state.book,
        state.settings,
        code,
        _money_cents(amount, "--amount"),
        grace,
        as_of_or_today(state, as_of),
        state.lang,
    )
    verdict = t("credit_approved" if result["approved"] else "credit_refused", state.lang)
    emit_object(
        result if fmt == OutputFormat.json else shown_record(result, state.lang),
        fmt,
        state,
        title=t("credit_check_title", state.lang, code=result["customer_code"], verdict=verdict),
        tone="good" if result["approved"] else "bad",
    )
    if not result["approved"]:
        code, reasons = result["customer_code"], result["reasons"]
        raise CreditRefused(
            t(
                "credit_refused_error",
                "en",
                code=code,
                reasons=text("credit_reason_sep", "en").join(reasons),
            ),
            zh=t(
                "credit_refused_error",
                "zh",
                code=code,
                reasons=text("credit_reason_sep", "zh").join(reasons),
            ),
        )
    if fmt != OutputFormat.json:
        state.err.print(t("credit_headroom", state.lang, headroom=result["headroom"]))


def set_command(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Customer code.")],
    limit: Annotated[
        str | None, typer.Option(help="Credit limit, e.g. 50000 or 5万 (0 = cash only).")
    ] = None,
    terms: Annotated[
        int | None, typer.Option(min=0, max=MAX_SPAN_DAYS, help="Payment terms in days.")
    ] = None,
    grade: Annotated[
        str | None, typer.Option(help="Credit grade: AAA, AA, A, BBB, BB, B or C.")
    ] = None,
    note: Annotated[
        str | None,
        typer.Option(
            help="Why (required with --limit, --terms or --grade): kept in the review history."
        ),
    ] = None,
    clear: Annotated[
        bool, typer.Option("--clear", help="Drop the manual decisions; reviews decide again.")
    ] = False,
    fmt: FormatOption = OutputFormat.table,
    as_of: AsOfOption = None,
) -> None:
    """Decide a customer's limit, terms or grade by hand; later reviews keep it until --clear.

    Example: kacrm credit set KH0052 --limit 50000 --terms 45 --grade A --note "担保函已收"
    """
    if (
        not clear
        and (limit is not None or terms is not None or grade is not None)
        and not (note or "").strip()
    ):
        raise typer.BadParameter(t("credit_set_needs_note", early_lang()), param_hint="--note")
    state = get_state(ctx)
    result = credit_app.set_decision(
        state.engine,
        state.settings,
        code,
        state.today,
        limit_cents=_money_cents(limit, "--limit") if limit is not None else None,
        terms_days=terms,
        grade=grade.strip().upper() if grade else None,
        note=note,
        clear=clear,
    )
    if terms is not None:
        n = credit_app.redated_orders(state.engine, state.settings, code, state.today)
        state.err.print(
            t("credit_terms_redate", state.lang, n=n, code=result["customer_code"], days=terms)
        )
    emit_object(
        result if fmt == OutputFormat.json else shown_record(result, state.lang),
        fmt,
        state,
        title=t("credit_decision_title", state.lang, code=result["customer_code"]),
    )


NoteOption = Annotated[
    str, typer.Option(help="Why: kept in the credit history with the hold or release.")
]


def _hold(ctx: typer.Context, code: str, note: str, hold: bool, fmt: OutputFormat) -> None:
    if not note.strip():
        raise typer.BadParameter(t("credit_hold_needs_note", early_lang()), param_hint="--note")
    state = get_state(ctx)
    result = credit_app.set_hold(state.engine, state.settings, code, state.today, hold, note)
    emit_object(
        result if fmt == OutputFormat.json else shown_record(result, state.lang), fmt, state
    )
    key = "credit_held" if result["hold"] else "credit_released"
    if not hold and result["hold"]:
        key = "credit_released_still"
    state.err.print(t(key, state.lang, code=result["customer_code"], name=result["customer_name"]))


def hold_command(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Customer code.")],
    note: NoteOption,
    fmt: FormatOption = OutputFormat.table,
    as_of: AsOfOption = None,
) -> None:
    """Put a customer on credit hold by hand: `credit check` refuses every new order until released.

    Example: kacrm credit hold KH0001 --note "对账有争议"
    """
    _hold(ctx, code, note, True, fmt)


def release_command(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Customer code.")],
    note: NoteOption,
    fmt: FormatOption = OutputFormat.table,
    as_of: AsOfOption = None,
) -> None:
    """Lift a credit hold by hand (kept in the credit history); it lasts until another open item reaches the
    hold level of the follow-up ladder.

    Example: kacrm credit release KH0001 --note "承诺月底前付清"
    """
    _hold(ctx, code, note, False, fmt)


def statement_command(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Customer code.")],
    start: Annotated[
        str | None,
        typer.Option("--from", help="First day of the statement (default: the first entry)."),
    ] = None,
    fmt: Annotated[
        DocumentFormat,
        typer.Option(
            "--format", "-f", help="table, json, csv, md, html or xlsx (a file: --output)."
        ),
    ] = DocumentFormat.table,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="The file for --format html or xlsx.")
    ] = None,
    as_of: AsOfOption = None,
) -> None:
    """Statement of account (对账单): opening balance, orders and instalments, payments, closing balance and the
    open items with their age and follow-up level, ready to send to the customer.

    Example: kacrm credit statement KH0101 --from 2026-07-01 --format html -o 对账单.html
    """
    if (fmt in FILE_FORMATS) != (output is not None):
        raise typer.BadParameter(t("credit_statement_output", early_lang()), param_hint="--output")
    if output is not None:
        check_file_suffix(output, fmt)
    state = get_state(ctx)
    result = credit_app.statement(
        state.book,
        state.settings,
        code,
        parse_date_option(start, "--from") if start else None,
        as_of_or_today(state, as_of),
    )
    if fmt == DocumentFormat.json:
        emit_object(result, fmt, state)
        return
    if output is not None:
        sections = views.statement_sections(result, state.lang)
        if fmt == DocumentFormat.html:
            title = sections[0].title
            write_html(output, title, result["to"].isoformat(), sections, state.lang)
        else:
            write_xlsx(output, sections, state.lang)
        state.err.print(t("stmt_written", state.lang, path=output))
        return
    lines, items = views.statement_listings(result, state.lang)
    emit(lines, fmt, state)
    emit(items, fmt, state)
    if result["closing_balance"] < 0:
        state.err.print(
            t("stmt_credit_note", state.lang, amount=f"{-result['closing_balance']:,.2f}")
        )


def register(root: typer.Typer) -> None:
    for name, command in (
        ("review", review_command),
        ("explain", explain_command),
        ("check", check_command),
        ("set", set_command),
        ("hold", hold_command),
        ("release", release_command),
        ("statement", statement_command),
    ):
        root.command(name)(command)

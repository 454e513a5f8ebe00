"""`kacrm digest`: the daily digest for cron, on stdout, in a file or by email (SPEC §10; docs/digest.md)."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kacrm.app import digest as digest_app
from kacrm.app import owners as owners_app
from kacrm.cli.common import AsOfOption, get_state
from kacrm.errors import KacrmError, UsageError
from kacrm.files import write_private
from kacrm.i18n import t, text
from kacrm.render.digest import render, render_html, render_text, subject
from kacrm.render.mail import build_message, send_message

if TYPE_CHECKING:
    from kacrm.app.digest import Digest
    from kacrm.cli.common import AppState

PASSWORD_ENV = "KACRM_SMTP_PASSWORD"


class DigestFormat(StrEnum):
    text = "text"
    md = "md"
    html = "html"
    json = "json"


def _deliver(
    state: AppState, digest: Digest, fmt: str, output: Path | None, email: list[str]
) -> None:
    """Send the email (text + HTML) and write the chosen format to the file, or to stdout without either."""
    if email:
        smtp = state.settings.smtp
        message = build_message(
            subject(digest, state.lang),
            render_text(digest, state.lang),
            render_html(digest, state.lang),
            smtp.sender,
            email,
        )
        send_message(message, smtp, os.environ.get(PASSWORD_ENV) or None)
    if output is not None:
        write_private(output, render(digest, fmt, state.lang).encode("utf-8"))
    elif not email:
        sys.stdout.write(render(digest, fmt, state.lang))
        sys.stdout.flush()


def _note(state: AppState, text: str) -> None:
    """A confirmation for people at a terminal; cron mails whatever is printed, so it stays quiet there."""
    if sys.stderr.isatty():
        state.err.print(text)


def digest_command(
    ctx: typer.Context,
    fmt: Annotated[
        DigestFormat, typer.Option("--format", "-f", help="text, md, html or json.")
    ] = DigestFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (mode 0600).")
    ] = None,
    email: Annotated[
        list[str] | None,
        typer.Option(
            "--email",
            help="Send to this address (repeatable; one message and one record per address); SMTP "
            "settings from \\[smtp] in the config, password from "
            f"{PASSWORD_ENV}. With --team: the manager addresses that get the whole book.",
        ),
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            help="Only this salesperson's customers; sent to their stored email "
            "(`kacrm owner set`) unless --email or --output is given.",
        ),
    ] = None,
    team: Annotated[
        bool,
        typer.Option(
            "--team",
            help="Each owner with a stored email gets their own digest; --email addresses the whole book's.",
        ),
    ] = False,
    skip_empty: Annotated[
        bool, typer.Option("--skip-empty", help="Nothing to report: no output, no email.")
    ] = False,
    redact: Annotated[
        bool, typer.Option("--redact", help="Hide phones, birthdays and hobbies.")
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Preview on stdout (or --output): no email, nothing recorded."
        ),
    ] = False,
    wait: Annotated[
        float,
        typer.Option("--wait", min=0, help="Seconds to wait for a digest that is running already."),
    ] = 60.0,
    as_of: AsOfOption = None,
) -> None:
    """The daily digest: due and overdue items, birthdays and festivals of the week, credit alerts, tier
    movements, at-risk key accounts and new orders from key accounts, since the last digest.

    Example (crontab): 0 8 * * * kacrm digest --email me@example.com --skip-empty

    Example (a team's crontab): 0 8 * * * kacrm digest --team --email boss@example.com --skip-empty
    """
    state = get_state(ctx)
    lang = state.lang
    # every address is checked before anything is sent or recorded (exit 2 naming it)
    emails = [owners_app.checked_address(address) for address in email or []]
    if team and (owner is not None or output is not None):
        raise UsageError(t("digest_team_alone", "en"), t("digest_team_alone", "zh"))
    if owner is not None:
        owner = owners_app.check_owner(state.book, owner)
        if not emails and output is None:
            stored = digest_app.owner_address(state.book, owner)
            emails = [owners_app.checked_address(stored, f"owner {owner} email")] if stored else []
    if team:
        recipients = digest_app.team_recipients(state.book, emails)
        for r in recipients:
            owners_app.checked_address(
                r.address, f"owner {r.owner} email" if r.owner else "--email"
            )
        if not recipients:
            raise KacrmError(t("digest_team_nobody", "en"), t("digest_team_nobody", "zh"))
        _no_address(state, digest_app.owners_without_address(state.book))
    elif emails:
        recipients = [digest_app.Recipient("email", a, owner) for a in emails]
    else:
        channel = "file" if output is not None else "stdout"
        recipients = [digest_app.Recipient(channel, "", owner)]
    if dry_run:
        for r in recipients:
            digest = digest_app.preview(
                state.book,
                state.settings,
                r.channel,
                state.today,
                lang,
                redact,
                address=r.address,
                owner=r.owner,
            )
            if not (skip_empty and digest.is_empty()):
                _deliver(state, digest, fmt.value, output, [])
        return

    def deliver(recipient: digest_app.Recipient, digest: Digest) -> str:
        to = [recipient.address] if recipient.address else []
        _deliver(state, digest, fmt.value, output, to)
        return f"to {recipient.address}" if to else f"{output or 'stdout'}"

    outcomes = digest_app.run_each(
        state.engine,
        state.settings,
        state.today,
        lang,
        recipients,
        deliver,
        redacted=redact,
        skip_empty=skip_empty,
        wait=wait,
    )
    if len(outcomes) == 1 and outcomes[0].error is not None:
        raise KacrmError(outcomes[0].error)  # already in the user's language
    failed = []
    for outcome in outcomes:
        r, done = outcome.recipient, outcome.run
        who = _who(r, output, lang)
        if done is None:
            failed.append(who)
            state.err.print(t("digest_failed_for", lang, who=who, reason=outcome.error))
            continue
        period = {"start": done.period_start, "end": done.period_end}
        if done.status == "covered":
            state.err.print(t("digest_covered_for", lang, who=who, day=state.today))
        elif done.status == "skipped":
            _note(state, t("digest_skipped", lang, **period))
        elif r.address:
            _note(state, t("digest_sent", lang, to=who, **period))
        elif output is not None:
            _note(state, t("digest_wrote", lang, path=output, **period))
    if failed:
        key = "digest_all_failed" if len(failed) == len(outcomes) else "digest_some_failed"
        raise KacrmError(
            t(key, "en", n=len(failed), who=", ".join(failed)),
            t(key, "zh", n=len(failed), who="、".join(failed)),
        )


def _no_address(state: AppState, owners: list[tuple[str, int]]) -> None:
    """Say (stderr, cron too) which owners get no digest of their own for want of an address: not a failure of
    sending (the exit status stays 0), but their customers' items reach nobody by name (docs/team.md)."""
    if owners:
        lang = state.lang
        who = [t("digest_no_address_item", lang, owner=o, n=n) for o, n in owners]
        state.err.print(
            t(
                "digest_no_address",
                lang,
                n=len(owners),
                owners=text("list_separator", lang).join(who),
            )
        )


def _who(recipient: digest_app.Recipient, output: Path | None, lang: str) -> str:
    """The recipient as the messages name it: "zw@example.com (张伟)", "stdout", the file."""
    where = recipient.address or str(output or "stdout")
    if recipient.owner:
        return t("digest_who_owner", lang, where=where, owner=recipient.owner)
    return t("digest_who_book", lang, where=where)


def register(app: typer.Typer) -> None:
    app.command("digest")(digest_command)

"""`kacrm digest`: the daily digest for cron, on stdout, in a file or by email (SPEC §10; docs/digest.md)."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kacrm.app import digest as digest_app
from kacrm.cli.common import AsOfOption, get_state
from kacrm.files import write_private
from kacrm.i18n import t
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
            help="Send to this address (repeatable); SMTP "
            "settings from \\[smtp] in the config, password from "
            f"{PASSWORD_ENV}.",
        ),
    ] = None,
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
    """
    state = get_state(ctx)
    emails = list(email or [])
    channel = "email" if emails else "file" if output is not None else "stdout"
    lang = state.lang
    if dry_run:
        digest = digest_app.preview(
            state.engine, state.settings, channel, state.today, lang, redact
        )
        if not (skip_empty and digest.is_empty()):
            _deliver(state, digest, fmt.value, output, [])
        return

    def deliver(digest: Digest) -> str:
        _deliver(state, digest, fmt.value, output, emails)
        return f"to {', '.join(emails)}" if emails else f"{output or 'stdout'}"

    done = digest_app.run(
        state.engine,
        state.settings,
        state.today,
        lang,
        channel,
        deliver,
        redacted=redact,
        skip_empty=skip_empty,
        wait=wait,
    )
    period = {"start": done.period_start, "end": done.period_end}
    if done.status == "covered":
        state.err.print(t("digest_covered", lang, channel=channel, day=state.today))
    elif done.status == "skipped":
        _note(state, t("digest_skipped", lang, **period))
    elif emails:
        _note(state, t("digest_sent", lang, to=", ".join(emails), **period))
    elif output is not None:
        _note(state, t("digest_wrote", lang, path=output, **period))


def register(app: typer.Typer) -> None:
    app.command("digest")(digest_command)

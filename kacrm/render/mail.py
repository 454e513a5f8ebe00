"""The digest as an email: a multipart/alternative message (plain text + HTML), sent over SMTP with STARTTLS.

The SMTP password is never read from a file: the caller passes it from the environment (KACRM_SMTP_PASSWORD).
Every failure becomes a ``MailError`` with one line that names the server and what went wrong, never the
password.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kacrm.config import SmtpSettings
from kacrm.errors import KacrmError

if TYPE_CHECKING:
    import ssl
    from collections.abc import Sequence
    from email.message import EmailMessage

# smtplib, ssl and email are imported by the functions that build and send a message: together ~15 ms of every
# `kacrm digest`, which prints (--dry-run, cron's stdout) far more often than it mails (issue 19)


class MailError(KacrmError):
    """The digest could not be sent."""


def build_message(
    subject: str, text: str, html: str, sender: str, recipients: Sequence[str]
) -> EmailMessage:
    """A multipart/alternative message: the text part first, the HTML part preferred by mail readers."""
    from email.message import EmailMessage
    from email.utils import formatdate, make_msgid

    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(text, subtype="plain", charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    return message


def send_message(
    message: EmailMessage,
    smtp: SmtpSettings,
    password: str | None,
    *,
    tls_context: ssl.SSLContext | None = None,
) -> None:
    """Send over SMTP: STARTTLS when ``smtp.starttls`` (refusing servers that do not offer it), then login
    when ``smtp.user`` is set. ``tls_context`` defaults to the system's trusted certificates."""
    import smtplib
    import ssl

    where = f"SMTP server {smtp.host}:{smtp.port}"
    if smtp.user and not password:
        raise MailError(f"smtp.user is {smtp.user!r} but KACRM_SMTP_PASSWORD is not set")
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_seconds) as server:
            server.ehlo()
            if smtp.starttls:
                if not server.has_extn("starttls"):
                    raise MailError(
                        f"{where} does not offer STARTTLS; set starttls = false in [smtp] only if "
                        "the connection is safe without it"
                    )
                server.starttls(context=tls_context or ssl.create_default_context())
                server.ehlo()
            if smtp.user:
                server.login(smtp.user, password or "")
            server.send_message(message)
    except MailError:
        raise
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError(
            f"{where} refused the login of {smtp.user!r} ({exc.smtp_code}); check "
            "KACRM_SMTP_PASSWORD"
        ) from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise MailError(f"{where} refused the recipients {', '.join(exc.recipients)}") from None
    except smtplib.SMTPResponseException as exc:
        detail = (
            exc.smtp_error.decode("utf-8", "replace")
            if isinstance(exc.smtp_error, bytes)
            else exc.smtp_error
        )
        raise MailError(f"{where} answered {exc.smtp_code} {detail}") from None
    except UnicodeEncodeError:
        raise MailError(
            f"{where}: the SMTP login supports only ASCII in smtp.user and KACRM_SMTP_PASSWORD"
        ) from None
    except ssl.SSLError as exc:
        raise MailError(f"{where}: TLS failed: {exc.reason or exc}") from None
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(
            f"{where}: {exc.strerror if isinstance(exc, OSError) and exc.strerror else exc}"
        ) from None

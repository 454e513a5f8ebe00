"""render/mail.py against a real SMTP server on 127.0.0.1 (aiosmtpd): STARTTLS with a self-signed certificate
made here (cryptography), login, refusal paths, and the multipart message as the server received it.

``smtp_server`` is also used by tests/test_cli_digest.py.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from kacrm.config import SmtpSettings
from kacrm.render.mail import MailError, build_message, send_message

USER, PASSWORD = "me@example.com", "s3cret-Pa55word!"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 / localhost and its key, as PEM files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@dataclass
class Received:
    """What the server saw: the messages, their envelopes and the logins tried."""

    host: str
    port: int
    cert: Path | None
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)


class _Handler:
    def __init__(self, received: Received) -> None:
        self.received = received

    async def handle_DATA(self, server, session, envelope) -> str:
        self.received.raw.append(envelope.original_content)
        self.received.messages.append(
            message_from_bytes(envelope.original_content, policy=policy.default)
        )
        self.received.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"


def start_server(tmp_path: Path, *, tls: bool) -> tuple[Controller, Received]:
    cert = key = None
    kwargs = {}
    if tls:
        cert, key = make_certificate(tmp_path)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        kwargs = {"tls_context": context, "require_starttls": True}
    received = Received("127.0.0.1", _free_port(), cert)

    def authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            received.logins.append((auth_data.login.decode(), auth_data.password.decode()))
            ok = (auth_data.login.decode(), auth_data.password.decode()) == (USER, PASSWORD)
            return AuthResult(success=ok, handled=False)
        return AuthResult(success=False, handled=False)

    controller = Controller(
        _Handler(received),
        hostname="127.0.0.1",
        port=received.port,
        authenticator=authenticator,
        auth_require_tls=tls,
        **kwargs,
    )
    controller.start()
    return controller, received


@pytest.fixture
def smtp_server(tmp_path: Path) -> Iterator[Received]:
    """An SMTP server on 127.0.0.1 that offers STARTTLS (self-signed certificate) and login."""
    controller, received = start_server(tmp_path, tls=True)
    yield received
    controller.stop()


@pytest.fixture
def plain_server(tmp_path: Path) -> Iterator[Received]:
    """An SMTP server on 127.0.0.1 without TLS (and so without login)."""
    controller, received = start_server(tmp_path, tls=False)
    yield received
    controller.stop()


def _trusting(cert: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(cert))


def _message() -> EmailMessage:
    return build_message(
        "kacrm digest 2026-11-22: 1 due, 0 birthdays, 0 credit alerts",
        "Due (1)\n  - call 王总\n",
        "<html><body><h2>Due (1)</h2><p>call 王总</p></body></html>",
        "kacrm@example.com",
        ["a@example.com", "b@example.com"],
    )


def test_build_message_is_multipart_alternative_text_then_html() -> None:
    msg = _message()
    assert msg.get_content_type() == "multipart/alternative"
    parts = list(msg.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert "王总" in parts[0].get_content() and "<h2>Due (1)</h2>" in parts[1].get_content()
    assert msg["To"] == "a@example.com, b@example.com"


def test_starttls_login_and_delivery(smtp_server: Received) -> None:
    settings = SmtpSettings(
        host="127.0.0.1",
        port=smtp_server.port,
        user=USER,
        sender="kacrm@example.com",
        starttls=True,
        timeout_seconds=10,
    )
    send_message(_message(), settings, PASSWORD, tls_context=_trusting(smtp_server.cert))
    assert smtp_server.logins == [(USER, PASSWORD)]
    (received,) = smtp_server.messages
    assert smtp_server.envelopes == [("kacrm@example.com", ["a@example.com", "b@example.com"])]
    assert received["Subject"] == "kacrm digest 2026-11-22: 1 due, 0 birthdays, 0 credit alerts"
    assert received.get_content_type() == "multipart/alternative"
    text, html = received.iter_parts()
    assert text.get_content_type() == "text/plain" and "call 王总" in text.get_content()
    assert html.get_content_type() == "text/html" and "<p>call 王总</p>" in html.get_content()


def test_untrusted_certificate_is_refused(smtp_server: Received) -> None:
    """The system trust store does not know the self-signed certificate: no mail goes out in clear or at all."""
    settings = SmtpSettings(
        host="127.0.0.1", port=smtp_server.port, user=USER, starttls=True, timeout_seconds=10
    )
    with pytest.raises(MailError, match="TLS failed"):
        send_message(_message(), settings, PASSWORD)
    assert smtp_server.messages == [] and smtp_server.logins == []


def test_wrong_password_names_the_env_variable(smtp_server: Received) -> None:
    settings = SmtpSettings(
        host="127.0.0.1", port=smtp_server.port, user=USER, starttls=True, timeout_seconds=10
    )
    with pytest.raises(MailError, match="KACRM_SMTP_PASSWORD") as info:
        send_message(_message(), settings, "wrong", tls_context=_trusting(smtp_server.cert))
    assert "wrong" not in info.value.message
    assert smtp_server.messages == []


def test_non_ascii_password_is_one_clear_message(smtp_server: Received) -> None:
    """smtplib encodes logins as ASCII; a password like "Pässword" must not end in a traceback."""
    settings = SmtpSettings(
        host="127.0.0.1", port=smtp_server.port, user=USER, starttls=True, timeout_seconds=10
    )
    with pytest.raises(MailError, match="only ASCII"):
        send_message(_message(), settings, "Pässword", tls_context=_trusting(smtp_server.cert))


def test_user_without_password_is_refused_before_connecting() -> None:
    settings = SmtpSettings(host="127.0.0.1", port=_free_port(), user=USER)
    with pytest.raises(MailError, match="KACRM_SMTP_PASSWORD is not set"):
        send_message(_message(), settings, None)


def test_server_without_starttls_is_refused_when_starttls_is_on(plain_server: Received) -> None:
    settings = SmtpSettings(
        host="127.0.0.1", port=plain_server.port, starttls=True, timeout_seconds=10
    )
    with pytest.raises(MailError, match="does not offer STARTTLS"):
        send_message(_message(), settings, None)
    assert plain_server.messages == []


def test_plain_smtp_when_starttls_is_off(plain_server: Received) -> None:
    settings = SmtpSettings(
        host="127.0.0.1", port=plain_server.port, starttls=False, timeout_seconds=10
    )
    send_message(_message(), settings, None)
    assert len(plain_server.messages) == 1


def test_connection_refused_is_one_clear_message() -> None:
    port = _free_port()  # nothing listens there
    settings = SmtpSettings(host="127.0.0.1", port=port, starttls=True, timeout_seconds=5)
    with pytest.raises(MailError, match=f"SMTP server 127.0.0.1:{port}"):
        send_message(_message(), settings, None)

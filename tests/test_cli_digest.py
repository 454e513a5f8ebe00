"""`kacrm digest` end to end on both backends: the sections from a small book, the digest_run records, catch-up
after a failed send, --skip-empty, the lock, and the email as a real SMTP server on 127.0.0.1 received it."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import Session
from test_mail import PASSWORD, USER, Received, smtp_server  # noqa: F401 (smtp_server is a fixture)

from kacrm.store.clock import utcnow
from kacrm.store.models import Contact, Customer, DigestRun, Order

AS_OF = "2026-11-22"
D = date.fromisoformat
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def book(engine) -> None:
    """C001 华东机电, tier A, limit ¥1,000: O1 ¥1,500 due 11-20 (unpaid: overdue, over the limit), O2 ¥500 on
    11-22 (a new key-account order); key person 王总, born 1980-11-25 (in 3 days), phone and hobbies.
    C002 Beta, tier C, no limit: O3 ¥200 on 11-22 (not a key account)."""
    now = utcnow()
    with Session(engine) as session:
        c1 = Customer(
            code="C001",
            name="华东机电",
            tier="A",
            credit_limit_cents=100_000,
            payment_terms_days=30,
            created_at=now,
            updated_at=now,
        )
        c2 = Customer(code="C002", name="Beta", tier="C", created_at=now, updated_at=now)
        session.add_all([c1, c2])
        session.flush()
        session.add(
            Contact(
                customer_id=c1.id,
                name="王总",
                birthday=D("1980-11-25"),
                phone="13800138000",
                hobbies="高尔夫",
                is_primary=True,
            )
        )
        session.add_all(
            [
                Order(
                    order_no="O1",
                    customer_id=c1.id,
                    order_date=D("2026-10-01"),
                    amount_cents=150_000,
                    due_date=D("2026-11-20"),
                ),
                Order(
                    order_no="O2",
                    customer_id=c1.id,
                    order_date=D("2026-11-22"),
                    amount_cents=50_000,
                ),
                Order(
                    order_no="O3",
                    customer_id=c2.id,
                    order_date=D("2026-11-22"),
                    amount_cents=20_000,
                ),
            ]
        )
        session.commit()


def _runs(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                select(
                    DigestRun.period_start,
                    DigestRun.period_end,
                    DigestRun.channel,
                    DigestRun.status,
                ).order_by(DigestRun.id)
            )
        ]


@pytest.fixture
def mail_config(tmp_path: Path, smtp_server: Received, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config file pointing at the test server; the password in the env; its certificate trusted."""
    monkeypatch.setenv("KACRM_SMTP_PASSWORD", PASSWORD)
    monkeypatch.setenv("SSL_CERT_FILE", str(smtp_server.cert))
    path = tmp_path / "config.toml"
    path.write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {smtp_server.port}\nuser = "{USER}"\n'
        'sender = "kacrm@example.com"\nstarttls = true\ntimeout_seconds = 10\n',
        encoding="utf-8",
    )
    return path


def test_json_sections_from_the_book(run, engine, book) -> None:
    result = run("--as-of", AS_OF, "digest", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["period_start"], data["period_end"]) == (
        AS_OF,
        AS_OF,
    )  # the first digest covers as-of
    assert {(d["kind"], d["customer_code"]) for d in data["due"]} >= {("collection", "C001")}
    (event,) = [e for e in data["events"] if e["kind"] == "birthday"]
    assert (event["event_on"], event["contact"], event["phone"], event["hobbies"]) == (
        "2026-11-25",
        "王总",
        "13800138000",
        "高尔夫",
    )
    (alert,) = data["credit_alerts"]
    # owed 1,500 + 500 = 2,000 > limit 1,000; O1 fell overdue on 11-21, before this first period: not "new"
    assert (alert["customer_code"], alert["alerts"], alert["outstanding"]) == (
        "C001",
        ["over_limit"],
        2000.0,
    )
    assert [(o["order_no"], o["amount"]) for o in data["new_orders"]] == [("O2", 500.0)]
    assert [r["customer_code"] for r in data["at_risk"]] == ["C001"]
    assert data["tier_changes"] == []
    assert _runs(engine) == [(D(AS_OF), D(AS_OF), "stdout", "written")]


@pytest.mark.parametrize(
    ("as_of", "actions"),
    # O1 fell due 2026-11-20; O2 and O3 (C002: the default 30 days' terms) fall due 2026-12-22. The default
    # ladder: -3 reminder, 1 call, 15 letter, 30 hold, 60 escalate. 11-22: O1 2 days late; 12-10: O1 20 days,
    # O2 and O3 not for 12 days; 2027-01-20: O1 61 days, O2 and O3 29 days
    [
        ("2026-11-22", [("C001", "call")]),
        ("2026-12-10", [("C001", "letter")]),
        ("2027-01-20", [("C001", "escalate"), ("C001", "letter"), ("C002", "letter")]),
    ],
)
def test_due_rows_name_the_ladder_action_as_due_does(
    run, book, as_of: str, actions: list[tuple[str, str]]
) -> None:
    digest = run("--as-of", as_of, "digest", "--dry-run", "--format", "json")
    assert digest.exit_code == 0, digest.stderr
    rows = json.loads(digest.stdout)["due"]
    collections = [r for r in rows if r["kind"] == "collection"]
    assert sorted((r["customer_code"], r["action"]) for r in collections) == actions
    assert all(r["action"] is None for r in rows if r["kind"] != "collection")
    due = run("--as-of", as_of, "due", "--overdue", "--format", "json")
    assert set(rows[0]) == set(json.loads(due.stdout)[0])  # the keys of `kacrm due` (SPEC §8)


def test_zh_text_and_redacted_html_file(run, book, tmp_path: Path) -> None:
    text = run("--lang", "zh", "--as-of", AS_OF, "digest")
    assert text.exit_code == 0, text.stderr
    assert (
        "kacrm 日报 2026-11-22" in text.stdout
        and "信用预警 (1)" in text.stdout
        and "催收" in text.stdout
    )
    out = tmp_path / "digest.html"
    result = run(
        "--as-of", "2026-11-23", "digest", "--format", "html", "--output", str(out), "--redact"
    )
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "王总" in page
    assert "13800138000" not in page and "高尔夫" not in page and "2026-11-25" not in page


def test_email_is_multipart_with_counts_and_the_password_stays_secret(
    run, engine, db_url, book, mail_config, smtp_server: Received
) -> None:
    result = run(
        "--config",
        str(mail_config),
        "--as-of",
        AS_OF,
        "digest",
        "--email",
        "boss@example.com",
        "--email",
        "me@example.com",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""  # cron mails whatever is printed
    # one message and one record per address (issue 15: periods are kept per recipient)
    boss, message = sorted(smtp_server.messages, key=lambda m: m["To"])
    assert boss["To"] == "boss@example.com" and boss["Subject"] == message["Subject"]
    assert smtp_server.logins == [(USER, PASSWORD), (USER, PASSWORD)]
    # due: collect O1 (due 11-20) and call C001 (tier A, 14 days from its first order 10-01, no contact
    # logged); C002's cadence (tier C: 90 days from 11-22) is not due. 1 birthday (王总, 11-25), 1 credit
    # alert, C001 at risk (overdue), O2 the one new key-account order.
    assert message["Subject"] == (
        "kacrm digest 2026-11-22: 2 due, 1 birthday, 1 credit alert, "
        "1 account at risk, 1 new key order"
    )
    assert message["From"] == "kacrm@example.com"
    assert message["To"] == "me@example.com"
    assert message.get_content_type() == "multipart/alternative"
    text, html = message.iter_parts()
    assert text.get_content_type() == "text/plain" and "C001 华东机电 (王总)" in text.get_content()
    assert (
        html.get_content_type() == "text/html"
        and "<h2>Credit alerts (1)</h2>" in html.get_content()
    )
    assert _runs(engine) == [(D(AS_OF), D(AS_OF), "email", "sent")] * 2
    # the password is nowhere: not in the records, the outputs, the mail, nor the database file
    with engine.connect() as conn:
        records = " ".join(str(v) for row in conn.execute(select(DigestRun)) for v in row)
    assert PASSWORD not in records + result.stdout + result.stderr
    assert PASSWORD.encode() not in b"".join(smtp_server.raw)
    if db_url.startswith("sqlite"):
        db_file = Path(db_url.removeprefix("sqlite:///"))
        for path in db_file.parent.glob(db_file.name + "*"):  # the file and its WAL
            assert PASSWORD.encode() not in path.read_bytes()
    again = run(
        "--config", str(mail_config), "--as-of", AS_OF, "digest", "--email", "boss@example.com"
    )
    assert again.exit_code == 0 and "already" in again.stderr
    assert len(smtp_server.messages) == 2  # never twice


def test_failed_send_exits_1_and_the_next_run_catches_up(
    run, engine, book, mail_config, tmp_path: Path, smtp_server: Received
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(
        mail_config.read_text(encoding="utf-8").replace(f"port = {smtp_server.port}", "port = 9"),
        encoding="utf-8",
    )
    failed = run(
        "--config", str(broken), "--as-of", "2026-11-21", "digest", "--email", "me@example.com"
    )
    assert failed.exit_code == 1
    assert (
        failed.stderr.startswith("Error: SMTP server 127.0.0.1:9")
        and "Traceback" not in failed.stderr
    )
    assert _runs(engine)[-1][3] == "failed"
    ok = run("--config", str(mail_config), "--as-of", AS_OF, "digest", "--email", "me@example.com")
    assert ok.exit_code == 0, ok.stderr
    assert _runs(engine)[-1] == (
        D("2026-11-21"),
        D(AS_OF),
        "email",
        "sent",
    )  # the failed day is included
    assert len(smtp_server.messages) == 1


def test_missing_password_is_a_clear_error(
    run, book, mail_config, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KACRM_SMTP_PASSWORD")
    result = run(
        "--config", str(mail_config), "--as-of", AS_OF, "digest", "--email", "me@example.com"
    )
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == "Error: smtp.user is 'me@example.com' but KACRM_SMTP_PASSWORD is not set"
    )


def test_skip_empty_prints_nothing_and_counts_as_covered(run, engine) -> None:
    result = run("--as-of", AS_OF, "digest", "--skip-empty")
    assert result.exit_code == 0 and result.stdout == ""
    assert _runs(engine) == [(D(AS_OF), D(AS_OF), "stdout", "skipped")]
    nxt = run("--as-of", "2026-11-23", "digest", "--format", "json")
    assert json.loads(nxt.stdout)["period_start"] == "2026-11-23"


def test_dry_run_records_nothing(run, engine, book) -> None:
    result = run("--as-of", AS_OF, "digest", "--dry-run")
    assert result.exit_code == 0 and "kacrm digest 2026-11-22" in result.stdout
    assert _runs(engine) == []


def test_a_running_digest_blocks_with_a_message(run, engine, book) -> None:
    with engine.begin() as conn:
        conn.execute(
            DigestRun.__table__.insert().values(
                period_start=D(AS_OF),
                period_end=D(AS_OF),
                channel="email",
                status="running",
                started_at=utcnow() - timedelta(minutes=1),
            )
        )
    result = run("--as-of", AS_OF, "digest", "--wait", "0")
    assert result.exit_code == 1
    assert "another digest (run #1, email) has been running since" in result.stderr
    assert result.stdout == ""


def test_two_processes_at_once_send_one_email(
    db_url, engine, book, mail_config, smtp_server: Received
) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [
        sys.executable,
        "-m",
        "kacrm",
        "--db",
        db_url,
        "--config",
        str(mail_config),
        "--as-of",
        AS_OF,
        "digest",
        "--email",
        "me@example.com",
    ]
    procs = [
        subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outcomes = [(*p.communicate(timeout=120), p.returncode) for p in procs]
    assert [code for _out, _err, code in outcomes] == [0, 0], outcomes
    assert len(smtp_server.messages) == 1
    assert sum("already" in err for _out, err, _code in outcomes) == 1
    assert [r[3] for r in _runs(engine)] == ["sent"]


def test_a_file_is_always_written_and_the_email_rule_is_once_a_day(
    run, engine, book, tmp_path
) -> None:
    """The once-a-day rule is for what is sent or shown: a second file the same day is written too, with the
    period of the first (11-22 … 11-22), and the next day's file covers only the new day."""
    first, second, third = (tmp_path / f"d{i}.md" for i in (1, 2, 3))
    for out in (first, second):
        result = run("--as-of", AS_OF, "digest", "--format", "md", "--output", str(out))
        assert result.exit_code == 0, result.stderr
        assert "has been produced already" not in result.stderr
        assert out.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
    assert "华东机电" in second.read_text(encoding="utf-8")
    result = run("--as-of", "2026-11-23", "digest", "--format", "json", "--output", str(third))
    assert result.exit_code == 0, result.stderr
    assert json.loads(third.read_text(encoding="utf-8"))["period_start"] == "2026-11-23"
    assert _runs(engine) == [
        (D(AS_OF), D(AS_OF), "file", "written"),
        (D(AS_OF), D(AS_OF), "file", "written"),
        (D("2026-11-23"), D("2026-11-23"), "file", "written"),
    ]
    # stdout keeps the rule: shown once a day
    assert run("--as-of", AS_OF, "digest").exit_code == 0
    again = run("--as-of", AS_OF, "digest")
    assert again.stdout == "" and "has been produced already" in again.stderr

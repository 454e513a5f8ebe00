"""A team on one database (SPEC §13): each owner's digest to their stored email with only their customers, the
manager's whole book, periods per recipient and scope, a refused recipient caught up alone, invalid addresses
refused before anything is sent or recorded. A real SMTP server on 127.0.0.1 (aiosmtpd), SQLite and
PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from sqlmodel import Session
from test_mail import _free_port

from kacrm.store.clock import utcnow
from kacrm.store.models import Customer, DigestRun, Order

D = date.fromisoformat
ZW, LN, BOSS = "zw@example.com", "ln@example.com", "boss@example.com"


@dataclass
class Server:
    port: int
    refuse: set[str] = field(default_factory=set)
    messages: list[EmailMessage] = field(default_factory=list)


class _RefusingHandler:
    """Accepts every recipient but those in ``server.refuse`` (550, as a full mailbox or unknown user)."""

    def __init__(self, server: Server) -> None:
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address in self.server.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        self.server.messages.append(
            message_from_bytes(envelope.original_content, policy=policy.default)
        )
        return "250 OK"


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[Server]:
    server = Server(_free_port())
    controller = Controller(_RefusingHandler(server), hostname="127.0.0.1", port=server.port)
    controller.start()
    yield server
    controller.stop()


@pytest.fixture
def config(tmp_path: Path, smtp: Server) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {smtp.port}\nuser = ""\n'
        'sender = "kacrm@example.com"\nstarttls = false\ntimeout_seconds = 10\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture
def team(run, engine) -> None:
    """T1 (张伟) and T2 (李娜) and T3 (nobody's) each owe an order due 2026-11-20: a collection item each."""
    now = utcnow()
    with Session(engine) as s:
        for i, owner in enumerate(("张伟", "李娜", None), start=1):
            c = Customer(code=f"T{i}", name=f"Team{i}", owner=owner, created_at=now, updated_at=now)
            s.add(c)
            s.flush()
            s.add(
                Order(
                    order_no=f"O{i}",
                    customer_id=c.id,
                    order_date=D("2026-10-01"),
                    amount_cents=100_000,
                    due_date=D("2026-11-20"),
                )
            )
        s.commit()
    assert run("owner", "set", "张伟", "--email", ZW).exit_code == 0
    assert run("owner", "set", "李娜", "--email", LN).exit_code == 0


def _codes(message: EmailMessage) -> set[str]:
    body = message.get_body(("plain",)).get_content()
    return {code for code in ("T1", "T2", "T3") if code in body}


def _by_to(server: Server) -> dict[str, list[EmailMessage]]:
    out: dict[str, list[EmailMessage]] = {}
    for m in server.messages:
        out.setdefault(m["To"], []).append(m)
    return out


def _records(engine) -> list[tuple]:
    with Session(engine) as s:
        return [
            (r.recipient, r.owner, str(r.period_start), str(r.period_end), r.status)
            for r in s.scalars(select(DigestRun).order_by(DigestRun.id))
        ]


def test_team_run_sends_each_owner_their_customers_and_the_manager_the_book(
    run, engine, team, config, smtp: Server
) -> None:
    args = ("--config", str(config), "--as-of", "2026-11-22", "digest", "--team")
    result = run(*args, "--email", BOSS)
    assert result.exit_code == 0, result.output
    got = _by_to(smtp)
    assert sorted(got) == [BOSS, LN, ZW] and all(len(v) == 1 for v in got.values())
    assert _codes(got[ZW][0]) == {"T1"}
    assert _codes(got[LN][0]) == {"T2"}
    assert _codes(got[BOSS][0]) == {"T1", "T2", "T3"}
    # a second run the same day delivers nothing, and says so for each recipient
    again = run(*args, "--email", BOSS)
    assert again.exit_code == 0, again.output
    assert len(smtp.messages) == 3
    assert again.stderr.count("produced already") == 3
    assert sorted(_records(engine)) == sorted(
        [
            (ZW, "张伟", "2026-11-22", "2026-11-22", "sent"),
            (LN, "李娜", "2026-11-22", "2026-11-22", "sent"),
            (BOSS, "", "2026-11-22", "2026-11-22", "sent"),
        ]
    )
    # one owner's own digest is its own record too: not swallowed by the team run's
    solo = run("--config", str(config), "--as-of", "2026-11-22", "digest", "--owner", "张伟")
    assert solo.exit_code == 0 and "produced already" in solo.stderr
    json_run = run(
        "--as-of", "2026-11-22", "digest", "--owner", "李娜", "--format", "json", "--dry-run"
    )
    data = json.loads(json_run.stdout)
    assert data["owner"] == "李娜" and {d["customer_code"] for d in data["due"]} == {"T2"}


def test_a_refused_recipient_is_caught_up_alone(run, engine, team, config, smtp: Server) -> None:
    smtp.refuse.add(LN)
    day1 = run(
        "--config", str(config), "--as-of", "2026-11-21", "digest", "--team", "--email", BOSS
    )
    assert day1.exit_code == 1
    assert "ln@example.com" in day1.stderr and "Traceback" not in day1.stderr
    assert sorted(_by_to(smtp)) == [BOSS, ZW]
    smtp.refuse.clear()
    day2 = run(
        "--config", str(config), "--as-of", "2026-11-22", "digest", "--team", "--email", BOSS
    )
    assert day2.exit_code == 0, day2.output
    got = _by_to(smtp)
    assert [len(got[a]) for a in (ZW, LN, BOSS)] == [2, 1, 2]
    recs = _records(engine)
    # 李娜's failed day is in her next digest; the others cover day 2 only (never day 1 twice)
    assert (LN, "李娜", "2026-11-21", "2026-11-21", "failed") in recs
    assert (LN, "李娜", "2026-11-21", "2026-11-22", "sent") in recs
    assert (ZW, "张伟", "2026-11-22", "2026-11-22", "sent") in recs
    assert (BOSS, "", "2026-11-22", "2026-11-22", "sent") in recs
    assert len(recs) == 6


def test_when_every_recipient_fails_the_error_says_none_was_sent(
    run, engine, team, config, smtp: Server
) -> None:
    """The error used to end "…, the others were sent" when there were no others."""
    smtp.refuse.update({ZW, LN, BOSS})
    args = ("--config", str(config), "--as-of", "2026-11-21", "digest", "--team")
    failed = run(*args, "--email", BOSS)
    assert failed.exit_code == 1
    last = " ".join(failed.stderr.split())  # the message may be folded at the terminal's edge
    assert "All 3 digests failed (" in last and "nothing was sent" in last
    assert "the others were sent" not in last
    assert smtp.messages == []
    zh = run("--lang", "zh", *args, "--email", BOSS)
    assert zh.exit_code == 1 and "全部 3 份日报均失败" in zh.stderr
    # one of three refused: the others were sent, and the message says so
    smtp.refuse = {LN}
    some = run(*args, "--email", BOSS)
    assert some.exit_code == 1
    assert "1 digest(s) failed (" in " ".join(some.stderr.split())
    assert "the others were sent" in " ".join(some.stderr.split())
    assert sorted(_by_to(smtp)) == [BOSS, ZW]


def test_an_invalid_address_records_and_sends_nothing(
    run, engine, team, config, smtp: Server
) -> None:
    for args in (
        ("--team", "--email", "not an address"),
        ("--email", BOSS, "--email", "boss@"),
        ("--owner", "张伟", "--email", "zw at example.com"),
    ):
        result = run("--config", str(config), "--as-of", "2026-11-22", "digest", *args)
        assert result.exit_code == 2, result.output
        assert "not a valid email address" in result.stderr
    assert smtp.messages == [] and _records(engine) == []
    unknown = run("--as-of", "2026-11-22", "digest", "--owner", "Nobody")
    assert unknown.exit_code == 1 and _records(engine) == []


def test_owner_option_on_credit_aging_report_and_customer_list(run, team) -> None:
    asof = ("--as-of", "2026-11-22")
    credit = json.loads(run(*asof, "credit", "--owner", "张伟", "--format", "json").stdout)
    assert [r["customer_code"] for r in credit] == ["T1"]
    aging = run(*asof, "credit", "aging", "--owner", "李娜", "--format", "json")
    assert [(r["customer_code"], r["total"]) for r in json.loads(aging.stdout)] == [
        ("T2", 1000.0)  # O2: 100,000 cents unpaid, 2 days past due on 11-22
    ]
    overview = json.loads(run(*asof, "report", "--owner", "李娜", "--format", "json").stdout)
    assert overview["customers"] == 1
    assert overview["revenue"] == 1000.0
    book = json.loads(run(*asof, "report", "--format", "json").stdout)
    assert (book["customers"], book["revenue"]) == (3, 3000.0)
    rows = json.loads(run("customer", "list", "--owner", "张伟", "--format", "json").stdout)
    assert [r["customer_code"] for r in rows] == ["T1"]
    assert run(*asof, "credit", "--owner", "Nobody").exit_code == 1


def test_managers_share_a_digest_only_when_their_periods_match(
    run, engine, team, config, smtp: Server
) -> None:
    cfo, coo = "cfo@example.com", "coo@example.com"
    head = ("--config", str(config))
    assert run(*head, "--as-of", "2026-11-20", "digest", "--email", BOSS).exit_code == 0
    # 11-21 is missed: the boss's next digest covers 11-21 … 11-22, the newcomers' 11-22 alone
    result = run(
        *head, "--as-of", "2026-11-22", "digest", "--team", "--email", BOSS, "--email", cfo,
        "--email", coo,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    got = _by_to(smtp)
    body = {to: got[to][-1].get_body(("plain",)).get_content() for to in (BOSS, cfo, coo)}
    assert "covers 2026-11-21 to 2026-11-22" in body[BOSS]
    assert "covers 2026-11-22 to 2026-11-22" in body[cfo]
    assert body[cfo] == body[coo]
    assert all(_codes(got[to][-1]) == {"T1", "T2", "T3"} for to in (BOSS, cfo, coo))
    assert (BOSS, "", "2026-11-21", "2026-11-22", "sent") in _records(engine)


def test_owners_without_an_address_are_named_and_the_run_still_succeeds(
    run, engine, team, config, smtp: Server
) -> None:
    now = utcnow()
    with Session(engine) as s:  # 王磊 (no email) holds two customers, 赵敏 one
        for code, owner in (("T4", "王磊"), ("T5", "王磊"), ("T6", "赵敏")):
            s.add(Customer(code=code, name=code, owner=owner, created_at=now, updated_at=now))
        s.commit()
    args = ("--config", str(config), "--as-of", "2026-11-22", "digest", "--team")
    result = run(*args)
    # not a failure of sending: exit 0, the two addresses served, the rest named with the way to add theirs
    assert result.exit_code == 0, result.output
    assert sorted(_by_to(smtp)) == [LN, ZW]
    assert (
        "2 owner(s) get no digest of their own: no email stored: 王磊 (2 customer(s)), "
        "赵敏 (1 customer(s)). Add one with `kacrm owner set NAME --email ADDR`." in result.stderr
    )
    zh = run("--lang", "zh", *args, "--dry-run")
    assert "2 位负责人收不到自己的日报：未保存邮箱：王磊（2 个客户）、赵敏（1 个客户）" in zh.stderr

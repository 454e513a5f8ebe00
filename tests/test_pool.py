"""The public pool (公海, issue 18): the rules with hand-computed days, the config, and the commands on SQLite and
PostgreSQL (`pool`, `pool release`, `pool claim`, `customer assign|lock|unlock`, `due --kind pool`, `customer
show`, `report`). Two processes releasing at once: tests/test_pool_race.py."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from kacrm.analysis.pool import PoolFacts, check_claim, last_touch, pool_status, release_on
from kacrm.config import PoolSettings, load_settings
from kacrm.errors import ConfigError

POOL = PoolSettings(release_after_days={"A": 30, "B": 60}, warn_days=7, cooldown_days=30)


def facts(**kw) -> PoolFacts:
    base = dict(
        customer_id=1,
        code="K1",
        name="甲公司",
        owner="张伟",
        tier="A",
        created_on=date(2026, 1, 1),
    )
    return PoolFacts(**{**base, **kw})


# --- the rules ------------------------------------------------------------------------------------------------


def test_release_day_is_last_touch_plus_the_tier_days() -> None:
    f = facts(last_interaction_on=date(2026, 10, 1), last_order_on=date(2026, 9, 15))
    # last touch = max(10-01, 09-15) = 10-01; tier A: 30 days -> 10-01 + 30 = 10-31
    assert last_touch(f) == date(2026, 10, 1)
    assert release_on(f, POOL) == date(2026, 10, 31)


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (date(2026, 10, 23), None),  # 10-31 - 7 = 10-24: the day before the warning
        (date(2026, 10, 24), "warning"),
        (date(2026, 10, 30), "warning"),
        (date(2026, 10, 31), "due"),
        (date(2027, 1, 1), "due"),
    ],
)
def test_status_warning_from_release_minus_warn_days_due_from_release(today, status) -> None:
    row = pool_status(facts(last_interaction_on=date(2026, 10, 1)), POOL, today)
    assert (row.status if row else None) == status


def test_clock_starts_again_the_day_the_owner_got_the_account() -> None:
    # claimed 2026-11-05, after the last contact (10-01) and order (09-15): 11-05 + 30 = 12-05
    f = facts(
        last_interaction_on=date(2026, 10, 1),
        last_order_on=date(2026, 9, 15),
        owner_since=date(2026, 11, 5),
    )
    assert release_on(f, POOL) == date(2026, 12, 5)
    # an order after the claim counts: 11-20 + 30 = 12-20
    assert release_on(
        facts(owner_since=date(2026, 11, 5), last_order_on=date(2026, 11, 20)), POOL
    ) == (date(2026, 12, 20))
    # nothing known but the creation: 2026-01-01 + 30 = 01-31
    assert release_on(facts(), POOL) == date(2026, 1, 31)


def test_tier_without_days_and_exemptions_are_never_released() -> None:
    old = {"last_interaction_on": date(2025, 1, 1)}
    today = date(2026, 12, 1)
    assert pool_status(facts(tier="C", **old), POOL, today) is None  # C has no number
    assert pool_status(facts(tier=None, **old), POOL, today) is None
    assert pool_status(facts(locked=True, **old), POOL, today) is None
    assert pool_status(facts(open_receivables=True, **old), POOL, today) is None
    not_exempt = PoolSettings(release_after_days={"A": 30}, exempt_open_receivables=False)
    assert pool_status(facts(open_receivables=True, **old), not_exempt, today).status == "due"
    # a pinned tier is released unless the config exempts it
    assert pool_status(facts(pinned=True, **old), POOL, today).status == "due"
    pinned_exempt = PoolSettings(release_after_days={"A": 30}, exempt_pinned=True)
    assert pool_status(facts(pinned=True, **old), pinned_exempt, today) is None
    # without [pool] release_after_days nothing at all
    assert pool_status(facts(**old), PoolSettings(), today) is None


def test_an_account_without_owner_is_pooled() -> None:
    row = pool_status(facts(owner=None, released_on=date(2026, 10, 31)), POOL, date(2026, 11, 1))
    assert (row.status, row.owner, row.release_on) == ("pooled", None, date(2026, 10, 31))
    # lost and internal accounts are nobody's opportunity: not listed
    assert pool_status(facts(owner=None, status="lost"), POOL, date(2026, 11, 1)) is None
    assert pool_status(facts(owner=None, type="internal"), POOL, date(2026, 11, 1)) is None


def test_claim_refused_over_capacity_and_in_cooldown() -> None:
    released = (date(2026, 10, 31), "张伟")
    today = date(2026, 11, 1)
    # capacity 2: holding 2 is full, holding 1 may take one more; 0 = no cap
    assert check_claim("李娜", 2, 2, released, 30, today).reason == "capacity"
    assert check_claim("李娜", 1, 2, released, 30, today).reason is None
    assert check_claim("李娜", 500, 0, released, 30, today).reason is None
    # cooldown 30 days from 10-31: 10-31 + 30 = 11-30 is the first day 张伟 may claim it back
    refused = check_claim("张伟", 0, 0, released, 30, date(2026, 11, 29))
    assert (refused.reason, refused.until) == ("cooldown", date(2026, 11, 30))
    assert check_claim("张伟", 0, 0, released, 30, date(2026, 11, 30)).reason is None
    assert check_claim("王磊", 0, 0, released, 30, today).reason is None  # another owner


# --- config ---------------------------------------------------------------------------------------------------


def test_without_a_pool_section_nothing_is_released(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text("[smtp]\nhost = 'x'\n", encoding="utf-8")
    pool = load_settings(cfg).pool
    assert (pool.release_after_days, pool.warn_days, pool.cooldown_days, pool.capacity) == (
        {},
        7,
        30,
        0,
    )
    assert pool.exempt_open_receivables is True


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("release_after_days = { A = 'x' }", "[pool.release_after_days] A"),
        ("release_after_days = { B = 0 }", "[pool.release_after_days] B"),
        ("warn_days = -1", "[pool] warn_days"),
        ("capacity = 'ten'", "[pool] capacity"),
        ("cooldown = 3", "[pool] cooldown"),
    ],
)
def test_a_config_error_names_the_key(tmp_path: Path, body: str, key: str) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text(f"[pool]\n{body}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(cfg)
    assert key in err.value.message


# --- the commands, on SQLite and PostgreSQL ---------------------------------------------------------------------

CUSTOMERS = """code,name,owner,tier
K1,甲公司,张伟,A
K2,乙公司,张伟,B
K3,丙公司,李娜,A
K4,丁公司,李娜,A
K5,戊公司,王磊,C
"""
ORDERS = "order_no,customer_code,order_date,amount\nO1,K4,2026-09-01,1000\n"


@pytest.fixture
def book(run, tmp_path: Path) -> Path:
    """Five accounts (dates by hand below); returns the config file."""
    cfg = tmp_path / "pool.toml"
    cfg.write_text(
        "[pool]\nrelease_after_days = { A = 30, B = 60 }\nwarn_days = 7\ncooldown_days = 30\n"
        "capacity = 2\n",
        encoding="utf-8",
    )
    (tmp_path / "customers.csv").write_text(CUSTOMERS, encoding="utf-8")
    (tmp_path / "orders.csv").write_text(ORDERS, encoding="utf-8")
    for name in ("customers.csv", "orders.csv"):
        result = run("import", str(tmp_path / name))
        assert result.exit_code == 0, result.output
    for code, on in (
        ("K1", "2026-10-01"),
        ("K2", "2026-09-01"),
        ("K3", "2026-09-01"),
        ("K5", "2026-01-01"),
    ):
        assert run("log", code, "call", "--on", on).exit_code == 0
    assert run("customer", "lock", "K3").exit_code == 0
    # K1: 10-01 + 30 = 10-31; K2: 09-01 + 60 = 10-31 (September has 30 days);
    # K3: 09-01 + 30 = 10-01 but locked; K4: order 09-01 + 30 = 10-01 but 1,000 still owed; K5: tier C, no days
    return cfg


def pool_json(run, cfg: Path, as_of: str) -> list[dict]:
    result = run("--config", str(cfg), "--as-of", as_of, "pool", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_warning_due_and_the_exemptions(run, book: Path) -> None:
    assert pool_json(run, book, "2026-10-23") == []
    rows = pool_json(run, book, "2026-10-24")
    assert [
        (r["customer_code"], r["status"], r["release_on"], r["last_touch_on"]) for r in rows
    ] == [
        ("K1", "warning", "2026-10-31", "2026-10-01"),
        ("K2", "warning", "2026-10-31", "2026-09-01"),
    ]
    assert set(rows[0]) == {
        "customer_code",
        "customer_name",
        "owner",
        "tier",
        "last_touch_on",
        "release_on",
        "status",
    }
    assert [r["status"] for r in pool_json(run, book, "2026-10-31")] == ["due", "due"]
    # unlocking K3 brings it back under the rules: 10-01 passed, so it is due
    assert run("customer", "unlock", "K3").exit_code == 0
    assert {r["customer_code"]: r["status"] for r in pool_json(run, book, "2026-10-24")} == {
        "K3": "due",
        "K1": "warning",
        "K2": "warning",
    }


def test_due_lists_the_warning_for_the_owner(run, book: Path) -> None:
    result = run(
        "--config",
        str(book),
        "--as-of",
        "2026-10-24",
        "due",
        "--kind",
        "pool",
        "--owner",
        "张伟",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    assert [(i["customer_code"], i["due_on"], i["event_on"]) for i in items] == [
        ("K1", "2026-10-24", "2026-10-31"),
        ("K2", "2026-10-24", "2026-10-31"),
    ]
    assert "released to the pool on 2026-10-31 unless contacted" in items[0]["reason"]
    # --today on 10-23: the warning (10-24) and the release (10-31) both lie after the window
    early = run(
        "--config",
        str(book),
        "--as-of",
        "2026-10-23",
        "due",
        "--today",
        "--kind",
        "pool",
        "--format",
        "json",
    )
    assert json.loads(early.stdout) == []


def test_logging_a_contact_restarts_the_clock(run, book: Path) -> None:
    assert run("log", "K1", "visit", "--on", "2026-10-25").exit_code == 0
    # K1: 10-25 + 30 = 11-24, warning from 11-17; on 10-31 only K2 is due
    assert [(r["customer_code"], r["status"]) for r in pool_json(run, book, "2026-10-31")] == [
        ("K2", "due")
    ]
    rows = pool_json(run, book, "2026-11-17")
    k1 = next(r for r in rows if r["customer_code"] == "K1")
    assert (k1["status"], k1["release_on"]) == ("warning", "2026-11-24")


def test_release_then_claim_refused_and_accepted(run, book: Path) -> None:
    cfg = ["--config", str(book)]
    dry = run(*cfg, "--as-of", "2026-10-31", "pool", "release", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "would release K1" in dry.stdout and "would release K2" in dry.stdout
    assert [r["status"] for r in pool_json(run, book, "2026-10-31")] == ["due", "due"]  # unchanged

    done = run(*cfg, "--as-of", "2026-10-31", "pool", "release", "--format", "json")
    assert done.exit_code == 0, done.output
    assert sorted(r["customer_code"] for r in json.loads(done.stdout)) == ["K1", "K2"]
    assert "2 account(s) released to the pool" in done.stderr
    again = run(*cfg, "--as-of", "2026-10-31", "pool", "release", "--format", "json")
    assert json.loads(again.stdout) == []  # released once
    # nothing released, no terminal (cron mails any output): not a word
    assert again.stderr == ""
    assert run(*cfg, "--as-of", "2026-10-31", "pool", "release").stderr == ""
    pooled = pool_json(run, book, "2026-11-01")
    assert [(r["customer_code"], r["owner"], r["status"], r["release_on"]) for r in pooled] == [
        ("K1", None, "pooled", "2026-10-31"),
        ("K2", None, "pooled", "2026-10-31"),
    ]

    # 李娜 holds K3 and K4: at the capacity of 2
    full = run(*cfg, "--as-of", "2026-11-01", "pool", "claim", "K2", "--owner", "李娜")
    assert full.exit_code == 4 and "holds 2 customers" in full.output
    full = run(*cfg, "--as-of", "2026-11-01", "customer", "assign", "K2", "--owner", "李娜")
    assert full.exit_code == 4
    # 张伟 released K2 on 10-31: cooldown until 10-31 + 30 = 11-30
    cool = run(*cfg, "--as-of", "2026-11-29", "pool", "claim", "K2", "--owner", "张伟")
    assert cool.exit_code == 4 and "2026-11-30" in cool.output
    ok = run(*cfg, "--as-of", "2026-11-30", "pool", "claim", "K2", "--owner", "张伟")
    assert ok.exit_code == 0, ok.output
    # another salesperson claims K1 at once; 王磊 holds K5 only
    assert (
        run(*cfg, "--as-of", "2026-11-01", "pool", "claim", "K1", "--owner", "王磊").exit_code == 0
    )
    taken = run(*cfg, "--as-of", "2026-11-02", "pool", "claim", "K1", "--owner", "张伟")
    assert taken.exit_code == 4 and "belongs to 王磊" in taken.output
    # an assignment is held to the cooldown too (张伟 until 11-30), not to a new colleague
    cool = run(*cfg, "--as-of", "2026-11-02", "customer", "assign", "K1", "--owner", "张伟")
    assert cool.exit_code == 4 and "2026-11-30" in cool.output
    # a new colleague is added to the team first (an unknown name is refused: tests/test_team_ownership.py)
    assert run("owner", "set", "赵敏", "--email", "zm@example.com").exit_code == 0
    moved = run(*cfg, "--as-of", "2026-11-02", "customer", "assign", "K1", "--owner", "赵敏")
    assert moved.exit_code == 0, moved.output

    # the claim restarts the clock: K2 claimed 11-30, B: 60 days -> 2027-01-29, warning from 01-22
    rows = pool_json(run, book, "2027-01-22")
    k2 = next(r for r in rows if r["customer_code"] == "K2")
    assert (k2["status"], k2["last_touch_on"], k2["release_on"]) == (
        "warning",
        "2026-11-30",
        "2027-01-29",
    )

    show = run("customer", "show", "K1", "--format", "json")
    history = json.loads(show.stdout)["ownership"]
    assert [(h["on"], h["reason"], h["owner"], h["previous_owner"]) for h in history] == [
        ("2026-10-31", "released", None, "张伟"),
        ("2026-11-01", "claimed", "王磊", None),
        ("2026-11-02", "assigned", "赵敏", "王磊"),
    ]
    report = run("--as-of", "2026-11-02", "report", "--format", "json")
    assert json.loads(report.stdout)["pool"] == {"pooled": 0, "released": 2}


def _card(run, code: str) -> dict:
    shown = run("customer", "show", code, "--format", "json")
    assert shown.exit_code == 0, shown.output
    return json.loads(shown.stdout)


def _history(run, code: str) -> list[tuple]:
    return [
        (h["on"], h["reason"], h["owner"], h["previous_owner"])
        for h in _card(run, code)["ownership"]
    ]


def test_customer_edit_owner_is_an_assignment(run, book: Path) -> None:
    """`customer edit --owner` used to set the owner alone: an account handed over on its release day stayed
    `due` and `pool release` took it from the new owner the same day, with no history row."""
    cfg = ["--config", str(book)]
    moved = run(*cfg, "customer", "edit", "K1", "--owner", "王磊", "--as-of", "2026-10-31")
    assert moved.exit_code == 0, moved.output
    assert _history(run, "K1") == [("2026-10-31", "assigned", "王磊", "张伟")]
    # K1's last touch is now the handover, 10-31: + 30 (A) = 11-30, warning from 11-23; only K2 is due
    assert [(r["customer_code"], r["status"]) for r in pool_json(run, book, "2026-10-31")] == [
        ("K2", "due")
    ]
    released = run(*cfg, "--as-of", "2026-10-31", "pool", "release", "--format", "json")
    assert [r["customer_code"] for r in json.loads(released.stdout)] == ["K2"]
    k1 = next(r for r in pool_json(run, book, "2026-11-23") if r["customer_code"] == "K1")
    assert (k1["owner"], k1["status"], k1["last_touch_on"], k1["release_on"]) == (
        "王磊",
        "warning",
        "2026-10-31",
        "2026-11-30",
    )


def test_customer_edit_owner_keeps_capacity_and_cooldown(run, book: Path) -> None:
    """[pool] capacity = 2 and 李娜 holds K3 and K4: an edit that would give her K2 is refused (exit 4) and
    changes nothing, not even the other fields given with it; the cooldown holds as for assign."""
    cfg = ["--config", str(book)]
    full = run(*cfg, "customer", "edit", "K2", "--owner", "李娜", "--status", "dormant")
    assert full.exit_code == 4, full.output
    assert "refused: 李娜 holds 2 customers and may hold at most 2" in full.stderr
    card = _card(run, "K2")
    assert (card["owner"], card["status"], card["ownership"]) == ("张伟", "active", [])
    assert run(*cfg, "--as-of", "2026-10-31", "pool", "release").exit_code == 0  # K1, K2
    cool = run(*cfg, "--as-of", "2026-11-29", "customer", "edit", "K2", "--owner", "张伟")
    assert cool.exit_code == 4 and "may claim it back from 2026-11-30" in cool.stderr  # 10-31 + 30
    same = run(*cfg, "--as-of", "2026-11-30", "customer", "edit", "K2", "--owner", "张伟")
    assert same.exit_code == 0, same.output


def test_customer_edit_clearing_the_owner_is_kept_in_the_history(run, book: Path) -> None:
    """--owner "" puts the account in the pool by hand: a history row (assigned to nobody), not a release (the
    report counts none, and the previous owner may take it back at once: no cooldown)."""
    cfg = ["--config", str(book)]
    cleared = run(*cfg, "customer", "edit", "K2", "--owner", "", "--as-of", "2026-11-01")
    assert cleared.exit_code == 0, cleared.output
    assert _card(run, "K2")["owner"] is None
    assert _history(run, "K2") == [("2026-11-01", "assigned", None, "张伟")]
    pooled = next(r for r in pool_json(run, book, "2026-11-01") if r["customer_code"] == "K2")
    assert (pooled["status"], pooled["release_on"]) == ("pooled", None)  # never released
    report = run("--as-of", "2026-11-01", "report", "--format", "json")
    assert json.loads(report.stdout)["pool"] == {"pooled": 1, "released": 0}
    back = run(*cfg, "--as-of", "2026-11-02", "customer", "edit", "K2", "--owner", "张伟")
    assert back.exit_code == 0, back.output
    assert _history(run, "K2")[-1] == ("2026-11-02", "assigned", "张伟", None)


def test_chinese_words(run, book: Path) -> None:
    result = run("--config", str(book), "--lang", "zh", "--as-of", "2026-10-24", "pool")
    assert result.exit_code == 0, result.output
    assert "预警" in result.stdout and "释放日" in result.stdout
    run("--config", str(book), "--as-of", "2026-10-31", "pool", "release")
    refused = run(
        "--config",
        str(book),
        "--lang",
        "zh",
        "--as-of",
        "2026-11-01",
        "pool",
        "claim",
        "K1",
        "--owner",
        "张伟",
    )
    assert refused.exit_code == 4 and "冷却期 30 天" in refused.output


def test_without_pool_config_nothing_is_released(run, book: Path) -> None:
    result = run("--as-of", "2027-06-01", "pool", "release", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout) == []
    assert "nothing is ever released" in result.output


# --- the migration ------------------------------------------------------------------------------------------------


def test_a_0005_database_upgrades_without_losing_rows(db_url: str) -> None:
    """A book written at revision 0005 (an owner, a key person, an order, a contact logged) keeps every row;
    its owner is kept, nothing is locked, and the pool clock counts from the contact (owner_since unknown)."""
    from sqlalchemy import text

    from kacrm.store.engine import SCHEMA_HEAD, current_revision, make_engine
    from kacrm.store.migrate import upgrade

    engine = make_engine(db_url, migrate=False)
    try:
        upgrade(engine, "0005")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO customer (id, code, name, type, status, owner, tier, created_at, "
                    "updated_at) VALUES (1, 'K1', '甲公司', 'business', 'active', '张伟', 'A', "
                    ":now, :now)"
                ),
                {"now": "2026-01-01 00:00:00"},
            )
            conn.execute(
                text(
                    "INSERT INTO contact (customer_id, name, is_primary, birthday_has_year, "
                    "lunar_birthday_leap) "
                    "VALUES (1, '王总', true, true, false)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO orders (order_no, customer_id, order_date, amount_cents, status) "
                    "VALUES ('O1', 1, '2026-09-01', 100000, 'open')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO interaction (customer_id, happened_on, kind) "
                    "VALUES (1, '2026-10-01', 'call')"
                )
            )
        upgrade(engine)
        assert current_revision(engine) == SCHEMA_HEAD  # every migration after 0005 ran
        with engine.connect() as conn:
            counts = [
                conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar()
                for t in ("customer", "contact", "orders", "interaction", "ownership")
            ]
            row = conn.execute(
                text("SELECT owner, owner_since, pool_locked FROM customer WHERE id = 1")
            ).one()
        assert counts == [1, 1, 1, 1, 0]
        assert (row[0], row[1], bool(row[2])) == ("张伟", None, False)
    finally:
        engine.dispose()


def test_a_release_from_a_stale_reading_takes_nothing(run, book: Path, engine) -> None:
    """What two processes at once come down to: both read K1 and K2 due with owner 张伟; the second to write
    finds the owner gone and releases nothing, writes no history row."""
    from sqlalchemy import text

    from kacrm.store.pool_store import release

    with engine.connect() as conn:
        ids = dict(conn.execute(text("SELECT code, id FROM customer")).all())
    seen = [(ids["K1"], "张伟"), (ids["K2"], "张伟")]
    assert sorted(release(engine, seen, date(2026, 10, 31))) == sorted([ids["K1"], ids["K2"]])
    assert release(engine, seen, date(2026, 10, 31)) == []
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM ownership")).scalar() == 2


def test_an_owners_own_capacity_wins_over_the_config(run, book: Path) -> None:
    """[pool] capacity = 2; 李娜 holds K3 and K4. Her own capacity of 3 lets her claim one more, then no more;
    0 means no cap."""
    cfg = ["--config", str(book)]
    assert (
        run(*cfg, "--as-of", "2026-10-31", "pool", "release").exit_code == 0
    )  # K1, K2 to the pool
    assert run("owner", "set", "李娜", "--capacity", "3").exit_code == 0
    assert (
        run(*cfg, "--as-of", "2026-11-01", "pool", "claim", "K1", "--owner", "李娜").exit_code == 0
    )
    full = run(*cfg, "--as-of", "2026-11-01", "pool", "claim", "K2", "--owner", "李娜")
    assert full.exit_code == 4 and "at most 3" in full.output  # holds 3 of 3
    assert run("owner", "set", "李娜", "--capacity", "0").exit_code == 0
    assert (
        run(*cfg, "--as-of", "2026-11-01", "pool", "claim", "K2", "--owner", "李娜").exit_code == 0
    )


def test_the_digest_lists_the_warnings_and_the_releases(run, book: Path) -> None:
    cfg = ["--config", str(book)]
    # 10-31: K1 and K2 reach their release day (warnings since 10-24): due items of kind pool
    before = run(*cfg, "--as-of", "2026-10-31", "digest", "--format", "json", "--dry-run")
    assert before.exit_code == 0, before.output
    due = json.loads(before.stdout)["due"]
    assert sorted(i["customer_code"] for i in due if i["kind"] == "pool") == ["K1", "K2"]
    assert run(*cfg, "--as-of", "2026-10-31", "pool", "release").exit_code == 0
    after = run(*cfg, "--as-of", "2026-10-31", "digest", "--format", "json", "--dry-run")
    data = json.loads(after.stdout)
    assert [i for i in data["due"] if i["kind"] == "pool"] == []  # released: no owner to warn
    assert [
        (r["released_on"], r["customer_code"], r["previous_owner"]) for r in data["pool_releases"]
    ] == [
        ("2026-10-31", "K1", "张伟"),
        ("2026-10-31", "K2", "张伟"),
    ]
    text = run(*cfg, "--as-of", "2026-10-31", "digest", "--dry-run")
    assert "Released to the public pool" in text.stdout and "released from 张伟" in text.stdout
    # another salesperson's digest lists them too: an account in the pool is anyone's to claim (docs/digest.md)
    theirs = run(
        *cfg, "--as-of", "2026-10-31", "digest", "--owner", "李娜", "--format", "json", "--dry-run"
    )
    assert theirs.exit_code == 0, theirs.output
    assert json.loads(theirs.stdout)["pool_releases"] == data["pool_releases"]


def test_days_for_another_family_than_the_tier_in_force_are_said(run, book: Path) -> None:
    """[pool] keyed A/B while the pyramid is primary releases nothing: `pool` and `pool release` say why on stderr
    (en/zh), as they do without a [pool] section; under abc, no note."""
    for args in (("pool",), ("pool", "release", "--dry-run")):
        quiet = run("--config", str(book), "--as-of", "2026-11-01", *args)
        assert quiet.exit_code == 0 and "note:" not in quiet.stderr
    assert run("--as-of", "2026-11-01", "tier", "--method", "pyramid").exit_code == 0
    assert run("--as-of", "2026-11-01", "tier", "primary", "pyramid").exit_code == 0
    for lang, said in (
        ("en", "names A, B, but the tier in force is pyramid's"),
        ("zh", "设置的是 A, B"),
    ):
        for args in (("pool",), ("pool", "release", "--dry-run")):
            result = run("--config", str(book), "--lang", lang, "--as-of", "2026-11-01", *args)
            assert result.exit_code == 0 and said in result.stderr.replace("\n", " "), result.stderr

"""`kacrm owner list|set` (SPEC §13), on SQLite and PostgreSQL, and the owner table across an upgrade."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from sqlalchemy import text
from sqlmodel import Session

from kacrm.store.engine import make_engine
from kacrm.store.repo import customer_by_code

FIXTURES = Path(__file__).parent / "fixtures" / "schema"


def _owners(run) -> list[dict]:
    result = run("owner", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_owner_list_counts_customers_and_key_accounts(run, engine) -> None:
    run("customer", "add", "C1", "甲公司", "--owner", "张伟")
    run("customer", "add", "C2", "乙公司", "--owner", "张伟")
    run("customer", "add", "C3", "丙公司", "--owner", "李娜")
    run("customer", "add", "C4", "丁公司")
    with Session(
        engine
    ) as s:  # key accounts are the key tiers in force: A here, gold pinned, C is not
        customer_by_code(s, "C1").tier = "A"
        customer_by_code(s, "C2").tier = "C"
        c3 = customer_by_code(s, "C3")
        c3.tier, c3.tier_pinned = "iron", "gold"
        s.commit()
    rows = sorted(_owners(run), key=lambda r: r["customers"])
    # C4 has no owner and is nobody's row; no capacity stored nor configured: 0, no cap
    assert rows == [
        {"owner": "李娜", "email": None, "customers": 1, "key_accounts": 1, "capacity": 0},
        {"owner": "张伟", "email": None, "customers": 2, "key_accounts": 1, "capacity": 0},
    ]


def test_owner_list_shows_the_capacity_in_force(run, tmp_path: Path) -> None:
    """[pool] capacity = 40 applies to every owner without their own; the list used to show them none."""
    config = tmp_path / "pool.toml"
    config.write_text("[pool]\ncapacity = 40\n", encoding="utf-8")
    for code, owner in (("C1", "张伟"), ("C2", "李娜"), ("C3", "王磊")):
        assert run("customer", "add", code, "甲公司", "--owner", owner).exit_code == 0
    assert run("owner", "set", "李娜", "--capacity", "25").exit_code == 0
    assert run("owner", "set", "王磊", "--capacity", "0").exit_code == 0  # her own: no cap
    listed = run("--config", str(config), "owner", "list", "--format", "json")
    assert {r["owner"]: r["capacity"] for r in json.loads(listed.stdout)} == {
        "张伟": 40,
        "李娜": 25,
        "王磊": 0,
    }
    # the table says no cap in words
    table = run("--config", str(config), "owner", "list", "--format", "md")
    assert "| 张伟 |  | 1 | 0 | 40 |" in table.stdout
    assert "| 王磊 |  | 1 | 0 | no cap |" in table.stdout
    zh = run("--config", str(config), "--lang", "zh", "owner", "list", "--format", "md")
    assert "| 王磊 |  | 1 | 0 | 不设上限 |" in zh.stdout
    # without the config file, the config's capacity is the default 0: no cap
    plain = run("owner", "list", "--format", "json")
    assert {r["owner"]: r["capacity"] for r in json.loads(plain.stdout)}["张伟"] == 0


def test_owner_set_stores_email_and_capacity_and_keeps_what_is_not_given(run) -> None:
    run("customer", "add", "C1", "甲公司", "--owner", "张伟")
    assert run("owner", "set", "张伟", "--email", "ZhangWei@Example.com").exit_code == 0
    assert run("owner", "set", "张伟", "--capacity", "40").exit_code == 0
    # an owner with no customer yet (a new hire) is listed too
    assert run("owner", "set", "王磊", "--email", "wl@example.com").exit_code == 0
    rows = {r["owner"]: r for r in _owners(run)}
    # email-validator lowers the domain only: ZhangWei@example.com
    assert rows["张伟"] == {
        "owner": "张伟",
        "email": "ZhangWei@example.com",
        "customers": 1,
        "key_accounts": 0,
        "capacity": 40,
    }
    assert rows["王磊"]["customers"] == 0 and rows["王磊"]["email"] == "wl@example.com"
    assert run("owner", "set", "张伟", "--email", "").exit_code == 0  # '' clears the address
    assert {r["owner"]: r for r in _owners(run)}["张伟"]["email"] is None


def test_owner_set_refuses_a_bad_address_and_stores_nothing(run) -> None:
    result = run("owner", "set", "张伟", "--email", "not an address")
    assert result.exit_code == 2
    assert "not an address" in result.output
    assert _owners(run) == []
    assert run("owner", "set", "张伟").exit_code == 1  # nothing to change
    assert run("owner", "set", "张伟", "--capacity", "-1").exit_code == 2  # usage error


def test_owner_table_is_created_by_the_upgrade_from_0005(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    shutil.copy(FIXTURES / "0004.db", db)
    with make_engine(db).connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM owner")).scalar() == 0
        assert conn.execute(text("SELECT COUNT(*) FROM customer")).scalar() >= 1
        # earlier digest runs are the whole book's
        scopes = conn.execute(text("SELECT DISTINCT recipient, owner FROM digest_run")).all()
        assert scopes == [("", "")]


def test_owners_are_exported(run, tmp_path: Path) -> None:
    run("owner", "set", "张伟", "--email", "zw@example.com", "--capacity", "40")
    out = tmp_path / "owners.csv"
    assert run("export", "owners", "--output", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8-sig").splitlines() == [
        "owner,email,capacity",
        "张伟,zw@example.com,40",
    ]


def test_owner_set_says_what_it_stored_in_words(run) -> None:
    """No capacity given reads "not set" (not "capacity -."); a capacity of 0 is no cap (--capacity's help)."""
    result = run("owner", "set", "王磊", "--email", "wanglei@example.com")
    assert result.exit_code == 0, result.output
    assert "Saved owner 王磊: email wanglei@example.com, capacity not set." in result.stderr
    result = run("--lang", "zh", "owner", "set", "王磊", "--capacity", "0")
    assert "已保存负责人 王磊：邮箱 wanglei@example.com，容量 不设上限。" in result.stderr
    result = run("owner", "set", "王磊", "--capacity", "40")
    assert "capacity 40." in result.stderr


OWNER_FILTERS = [
    ("due", "--days", "30"),
    ("customer", "list"),
    ("pool",),
    ("credit",),
    ("credit", "aging"),
    ("report",),
    ("digest", "--dry-run"),
]


def test_every_owner_filter_refuses_a_name_nobody_has_alike(run) -> None:
    """SPEC §13: a typo'd --owner is exit 1 with one message on every command, never an empty answer."""
    run("customer", "add", "C1", "甲公司", "--owner", "张伟")
    assert (
        run("owner", "set", "王磊", "--email", "wl@example.com").exit_code == 0
    )  # no customer yet
    for args in OWNER_FILTERS:
        for lang, words in (
            ("en", "Error: No customer names '张为' as owner and `kacrm owner set` did not store"),
            ("zh", "错误：没有客户的负责人是 '张为'，也没有用 `kacrm owner set` 保存过"),
        ):
            typo = run("--as-of", "2026-11-20", "--lang", lang, *args, "--owner", "张为")
            assert (typo.exit_code, typo.stdout) == (1, ""), (args, typo.output)
            assert typo.stderr.startswith(words), (args, typo.stderr)
        for name in ("张伟", "王磊"):  # an owner of customers, a stored owner without any
            known = run("--as-of", "2026-11-20", *args, "--owner", name, "--format", "json")
            assert known.exit_code == 0, (args, name, known.output)

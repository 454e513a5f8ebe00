"""The team's ownership stays what the team decided (docs/team.md, SPEC §13/§14): a customers file re-imported
does not undo the pool's releases, claims and assignments; the owners a file does change are recorded and held
to the capacity (said, not refused); a claim or an assignment to an unknown name is refused. The rule by hand,
the commands on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kacrm.analysis.pool import team_owner_stands

# --- the rule ----------------------------------------------------------------------------------------------------


def test_a_file_naming_the_owner_the_team_took_the_account_from_is_stale() -> None:
    released_claimed = [("released", "刘洋"), ("claimed", None)]
    assert team_owner_stands(released_claimed, "刘洋")  # the ERP still says 刘洋
    assert not team_owner_stands(released_claimed, "王五")  # the ERP moved it: news
    assert not team_owner_stands([], "刘洋")  # kacrm never handed it over
    # an import since the hand-overs wrote the owner: only hand-overs after it count
    assert not team_owner_stands([*released_claimed, ("imported", "陈静")], "刘洋")
    after = [*released_claimed, ("imported", "陈静"), ("assigned", "王五")]
    assert team_owner_stands(after, "王五") and not team_owner_stands(after, "刘洋")
    # put in the pool by hand (`customer edit --owner ""`): the file's old owner does not take it back
    assert team_owner_stands([("assigned", "张伟")], "张伟")
    # any owner the hand-overs took it from: released by 杨帆, claimed by 李娜, assigned to 王磊; a file saying
    # 李娜 (the ERP told of the claim, not yet of the assignment) is stale too, and 王磊 keeps it
    chain = [("released", "杨帆"), ("claimed", None), ("assigned", "李娜")]
    assert team_owner_stands(chain, "李娜") and team_owner_stands(chain, "杨帆")
    assert not team_owner_stands(chain, "王五")


# --- the commands, on SQLite and PostgreSQL ---------------------------------------------------------------------

CUSTOMERS = """code,name,owner,tier
K1,甲公司,张伟,A
K2,乙公司,张伟,B
K3,丙公司,李娜,A
K4,丁公司,李娜,A
K5,戊公司,王磊,C
"""
# the ERP's next export: K1 moved to 李娜, K2 (in the pool in kacrm) to 王磊; K3..K5 as before
MOVED = CUSTOMERS.replace("K1,甲公司,张伟", "K1,甲公司,李娜").replace(
    "K2,乙公司,张伟", "K2,乙公司,王磊"
)


@pytest.fixture
def book(run, tmp_path: Path) -> Path:
    """K1 and K2 (张伟) released on 2026-10-31 (last calls 10-01 + 30 and 09-01 + 60), K1 claimed by 王磊 the same
    day; K2 stays in the pool. Capacity 2. Returns the config file."""
    cfg = tmp_path / "pool.toml"
    cfg.write_text(
        "[pool]\nrelease_after_days = { A = 30, B = 60 }\ncooldown_days = 30\ncapacity = 2\n",
        encoding="utf-8",
    )
    (tmp_path / "customers.csv").write_text(CUSTOMERS, encoding="utf-8")
    assert run("import", str(tmp_path / "customers.csv")).exit_code == 0
    for code, on in (("K1", "2026-10-01"), ("K2", "2026-09-01"), ("K3", "2026-10-20")):
        assert run("log", code, "call", "--on", on).exit_code == 0
    assert run("customer", "lock", "K4").exit_code == 0
    at = ("--config", str(cfg), "--as-of", "2026-10-31")
    released = run(*at, "pool", "release", "--format", "json")
    assert [r["customer_code"] for r in json.loads(released.stdout)] == ["K1", "K2"]
    assert run(*at, "pool", "claim", "K1", "--owner", "王磊").exit_code == 0
    return cfg


def owners(run) -> dict[str, str | None]:
    rows = json.loads(run("customer", "list", "--format", "json").stdout)
    return {r["customer_code"]: r["owner"] for r in rows}


def history(run, code: str) -> list[tuple]:
    card = json.loads(run("customer", "show", code, "--format", "json").stdout)
    return [(h["on"], h["reason"], h["owner"], h["previous_owner"]) for h in card["ownership"]]


def summary(result) -> dict:
    return json.loads(result.stdout)[0]


def test_a_re_import_keeps_the_team_s_hand_overs_and_says_so(run, book: Path, tmp_path) -> None:
    path = str(tmp_path / "customers.csv")
    result = run("--config", str(book), "--as-of", "2026-11-01", "import", path, "--format", "json")
    assert result.exit_code == 0, result.output
    # the file still says 张伟 for K1 and K2: the claim by 王磊 and the release stand; nothing updated
    assert (summary(result)["updated"], summary(result)["unchanged"]) == (0, 5)
    assert owners(run) == {"K1": "王磊", "K2": None, "K3": "李娜", "K4": "李娜", "K5": "王磊"}
    assert (
        "2 customer(s) keep the owner the team gave them in kacrm; the file names the owner they were "
        "taken from: K1 (file 张伟, kacrm: 王磊), K2 (file 张伟, kacrm: the pool). "
        "`kacrm customer assign CODE --owner NAME` to change." in result.stderr
    )
    assert history(run, "K1") == [
        ("2026-10-31", "released", None, "张伟"),
        ("2026-10-31", "claimed", "王磊", None),
    ]
    zh = run("--lang", "zh", "--config", str(book), "--as-of", "2026-11-01", "import", path)
    assert "2 个客户保留团队在 kacrm 中给定的负责人；文件仍写着之前的负责人：" in zh.stderr
    assert "K1（文件 张伟，kacrm：王磊）、K2（文件 张伟，kacrm：公海）" in zh.stderr


def test_an_owner_the_file_changes_is_recorded_and_held_to_the_capacity(
    run, book: Path, tmp_path
) -> None:
    moved = tmp_path / "moved.csv"
    moved.write_text(MOVED, encoding="utf-8")
    args = ("--config", str(book), "--as-of", "2026-11-01", "import", str(moved))
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    assert summary(result)["updated"] == 2
    assert owners(run) == {"K1": "李娜", "K2": "王磊", "K3": "李娜", "K4": "李娜", "K5": "王磊"}
    assert history(run, "K1")[-1] == ("2026-11-01", "imported", "李娜", "王磊")
    assert history(run, "K2")[-1] == ("2026-11-01", "imported", "王磊", None)
    assert (
        "2 customer(s) change owner by the file (ownership history `imported`): "
        "K1 (王磊 → 李娜), K2 (the pool → 王磊)" in result.stderr
    )
    # 李娜 had K3, K4 (capacity 2) and gets K1: 3 > 2, imported all the same and said; 王磊 K5 + K2 = 2 is not over
    assert "moved.csv: 李娜 now holds 3 customers, over the capacity of 2" in result.stderr
    assert "王磊 now holds" not in result.stderr
    # the day the owner got it restarts the pool clock: K2 (tier B) 11-01 + 60 = 12-31, warned 7 days before
    # (its last call, 09-01, would have made it due at once)
    pool = run("--config", str(book), "--as-of", "2026-12-24", "pool", "--format", "json")
    rows = {r["customer_code"]: r for r in json.loads(pool.stdout)}
    assert (rows["K2"]["status"], rows["K2"]["release_on"]) == ("warning", "2026-12-31")
    # the same file again changes nothing and says nothing of owners
    again = run(*args, "--format", "json")
    assert (summary(again)["updated"], again.stderr.count("owner")) == (0, 0)
    # the next export also gives K5 (王磊's, never handed over in kacrm) to 李娜: 4 customers
    moved.write_text(MOVED.replace("K5,戊公司,王磊", "K5,戊公司,李娜"), encoding="utf-8")
    zh = run("--lang", "zh", *args)
    assert "1 个客户按文件更换负责人（归属记录“导入”）：K5（王磊 → 李娜）" in zh.stderr
    assert "李娜 现有 4 个客户，超过上限 2：仍已导入" in zh.stderr


def test_an_owner_whose_accounts_all_went_to_the_pool_may_still_take_one(run, book: Path) -> None:
    # 张伟 holds nothing since the release of K1 and K2, and `owner set` never stored him: the history knows him
    result = run(
        "--config",
        str(book),
        "--as-of",
        "2026-11-01",
        "customer",
        "assign",
        "K3",
        "--owner",
        "张伟",
    )
    assert result.exit_code == 0, result.output
    assert owners(run)["K3"] == "张伟"


def test_a_file_may_bring_new_owners(run, book: Path, tmp_path) -> None:
    erp = tmp_path / "erp.csv"
    erp.write_text("code,name,owner\nK6,己公司,赵敏\n", encoding="utf-8")
    result = run("--config", str(book), "import", str(erp))
    assert result.exit_code == 0, result.output
    assert owners(run)["K6"] == "赵敏"


@pytest.mark.parametrize(
    ("args", "close"),
    [
        (("pool", "claim", "K2", "--owner", "王 磊"), "王磊"),  # a space in the name
        (("customer", "assign", "K3", "--owner", "李那"), "李娜"),  # one character off
        (("customer", "edit", "K3", "--owner", "无此人"), None),
    ],
)
def test_a_hand_over_to_an_unknown_owner_is_refused(run, book: Path, args, close) -> None:
    before = owners(run)
    result = run("--config", str(book), "--as-of", "2026-11-01", *args)
    assert result.exit_code == 1  # as `due --owner` with an unknown name
    name = args[-1]
    if close:
        assert f"--owner '{name}': no such owner; did you mean {close}?" in result.stderr
        assert f"Owners: {close}, " in result.stderr  # the close one first
    else:
        assert (
            "Owners: 李娜, 王磊." in result.stderr
        )  # Python's order; 张伟 holds nothing since 10-31
    assert "`kacrm owner set" in result.stderr
    assert owners(run) == before
    zh = run("--lang", "zh", "--config", str(book), *args)
    assert zh.exit_code == 1 and "没有这位负责人" in zh.stderr and "现有负责人：" in zh.stderr
    # stored first, the new salesperson may take it
    assert run("owner", "set", name, "--email", "new@example.com").exit_code == 0
    taken = run("--config", str(book), "--as-of", "2026-11-01", *args)
    assert taken.exit_code == 0, taken.output


def test_an_import_refused_for_a_bad_row_says_nothing_of_owners(run, book: Path, tmp_path) -> None:
    """The customers file moves K1 to 李娜, the orders file of the same import has a bad amount: nothing is
    imported, so no owner changed, and stderr must not say one did."""
    moved = tmp_path / "moved.csv"
    moved.write_text(MOVED, encoding="utf-8")
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "order_no,customer_code,order_date,amount\nB1,K3,2026-11-01,abc\n", encoding="utf-8"
    )
    result = run("--config", str(book), "--as-of", "2026-11-01", "import", str(moved), str(orders))
    assert result.exit_code == 3
    assert "change owner" not in result.stderr and "now holds" not in result.stderr
    assert owners(run)["K1"] == "王磊"

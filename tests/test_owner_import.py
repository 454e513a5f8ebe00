"""`kacrm import` of owners (issue 15), on SQLite and PostgreSQL: insert, re-import, update, a bad email, and the
round trip with `kacrm export owners`."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import text

from kacrm.io.headers import detect_kind


def _owners(engine) -> list[tuple]:
    with engine.connect() as conn:
        query = text("SELECT name, email, capacity FROM owner ORDER BY name")
        return [tuple(row) for row in conn.execute(query)]


def _import(run, path: Path, *more: str) -> tuple[int, dict]:
    result = run("import", str(path), "--format", "json", *more)
    summaries = json.loads(result.stdout) if result.stdout.strip() else [{}]
    return result.exit_code, summaries[0]


def _counts(summary: dict) -> tuple[str, int, int, int, int]:
    return (
        summary["kind"],
        summary["inserted"],
        summary["updated"],
        summary["unchanged"],
        summary["rejected"],
    )


def test_owners_file_imports_and_reimports_unchanged(run, engine, tmp_path: Path) -> None:
    path = tmp_path / "业务员.csv"
    path.write_text("业务员,邮箱,客户上限\n张伟,zw@example.com,40\n李娜,,\n", encoding="utf-8")
    code, summary = _import(run, path)
    assert code == 0
    assert _counts(summary) == ("owners", 2, 0, 0, 0)
    assert _owners(engine) == [("张伟", "zw@example.com", 40), ("李娜", None, None)]
    code, summary = _import(run, path)
    assert code == 0
    assert _counts(summary) == ("owners", 0, 0, 2, 0)
    assert _owners(engine) == [("张伟", "zw@example.com", 40), ("李娜", None, None)]


def test_reimport_updates_a_changed_owner(run, engine, tmp_path: Path) -> None:
    path = tmp_path / "team.csv"
    path.write_text("name,email,capacity\n张伟,zw@example.com,40\n李娜,ln@example.com,10\n")
    assert _import(run, path, "--kind", "owners")[0] == 0
    path.write_text("name,email,capacity\n张伟,zw@example.com,40\n李娜,lina@example.com,12\n")
    code, summary = _import(run, path, "--kind", "owners")
    assert code == 0
    assert _counts(summary) == ("owners", 0, 1, 1, 0)
    assert _owners(engine) == [("张伟", "zw@example.com", 40), ("李娜", "lina@example.com", 12)]


def test_bad_email_is_rejected_and_nothing_is_written(run, engine, tmp_path: Path) -> None:
    path = tmp_path / "owners.csv"
    path.write_text("owner,email,capacity\n张伟,zw@example.com,40\n王磊,wl-at-example.com,5\n")
    result = run("import", str(path))
    assert result.exit_code == 3
    assert "row 3, column 'email': 'wl-at-example.com': not a valid email address" in (
        result.stderr
    )
    assert "1 bad row; nothing was imported" in result.stderr
    assert _owners(engine) == []
    zh = run("--lang", "zh", "import", str(path))
    assert zh.exit_code == 3
    assert "不是有效的电子邮件地址" in zh.stderr
    assert _owners(engine) == []


def test_negative_capacity_is_rejected(run, engine, tmp_path: Path) -> None:
    path = tmp_path / "owners.csv"
    path.write_text("owner,capacity\n张伟,-3\n")
    result = run("import", str(path))
    assert result.exit_code == 3
    assert "row 2, column 'capacity': '-3'" in result.stderr
    assert _owners(engine) == []


def test_export_imports_back_to_the_same_table(run, engine, tmp_path: Path) -> None:
    assert (
        run("owner", "set", "张伟", "--email", "zw@example.com", "--capacity", "40").exit_code == 0
    )
    assert run("owner", "set", "李娜", "--capacity", "0").exit_code == 0
    assert run("owner", "set", "王磊", "--email", "wl@example.com").exit_code == 0
    expected = [
        ("张伟", "zw@example.com", 40),
        ("李娜", None, 0),
        ("王磊", "wl@example.com", None),
    ]
    assert sorted(_owners(engine)) == sorted(expected)
    exported = tmp_path / "owners.csv"
    assert run("export", "owners", "--output", str(exported)).exit_code == 0
    # into the same database: nothing changes
    code, summary = _import(run, exported)
    assert code == 0 and _counts(summary) == ("owners", 0, 0, 3, 0)
    # into an emptied table: the same rows come back
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM owner"))
    code, summary = _import(run, exported)
    assert code == 0 and _counts(summary) == ("owners", 3, 0, 0, 0)
    assert sorted(_owners(engine)) == sorted(expected)
    again = tmp_path / "again.csv"
    assert run("export", "owners", "--output", str(again)).exit_code == 0
    assert again.read_bytes() == exported.read_bytes()


def test_kind_is_detected_from_headers_and_file_name() -> None:
    assert detect_kind(["owner", "email", "capacity"]) == "owners"
    assert detect_kind(["姓名", "邮箱", "客户上限"]) == "owners"
    assert detect_kind(["name", "email"], "salespeople.csv") == "owners"
    assert detect_kind(["负责人", "电子邮件"], "负责人.xlsx") == "owners"
    # a customers file with an owner column stays a customers file
    assert detect_kind(["客户编号", "客户名称", "负责人", "邮箱"], "customers.csv") == "customers"
    assert detect_kind(["name", "email"]) == "customers"

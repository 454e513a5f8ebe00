"""Import and export keep SPEC §5 and §9 for payment plans (`schedules`) as for every other kind: export writes
them, import lists them among its kinds and takes --map for them; a dry run creates nothing and counts what a real
import does; a plan file is part of the import's one transaction; a column --map reads gets no hint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from kacrm.cli.app import app
from kacrm.io.headers import header_hints, map_headers

CUSTOMERS = "code,name\nC1,Alpha\nC2,Beta\n"
ORDERS = "order_no,customer_code,order_date,amount\nO1,C1,2026-01-02,100\nO2,C2,2026-01-03,50\n"
# O1's ¥100 in two instalments, O2's ¥50 in one: 3 instalments
PLAN = "订单号,期数,计划日期,金额\nO1,1,2026-02-01,60\nO1,2,2026-03-01,40\nO2,1,2026-02-15,50\n"


def _files(directory: Path) -> list[str]:
    paths = []
    for name, content in (("customers", CUSTOMERS), ("orders", ORDERS), ("plan", PLAN)):
        path = directory / f"{name}.csv"
        path.write_text(content, encoding="utf-8")
        paths.append(str(path))
    return paths


def _counts(stdout: str) -> list[tuple]:
    return [
        (s["kind"], s["rows_read"], s["inserted"], s["updated"], s["unchanged"], s["rejected"])
        for s in json.loads(stdout)
    ]


# every file new: its rows all inserted (by hand: 2 customers, 2 orders, 3 instalments)
NEW_BOOK = [
    ("customers", 2, 2, 0, 0, 0),
    ("orders", 2, 2, 0, 0, 0),
    ("schedules", 3, 3, 0, 0, 0),
]


def _rows(engine, table: str) -> int:
    with engine.connect() as conn:
        return conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()


# ------------------------------------------------------------------------------------------ export schedules


def test_export_schedules_in_both_languages(run, tmp_path: Path) -> None:
    run("import", *_files(tmp_path))
    out = tmp_path / "plans.xlsx"
    result = run("export", "schedules", "--output", str(out))
    assert result.exit_code == 0, result.stderr
    assert f"Wrote 3 schedules rows to {out}" in result.stderr.replace("\n", "")
    again = run("import", str(out), "--format", "json")
    assert again.exit_code == 0, again.stderr
    assert _counts(again.stdout) == [("schedules", 3, 0, 0, 3, 0)]
    csv = tmp_path / "计划.csv"
    result = run("--lang", "zh", "export", "回款计划", "-o", str(csv))
    assert result.exit_code == 0, result.stderr
    assert "已将 3 行回款计划写入" in result.stderr
    assert csv.read_text(encoding="utf-8-sig").splitlines() == [
        "order_no,instalment,due_on,amount",
        "O1,1,2026-02-01,60.00",
        "O1,2,2026-03-01,40.00",
        "O2,1,2026-02-15,50.00",
    ]


# ------------------------------------------------------------------------------------------ dry run


def test_a_dry_run_creates_no_database(tmp_path: Path) -> None:
    runner = CliRunner()
    files = _files(tmp_path)
    new = tmp_path / "new.db"
    alone = runner.invoke(app, ["--db", str(new), "import", files[0], "--dry-run"])
    assert alone.exit_code == 0, alone.stderr
    assert list(tmp_path.glob("new.db*")) == []
    dry = runner.invoke(app, ["--db", str(new), "import", *files, "--dry-run", "--format", "json"])
    assert dry.exit_code == 0, dry.stderr
    assert "Dry run: nothing was written" in dry.stderr
    assert list(tmp_path.glob("new.db*")) == []
    # the same counts as the real import (into another new file), which the plan's orders come with
    real = runner.invoke(
        app, ["--db", str(tmp_path / "real.db"), "import", *files, "--format", "json"]
    )
    assert real.exit_code == 0, real.stderr
    assert _counts(dry.stdout) == _counts(real.stdout) == NEW_BOOK
    assert (tmp_path / "real.db").exists()


def test_a_dry_run_writes_nothing_and_counts_as_the_import(run, engine, tmp_path: Path) -> None:
    files = _files(tmp_path)
    dry = run("import", *files, "--dry-run", "--format", "json")
    assert dry.exit_code == 0, dry.stderr
    for table in ("customer", "orders", "payment_schedule", "import_batch"):
        assert _rows(engine, table) == 0, table
    real = run("import", *files, "--format", "json")
    assert real.exit_code == 0, real.stderr
    assert _counts(dry.stdout) == _counts(real.stdout) == NEW_BOOK
    assert _rows(engine, "payment_schedule") == 3


def test_a_bad_plan_file_leaves_the_other_files_unwritten(run, engine, tmp_path: Path) -> None:
    """One transaction for the whole import: a plan naming no order (exit 3) writes the customers neither."""
    customers = _files(tmp_path)[0]
    plan = tmp_path / "bad_plan.csv"
    plan.write_text("订单号,期数,计划日期,金额\nO9,1,2026-02-01,60\n", encoding="utf-8")
    result = run("import", customers, str(plan), "--format", "json")
    assert result.exit_code == 3
    assert "no order O9" in result.stderr and "nothing was imported" in result.stderr
    assert _counts(result.stdout) == [("customers", 2, 0, 0, 0, 0), ("schedules", 1, 0, 0, 0, 1)]
    assert _rows(engine, "customer") == 0


# ------------------------------------------------------------------------------------------ the kinds listed


def test_help_lists_schedules_in_both_languages(run) -> None:
    english = run("import", "-h").stdout
    assert "owners or schedules (payment plans)" in " ".join(english.split())
    chinese = run("--lang", "zh", "import", "-h").stdout
    assert "schedules（回款计划）" in "".join(chinese.split())


@pytest.mark.parametrize(
    ("lang", "listed"),
    [
        ("en", "--kind customers|contacts|orders|payments|interactions|owners|schedules"),
        ("zh", "--kind 客户资料|联系人|订单|回款|联系记录|负责人|回款计划"),
    ],
)
def test_an_unknown_file_names_every_kind(run, tmp_path: Path, lang: str, listed: str) -> None:
    junk = tmp_path / "junk.csv"
    junk.write_text("foo,bar\n1,2\n", encoding="utf-8")
    result = run("--lang", lang, "import", str(junk))
    assert result.exit_code == 1
    assert listed in result.stderr.replace("\n", "")


@pytest.mark.parametrize(
    ("lang", "listed"),
    [
        ("en", "customers,contacts,orders,payments,interactions,owners,schedules"),
        ("zh", "客户资料、联系人、订单、回款、联系记录、负责人、回款计划"),
    ],
)
def test_an_unknown_kind_names_every_kind(run, tmp_path: Path, lang: str, listed: str) -> None:
    result = run("--lang", lang, "import", _files(tmp_path)[0], "--kind", "invoices")
    assert (
        result.exit_code == 2
    )  # a value --kind does not allow: a usage error, as `export KIND` gives
    assert listed in "".join(result.stderr.replace("│", " ").split())


def test_kind_schedules_by_its_chinese_name(run, tmp_path: Path) -> None:
    customers, orders, plan = _files(tmp_path)
    assert run("import", customers, orders).exit_code == 0
    result = run("import", plan, "--kind", "回款计划", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert _counts(result.stdout) == [("schedules", 3, 3, 0, 0, 0)]


# ------------------------------------------------------------------------------------------ --map on a plan


def test_map_reads_a_plan_file(run, tmp_path: Path) -> None:
    customers, orders, _ = _files(tmp_path)
    plan = tmp_path / "Zahlungsplan.csv"
    # no header a plan is known by but 金额, which --map Betrag=amount outranks: the 1s are not read
    plan.write_text(
        "Auftrag,Nr,Termin,Betrag,金额\nO1,1,2026-02-01,70,1\nO1,2,2026-03-01,30,1\n",
        encoding="utf-8",
    )
    pairs = ["Auftrag=order_no", "Nr=instalment", "Termin=due_on", "Betrag=amount"]
    maps = [arg for pair in pairs for arg in ("--map", pair)]
    result = run("import", customers, orders, str(plan), *maps, "--format", "json")
    assert result.exit_code == 0, result.stderr
    summaries = json.loads(result.stdout)
    assert (summaries[2]["kind"], summaries[2]["inserted"]) == ("schedules", 2)
    assert summaries[2]["unknown_columns"] == ["金额 (duplicate of amount)"]
    listed = json.loads(run("schedule", "list", "--format", "json").stdout)
    assert [(r["order_no"], r["instalment"], r["due_on"], r["amount"]) for r in listed] == [
        ("O1", 1, "2026-02-01", 70.0),
        ("O1", 2, "2026-03-01", 30.0),
    ]


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "--map Betrag=amt: 'amt' is not a field of schedules; fields: order_no, instalment"),
        ("zh", "--map Betrag=amt：'amt' 不是 schedules 的字段；可用字段：order_no, instalment"),
    ],
)
def test_map_to_no_field_of_a_plan(run, tmp_path: Path, lang: str, said: str) -> None:
    plan = tmp_path / "plan.csv"
    plan.write_text("订单号,期数,计划日期,Betrag\nO1,1,2026-02-01,60\n", encoding="utf-8")
    result = run("--lang", lang, "import", str(plan), "--map", "Betrag=amt")
    assert result.exit_code == 1
    assert said in result.stderr.replace("\n", "")


@pytest.mark.parametrize(
    ("lang", "unknown"),
    [
        ("en", ["金额 (duplicate of amount)", "(column 6, no header)"]),
        ("zh", ["金额（与“计划回款金额”重复）", "（第 6 列，无表头）"]),
    ],
)
def test_a_plan_file_names_its_unknown_columns_as_any_file(
    run, tmp_path: Path, lang: str, unknown: list[str]
) -> None:
    """The column --map outranks is its field's duplicate, a column without a header says so: in each language."""
    customers, orders, _ = _files(tmp_path)
    plan = tmp_path / "plan.csv"
    plan.write_text(
        "订单号,Nr,计划日期,Betrag,金额,,备注\nO2,1,2026-02-01,50,1,,x\n", encoding="utf-8"
    )
    maps = ["--map", "Nr=instalment", "--map", "Betrag=amount"]
    # wide enough for the table to keep its unknown-columns column with the temporary files' long names
    result = run(
        "--lang", lang, "import", customers, orders, str(plan), *maps, env={"COLUMNS": "400"}
    )
    assert result.exit_code == 0, result.stderr
    table = "".join(result.stdout.split())
    for column in (*unknown, "备注"):
        assert "".join(column.split()) in table, column


# ------------------------------------------------------------------------------------------ hints


def test_no_hint_for_a_mapped_column() -> None:
    headers = ["order_no", "cust", "order_date", "amount"]
    header_map = map_headers(headers, "orders", {"cust": "customer_code"})
    assert header_hints(headers, "orders", header_map) == []
    # unmapped, the same column is hinted at
    assert header_hints(headers, "orders", map_headers(headers, "orders")) == [
        ("cust", "customer_name")
    ]


@pytest.mark.parametrize(("lang", "hint"), [("en", "looks like"), ("zh", "看起来是")])
def test_no_hint_for_a_mapped_column_on_screen(run, tmp_path: Path, lang: str, hint: str) -> None:
    customers = _files(tmp_path)[0]
    assert run("import", customers).exit_code == 0
    mapped = tmp_path / "mapped.csv"
    mapped.write_text(
        "order_no,cust,order_date,amount,业务员名称\nO1,C1,2026-01-02,100,张伟\n", encoding="utf-8"
    )
    result = run(
        "--lang", lang, "import", str(mapped), "--kind", "orders", "--map", "cust=customer_code"
    )
    assert result.exit_code == 0, result.stderr
    assert "'cust'" not in result.stderr
    # the column no --map reads still is
    assert f"'业务员名称' {hint} salesperson" in result.stderr

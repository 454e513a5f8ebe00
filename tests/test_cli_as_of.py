"""`--as-of` before the command and after every date-dependent command (SPEC §2), read with the importer's date
forms; its errors name where the bad date came from (--as-of or KACRM_TODAY). Real SQLite files."""

from __future__ import annotations

import ast
import inspect
import json
import shutil
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from kacrm.cli.app import app

runner = CliRunner()

# The same day in the forms the importer reads (values.parse_date).
DAY_FORMS = ["2026-11-20", "2026/11/20", "2026/11/20", "2026.11.20", "20261120", "2026年11月20日"]

# Every command whose answer depends on the day, with what it needs (json where it has it).
READ_COMMANDS = [
    ["due", "--week", "-f", "json"],
    ["customer", "list", "-f", "json"],
    ["customer", "show", "KH0001", "-f", "json"],
    ["tier", "-f", "json"],
    ["tier", "fit", "-f", "json"],
    ["credit", "-f", "json"],
    ["credit", "review", "-f", "json"],
    ["credit", "explain", "KH0001", "-f", "json"],
    ["credit", "aging", "-f", "json"],
    ["credit", "check", "KH0001", "--amount", "1000", "-f", "json"],
    ["report", "-f", "json"],
    ["report", "pareto", "-f", "json"],
    ["report", "movement", "-f", "json"],
    ["report", "churn", "-f", "json"],
    ["report", "customer", "KH0001", "-f", "json"],
    ["digest", "--dry-run", "--format", "json"],
    ["plan", "list", "-f", "json"],
]


def invoke(db: Path, *args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, ["--db", str(db), *args], env=env, catch_exceptions=True)


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two customers, four orders, one payment and a visit: KH0001 (cadence 30 days) last seen 2026-10-01."""
    folder = tmp_path_factory.mktemp("asof")
    (folder / "客户资料.csv").write_text(
        "客户编号,客户名称,账期\nKH0001,苏州和宏包装材料有限公司,30\nKH0002,宁波创新化工股份有限公司,60\n",
        encoding="utf-8",
    )
    (folder / "订单.csv").write_text(
        "订单号,客户编号,日期,金额\n"
        "SO1,KH0001,2025/12/01,10000\nSO2,KH0001,2026/09/01,20000\n"
        "SO3,KH0002,2026/03/15,5000\nSO4,KH0002,2026/10/15,8000\n",
        encoding="utf-8",
    )
    db = folder / "k.db"
    r = invoke(db, "import", str(folder / "客户资料.csv"), str(folder / "订单.csv"))
    assert r.exit_code == 0, r.stderr
    r = invoke(db, "customer", "edit", "KH0001", "--cadence-days", "30")
    assert r.exit_code == 0, r.stderr
    r = invoke(db, "log", "KH0001", "visit", "--note", "季度回顾", "--on", "2026-10-01")
    assert r.exit_code == 0, r.stderr
    for day in ("2026-06-30", "2026-10-31"):  # two tier runs, for `report movement`
        assert invoke(db, "tier", "--as-of", day).exit_code == 0
    return db


@pytest.fixture
def copy(book: Path, tmp_path: Path) -> Path:
    """A private copy of the book for a command that writes."""
    target = tmp_path / "k.db"
    shutil.copyfile(book, target)
    return target


@pytest.mark.parametrize("args", READ_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_as_of_before_after_and_from_the_environment_agree(
    book: Path, args: list[str], tmp_path: Path
) -> None:
    runs = iter(range(10))

    def invoke(db: Path, *args: str, env: dict[str, str] | None = None):
        """On a fresh copy of the book each time: tier and digest record their runs."""
        fresh = tmp_path / f"k{next(runs)}.db"
        shutil.copyfile(db, fresh)
        return runner.invoke(app, ["--db", str(fresh), *args], env=env, catch_exceptions=True)

    before = invoke(book, "--as-of", "2026-11-20", *args)
    assert before.exit_code in (0, 4), before.stderr  # 4: a credit check may refuse
    after = invoke(book, *args, "--as-of", "2026/11/20")
    assert after.exit_code == before.exit_code, after.stderr
    from_env = invoke(book, *args, env={"KACRM_TODAY": "2026年11月20日"})
    assert from_env.exit_code == before.exit_code, from_env.stderr
    assert after.stdout == before.stdout
    assert from_env.stdout == before.stdout
    # the command's own --as-of wins over the global one
    both = invoke(book, "--as-of", "2020-01-01", *args, "--as-of", "20261120")
    assert both.stdout == before.stdout


@pytest.mark.parametrize("args", READ_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_a_bad_as_of_after_the_command_is_a_usage_error_naming_it(
    book: Path, args: list[str]
) -> None:
    r = invoke(book, *args, "--as-of", "2026-13-01")
    assert r.exit_code == 2
    assert "Invalid value for --as-of" in r.output
    assert "Traceback" not in r.output


def test_a_bad_kacrm_today_is_named_as_such(book: Path) -> None:
    r = invoke(book, "due", env={"KACRM_TODAY": "bad"})
    assert r.exit_code == 2
    assert "KACRM_TODAY" in r.output
    assert "--as-of" not in r.output.replace("--as-of DATE", "")


def test_dates_out_of_the_calendar_range_are_refused(book: Path) -> None:
    r = invoke(book, "due", "--as-of", "2150-01-01")
    assert r.exit_code == 2
    assert "outside 1900-01-01 … 2100-12-31" in r.output


@pytest.mark.parametrize("form", DAY_FORMS)
def test_every_importer_form_means_the_same_day(book: Path, form: str) -> None:
    r = invoke(book, "report", "-f", "json", "--as-of", form)
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["as_of"] == "2026-11-20"


def _due_today(db: Path, *where: str) -> list[dict]:
    r = invoke(db, *where)
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def test_the_day_after_due_moves_the_cadence_item(book: Path) -> None:
    # last visit 2026-10-01, cadence 30 days: due 2026-10-31, not yet on 10-30, overdue 1 day on 11-01
    on_10_30 = _due_today(
        book, "due", "--today", "--kind", "cadence", "-f", "json", "--as-of", "2026/10/30"
    )
    assert [row for row in on_10_30 if row["customer_code"] == "KH0001"] == []
    on_11_01 = _due_today(
        book, "due", "--today", "--kind", "cadence", "-f", "json", "--as-of", "2026年11月1日"
    )
    [item] = [row for row in on_11_01 if row["customer_code"] == "KH0001"]
    assert item["due_on"] == "2026-10-31"
    assert item["overdue_days"] == 1


def _last_contact(db: Path) -> str:
    r = invoke(db, "customer", "show", "KH0001", "-f", "json")
    return json.loads(r.stdout)["last_contact_on"]


def test_log_after_the_command_dates_the_interaction(copy: Path) -> None:
    r = invoke(copy, "log", "KH0001", "call", "--as-of", "2026/11/05")
    assert r.exit_code == 0, r.stderr
    assert _last_contact(copy) == "2026-11-05"


@pytest.mark.parametrize("position", ["before", "after"])
def test_done_and_snooze_in_both_positions(copy: Path, position: str) -> None:
    day = ("--as-of", "2026/11/01")

    def at(*args: str) -> list[str]:
        return [*day, *args] if position == "before" else [*args, *day]

    [item] = [
        row
        for row in _due_today(copy, *at("due", "--today", "--kind", "cadence", "-f", "json"))
        if row["customer_code"] == "KH0001"
    ]
    r = invoke(copy, *at("snooze", item["id"], "--days", "2"))
    assert r.exit_code == 0, r.stderr
    assert "2026-11-03" in r.stderr  # 11-01 + 2 days
    r = invoke(copy, *at("done", item["id"]))
    assert r.exit_code == 0, r.stderr
    assert _last_contact(copy) == "2026-11-01"


def _commands(group: typer.core.TyperGroup, prefix: tuple[str, ...] = ()) -> Iterator[tuple]:
    """Every command and group under ``group``, with its path."""
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if hasattr(command, "commands"):
            yield from _commands(command, (*prefix, name))


def _reads_today(function: Callable[..., object]) -> bool:
    """Whether ``function``, or a function of its module it calls (at any depth), reads the day 'today' means:
    ``state.today``, ``state.as_of`` or ``as_of_or_today``."""
    module = sys.modules[function.__module__]
    tree = ast.parse(inspect.getsource(module))
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    seen: set[str] = set()
    todo = [function.__name__]
    while todo:
        name = todo.pop()
        if name in seen or name not in functions:
            continue
        seen.add(name)
        for node in ast.walk(functions[name]):
            if isinstance(node, ast.Attribute) and node.attr in ("today", "as_of"):
                return True
            if isinstance(node, ast.Name) and node.id == "as_of_or_today":
                return True
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                todo.append(node.func.id)
    return False


DATED = [
    (" ".join(path), command)
    for path, command in _commands(typer.main.get_command(app))
    if command.callback is not None and _reads_today(inspect.unwrap(command.callback))
]


def test_the_walk_finds_the_dated_commands() -> None:
    names = {name for name, _ in DATED}
    assert {"due", "log", "credit hold", "credit release", "tier primary", "report"} <= names
    assert not {"tier pin", "owner set", "config show"} & names


@pytest.mark.parametrize("name, command", DATED, ids=[name for name, _ in DATED])
def test_every_command_that_reads_today_takes_as_of_after_it(
    name: str, command: typer.core.TyperCommand
) -> None:
    assert any("--as-of" in param.opts for param in command.params), name


@pytest.mark.parametrize("args", [["credit", "hold"], ["credit", "release"]])
def test_credit_hold_and_release_are_dated_by_as_of_after_them(copy: Path, args: list[str]) -> None:
    r = invoke(copy, *args, "KH0001", "--note", "对账", "--as-of", "2026/10/15")
    assert r.exit_code == 0, r.output
    with sqlite3.connect(copy) as conn:
        [(day,)] = conn.execute(
            "SELECT reviewed_on FROM credit_review WHERE note = '对账'"
        ).fetchall()
    assert day == "2026-10-15"


def test_tier_primary_is_dated_by_as_of_after_it(copy: Path) -> None:
    # both customers go from their abc tier to their pyramid tier: two movements, dated the day given
    assert invoke(copy, "tier", "--method", "pyramid", "--as-of", "2026-10-31").exit_code == 0
    r = invoke(copy, "tier", "primary", "pyramid", "--as-of", "2026/11/02")
    assert r.exit_code == 0, r.output
    with sqlite3.connect(copy) as conn:
        days = conn.execute(
            "SELECT changed_on FROM tier_movement WHERE method = 'pyramid'"
        ).fetchall()
    assert days == [("2026-11-02",), ("2026-11-02",)]

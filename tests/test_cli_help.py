"""Help like the best CLIs: plain value names (TEXT, INTEGER, PATH, DATE, a choice list), no metavar after a flag,
env vars shown, and a working example drawn from the demo data on every command and group."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from kacrm.cli.app import app

runner = CliRunner()


def _paths(group: typer.main.TyperGroup, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            found += _paths(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


COMMANDS = _paths(typer.main.get_command(app))


def _help(path: tuple[str, ...], *extra: str) -> str:
    r = runner.invoke(app, [*extra, *path, "--help"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    return r.output


def test_every_command_is_found() -> None:
    names = {" ".join(p) for p in COMMANDS}
    assert {"due", "init", "customer show", "credit check", "tier fit", "report churn"} <= names


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "kacrm")
def test_no_python_type_names_in_help(path: tuple[str, ...]) -> None:
    out = _help(path)
    for bad in ("<bool>", "<str>", "<int", "<float", "<path>", "<list", "list[", "<date", "{code}"):
        assert bad not in out, f"{bad} in help of {' '.join(path)}"
    assert not re.search(r"\b(bool|str|int|float|NoneType|Path|datetime)\b", out), out


@pytest.mark.parametrize(
    "path", [p for p in COMMANDS if p], ids=" ".join
)  # the top level lists commands
def test_every_command_and_group_has_an_example(path: tuple[str, ...]) -> None:
    out = _help(path)
    assert "Example" in out


def test_examples_use_codes_the_demo_has() -> None:
    # the demo's customers are KH0001…KH0200 (sample_data/客户资料.csv); C001 was never one of them
    for path in COMMANDS:
        out = _help(path)
        assert not re.search(r"\bC\d{3}\b", out), " ".join(path)


def test_flags_show_no_value_name() -> None:
    out = _help(("due",))
    line = next(line for line in out.splitlines() if "--overdue" in line)
    assert re.search(r"--overdue\s+Only overdue", line), line


def test_value_names_are_plain() -> None:
    out = _help(("due",))
    assert re.search(r"--days\s+INTEGER", out)
    assert re.search(r"--ics\s+PATH", out)
    assert re.search(r"--format\s+-f\s+table\|json\|csv\|md", out)
    assert re.search(r"--as-of\s+DATE", out)


def test_global_options_show_their_environment_variables() -> None:
    out = _help(())
    for var in ("KACRM_DB", "KACRM_CONFIG", "KACRM_LANG", "KACRM_TODAY"):
        assert f"env var: {var}" in out


def test_usage_line_names_arguments_in_capitals() -> None:
    out = _help(("customer", "show"))
    assert "customer show [OPTIONS] CODE" in out


def test_the_root_help_summaries_are_each_commands_own_first_paragraph() -> None:
    """`kacrm --help` shows COMMAND_SUMMARIES instead of loading 18 command modules: each must be the first
    paragraph of the help its command carries, and every command must have one."""
    import inspect

    from kacrm.cli.lazy import load
    from kacrm.cli.root import COMMAND_MODULES, COMMAND_SUMMARIES

    assert set(COMMAND_SUMMARIES) == set(COMMAND_MODULES)
    for name, module in COMMAND_MODULES.items():
        command = load(module, name, "rich")
        written = getattr(command, "_kacrm_help_en", command.help) or ""
        assert COMMAND_SUMMARIES[name] == inspect.cleandoc(written).split("\n\n")[0], name


LAZY_GROUPS = {"report": "report", "credit": "credit", "customer": "customers", "tier": "tier"}


@pytest.mark.parametrize("group", list(LAZY_GROUPS))
def test_a_lazy_groups_summaries_are_each_subcommands_own_first_paragraph(group: str) -> None:
    """`kacrm report --help` (credit, customer, tier) lists the subcommands by SUBCOMMAND_SUMMARIES, loading none
    of them: each must be the first paragraph of its subcommand's own help."""
    import importlib
    import inspect

    from kacrm.cli.lazy import load

    module = importlib.import_module(f"kacrm.cli.{LAZY_GROUPS[group]}")
    assert list(module.SUBCOMMAND_SUMMARIES) == list(module.SUBCOMMAND_MODULES)
    for name, source in module.SUBCOMMAND_MODULES.items():
        command = load(source, name, "rich", module.app.info.cls.REGISTRAR)
        written = getattr(command, "_kacrm_help_en", command.help) or ""
        assert module.SUBCOMMAND_SUMMARIES[name] == inspect.cleandoc(written).split("\n\n")[0], name


@pytest.mark.parametrize("group", list(LAZY_GROUPS))
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", ["80", "200"])
def test_a_lazy_groups_help_is_the_one_of_its_loaded_subcommands(
    monkeypatch: pytest.MonkeyPatch, group: str, lang: str, width: str
) -> None:
    # the independent method: the same help with no summaries, each subcommand loaded and drawn by Typer
    import importlib

    lazy_group = importlib.import_module(f"kacrm.cli.{LAZY_GROUPS[group]}").app.info.cls
    args, env = ["--lang", lang, group, "--help"], {"COLUMNS": width}
    lazy = CliRunner().invoke(app, args, env=env)
    monkeypatch.setattr(lazy_group, "SUMMARIES", {})
    loaded = CliRunner().invoke(app, args, env=env)
    assert lazy.exit_code == loaded.exit_code == 0
    assert lazy.stdout == loaded.stdout
    assert all(name in lazy.stdout for name in lazy_group.MODULES)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_root_help_lists_every_command_with_its_summary(lang: str) -> None:
    r = CliRunner().invoke(app, ["--lang", lang, "--help"], env={"COLUMNS": "200"})
    assert r.exit_code == 0
    from kacrm.cli.root import COMMAND_MODULES

    listed = re.findall(r"^│ (\w+) {2,}", r.stdout, flags=re.M)
    assert [n for n in listed if n in COMMAND_MODULES] == list(COMMAND_MODULES)
    if lang == "zh":
        assert "从电子表格导入" in r.stdout or "导入" in r.stdout

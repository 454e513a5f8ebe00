"""Chinese end to end on the command line (--lang zh / KACRM_LANG=zh): help, usage errors, messages with no English
word inside a Chinese sentence, and option values typed in Chinese. Real SQLite files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from kacrm.cli.app import app
from kacrm.i18n.cli_help import HELP_ZH
from kacrm.i18n.due import KIND_LABELS_ZH

runner = CliRunner()

# ASCII words a Chinese help may hold: commands, options, codes, formats, env vars, units, brand names.
ALLOWED_ASCII = re.compile(
    r"--?[\w-]+|KACRM_\w+|[A-Z]{2,}\w*|\d[\w.,/:-]*|kacrm|python|[a-z_]+(?=[（、，。/)）\]\s]|$)"
)


def _commands(group, prefix=()):
    found = [prefix]
    for name, command in group.commands.items():
        found += (
            _commands(command, (*prefix, name))
            if hasattr(command, "commands")
            else [(*prefix, name)]
        )
    return found


COMMANDS = _commands(typer.main.get_command(app))


def _every_help_text():
    texts = []

    def walk(command):
        for paragraph in (command.help or "").split("\n\n"):
            folded = " ".join(paragraph.split())
            if folded and not folded.startswith("Example"):
                texts.append(folded)
        texts.extend(" ".join(p.help.split()) for p in command.params if getattr(p, "help", None))
        for sub in getattr(command, "commands", {}).values():
            walk(sub)

    walk(typer.main.get_command(app))
    return texts


def test_every_help_text_has_its_chinese() -> None:
    missing = sorted({text for text in _every_help_text() if text not in HELP_ZH})
    assert missing == []


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "kacrm")
@pytest.mark.parametrize("how", ["option", "env"])
def test_help_is_chinese(path: tuple[str, ...], how: str) -> None:
    args, env = (["--lang", "zh"], None) if how == "option" else ([], {"KACRM_LANG": "zh"})
    r = runner.invoke(app, [*args, *path, "--help"], env={"COLUMNS": "200", **(env or {})})
    assert r.exit_code == 0, r.output
    assert "用法：" in r.output and "Usage:" not in r.output
    assert "Options" not in r.output and "选项" in r.output
    assert "Show this message" not in r.output
    if path:
        assert "示例" in r.output and "Example" not in r.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["due", "--days", "0"], "--days 的值无效：不能小于 1"),
        (["due", "--days", "abc"], "--days 的值无效：必须是整数"),
        (["due", "--dayz", "3"], "没有这个选项：--dayz"),
        (["customer", "show"], "缺少参数 CODE。"),
        (["credit", "check", "KH0052"], "缺少选项 --amount。"),
        (["tier", "--method", "xyz"], "'xyz' 不是 abc、pyramid、rfm、clv 之一"),
        (["due", "--as-of", "明天"], "--as-of 的值无效：'明天' 不是日期"),
    ],
)
def test_usage_errors_are_chinese(args: list[str], expected: str, tmp_path: Path) -> None:
    r = runner.invoke(app, ["--lang", "zh", "--db", str(tmp_path / "k.db"), *args])
    assert r.exit_code == 2
    assert expected in r.output
    assert "Invalid value" not in r.output and "Input should" not in r.output


def test_usage_errors_in_english_use_plain_words(tmp_path: Path) -> None:
    r = runner.invoke(app, ["--db", str(tmp_path / "k.db"), "tier", "--method", "xyz"])
    assert "Invalid value for --method: 'xyz' is not one of abc, pyramid, rfm, clv" in r.output
    r = runner.invoke(app, ["--db", str(tmp_path / "k.db"), "snooze", "x", "--days", "0"])
    assert "Invalid value for --days: must be at least 1" in r.output


@pytest.fixture
def book(tmp_path: Path) -> Path:
    src = tmp_path / "客户资料.csv"
    src.write_text("客户编号,客户名称\nKH0001,苏州和宏包装材料有限公司\n", encoding="utf-8")
    orders = tmp_path / "订单.csv"
    orders.write_text("订单号,客户编号,日期,金额\nSO1,KH0001,2026/09/01,20000\n", encoding="utf-8")
    db = tmp_path / "k.db"
    assert runner.invoke(app, ["--db", str(db), "import", str(src)]).exit_code == 0
    r = runner.invoke(app, ["--db", str(db), "import", "--kind", "订单", str(orders)])
    assert r.exit_code == 0, r.stderr  # a file kind typed in Chinese
    return db


def _no_english_word(sentence: str, *allowed: str) -> None:
    for word in allowed:
        sentence = sentence.replace(word, "")
    assert not re.search(r"[A-Za-z]{2,}", sentence), sentence


def test_messages_name_kinds_in_chinese(book: Path, tmp_path: Path) -> None:
    zh = ["--lang", "zh", "--db", str(book), "--as-of", "2026-11-20"]
    r = runner.invoke(app, [*zh, "log", "KH0001", "visit"])
    assert r.exit_code == 0, r.stderr
    assert "已记录 KH0001 的拜访（2026-11-20）" in r.stderr
    _no_english_word(r.stderr, "KH0001")
    out = tmp_path / "orders.csv"
    r = runner.invoke(app, [*zh, "export", "订单", "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    assert "已将 1 行订单写入" in r.stderr
    _no_english_word(r.stderr, str(out))


def test_file_level_import_errors_are_chinese(book: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nosuch.csv"
    r = runner.invoke(app, ["--lang", "zh", "--db", str(book), "import", str(missing)])
    assert r.exit_code == 1
    assert f"错误：{missing}：文件不存在" in r.stderr


def test_due_kind_typed_in_chinese(book: Path) -> None:
    base = ["--db", str(book), "--as-of", "2026-11-20", "due", "--days", "60", "-f", "json"]
    english = runner.invoke(app, [*base, "--kind", "cadence"])
    chinese = runner.invoke(app, [*base, "--kind", KIND_LABELS_ZH["cadence"]])
    assert english.exit_code == 0 and chinese.exit_code == 0, chinese.output
    assert json.loads(chinese.stdout) == json.loads(english.stdout)


def test_one_record_views_name_fields_and_values_in_chinese(book: Path) -> None:
    zh = ["--lang", "zh", "--db", str(book), "--as-of", "2026-11-20"]
    r = runner.invoke(app, [*zh, "customer", "show", "KH0001"])
    assert r.exit_code == 0, r.stderr
    for words in ("客户编号", "类型", "企业", "状态", "活跃", "销售额"):
        assert words in r.stdout
    for english in ("customer_code", "business", "active", "revenue"):
        assert english not in r.stdout
    # the order of 2026-09-01 (20,000) is unpaid: a 1 yuan order on a customer without a limit is refused or
    # approved, either way the verdict reads 是/否 and the json keeps the English keys and a boolean
    r = runner.invoke(app, [*zh, "credit", "check", "KH0001", "--amount", "1"])
    assert r.exit_code in (0, 4)
    assert "批准" in r.stdout and ("是" in r.stdout or "否" in r.stdout)
    assert "approved" not in r.stdout
    r = runner.invoke(app, [*zh, "credit", "check", "KH0001", "--amount", "1", "-f", "json"])
    assert isinstance(json.loads(r.stdout)["approved"], bool)


def test_english_help_after_chinese_help_in_the_same_process() -> None:
    zh = runner.invoke(app, ["--lang", "zh", "due", "--help"])
    assert "显示本帮助并退出" in zh.output
    en = runner.invoke(app, ["due", "--help"], env={"COLUMNS": "200"})
    assert "Show this message and exit." in en.output
    assert "Example" in en.output and "Usage:" in en.output and "Options" in en.output

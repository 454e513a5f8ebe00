"""A value an option does not allow is a usage error (SPEC §2): exit 2, under the command's usage line, in the
user's language, whether Typer or the command finds it; and nothing is written."""

from __future__ import annotations

import json

import pytest

# (command, the words of the refusal in English, in Chinese)
REFUSED = [
    (
        ("credit", "set", "C001", "--grade", "ZZ", "--note", "x"),
        "--grade 'ZZ': use one of AAA, AA, A, BBB, BB, B, C",
        "--grade 'ZZ'：请使用以下之一：AAA, AA, A, BBB, BB, B, C",
    ),
    (
        ("credit", "set", "C001", "--limit", "-5", "--note", "x"),
        "--limit must be 0 (cash only) or more",
        "--limit 不能小于 0（0 表示只做现款）",
    ),
    (
        ("credit", "check", "C001", "--amount", "0"),
        "--amount must be more than 0, not 0.00",
        "--amount 须大于 0，不能是 0.00",
    ),
    (
        ("credit", "check", "C001", "--amount", "10", "--grace-days", "-1"),
        "--grace-days must be 0 or more, not -1",
        "--grace-days 须为 0 或以上，不能是 -1",
    ),
    (
        ("tier", "primary", "abc", "--window", "5x"),
        "'5x' is not a window",
        "5x",
    ),
    (
        ("owner", "set", "张伟", "--capacity", "-1"),
        "--capacity -1: give 0 or more (0 = no cap).",
        "--capacity -1：应为 0 或更大（0 表示不限）。",
    ),
    (
        ("schedule", "add", "S1", "--instalment", "0", "--due", "2026-04-30", "--amount", "1"),
        "--instalment must be 1 or more, not 0",
        "--instalment 须为 1 或以上，不能是 0",
    ),
    (
        ("credit", "set", "C001", "--limit", "5", "--clear", "--note", "x"),
        "give --limit, --terms or --grade, or --clear alone",
        "请给出 --limit、--terms 或 --grade，或者只给 --clear",
    ),
    (
        ("customer", "edit", "C001", "--credit-limit", "-5"),
        "--credit-limit '-5': a credit limit is 0 (cash only) or more",
        "--credit-limit '-5'：信用额度不能小于 0（0 表示只做现款）",
    ),
    (
        ("pool", "claim", "C001", "--owner", " "),
        "--owner: give a name",
        "--owner：请给出姓名",
    ),
    (
        ("schedule", "add", "S1", "--instalment", "1", "--due", "2026-04-30", "--amount", "0"),
        "--amount must be more than 0, not 0.00",
        "--amount 须大于 0，不能是 0.00",
    ),
]


@pytest.fixture
def book(run, tmp_path):
    """C001 with one order S1 of 3,000."""
    customers = tmp_path / "c.csv"
    customers.write_text("code,name,terms\nC001,甲公司,30\n", encoding="utf-8")
    orders = tmp_path / "o.csv"
    orders.write_text(
        "order_no,customer_code,order_date,amount\nS1,C001,2026-03-01,3000\n", encoding="utf-8"
    )
    result = run("import", str(customers), str(orders))
    assert result.exit_code == 0, result.output
    return run


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    ("args", "en", "zh"), REFUSED, ids=[" ".join(a[:4]) for a, _, _ in REFUSED]
)
def test_a_value_an_option_refuses_is_a_usage_error(book, lang, args, en, zh) -> None:
    result = book("--lang", lang, *args)
    assert result.exit_code == 2, (result.exit_code, result.output)
    words = " ".join(result.stderr.split())  # the message may be folded in the error box
    assert ("Usage:" if lang == "en" else "用法：") in result.stderr
    assert " ".join((en if lang == "en" else zh).split()) in words, words
    assert "Traceback" not in result.output


def test_the_refused_values_write_nothing(book) -> None:
    for args, _, _ in REFUSED:
        book(*args)
    owners = json.loads(book("owner", "list", "-f", "json").stdout)
    assert [row["owner"] for row in owners] == []
    shown = json.loads(book("schedule", "list", "-f", "json").stdout)
    assert shown == []
    credit = json.loads(book("credit", "-f", "json").stdout)
    assert [(row["grade"], row["limit"]) for row in credit] == [(None, None)]

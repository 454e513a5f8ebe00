"""`--tier` filters (customer list, due) name a tier there is: one the primary method can give, or one a
customer holds; in any case or by its Chinese name. Anything else is a usage error naming those tiers, never a
silent empty list (a cron `due --tier Z` would mail nothing forever). SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture
def book(run, tmp_path: Path):
    """C1 holds A, C2 gold (imported: the primary method is abc, which never gives gold), C3 no tier."""
    path = tmp_path / "c.csv"
    path.write_text("code,name,tier\nC1,甲公司,A\nC2,乙公司,gold\nC3,丙公司,\n", encoding="utf-8")
    assert run("import", str(path)).exit_code == 0
    return run


def _codes(run, *args: str) -> list[str]:
    result = run(*args, "-f", "json")
    assert result.exit_code == 0, result.output
    return [row["customer_code"] for row in json.loads(result.stdout)]


@pytest.mark.parametrize(
    ("tier", "codes"),
    [
        ("A", ["C1"]),
        ("a", ["C1"]),  # a means A: no two tiers differ only in case
        ("gold", ["C2"]),  # abc never gives gold, but C2 holds it
        ("Gold", ["C2"]),
        ("黄金", ["C2"]),
        ("B", []),  # abc gives B; nobody holds it today: an honest empty list
    ],
)
def test_customer_list_takes_the_tiers_there_are(book, tier: str, codes: list[str]) -> None:
    assert _codes(book, "customer", "list", "--tier", tier) == codes


@pytest.mark.parametrize("command", [("customer", "list"), ("due", "--week")])
@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "--tier 'Z': use one of A, B, C, gold"),
        ("zh", "--tier 'Z'：请使用以下之一：A, B, C, gold"),
    ],
)
def test_a_tier_there_is_not_is_a_usage_error(
    book, command: tuple[str, ...], lang: str, words: str
) -> None:
    result = book("--lang", lang, *command, "--tier", "Z", "-f", "json")
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert ("Usage:" if lang == "en" else "用法：") in result.stderr
    assert words in result.stderr


def test_iron_is_refused_while_abc_is_primary_and_nobody_is_iron(book) -> None:
    result = book("customer", "list", "--tier", "iron")
    assert result.exit_code == 2
    assert "--tier 'iron': use one of A, B, C, gold" in result.stderr


def test_due_takes_a_tier_in_any_case(book) -> None:
    upper = book("--as-of", "2026-11-20", "due", "--week", "--tier", "A", "-f", "json")
    lower = book("--as-of", "2026-11-20", "due", "--week", "--tier", "a", "-f", "json")
    assert upper.exit_code == lower.exit_code == 0, lower.output
    assert upper.stdout == lower.stdout


def test_the_tiers_follow_the_primary_method(book, tmp_path: Path) -> None:
    # primary pyramid, never run: every customer's tier in force is cleared; pyramid's tiers are the ones there are
    assert book("tier", "primary", "pyramid").exit_code == 0
    refused = book("customer", "list", "--tier", "A")
    assert refused.exit_code == 2
    assert "--tier 'A': use one of platinum, gold, iron, lead" in refused.stderr
    assert _codes(book, "customer", "list", "--tier", "Iron") == []

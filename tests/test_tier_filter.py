"""`--tier` filters (customer list, due) name a tier there is: one the primary method can give, or one a
customer holds; in any case or by its Chinese name. Anything else is a usage error naming those tiers, never a
silent empty list (a cron `due --tier Z` would mail nothing forever). SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text


@pytest.fixture
def book(run, tmp_path: Path):
    """C1 imported as A (a pin of abc, the primary method: in force), C2 as gold (a pin of the pyramid, which is
    not primary: no tier in force), C3 without a tier."""
    path = tmp_path / "c.csv"
    path.write_text("code,name,tier\nC1,甲公司,A\nC2,乙公司,gold\nC3,丙公司,\n", encoding="utf-8")
    assert run("import", str(path)).exit_code == 0
    return run


@pytest.fixture
def legacy(book, engine):
    """The same book with C2's tier in force gold, as a book from before the primary tiering may hold it."""
    with engine.begin() as conn:
        conn.execute(text("UPDATE customer SET tier = 'gold' WHERE code = 'C2'"))
    return book


def _codes(run, *args: str) -> list[str]:
    result = run(*args, "-f", "json")
    assert result.exit_code == 0, result.output
    return [row["customer_code"] for row in json.loads(result.stdout)]


@pytest.mark.parametrize(
    ("tier", "codes"),
    [
        ("A", ["C1"]),
        ("a", ["C1"]),  # a means A: no two tiers differ only in case
        ("B", []),  # abc gives B; nobody holds it today: an honest empty list
    ],
)
def test_customer_list_takes_the_tiers_there_are(book, tier: str, codes: list[str]) -> None:
    assert _codes(book, "customer", "list", "--tier", tier) == codes


@pytest.mark.parametrize("command", [("customer", "list"), ("due", "--week")])
@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "--tier 'Z': use one of A, B, C"),
        ("zh", "--tier 'Z'：请使用以下之一：A, B, C"),
    ],
)
def test_a_tier_there_is_not_is_a_usage_error(
    book, command: tuple[str, ...], lang: str, words: str
) -> None:
    result = book("--lang", lang, *command, "--tier", "Z", "-f", "json")
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert ("Usage:" if lang == "en" else "用法：") in result.stderr
    assert words in " ".join(result.stderr.split())


@pytest.mark.parametrize("tier", ["gold", "黄金"])
def test_a_pin_of_another_method_is_no_tier_in_force(book, tier: str) -> None:
    # C2's gold is the pyramid's, and abc is primary: no customer is gold in force, and abc never gives gold
    result = book("customer", "list", "--tier", tier)
    assert result.exit_code == 2
    assert f"--tier '{tier}': use one of A, B, C" in " ".join(result.stderr.split())


@pytest.mark.parametrize("tier", ["gold", "Gold", "黄金"])
def test_a_tier_a_customer_holds_is_there(legacy, tier: str) -> None:
    assert _codes(legacy, "customer", "list", "--tier", tier) == ["C2"]
    refused = legacy("customer", "list", "--tier", "iron")
    assert "--tier 'iron': use one of A, B, C, gold" in " ".join(refused.stderr.split())


def test_due_takes_a_tier_in_any_case(book) -> None:
    upper = book("--as-of", "2026-11-20", "due", "--week", "--tier", "A", "-f", "json")
    lower = book("--as-of", "2026-11-20", "due", "--week", "--tier", "a", "-f", "json")
    assert upper.exit_code == lower.exit_code == 0, lower.output
    assert upper.stdout == lower.stdout


def test_the_tiers_follow_the_primary_method(book, tmp_path: Path) -> None:
    # primary pyramid (run first: a switch to a method that never ran is refused while C1 has a tier in force);
    # the book has no orders, so the run makes C1 and C3 lead, C2 keeps its pin gold: no A and no iron is left
    assert book("tier", "--method", "pyramid").exit_code == 0
    assert book("tier", "primary", "pyramid").exit_code == 0
    refused = book("customer", "list", "--tier", "A")
    assert refused.exit_code == 2
    assert "--tier 'A': use one of platinum, gold, iron, lead" in refused.stderr
    assert _codes(book, "customer", "list", "--tier", "Iron") == []

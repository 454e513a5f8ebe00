"""A wedding anniversary given without a year (``05-01``, ``1月3日``) is kept as one, like a birthday without a
year (docs/data-model.md): no count of years in `due`, `--05-01` in `customer show`, ``05-01`` in the export, and
the export read back gives the same (schema 0010: tests/test_migrations.py)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

CUSTOMERS = "客户编号,客户名称,客户等级\nC1,华东机电,A\n"
# 1月3日 and 05-01 without a year; 02-29 without a year (falls on 28 February in a common year: docs/lunar.md);
# 2010-06-10 with one
CONTACTS = (
    "客户编号,联系人,结婚纪念日\nC1,王总,1月3日\nC1,李总,05-01\nC1,赵总,02-29\nC1,钱总,2010-06-10\n"
)


def _book(run, tmp_path: Path) -> None:
    for name, body in (("customers.csv", CUSTOMERS), ("contacts.csv", CONTACTS)):
        path = tmp_path / name
        path.write_text(body, encoding="utf-8")
        kind = name.removesuffix(".csv")
        result = run("--as-of", "2026-12-28", "import", str(path), "--kind", kind)
        assert result.exit_code == 0, result.output


def _anniversaries(run, *args: str) -> list[tuple[str, str, str]]:
    result = run(*args, "due", "--kind", "anniversary", "--format", "json")
    assert result.exit_code == 0, result.output
    return [(r["event_on"], r["contact"], r["reason"]) for r in json.loads(result.stdout)]


def test_an_anniversary_without_a_year_counts_no_years(run, tmp_path: Path) -> None:
    _book(run, tmp_path)
    # 2026-12-28 .. +14 days with the 10 days' lead: 王总's 1月3日 falls on 2027-01-03, no year known
    assert _anniversaries(run, "--as-of", "2026-12-28", "--lang", "zh") == [
        ("2027-01-03", "王总", "王总结婚纪念日")
    ]
    assert _anniversaries(run, "--as-of", "2027-04-28") == [
        ("2027-05-01", "李总", "wedding anniversary of 李总")
    ]
    # 2027 is a common year: 02-29 falls on 02-28
    assert _anniversaries(run, "--as-of", "2027-02-20") == [
        ("2027-02-28", "赵总", "wedding anniversary of 赵总")
    ]
    # with a year: 2027 - 2010 = 17 years
    assert _anniversaries(run, "--as-of", "2027-06-05") == [
        ("2027-06-10", "钱总", "wedding anniversary of 钱总 (17 years)")
    ]


def test_show_and_export_keep_the_missing_year_and_read_it_back(run, tmp_path: Path) -> None:
    _book(run, tmp_path)
    expected = {"王总": "--01-03", "李总": "--05-01", "赵总": "--02-29", "钱总": "2010-06-10"}

    def shown() -> dict[str, str]:
        card = json.loads(run("customer", "show", "C1", "--format", "json").stdout)
        return {c["name"]: c["anniversary"] for c in card["contacts"]}

    assert shown() == expected
    out = tmp_path / "export.csv"
    assert run("export", "contacts", "--output", str(out)).exit_code == 0
    with out.open(encoding="utf-8-sig") as f:
        written = {r["name"]: r["anniversary"] for r in csv.DictReader(f)}
    # exported as MM-DD, as a birthday without a year is (docs/decisions.md: no leading "-" to neutralise)
    assert written == {"王总": "01-03", "李总": "05-01", "赵总": "02-29", "钱总": "2010-06-10"}
    result = run("--as-of", "2027-01-10", "import", str(out), "--kind", "contacts")
    assert result.exit_code == 0, result.output
    assert shown() == expected

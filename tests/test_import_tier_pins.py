"""A customers file's tier column (客户级别, SPEC §11) under one tier in force (SPEC §6): the tier in force is set only
by runs of the primary method and its pins, so a tier from a file is a pin (the manual tier of SPEC §3) of the
method whose tier it is; a tier already in force changes nothing, so an exported file imports back unchanged.
Through the CLI, on SQLite and PostgreSQL; the expected tiers computed by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import Session

from kacrm.store.models import Customer, TierPin

AS_OF = ("--as-of", "2026-06-30")
# revenue in the 12 months before 2026-06-30: C1 800, C2 150, C3 40, C4 10 of 1,000. ABC at 80/95: C1 reaches
# 80% (A), C2 95% (B), C3 and C4 C. Pyramid of 4 customers: ceil(1% of 4) = 1 platinum (C1), ceil(5%) = 1 → no
# gold, ceil(20%) = 1 → no iron, the rest lead.
CUSTOMERS = "客户编号,客户名称\nC1,甲公司\nC2,乙公司\nC3,丙公司\nC4,丁公司\n"
ORDERS = (
    "订单号,客户编号,订单日期,金额\n"
    "O1,C1,2026-03-01,800\nO2,C2,2026-03-02,150\nO3,C3,2026-03-03,40\nO4,C4,2026-03-04,10\n"
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def book(run, tmp_path: Path):
    for name, text in (("c.csv", CUSTOMERS), ("o.csv", ORDERS)):
        result = run(*AS_OF, "import", str(_write(tmp_path, name, text)))
        assert result.exit_code == 0, result.output
    result = run(*AS_OF, "tier")  # abc, the default primary
    assert result.exit_code == 0, result.output
    return tmp_path


def _import(run, path: Path) -> dict:
    result = run(*AS_OF, "import", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    [summary] = json.loads(result.stdout)
    return summary


def _state(engine) -> tuple[dict[str, str | None], set[tuple[str, str, str]]]:
    with Session(engine) as s:
        tiers = {c.code: c.tier for c in s.scalars(select(Customer))}
        pins = {
            (code, method, tier)
            for code, method, tier in s.execute(
                select(Customer.code, TierPin.method, TierPin.tier).join(
                    Customer, Customer.id == TierPin.customer_id
                )
            )
        }
    return tiers, pins


def test_a_files_tier_is_a_pin_and_a_tier_in_force_changes_nothing(run, engine, book) -> None:
    assert _state(engine) == ({"C1": "A", "C2": "B", "C3": "C", "C4": "C"}, set())
    levels = _write(
        book, "levels.csv", "客户编号,客户名称,客户级别\nC1,甲公司,C\nC2,乙公司,B\nC3,丙公司,白金\n"
    )
    summary = _import(run, levels)
    # C1: C, another abc tier: pinned, in force at once; C2: B is in force already; C3: platinum, a pyramid pin
    assert (summary["updated"], summary["unchanged"]) == (2, 1)
    tiers, pins = _state(engine)
    assert tiers == {"C1": "C", "C2": "B", "C3": "C", "C4": "C"}
    assert pins == {("C1", "abc", "C"), ("C3", "pyramid", "platinum")}
    # the next run of the primary method leaves the pin alone
    assert run(*AS_OF, "tier").exit_code == 0
    assert _state(engine)[0]["C1"] == "C"
    again = _import(run, levels)  # the same file again: nothing to do
    assert (again["updated"], again["unchanged"]) == (0, 3)


def test_an_exported_customers_file_imports_back_unchanged(run, engine, book) -> None:
    out = book / "customers.csv"
    assert run(*AS_OF, "export", "customers", "--output", str(out)).exit_code == 0
    summary = _import(run, out)
    assert (summary["inserted"], summary["updated"], summary["unchanged"]) == (0, 0, 4)
    assert _state(engine)[1] == set()  # nobody pinned by the round trip


def test_under_the_pyramid_a_pyramid_tier_sets_the_tier_in_force(run, engine, book) -> None:
    assert run(*AS_OF, "tier", "--method", "pyramid").exit_code == 0
    assert run(*AS_OF, "tier", "primary", "pyramid").exit_code == 0
    assert _state(engine)[0] == {"C1": "platinum", "C2": "lead", "C3": "lead", "C4": "lead"}
    _import(
        run, _write(book, "levels.csv", "客户编号,客户名称,客户级别\nC2,乙公司,黄金\nC4,丁公司,A\n")
    )
    tiers, pins = _state(engine)
    assert (
        tiers["C2"] == "gold" and tiers["C4"] == "lead"
    )  # A: an abc pin, not in force under the pyramid
    assert pins == {("C2", "pyramid", "gold"), ("C4", "abc", "A")}

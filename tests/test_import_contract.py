"""Import keeps SPEC §5: a column --map reads gets no hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from kacrm.io.headers import header_hints, map_headers

CUSTOMERS = "code,name\nC1,Alpha\nC2,Beta\n"


def _customers(directory: Path) -> str:
    path = directory / "customers.csv"
    path.write_text(CUSTOMERS, encoding="utf-8")
    return str(path)


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
    customers = _customers(tmp_path)
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

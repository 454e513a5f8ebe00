"""The json of a listing and of the digest: rows of plain values and days are encoded as they are (issue 19),
every other value as to_jsonable writes it; the expected texts are written by hand."""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from kacrm.analysis.digest import Digest
from kacrm.render.digest import render_json
from kacrm.render.listing import Column, Listing
from kacrm.render.output import emit

STATE = SimpleNamespace(lang="en")


def _json(listing: Listing, capsys: pytest.CaptureFixture[str]) -> str:
    emit(listing, "json", STATE)  # type: ignore[arg-type]
    return capsys.readouterr().out


def test_days_and_plain_values_as_they_are(capsys: pytest.CaptureFixture[str]) -> None:
    listing = Listing(
        [Column("id", "ID"), Column("on", "On", kind="date"), Column("n", "N", kind="int")],
        [
            {"id": "cad-1", "on": date(2026, 11, 20), "n": 3},
            {"id": "张伟", "on": None, "n": True},
        ],
    )
    assert _json(listing, capsys) == (
        '[\n{"id": "cad-1", "on": "2026-11-20", "n": 3},\n{"id": "张伟", "on": null, "n": true}\n]\n'
    )


@pytest.mark.parametrize(
    ("column", "value", "written"),
    [
        (
            Column("on", "On", kind="date"),
            datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
            '"2026-11-20"',
        ),
        (Column("x", "X", kind="text"), datetime(2026, 11, 20, 9, 30), '"2026-11-20T09:30:00"'),
        (Column("x", "X", kind="float"), math.nan, "null"),
        (Column("x", "X", kind="text"), Decimal("1.005"), "1.01"),  # rounded half up
        (Column("x", "X", kind="money"), 1234.5678, "1234.57"),
        (
            Column("x", "X", kind="text"),
            {"a": [date(2026, 1, 2), math.nan]},
            '{"a": ["2026-01-02", null]}',
        ),
    ],
)
def test_other_values_as_to_jsonable_writes_them(
    capsys: pytest.CaptureFixture[str], column: Column, value: object, written: str
) -> None:
    listing = Listing(
        [Column("on2", "On", kind="date"), column],
        [{"on2": date(2026, 1, 2), column.key: value}],
    )
    assert _json(listing, capsys) == f'[\n{{"on2": "2026-01-02", "{column.key}": {written}}}\n]\n'


def test_digest_rows_as_they_are_or_converted() -> None:
    row = {"id": "col-SO-1", "due_on": date(2026, 11, 20), "amount": 12.5}
    plain = Digest(date(2026, 11, 14), date(2026, 11, 20), due=[row])
    assert json.loads(render_json(plain))["due"] == [
        {"id": "col-SO-1", "due_on": "2026-11-20", "amount": 12.5}
    ]
    odd = Digest(
        date(2026, 11, 14),
        date(2026, 11, 20),
        due=[{**row, "amount": math.nan}, {**row, "amount": Decimal("2.345")}],
    )
    text = render_json(odd)
    assert '"amount": null' in text and '"amount": 2.35' in text


def test_a_long_listing_one_row_per_line(capsys: pytest.CaptureFixture[str]) -> None:
    rows = [{"n": n} for n in range(4_001)]  # written in chunks of 2,000 lines
    text = _json(Listing([Column("n", "N", kind="int")], rows), capsys)
    assert text == "[\n" + ",\n".join(f'{{"n": {n}}}' for n in range(4_001)) + "\n]\n"


def test_an_empty_listing(capsys: pytest.CaptureFixture[str]) -> None:
    assert _json(Listing([Column("n", "N", kind="int")], []), capsys) == "[]\n"

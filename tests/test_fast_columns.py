"""The column checks that read a whole column at once from its code points (issue 19) against the regex and the
``float`` they replace, cell by cell: the same cells taken, the same values, on cells made to sit near every
boundary of the patterns (signs, dots, digit counts, spaces, NUL, other digits than ASCII ones)."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kacrm.values import _fast_decimals, plain_cells

# the regexes the fast paths used cell by cell before (kacrm.values, 2026-12-03)
MONEY = re.compile(r"-?\d{1,13}(?:\.\d{1,2})?").fullmatch
NUMBER = re.compile(r"-?\d{1,15}(?:\.\d{1,15})?").fullmatch
PLAIN = re.compile(r"[!-~]+(?: [!-~]+)*").fullmatch

NUMBERISH = st.text(alphabet="0123456789.-+ e,¥\x00٣²", max_size=36)
DIGITS = st.builds(
    lambda sign, whole, frac: sign + whole + frac,
    st.sampled_from(["", "-", "--"]),
    st.text(alphabet="0123456789", min_size=0, max_size=17),
    st.one_of(st.just(""), st.text(alphabet="0123456789", max_size=17).map(lambda f: "." + f)),
)
TEXTISH = st.text(alphabet="ab~! \x7f\x1f\t\x00é中\u3000", max_size=80)
EDGES = [
    "",
    "-",
    ".",
    "-.5",
    "5.",
    "-0",
    "-0.0",
    "0.00",
    "9999999999999.99",
    "99999999999999",
    "123456789012345",
    "1234567890123456",
    "0.123456789012345",
    "123456789012345.123456789012345",
    "١٢٣.٤",
    "12\x00",
    "1\x002",
    "1e5",
    "+5",
    " 5",
]


def _expected(cells: list[str], match, cents: bool) -> list[float]:
    values = [float(c) if match(c) else math.nan for c in cells]
    return [
        float(np.round(v * 100)) if cents else v for v in values
    ]  # as the column was: -0 stays -0.0


def _same(got: float, want: float) -> bool:
    if math.isnan(want):
        return math.isnan(got)
    return got == want and math.copysign(1, got) == math.copysign(1, want)


@pytest.mark.parametrize(
    ("match", "whole", "fraction", "cents"), [(MONEY, 13, 2, True), (NUMBER, 15, 15, False)]
)
@settings(max_examples=300, deadline=None)
@given(cells=st.lists(st.one_of(NUMBERISH, DIGITS, st.sampled_from(EDGES)), max_size=40))
def test_decimals_read_what_the_regex_and_float_read(match, whole, fraction, cents, cells):
    got = _fast_decimals(pd.Series(cells, dtype=object), whole, fraction, cents=cents).tolist()
    want = _expected(cells, match, cents)
    assert all(_same(g, w) for g, w in zip(got, want, strict=True)), list(
        zip(cells, got, want, strict=True)
    )


def test_decimals_by_hand():
    cells = ["504.50", "-0.07", "-0", "1234567890123.45", "12345678901234", "1.005", "١٢", "5."]
    money = _fast_decimals(pd.Series(cells, dtype=object), 13, 2, cents=True).tolist()
    assert money[:4] == [50450.0, -7.0, 0.0, 123456789012345.0]
    assert math.copysign(1, money[2]) == -1  # -0 stays negative zero, as float("-0") * 100
    assert [math.isnan(v) for v in money[4:]] == [True, True, False, True]
    assert money[6] == 1200.0  # Arabic-Indic digits: read by \d and float, so still read
    numbers = _fast_decimals(pd.Series(["0.1", "2.675", "7"], dtype=object), 15, 15, cents=False)
    assert numbers.tolist() == [0.1, 2.675, 7.0]


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(st.one_of(TEXTISH, st.text(max_size=70)), max_size=40))
def test_plain_cells_are_what_the_regex_finds_plain(cells):
    got = plain_cells(np.array(cells, dtype=object)).tolist()
    assert got == [PLAIN(c) is not None for c in cells]


def test_plain_cells_by_hand():
    cells = ["O0000001", "a b", "a  b", " a", "a ", "", "产品", "x" * 64, "y" * 65, "z\x00", "~!"]
    assert plain_cells(np.array(cells, dtype=object)).tolist() == [
        True,
        True,
        False,
        False,
        False,
        False,
        False,
        True,
        True,
        False,
        True,
    ]

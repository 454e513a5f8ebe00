"""Keys for imported rows that have none of their own, stable across runs so that re-import never duplicates.

- A row without ``order_no``/``payment_no`` (and every interaction) gets a *content key*: ``~`` and 16 hex digits of
  the SHA-256 of its parsed values (dates ISO, money in cents, text normalised) and its occurrence number among
  equal rows of the file. Two identical orders on one day are ``…#1`` and ``…#2``: both kept, and kept once each
  when the file is imported again. Spelling does not matter (``¥1,234.50`` and ``1234.5`` give the same key).
- A customer in a file without codes gets the code of the existing customer with that USCC or name, or a new
  readable code: ``C`` and the next free five-digit number (C00001, C00002…), that a user can read out and type.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

CONTENT_KEY_PREFIX = "~"
_SEP = "\x1f"


def _canonical(col: pd.Series) -> pd.Series:
    """One column as text for hashing: "" for no value, dates ISO, integers without ".0"."""
    import numpy as np
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(col):
        text = pd.Series(
            np.datetime_as_string(col.to_numpy(dtype="datetime64[D]"), unit="D"), index=col.index
        )
        return text.where(col.notna(), "")
    if isinstance(col.dtype, pd.Int64Dtype):
        return col.astype(object).where(col.notna(), "").astype(str)
    if pd.api.types.is_float_dtype(col):
        return col.map(repr).where(col.notna(), "")
    return col.where(col.notna(), "").astype(str)


def content_keys(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """``~`` + hash of each row's values in ``columns`` and its occurrence number among equal rows."""
    import pandas as pd

    if frame.empty:
        return pd.Series([], index=frame.index, dtype=object)
    content = _canonical(frame[columns[0]])
    for name in columns[1:]:
        content = content + _SEP + _canonical(frame[name])
    occurrence = content.groupby(content, sort=False).cumcount() + 1
    text = content + _SEP + occurrence.astype(str)
    keys = [CONTENT_KEY_PREFIX + hashlib.sha256(t.encode("utf-8")).hexdigest()[:16] for t in text]
    return pd.Series(keys, index=frame.index, dtype=object)


GENERATED_PREFIX = "C"
GENERATED_DIGITS = 5


def next_generated_code(last: int, taken: set[str]) -> tuple[str, int]:
    """(code, its number): the first ``C`` + five-digit number after ``last`` that is not taken (C00001,
    C00002…; more digits after C99999)."""
    number = last + 1
    while (code := f"{GENERATED_PREFIX}{number:0{GENERATED_DIGITS}d}") in taken:
        number += 1
    return code, number

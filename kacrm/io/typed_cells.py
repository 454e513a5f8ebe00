"""Typed reading of the columns of a plain CSV file that PyArrow read (``RawTable.chunks(typed=True)``).

Each reader says which cells it read and their values, worked out in C over the Arrow strings, without a Python
object per cell; it reads only cells of the common forms, which ``kacrm.values`` reads the same way:

- money ``-?[0-9]{1,13}(\\.[0-9]{1,2})?``: Arrow's float, times 100, rounded (at most 15 digits: the double is
  within half a cent of the amount, so the cents are exact, as ``values._fast_decimals`` gives them);
- numbers ``-?[0-9]{1,15}(\\.[0-9]{1,15})?``: Arrow's float, correctly rounded, as Python's ``float`` reads them;
- dates ``YYYY-MM-DD`` of a real day between 1900 and 2199: Arrow's ISO date, as pandas reads that form;
- texts (codes, order numbers, products): plain single-spaced ASCII, kept as they are, as ``normalize_text``
  keeps them; each becomes the Python string the insert needs;
- blank cells: no value.

Every other cell (a Chinese date, ¥1,234.50, a thousands separator, a space, a bad cell) is left to the checked
path of ``kacrm.io.parse``, which reads or rejects it as for any file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kacrm.values import MAX_DATE, MIN_DATE

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

MONEY = r"^-?[0-9]{1,13}(?:\.[0-9]{1,2})?$"
NUMBER = r"^-?[0-9]{1,15}(?:\.[0-9]{1,15})?$"
ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
PLAIN_TEXT = r"^[!-~]+(?: [!-~]+)*$"  # values.plain_cells


def is_typed(cells: pd.Series) -> bool:
    """Whether the column is Arrow's strings (a typed read), not Python strings."""
    import pandas as pd

    return isinstance(cells.dtype, pd.StringDtype) and cells.dtype.storage == "pyarrow"


def _strings(cells: pd.Series) -> Any:
    return cells.array.__arrow_array__()


def _matching(strings: Any, pattern: str) -> np.ndarray:
    import pyarrow.compute as pc

    return pc.match_substring_regex(strings, pattern).to_numpy(zero_copy_only=False)


def _blank(strings: Any) -> np.ndarray:
    import pyarrow.compute as pc

    return pc.equal(strings, "").to_numpy(zero_copy_only=False)


def _floats(strings: Any, read: np.ndarray) -> np.ndarray:
    """Arrow's float of the cells ``read`` (NaN elsewhere)."""
    import numpy as np
    import pyarrow as pa

    values = np.full(len(read), np.nan)
    if read.any():
        values[read] = strings.filter(pa.array(read)).cast(pa.float64()).to_numpy()
    return values


def money_cents(cells: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(cents as float64, NaN for blank or unread; which cells were read, blanks included)."""
    import numpy as np

    strings = _strings(cells)
    form = _matching(strings, MONEY)
    return np.round(_floats(strings, form) * 100), form | _blank(strings)


def numbers(cells: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(float64 values, NaN for blank or unread; which cells were read, blanks included)."""
    strings = _strings(cells)
    form = _matching(strings, NUMBER)
    return _floats(strings, form), form | _blank(strings)


def dates(cells: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(datetime64[ns] values, NaT for blank or unread; which cells were read, blanks included). A cell of the
    form that is no real day (2024-02-30) leaves the column's cells of that form unread."""
    import numpy as np
    import pyarrow as pa

    strings = _strings(cells)
    form = _matching(strings, ISO_DATE)
    values = np.full(len(form), np.datetime64("NaT"), dtype="datetime64[ns]")
    if form.any():
        try:
            days = strings.filter(pa.array(form)).cast(pa.date32()).to_numpy()
        except pa.ArrowInvalid:
            form[:] = False
        else:
            years = days.astype("datetime64[Y]").astype(np.int64) + 1970
            inside = (years >= MIN_DATE.year) & (years <= MAX_DATE.year)
            values[form] = np.where(inside, days.astype("datetime64[ns]"), np.datetime64("NaT"))
            form[form] = inside
    return values, form | _blank(strings)


def texts(cells: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(the cells as Python strings, object array; which are plain single-spaced ASCII)."""
    strings = _strings(cells)
    return strings.to_numpy(zero_copy_only=False).astype(object, copy=False), _matching(
        strings, PLAIN_TEXT
    )

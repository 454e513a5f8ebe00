"""The files of `kacrm export`: CSV and XLSX that the importer reads back, safe to open in a spreadsheet.

Two defences against spreadsheet formula injection:

- CSV: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (after any
  apostrophes) gets one more leading apostrophe, which spreadsheets show as text; the CSV reader takes exactly
  that one off again (kacrm.files), so the importer reads the original value back. A number (money, quantity)
  is never prefixed: a return's ``-800.00`` must stay a number that a spreadsheet sums, and a plain number
  runs nothing.
- XLSX: every string is a text cell (type "s"), never a formula; numbers and dates are typed cells.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from kacrm.files import neutralise_cell
from kacrm.render.xlsx import NUMBER_FORMATS


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() else repr(value)
    return str(value)


def write_csv(stream: io.TextIOBase, headers: list[str], rows: Iterable[list[Any]]) -> int:
    """UTF-8 CSV with neutralised formula cells (texts only); returns the number of data rows."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(headers)
    n = 0
    for row in rows:
        writer.writerow([neutralise_cell(v) if isinstance(v, str) else _text(v) for v in row])
        n += 1
    return n


def write_xlsx(
    stream: io.BufferedIOBase, headers: list[str], rows: Iterable[list[Any]], title: str
) -> int:
    """One sheet: strings as text cells (never formulas), money and numbers as numbers, dates as dates."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])

    def cell(value: Any) -> WriteOnlyCell:
        c = WriteOnlyCell(sheet, value=float(value) if isinstance(value, Decimal) else value)
        if isinstance(value, str):
            c.data_type = "s"  # openpyxl would make "=..." a formula
        elif isinstance(value, Decimal):  # money: as the statement and report show it
            c.number_format = NUMBER_FORMATS["money"]
        elif isinstance(value, date):
            c.number_format = NUMBER_FORMATS["date"]
        return c

    sheet.append([cell(h) for h in headers])
    n = 0
    for row in rows:
        sheet.append([cell(v) for v in row])
        n += 1
    book.save(stream)
    return n

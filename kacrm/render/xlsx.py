"""The XLSX report: one sheet per section. Text is written as text (never a formula), money and shares as
numbers with a number format, dates as dates."""

from __future__ import annotations

import io
import os
import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kacrm.files import write_private
from kacrm.render.output import to_jsonable

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from kacrm.render.section import Section

NUMBER_FORMATS = {
    "money": "#,##0.00",
    "percent": "0.0%",
    "int": "#,##0",
    "float": "0.000",
    "date": "yyyy-mm-dd",
}
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_name(title: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook (case-insensitive)."""
    base = _SHEET_FORBIDDEN.sub(" ", title).strip()[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def put(sheet: Worksheet, row: int, column: int, value: Any, kind: str = "text") -> None:
    """One typed cell: numbers and dates as such (with a format); everything else as literal text."""
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    cell = sheet.cell(row=row, column=column)
    if value is None:
        return
    if isinstance(value, bool):
        cell.value = value
    elif isinstance(value, (int, float, Decimal)) and kind in NUMBER_FORMATS:
        cell.value = value
        cell.number_format = NUMBER_FORMATS[kind]
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = NUMBER_FORMATS["date"]
    else:
        cell.value = str(to_jsonable(value))
        cell.data_type = "s"  # a text starting with = stays text, not a formula


def _write_section(sheet: Worksheet, section: Section, lang: str) -> None:
    from openpyxl.styles import Font

    bold = Font(bold=True)
    sheet.cell(row=1, column=1, value=section.title).font = Font(bold=True, size=13)
    row = 3
    for label, value, kind in section.pairs:
        put(sheet, row, 1, label)
        put(sheet, row, 2, value, kind)
        row += 1
    if section.pairs:
        row += 1
    if section.listing is not None:
        columns = section.listing.columns
        for col, column in enumerate(columns, start=1):
            put(sheet, row, col, column.header(lang))
            sheet.cell(row=row, column=col).font = bold
        for record in section.listing.rows:
            row += 1
            for col, column in enumerate(columns, start=1):
                put(sheet, row, col, column.shown(record.get(column.key), lang), column.kind)
        sheet.freeze_panes = sheet.cell(row=row - len(section.listing.rows) + 1, column=1)
        row += 2
    for note in section.notes:
        put(sheet, row, 1, note)
        row += 1
    for col in range(1, sheet.max_column + 1):
        letter = sheet.cell(row=1, column=col).column_letter
        widest = max(
            (display_width(c.value) for c in sheet[letter][1:] if c.value is not None), default=8
        )
        sheet.column_dimensions[letter].width = min(60, max(10, widest + 2))


def display_width(value: Any) -> int:
    """How many character columns a cell's text takes: Chinese (East Asian wide and fullwidth) characters take
    two, as in Excel and LibreOffice with a CJK font; dates count as YYYY-MM-DD."""
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    text = value.isoformat() if isinstance(value, date) else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def workbook_bytes(sections: Sequence[Section], lang: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for section in sections:
        _write_section(book.create_sheet(sheet_name(section.title, taken)), section, lang)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_xlsx(path: str | os.PathLike[str], sections: Sequence[Section], lang: str) -> None:
    write_private(path, workbook_bytes(sections, lang))

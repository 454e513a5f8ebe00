"""`kacrm export`: one kind read from the database (store) and written as CSV or XLSX (render), 0600.

Files are written through a temporary file, so a failed export leaves no half file behind.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from kacrm.errors import input_error
from kacrm.files import write_private, write_private_csv
from kacrm.render.export import write_csv, write_xlsx
from kacrm.store.export_rows import export_rows

SUFFIXES = (".csv", ".xlsx")


def export_table(engine: Engine, kind: str, path: Path) -> int:
    """Write one kind to ``path`` (.csv or .xlsx by its suffix); returns the number of rows written."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise input_error("export_bad_suffix", path=path)
    headers, rows = export_rows(engine, kind)
    if suffix == ".csv":
        return write_private_csv(path, lambda text: write_csv(text, headers, rows))
    return write_private(path, lambda stream: write_xlsx(stream, headers, rows, kind))

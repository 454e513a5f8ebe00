"""Spreadsheet formula injection in CSV: the one-apostrophe guard that export adds and import takes off.

A CSV cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (after any apostrophes) is run as
a formula by spreadsheets; a leading apostrophe makes them show it as text. ``neutralise_cell`` adds exactly one;
``restore_cell`` removes exactly that one, so an exported file imports back to the same values.
"""

from __future__ import annotations

import re

FORMULA_START = re.compile(r"'*[=+\-@\t\r]")


def neutralise_cell(text: str) -> str:
    """Prefix an apostrophe to a CSV cell that a spreadsheet would run as a formula."""
    return "'" + text if FORMULA_START.match(text) else text


def restore_cell(text: str) -> str:
    """The inverse of ``neutralise_cell``, for the importer: drop the apostrophe it added, and only that one."""
    return text[1:] if text.startswith("'") and FORMULA_START.match(text, 1) else text

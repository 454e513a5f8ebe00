"""Files kacrm writes for people: personal data written 0600, whole or not at all, and CSV cells guarded
against spreadsheet formula injection; and the text encodings it reads files in.

Formula injection:
A CSV cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (after any apostrophes) is run as
a formula by spreadsheets; a leading apostrophe makes them show it as text. ``neutralise_cell`` adds exactly one;
``restore_cell`` removes exactly that one, so an exported file imports back to the same values.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kacrm.errors import KacrmError, worded


def write_private(
    path: str | os.PathLike[str], data: bytes | Callable[[io.BufferedIOBase], Any]
) -> Any:
    """Write ``path`` with mode 0600 through a temporary file in the same directory, then rename it into place.
    ``data`` is the bytes, or a function that writes to the binary stream (its result is returned)."""
    path = Path(path)
    if path.is_dir():  # `due --ics .`: os.replace would say "Device or resource busy"
        raise worded(KacrmError, "cannot_write_directory", path=path)
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise worded(KacrmError, "cannot_write", path=path, reason=exc.strerror) from None
    try:
        with os.fdopen(fd, "wb") as stream:
            result = stream.write(data) if isinstance(data, bytes) else data(stream)
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise worded(KacrmError, "cannot_write", path=path, reason=exc.strerror) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return result


def write_private_csv(path: str | os.PathLike[str], write: Callable[[io.TextIOBase], Any]) -> Any:
    """``write_private`` for CSV text: ``write`` gets a text stream, UTF-8 with a byte-order mark (Excel then
    reads Chinese right; the importer reads either) and no newline translation (the csv module ends lines)."""

    def binary(stream: io.BufferedIOBase) -> Any:
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        try:
            return write(text)
        finally:
            text.flush()
            text.detach()

    return write_private(path, binary)


FORMULA_START = re.compile(r"'*[=+\-@\t\r]")


def neutralise_cell(text: str) -> str:
    """Prefix an apostrophe to a CSV cell that a spreadsheet would run as a formula."""
    return "'" + text if FORMULA_START.match(text) else text


def restore_cell(text: str) -> str:
    """The inverse of ``neutralise_cell``, for the importer: drop the apostrophe it added, and only that one."""
    return text[1:] if text.startswith("'") and FORMULA_START.match(text, 1) else text


def text_encoding(name: str) -> str | None:
    """The codec's own name for ``name`` when it is a text encoding (rot13, base64, hex… are codecs but not text
    encodings), else None: what `import --encoding` accepts."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    return info.name if getattr(info, "_is_text_encoding", True) else None

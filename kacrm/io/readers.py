"""Read an import file into a table of text cells: CSV/TSV/TXT (encoding and delimiter detected) or Excel.

Every cell is a ``str`` ("" when empty), columns are numbered by position, and the index is the row number a
user sees in a spreadsheet (the first line of the file is row 1, so a header under a title row is row 2).
CSV files are read in chunks (``RawTable.chunks``) so that a million-row file never sits in memory as text.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kacrm.errors import InputError, RejectedRow, input_error
from kacrm.files import restore_cell, text_encoding
from kacrm.i18n import t
from kacrm.io.headers import FOOTER_CELL, KINDS, TOTAL_WORDS, field_of, map_headers

if TYPE_CHECKING:
    import pandas as pd

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
DELIMITERS = (",", "\t", ";", "|")
HEADER_SEARCH_ROWS = 10  # a header may sit under up to 9 title or blank rows
CHUNK_ROWS = 50_000  # rows checked and written at a time: a typed read of 100,000 held 65 MB more
_BLOCK = 1 << 20
_ARROW_BLOCK = 1 << 18  # bytes Arrow parses at a time (1 MB blocks took 3x the CPU and 30 MB more)
_SAMPLE_BYTES = 1 << 16
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class TypedReadFailed(Exception):
    """PyArrow could not read a row of a plain CSV file as pandas reads it: read the file again untyped."""


@dataclass
class SkippedRows:
    """Rows below the header that are not data: blank rows and totals rows (合计, 小计, 总计, Total)."""

    blank: int = 0
    totals: int = 0


@dataclass(frozen=True)
class Misfit:
    """A data row that does not fit its header: a non-blank cell beyond the header's last named column (the
    import refuses it; see ``RawTable.chunks``)."""

    cells: int  # the row's cells, up to its last non-blank one
    column: int  # the position of its first non-blank cell beyond the header
    value: str  # that cell


@dataclass
class RawTable:
    """The cells of one sheet or CSV file, as text, below the header row.

    ``headers`` ends at the header's last named cell (blank cells before it are columns without a name); rows
    may be wider (``width``, the widest row seen in the sample or the sheet): ``chunks`` reports the rows with a
    non-blank cell out there and yields every row cut to the header's columns."""

    path: Path
    headers: list[str]
    encoding: str | None  # None for Excel files
    header_row: int  # the (last) header row's number in the file (1 unless title rows sit above it)
    sha256: str
    delimiter: str | None = None
    # Excel: the data rows, already read
    _rows: list[list[str]] | None = field(default=None, repr=False)
    # CSV: whether an apostrophe occurs at all (else no cell needs restoring)
    apostrophes: bool = True
    # CSV: UTF-8 without quotes, carriage returns, NUL bytes or apostrophes (read typed: see ``chunks``)
    plain: bool = False
    # the cells read per row: the header's and any beyond them seen before reading (a CSV file's sample rows)
    width: int = 0
    sheets: tuple[str, ...] = ()  # Excel: the workbook's sheets, the one read among them
    # Excel, no --sheet given: the other sheets that hold rows (see ``_holds_rows``), named in the notes
    other_sheets: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.width = max(self.width, len(self.headers))

    def chunks(
        self,
        size: int = CHUNK_ROWS,
        skipped: SkippedRows | None = None,
        *,
        typed: bool = False,
        misfits: dict[int, Misfit] | None = None,
        whole: bool = False,
    ) -> Iterator[pd.DataFrame]:
        """The data rows in frames of at most ``size`` rows and of the header's columns, blank rows dropped and
        counted in ``skipped`` (the importer counts totals rows there too, see ``totals_rows``); at least one
        frame (empty for a header without rows, as pandas gives for such a CSV file), so callers always see the
        columns. A row with a non-blank cell beyond the header's last column goes into ``misfits`` (by row
        number) before the frame that holds it is yielded: blank cells out there (Excel's ``,,,``) are dropped.

        ``typed``: a plain CSV file (``plain``) is read by PyArrow's C reader into columns of pandas' ``str``
        dtype held by Arrow (the same cells, no Python object per cell), so that ``kacrm.io.typed_cells`` can
        read numbers and dates without one either; ``TypedReadFailed`` when Arrow cannot read a row as pandas
        does (a row with another number of cells): the caller reads the file again without ``typed``.

        ``whole``: the rows as wide as the file has them, nothing cut or reported (the rejects file shows a
        refused row's every cell)."""
        skipped = skipped if skipped is not None else SkippedRows()
        named, misfits = len(self.headers), misfits if misfits is not None else {}
        if typed and self.plain and self._rows is None:
            frames = self._arrow_chunks(size)
        elif self._rows is not None:
            frames = (
                _frame(self._rows[start : start + size], self.width, self.header_row + 1 + start)
                for start in range(0, max(len(self._rows), 1), size)
            )
        else:
            frames = self._csv_chunks(size)
        if whole:
            yield from (_drop_skipped(frame, skipped) for frame in frames)
            return
        yield from (_fit(_drop_skipped(frame, skipped), named, misfits) for frame in frames)

    def refusal(self, row: int, misfit: Misfit) -> RejectedRow:
        """The reject of a row with a cell beyond the header's last column: most likely a value with an unquoted
        separator in it (¥12,345.50), split in two, and every cell after it shifted one column."""
        named, n = len(self.headers), misfit.column + 1
        if self.delimiter is None:  # a sheet: no separator splits a cell there
            key, values = "imp_row_wider_sheet", {"n": n, "named": named}
        else:
            sep = repr(self.delimiter)
            key, values = (
                "imp_row_wider",
                {"cells": misfit.cells, "named": named, "sep": sep, "n": n},
            )
        return RejectedRow(
            str(self.path),
            row,
            t("imp_beyond_header", "en", n=n),
            misfit.value,
            t(key, "en", **values),
            t(key, "zh", **values),
            t("imp_beyond_header", "zh", n=n),
        )

    @cached_property
    def frame(self) -> pd.DataFrame:
        """All data rows in one frame (index = row number in the file)."""
        import pandas as pd

        parts = list(self.chunks())
        if not parts:
            return _frame([], len(self.headers), self.header_row + 1)
        return pd.concat(parts) if len(parts) > 1 else parts[0]

    def _arrow_chunks(self, size: int) -> Iterator[pd.DataFrame]:
        """The rows as Arrow reads them, ``size`` at a time. Without quotes or carriage returns a line is a row
        and a cell the text between two delimiters, as pandas reads it; a blank line is a row of empty cells
        for both. Any row Arrow refuses (another number of cells, which pandas pads or refuses in its own
        words) raises TypedReadFailed, before the frame holding it is yielded."""
        import pyarrow as pa
        from pyarrow import csv as arrow_csv

        width = self.width
        names = [str(i) for i in range(width)]
        options = {
            "read_options": arrow_csv.ReadOptions(
                column_names=names,
                skip_rows=self.header_row,
                block_size=_ARROW_BLOCK,
                use_threads=False,  # the bench counts every thread's CPU: threads buy no CPU time
            ),
            "parse_options": arrow_csv.ParseOptions(
                delimiter=self.delimiter, quote_char=False, ignore_empty_lines=False
            ),
            "convert_options": arrow_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()), strings_can_be_null=False
            ),
        }
        first = self.header_row + 1
        pending: list[pa.RecordBatch] = []
        held = 0
        try:
            with arrow_csv.open_csv(self.path, **options) as reader:
                for batch in reader:
                    pending.append(batch)
                    held += batch.num_rows
                    while held >= size:
                        table = pa.Table.from_batches(pending)
                        yield _arrow_frame(table.slice(0, size), first)
                        first += size
                        rest = table.slice(size)
                        pending, held = rest.to_batches(), rest.num_rows
        except pa.ArrowInvalid:
            raise TypedReadFailed from None
        if held:
            yield _arrow_frame(pa.Table.from_batches(pending), first)
        elif first == self.header_row + 1:  # a header without rows: the empty frame pandas gives
            yield _frame([], width, first)

    def _csv_chunks(self, size: int) -> Iterator[pd.DataFrame]:
        """The rows as pandas reads them, ``size`` at a time. A row wider than the rows before (pandas reads a
        file at the width it is given and refuses a wider row) is read by reading on from the chunk that holds
        it, as wide as that row: every cell of every row reaches ``chunks``, which refuses the rows that do not
        fit the header."""
        import pandas as pd

        width, done = self.width, 0  # done: the data rows yielded
        while True:
            try:
                for chunk in self._pandas_chunks(size, width, done):
                    done += len(chunk)
                    yield chunk
                return
            except pd.errors.ParserError as exc:
                wider = _wider_row(exc)
                if wider is None or wider <= width:
                    raise input_error(
                        "read_not_table", path=self.path, detail=_parser_detail(exc)
                    ) from None
                width = wider

    def _pandas_chunks(self, size: int, width: int, done: int) -> Iterator[pd.DataFrame]:
        """The rows after the first ``done`` data rows, ``width`` cells each; pandas' ParserError as it is."""
        import pandas as pd

        first = self.header_row + 1 + done
        try:
            reader = pd.read_csv(  # an unclosed quote already fails here, while pandas looks ahead
                self.path,
                sep=self.delimiter,
                encoding=self.encoding,
                header=None,
                names=range(width),
                dtype=object,
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=False,
                skiprows=self.header_row + done,
                chunksize=size,
                engine="c",
                index_col=False,
            )
            with reader:
                for chunk in _refusing_lost_cells(reader):
                    chunk.index = chunk.index + first
                    chunk = chunk.fillna("")
                    yield _restore_neutralised(chunk) if self.apostrophes else chunk
        except pd.errors.ParserWarning as exc:
            raise input_error("read_not_table", path=self.path, detail=exc) from None
        except UnicodeDecodeError as exc:
            raise _decode_error(self.path, self.encoding, exc) from None
        except UnicodeError as exc:
            raise input_error(
                "read_not_as", path=self.path, encoding=self.encoding, detail=exc
            ) from None


def read_table(path: Path, *, encoding: str | None = None, sheet: str | None = None) -> RawTable:
    """The table in ``path`` (.csv/.tsv/.txt or .xlsx/.xls); an InputError for anything that cannot be read."""
    path = Path(path)
    if not path.exists():
        raise input_error("file_missing", path=path)
    if not path.is_file():
        raise input_error("file_not_file", path=path)
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(path, sheet)
    if suffix not in CSV_SUFFIXES:
        raise input_error("file_unsupported", path=path, suffix=suffix or "(none)")
    return _read_csv(path, encoding, tab=suffix == ".tsv")


# ---------------------------------------------------------------------------------------------------- CSV


def _read_csv(path: Path, encoding: str | None, *, tab: bool) -> RawTable:
    digest, detected, head, apostrophes, plain = _scan(path, encoding)
    text = head.decode(detected, errors="ignore")
    if not text.strip():
        raise input_error("read_empty", path=path)
    if "\x00" in text:
        hint = "--encoding utf-16" if encoding is None else "another --encoding"
        raise input_error("read_binary", path=path, hint=hint)
    # lines end at \n, \r\n or \r, as the csv module and pandas read them: str.splitlines also breaks at
    # \u2028, \x1c-\x1e, \x85…, which a cell may hold, and would measure the rows narrower than they are
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines[-1]:
        lines.pop()
    if len(head) == _SAMPLE_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the sample may end mid-line
    delimiter = "\t" if tab else _sniff_delimiter(lines)
    records = list(csv.reader(lines[:200], delimiter=delimiter))
    header_idx, depth = _header_index(records[:HEADER_SEARCH_ROWS])
    last = header_idx + depth - 1
    width = max(len(r) for r in records[header_idx:])
    headers = _named(_header_cells(records[header_idx : last + 1]))
    plain = plain and detected in ("utf-8", "utf-8-sig") and not apostrophes
    return RawTable(
        path,
        headers,
        detected,
        last + 1,
        digest,
        delimiter,
        apostrophes=apostrophes,
        plain=plain,
        width=width,
    )


def _scan(path: Path, encoding: str | None) -> tuple[str, str, bytes, bool, bool]:
    """(sha256 of the bytes, the encoding, the first bytes, whether the text has an apostrophe anywhere, whether
    it has no quote, carriage return or NUL byte): one pass over the file, decoding strictly."""
    try:
        with path.open("rb") as fh:
            head = fh.read(_SAMPLE_BYTES)
            fh.seek(0)
            if encoding is not None:
                detected = _known_encoding(encoding, path)
            else:
                detected = next((name for bom, name in _BOMS if head.startswith(bom)), "utf-8")
            candidates = (
                [detected] if encoding is not None or detected != "utf-8" else ["utf-8", "gb18030"]
            )
            digest = hashlib.sha256()
            decoders = {name: codecs.getincrementaldecoder(name)("strict") for name in candidates}
            apostrophes, plain = False, True
            while block := fh.read(_BLOCK):
                digest.update(block)
                plain = plain and not any(byte in block for byte in _NOT_PLAIN)
                if _plain_ascii(block, decoders):  # what every decoder would read as it is
                    apostrophes |= b"'" in block
                    continue
                for name in list(decoders):
                    try:
                        apostrophes |= "'" in decoders[name].decode(block)
                    except UnicodeDecodeError:
                        del decoders[name]
                        if not decoders:
                            raise
            for name in list(decoders):
                try:
                    decoders[name].decode(b"", final=True)
                except UnicodeDecodeError:
                    del decoders[name]
                    if not decoders:
                        raise
    except UnicodeDecodeError as exc:
        raise _decode_error(path, encoding, exc) from None
    except UnicodeError as exc:  # e.g. "UTF-16 stream does not start with BOM"
        raise input_error("read_not_as_utf16", path=path, encoding=encoding, detail=exc) from None
    except OSError as exc:
        raise input_error("read_cannot", path=path, reason=exc.strerror) from None
    return digest.hexdigest(), next(iter(decoders)), head, apostrophes, plain


# what a typed read leaves to pandas (see ``RawTable._arrow_chunks``)
_NOT_PLAIN = (b'"', b"\r", b"\x00")


def _plain_ascii(block: bytes, decoders: dict[str, codecs.IncrementalDecoder]) -> bool:
    """Whether decoding ``block`` can neither fail nor change it: ASCII bytes, every decoder one that reads ASCII as
    ASCII (UTF-8, the GB encodings) and waiting for no byte of a character begun in the block before. Decoding a
    50 MB file twice (UTF-8 and GB18030, until one fails) cost more CPU than reading its cells."""
    return (
        block.isascii()
        and all(name in _ASCII_SUPERSETS for name in decoders)
        and all(decoder.getstate()[0] == b"" for decoder in decoders.values())
    )


# What a failed --encoding suggests instead, the one given left out (codecs' names)
SUGGESTED_ENCODINGS = ("utf-8", "gb18030", "utf-16")
_ASCII_SUPERSETS = frozenset({"utf-8", "gb18030", "gbk", "gb2312"})


def _known_encoding(encoding: str, path: Path) -> str:
    name = text_encoding(encoding)
    if name is None:
        raise input_error("read_unknown_encoding", path=path, encoding=encoding)
    return (
        "utf-8-sig" if name == "utf-8" else name
    )  # a BOM, if any, is never part of the first header


def _decode_error(path: Path, encoding: str | None, exc: UnicodeDecodeError) -> InputError:
    if encoding is None:
        return input_error("read_guess_encoding", path=path, at=exc.start)
    first, second = [e for e in SUGGESTED_ENCODINGS if e != codecs.lookup(encoding).name][:2]
    return input_error(
        "read_bad_encoding", path=path, encoding=encoding, at=exc.start, first=first, second=second
    )


def _sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the most sample lines into the same number (> 1) of fields."""
    sample = [line for line in lines[:50] if line.strip()]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        counts = [len(r) for r in csv.reader(sample, delimiter=delimiter)]
        wide = [c for c in counts if c > 1]
        if not wide:
            continue
        mode = max(set(wide), key=wide.count)
        score = (wide.count(mode), mode)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _mapped(cells: list[str]) -> int:
    """How many of the cells name a known field, in the kind where most do."""

    return max(len(map_headers(cells, kind, None).fields) for kind in KINDS)


def _header_index(records: list[list[str]]) -> tuple[int, int]:
    """(index, 1 or 2): of the first rows, the one whose cells name the most known fields (ties: the first),
    and whether it is the upper row of a two-row header (see ``_header_cells``). (0, 1) if no row names any."""
    best, best_score = 0, 0
    for i, record in enumerate(records):
        cells = [c.strip() for c in record]
        if sum(1 for c in cells if c) < 2 and best_score:
            continue
        score = _mapped(cells)
        if score > best_score:
            best, best_score = i, score
    if best + 1 < len(records) and _is_group_row(records[best], records[best + 1], best_score):
        return best, 2
    if best > 0 and _is_group_row(records[best - 1], records[best], best_score):
        return best - 1, 2
    return best, 1


def _is_group_row(upper: list[str], lower: list[str], score: int) -> bool:
    """Whether ``upper`` is a row of merged group headers over ``lower``: some lower cells stand under an empty
    upper cell (the tail of a merged cell), the lower row names two fields or more on its own (or one, when
    other upper cells stand over an empty lower cell: merged down over both rows), and reading both rows names
    at least as many fields as the best single row."""
    width = max(len(upper), len(lower))
    upper = [c.strip() for c in upper] + [""] * (width - len(upper))
    lower = [c.strip() for c in lower] + [""] * (width - len(lower))
    filled_lower = [i for i in range(width) if lower[i]]
    if len(filled_lower) < 2 or sum(1 for c in upper if c) < 2:  # a title is one cell
        return False
    under_merge = any(not upper[i] and i > 0 and lower[i] and lower[i - 1] for i in filled_lower)
    if not under_merge:
        return False
    named = sum(1 for cell in lower if cell and _names_field(cell))
    merged_down = any(upper[i] and not lower[i] for i in range(width))  # a cell over both rows
    return (named >= 2 or (named and merged_down)) and _mapped(
        _header_cells([upper, lower])
    ) >= score


def _refusing_lost_cells(reader: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """pandas' chunks, its ParserWarning raised: pandas drops the cells of a first row wider than the names it
    was given with only that warning (where Python's csv module, which measured the sample, and pandas'
    tokenizer split a messy row differently), and kacrm refuses the file rather than lose them. The warning is
    an error only while pandas reads a chunk, not while the caller holds one."""
    import pandas as pd

    while True:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            chunk = next(reader, None)
        if chunk is None:
            return
        yield chunk


def _named(headers: list[str]) -> list[str]:
    """The header's cells up to its last named one: a blank cell after it names no column (a blank cell before
    it is a column without a name). All of them when none is named."""
    last = max((i for i, header in enumerate(headers) if header), default=len(headers) - 1)
    return headers[: last + 1]


def _names_field(header: str) -> bool:

    return any(field_of(header, kind) for kind in KINDS)


def _header_cells(rows: list[list[str]]) -> list[str]:
    """The header of each column. One row: its cells. Two rows (merged group headers such as 联系方式 over
    手机/电话, 客户 over 编码/名称, or 金额 over 不含税/价税合计): the lower cell qualified by its group
    (``客户-名称``) when that names a field, else the lower cell alone when it does, else qualified
    (``金额-不含税``); a cell merged down over both rows keeps the upper text."""
    width = max(len(r) for r in rows)
    padded = [[c.strip() for c in r] + [""] * (width - len(r)) for r in rows]
    if len(padded) == 1:
        return padded[0]
    upper, lower = padded
    groups: list[str] = []
    for i in range(width):
        # a merged group cell is stored in its first column only: it spans the columns after it whose upper
        # cell is empty and whose lower cell is not
        group = upper[i] or (groups[i - 1] if i and lower[i] and lower[i - 1] else "")
        groups.append(group)
    headers = []
    for i in range(width):
        qualified = f"{groups[i]}-{lower[i]}"
        if not lower[i]:
            headers.append(upper[i])
        elif not groups[i] or groups[i] == lower[i] or _names_field(qualified):
            headers.append(qualified if groups[i] and groups[i] != lower[i] else lower[i])
        elif _names_field(lower[i]):
            headers.append(lower[i])
        else:
            headers.append(qualified)
    return headers


def _wider_row(exc: Exception) -> int | None:
    """The cells of the row pandas refused for having more than the rows before it, if that was the trouble."""
    import re

    m = re.search(r"Expected \d+ fields in line \d+, saw (\d+)", str(exc))
    return int(m[1]) if m else None


def _parser_detail(exc: Exception) -> str:
    """pandas' message about a malformed file (an unclosed quote…): its last line."""
    return str(exc).strip().splitlines()[-1]


# ---------------------------------------------------------------------------------------------------- Excel


def _read_excel(path: Path, sheet: str | None) -> RawTable:
    from python_calamine import CalamineWorkbook

    try:
        data = path.read_bytes()
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = workbook.sheet_names
        chosen = _sheet_name(sheet, names, path)
        rows = workbook.get_sheet_by_name(chosen or names[0]).to_python(skip_empty_area=False)
        others = () if sheet is not None else _sheets_with_rows(workbook, names[1:])
    except InputError:
        raise
    except OSError as exc:
        raise input_error("read_cannot", path=path, reason=exc.strerror) from None
    except Exception as exc:  # calamine raises its own errors for zip, XML and format trouble
        raise input_error(
            "read_not_workbook", path=path, detail=f"{type(exc).__name__}: {exc}"
        ) from None
    cells = [[_cell_text(v) for v in row] for row in rows]
    if not any(any(c for c in row) for row in cells):
        raise input_error("read_sheet_empty", path=path, sheet=chosen or names[0])
    header_idx, depth = _header_index(cells[:HEADER_SEARCH_ROWS])
    last = header_idx + depth - 1
    headers = _named(_header_cells(cells[header_idx : last + 1]))
    width = max(len(row) for row in cells)
    body = [row + [""] * (width - len(row)) for row in cells[last + 1 :]]
    digest = hashlib.sha256(data).hexdigest()
    return RawTable(
        path,
        headers,
        None,
        last + 1,
        digest,
        _rows=body,
        width=width,
        sheets=tuple(names),
        other_sheets=others,
    )


def _sheets_with_rows(workbook: Any, names: list[str]) -> tuple[str, ...]:
    """Of the sheets ``names``, those that hold rows: two rows or more with two non-blank cells or more (a
    header and a row under it). An empty sheet, or one of notes (a column of sentences), holds none."""
    return tuple(name for name in names if _holds_rows(workbook.get_sheet_by_name(name)))


def _holds_rows(sheet: Any) -> bool:
    filled = 0
    for row in sheet.iter_rows():
        if sum(1 for value in row if _cell_text(value).strip()) >= 2:
            filled += 1
            if filled == 2:
                return True
    return False


def _sheet_name(sheet: str | None, names: list[str], path: Path) -> str | None:
    """``--sheet``: a sheet's name, or its number (1 the first) where no sheet has that name."""
    if sheet is None or sheet in names:
        return sheet
    if sheet.isdigit() and 1 <= int(sheet) <= len(names):
        return names[int(sheet) - 1]
    raise input_error("read_no_sheet", path=path, sheet=sheet, names=", ".join(names))


def _cell_text(value: Any) -> str:
    """An Excel cell as the text a user would type: whole numbers without ".0", dates in ISO form."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


# ---------------------------------------------------------------------------------------------------- frames


def _frame(rows: list[list[str]], width: int, first_row: int) -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame(rows, columns=range(width), dtype=object)
    frame.index = pd.RangeIndex(first_row, first_row + len(rows))
    return frame


def _arrow_frame(table: Any, first_row: int) -> pd.DataFrame:
    """Arrow's string columns as a frame of pandas' ``str`` dtype (held by Arrow), rows numbered from
    ``first_row``."""
    import numpy as np
    import pandas as pd

    dtype = pd.StringDtype("pyarrow", na_value=np.nan)
    index = pd.RangeIndex(first_row, first_row + table.num_rows)
    columns = {
        i: pd.Series(column, dtype=dtype, index=index) for i, column in enumerate(table.columns)
    }
    return pd.DataFrame(columns, index=index, copy=False)


def _restore_neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """Take off the apostrophe that `kacrm export` (or a careful user) put before a formula-like CSV cell."""
    for column in frame.columns:
        cells = frame[column]
        quoted = cells.str.startswith("'")
        if quoted.any():
            frame[column] = cells.where(~quoted, cells[quoted].map(restore_cell))
    return frame


def _fit(frame: pd.DataFrame, named: int, misfits: dict[int, Misfit]) -> pd.DataFrame:
    """The frame cut to the header's ``named`` columns; the rows with a non-blank cell beyond them go into
    ``misfits``."""
    import numpy as np

    if frame.shape[1] <= named:
        return frame
    beyond = frame.iloc[:, named:]
    # a cheap first look: padding is empty cells (stripping every cell cost a tenth of a padded file's import)
    rows = np.flatnonzero((beyond != "").to_numpy(dtype=bool).any(axis=1))
    if len(rows):
        cells = beyond.iloc[rows]
        filled = cells.apply(lambda col: col.str.strip() != "").to_numpy(dtype=bool)
        for at, row in enumerate(rows):
            where = np.flatnonzero(filled[at])
            if len(where):
                value = str(cells.iat[at, where[0]]).strip()
                column, cells_up_to = named + int(where[0]), named + int(where[-1]) + 1
                misfits[int(frame.index[row])] = Misfit(cells_up_to, column, value)
    return frame.iloc[:, :named]


def _drop_skipped(frame: pd.DataFrame, skipped: SkippedRows) -> pd.DataFrame:
    """The frame without blank rows, counted in ``skipped``."""
    if frame.empty:
        return frame
    # a cheap first look: a blank row has a blank first cell (selecting no row would copy every column)
    first_blank = (frame[0] == "").to_numpy()
    if not first_blank.any():
        return frame
    candidates = frame[first_blank]
    blank = candidates.apply(lambda col: col.str.strip() == "").all(axis=1)
    if not blank.any():
        return frame
    skipped.blank += int(blank.sum())
    return frame.drop(index=blank.index[blank])


def totals_rows(frame: pd.DataFrame, positions: list[int], suspects: pd.Index) -> pd.Index:
    """The rows that are totals rows (a cell reads 合计, 小计, Total… see ``headers.TOTAL_WORDS``): looked for in
    the columns at ``positions`` in every row, and in every column of the ``suspects`` rows, which are also
    footer rows when a cell starts with a signature word and a colon (制表人：张三, ``headers.FOOTER_CELL``).

    The importer passes its text columns and the rows it could not read: a totals word in a date or amount
    column makes that cell unreadable anyway, so the other columns of clean rows need no look (a third of the
    cost on an orders file)."""
    import numpy as np

    hit = np.zeros(len(frame), dtype=bool)
    for pos in positions:
        hit |= frame[pos].isin(TOTAL_WORDS).to_numpy()
    if len(suspects):
        rows = frame.loc[frame.index.intersection(suspects)].astype(object)
        footer = rows.astype(str).apply(lambda column: column.str.match(FOOTER_CELL))
        found = (rows.isin(TOTAL_WORDS) | footer).any(axis=1)
        hit |= frame.index.isin(found.index[found.to_numpy()])
    return frame.index[hit]

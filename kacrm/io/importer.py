"""`kacrm import` (SPEC §5), the checking half: read, parse, resolve and key every file; kacrm.app.imports writes.

1. Each file is read in chunks and parsed column by column (``kacrm.io.parse``); customer references are resolved
   to codes (``CustomerIndex``, which also learns the customers of the files before); rows get their key (their own,
   or a content key from ``kacrm.io.keys``); a key repeated with other content rejects the later row.
2. Orders, payments and interactions with their own key column are handed over a chunk at a time
   (``check_chunks``), so that a million-row file never sits in memory: only the hashes of the keys seen are kept,
   and a key seen again in a later chunk (or a row keyed by its content) raises ``Restart``, after which the file
   is checked whole (``check_whole``), as every other file is, and the answer is that of a whole file.
3. With ``on_error="abort"`` (the default) one bad row in any file rejects the whole call: ``kacrm.app.imports``
   writes every file in one transaction and rolls it back, and ``ImportRejected`` lists every bad row. With
   ``"skip"`` the good rows are written and the bad ones reported. ``dry_run`` runs the same writes and rolls them
   back, so the counts are exactly those of a real run.
"""

from __future__ import annotations

import csv
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kacrm.errors import CellError, InputError, RejectedRow, cell_error, input_error
from kacrm.files import write_private_csv
from kacrm.i18n import label, t
from kacrm.io import headers as header_rules
from kacrm.io.customers_index import CustomerIndex
from kacrm.io.inline_person import homeless_person_cells
from kacrm.io.keys import CONTENT_KEY_PREFIX, content_keys
from kacrm.io.parse import FIELD_TYPES, parse_chunk
from kacrm.io.plan_check import off_plan
from kacrm.io.readers import CHUNK_ROWS, Misfit, RawTable, SkippedRows, read_table, totals_rows
from kacrm.values import is_void_order_status, name_key

if TYPE_CHECKING:
    import io

    import numpy as np
    import pandas as pd

ON_ERROR = ("abort", "skip")
CUSTOMER_REF = ("customer_code", "customer_name", "customer_short_name")
# The values that make up a content key; a field absent from the file counts as empty.
CONTENT_FIELDS = {
    "orders": [
        "customer_code",
        "order_date",
        "amount",
        "quantity",
        "product",
        "cost",
        "due_date",
        "salesperson",
        "status",
    ],
    "payments": ["customer_code", "order_no", "paid_on", "amount", "method"],
    "interactions": [
        "customer_code",
        "contact",
        "happened_on",
        "kind",
        "summary",
        "outcome",
        "cost",
        "resolved_on",
        "next_due",
    ],
}
# Interactions have a key column only in files written by `kacrm export`; elsewhere every row gets a content key.
OWN_KEY = {"orders": "order_no", "payments": "payment_no", "interactions": "key"}


@dataclass
class FileSummary:
    file: str
    kind: str
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    seconds: float = 0.0
    voided: int = (
        0  # orders rows whose status says void or cancelled: not stored (kacrm.store.void_orders)
    )
    removed: int = 0  # ... of them, the orders on file they removed
    unknown_columns: list[str] = field(default_factory=list)
    unknown_columns_zh: list[str] = field(default_factory=list)  # for a Chinese table
    encoding: str | None = None
    rejects: list[RejectedRow] = field(default_factory=list)
    blank_rows: int = 0  # skipped: blank rows below the header
    totals_rows: int = 0  # skipped: 合计/小计/总计/Total rows, never imported
    # a workbook's sheets not read that hold rows (no --sheet given)
    other_sheets: tuple[str, ...] = ()
    hints: list[tuple[str, str]] = field(
        default_factory=list
    )  # (unknown header, the field it resembles)
    new_customers: list[str] = field(default_factory=list)  # codes --create-customers adds
    # a customers file's owners (docs/team.md): (code, the file's owner, kacrm's) kept as the team set them,
    # (code, new, previous) changed, (owner, customers held, capacity) over capacity
    owners_kept: list[tuple[str, str, str | None]] = field(default_factory=list)
    owners_moved: list[tuple[str, str, str | None]] = field(default_factory=list)
    owners_over: list[tuple[str, int, int]] = field(default_factory=list)
    # its credit columns (docs/credit.md): (code, key, the file's value, kacrm's) kept as kacrm decided them,
    # (code, key, previous, new) changed for a customer with a credit history
    credit_kept: list[tuple[str, str, Any, Any]] = field(default_factory=list)
    credit_moved: list[tuple[str, str, Any, Any]] = field(default_factory=list)

    def map_hints(self) -> list[tuple[str, str, str]]:
        """(unknown header, the field it resembles, the --map option that would read it so)."""
        return [(header, name, map_option(header, name)) for header, name in self.hints]


@dataclass
class PreparedFile:
    """A validated file: its good rows, typed and keyed, ready to be written."""

    raw: RawTable
    kind: str
    frame: pd.DataFrame  # good rows (index = row number): typed fields, customer_code, key
    repeats: int  # rows that repeat an earlier row of the file exactly (counted once, as unchanged)
    new_customers: dict[str, str]  # code -> name, created by --create-customers
    summary: FileSummary
    columns: dict[str, int]  # field -> position in the file


def open_file(
    path: Path,
    *,
    kind: str | None,
    mapping: dict[str, str] | None,
    encoding: str | None,
    sheet: str | None,
    raw: RawTable | None = None,
) -> PreparedFile:
    """The file's kind and columns, no row read yet (``frame`` empty): an InputError for a missing column.
    ``raw``: the file as ``read_table`` read it already."""
    import pandas as pd

    raw = raw if raw is not None else read_table(path, encoding=encoding, sheet=sheet)
    try:
        file_kind = kind or header_rules.detect_kind(raw.headers, str(path), mapping)
    except InputError as exc:
        if len(raw.sheets) < 2:
            raise
        # a workbook whose first sheet holds notes (WPS, 金蝶云星空): name its sheets
        sheets = ", ".join(raw.sheets)
        hint = {lang: t("imp_other_sheets", lang, sheets=sheets) for lang in ("en", "zh")}
        raise InputError(exc.text("en") + hint["en"], exc.text("zh") + hint["zh"]) from None
    header_map = header_rules.map_headers(raw.headers, file_kind, mapping)
    _refuse_scaled_money(path, raw.headers, file_kind, header_map.fields)
    hints = header_rules.header_hints(raw.headers, file_kind, header_map)
    if header_map.missing:
        values = {
            "file": path,
            "missing": "; ".join(header_map.missing),
            "missing_zh": "”“".join(header_map.missing_zh),
            "kind": file_kind,
            "kind_zh": label(file_kind, "zh"),
            "seen": ", ".join(h for h in raw.headers if h),
        }
        first = header_map.missing[0].split(" or ")[0]
        hinted = " ".join(map_option(h, f) for h, f in hints)
        values["map"] = hinted or t("imp_map_any", "en", field=first)
        values["map_zh"] = hinted or t("imp_map_any", "zh", field=first)
        raise input_error("imp_no_column", **values)
    summary = FileSummary(
        str(path), file_kind, encoding=raw.encoding, other_sheets=raw.other_sheets
    )
    summary.unknown_columns = list(header_map.unknown)
    summary.unknown_columns_zh = list(header_map.unknown_zh)
    summary.hints = hints
    return PreparedFile(raw, file_kind, pd.DataFrame(), 0, {}, summary, header_map.columns)


def _refuse_scaled_money(path: Path, headers: list[str], kind: str, fields: dict[int, str]) -> None:
    """An InputError for a money column whose header says its amounts are in 万元, 千元…: its unit is dropped to
    match the header (价税合计（万元） is 价税合计), and 12.5 would be read as ¥12.50, not ¥125,000."""
    for position, name in fields.items():
        unit = header_rules.scaled_unit(headers[position])
        if unit is not None and FIELD_TYPES[kind].get(name) == "money":
            raise input_error("imp_scaled_money", file=path, header=headers[position], unit=unit)


def check_whole(
    prepared: PreparedFile,
    index: CustomerIndex,
    create_customers: bool,
    progress: Work | None,
    started: float,
) -> PreparedFile:
    """Check every row of an opened file at once (``prepared.frame`` becomes its keyed rows)."""
    import pandas as pd

    summary = prepared.summary
    reader = _ChunkChecker(prepared)
    parts: list[pd.DataFrame] = []
    rejects: list[RejectedRow] = []
    for chunk in prepared.raw.chunks(skipped=reader.skipped, misfits=reader.misfits):
        frame, bad = reader.check(chunk)
        parts.append(frame)
        rejects.extend(bad)
        if progress is not None:
            progress.advance(len(chunk))
    frame = _short_names_as_names(pd.concat(parts) if parts else pd.DataFrame())
    del parts
    new_before = set(index.new)
    keyed = _keyed(prepared, frame, rejects, index, create_customers)
    summary.rejects = sorted(rejects, key=lambda r: (r.row, r.column))
    summary.rejected = len({r.row for r in rejects})
    if progress is not None:
        progress.advance(summary.rows_read)  # checked and keyed
    summary.seconds = time.perf_counter() - started
    prepared.new_customers = {c: n for c, n in index.new.items() if c not in new_before}
    summary.new_customers = sorted(prepared.new_customers)
    prepared.frame, prepared.repeats = keyed.frame, keyed.repeats
    return prepared


class Restart(Exception):
    """A file checked in chunks must be checked whole: a key repeats across chunks, or a row has no key."""


def streams(prepared: PreparedFile, create_customers: bool) -> bool:
    """Whether a file may be checked and written chunk by chunk: orders, payments and interactions whose own key
    column is there (rows keyed by content are numbered over the whole file), no customer created on the way."""
    own = OWN_KEY.get(prepared.kind)
    return own is not None and own in prepared.columns and not create_customers


def check_chunks(
    prepared: PreparedFile,
    index: CustomerIndex,
    *,
    chunk_rows: int = CHUNK_ROWS,
    progress: Work | None = None,
    typed: bool = False,
) -> Iterator[tuple[pd.DataFrame, int]]:
    """Each chunk's good rows, keyed, and how many of its rows repeat another exactly; its bad rows go to
    ``prepared.summary``. Only the keys of the chunks before are kept (as 64-bit hashes): a key seen again in a
    later chunk raises Restart, as does a row without its own key (see ``streams``); a hash collision only costs
    that restart, never a wrong answer. ``typed``: a plain CSV file is read typed (``RawTable.chunks``), which
    may raise ``TypedReadFailed``."""
    import numpy as np

    summary = prepared.summary
    reader = _ChunkChecker(prepared)
    own = OWN_KEY[prepared.kind]
    seen = np.empty(0, np.int64)  # the sorted key hashes of the chunks before
    rejects: list[RejectedRow] = []
    chunks = prepared.raw.chunks(
        size=chunk_rows, skipped=reader.skipped, typed=typed, misfits=reader.misfits
    )
    for chunk in chunks:
        frame, bad = reader.check(chunk)
        keyed = _keyed(prepared, _short_names_as_names(frame), bad, index, False)
        keys = keyed.frame[own].to_numpy(dtype=object)
        if (keys.astype("U1") == CONTENT_KEY_PREFIX).any():  # a row keyed by its content
            raise Restart
        # Python's own string hashes: computed once per key already, when the chunk's repeats were looked for
        hashes = np.sort(np.fromiter(map(hash, keys), np.int64, len(keys)))
        if _meets(hashes, seen):
            raise Restart
        seen = np.concatenate([seen, hashes])
        seen.sort(kind="stable")  # two sorted runs: merged in one pass
        rejects.extend(bad)
        summary.rejected += len({r.row for r in bad})
        if progress is not None:
            progress.advance(2 * len(chunk))  # read, checked and keyed
        yield keyed.frame, keyed.repeats
    summary.rejects = sorted(rejects, key=lambda r: (r.row, r.column))


def _meets(sorted_a: np.ndarray, sorted_b: np.ndarray) -> bool:
    """Whether two sorted arrays share a value (a binary search of each of the first in the second)."""
    import numpy as np

    if not len(sorted_a) or not len(sorted_b):
        return False
    at = np.searchsorted(sorted_b, sorted_a).clip(max=len(sorted_b) - 1)
    return bool((sorted_b[at] == sorted_a).any())


class _ChunkChecker:
    """Parses one chunk of a file after another, dropping totals rows, refusing the rows that do not fit the
    header, counting rows and skipped rows."""

    def __init__(self, prepared: PreparedFile) -> None:
        self.prepared = prepared
        self.skipped = SkippedRows()
        self.misfits: dict[int, Misfit] = {}  # filled by the reader, emptied chunk by chunk
        self.text_positions = _text_positions(
            prepared.kind, prepared.columns, len(prepared.raw.headers)
        )

    def check(self, chunk: pd.DataFrame) -> tuple[pd.DataFrame, list[RejectedRow]]:
        """The chunk's typed rows (bad ones included) and its bad cells."""
        import pandas as pd

        p = self.prepared
        parsed = parse_chunk(chunk, p.kind, p.columns, p.raw.headers, p.summary.file)
        misfits = {row: self.misfits.pop(row) for row in list(self.misfits) if row in chunk.index}
        bad_rows = pd.Index(sorted({r.row for r in parsed.rejects} | set(misfits)), dtype="int64")
        totals = totals_rows(chunk, self.text_positions, bad_rows)
        if len(totals):  # 合计/小计 rows: skipped and counted, never imported nor rejected
            self.skipped.totals += len(totals)
            parsed.frame = parsed.frame.drop(index=totals)
            dropped = set(totals)
            parsed.rejects = [r for r in parsed.rejects if r.row not in dropped]
            misfits = {row: m for row, m in misfits.items() if row not in dropped}
        if misfits:  # a shifted row: its one reject says why, none of its shifted cells is read
            parsed.frame = parsed.frame.drop(index=list(misfits))
            parsed.rejects = [r for r in parsed.rejects if r.row not in misfits]
            parsed.rejects += [p.raw.refusal(row, m) for row, m in misfits.items()]
        p.summary.rows_read += len(chunk) - len(totals)
        p.summary.blank_rows, p.summary.totals_rows = self.skipped.blank, self.skipped.totals
        return parsed.frame, parsed.rejects


def _keyed(
    prepared: PreparedFile,
    frame: pd.DataFrame,
    rejects: list[RejectedRow],
    index: CustomerIndex,
    create_customers: bool,
) -> _Keyed:
    """The good rows of ``frame`` keyed (``rejects``, the bad cells so far, gains the rows keying rejects)."""
    kind, columns, headers = prepared.kind, prepared.columns, prepared.raw.headers
    path = prepared.summary.file
    bad = frame.index.isin({r.row for r in rejects})
    if kind not in ("customers", "owners") and not create_customers and bad.any():
        rejects.extend(_customer_rejects(frame[bad], index, columns, headers, path))
    if bad.any():  # a boolean mask copies every column, even when it keeps them all
        frame = frame[~bad]
    keyed = _key_rows(frame, kind, columns, headers, path, index, create_customers)
    rejects.extend(keyed.rejects)
    return keyed


def _text_positions(kind: str, columns: dict[str, int], width: int) -> list[int]:
    """The columns a totals word could stand in without making the row unreadable: text fields and columns the
    importer does not read."""
    used = {pos: FIELD_TYPES[kind][name] for name, pos in columns.items()}
    return [p for p in range(width) if used.get(p, "text") in ("text", "name", "code")]


def _short_names_as_names(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows that name their customer by short name only (客户简称) look it up as a name (the index knows both)."""
    if "customer_short_name" not in frame:
        return frame
    short = frame.pop("customer_short_name")
    if "customer_name" not in frame:
        return frame.assign(customer_name=short)
    name = frame["customer_name"]
    return frame.assign(customer_name=name.where(name.notna(), short))


def map_option(header: str, field_name: str) -> str:
    """The ``--map`` option that reads ``header`` as ``field_name``, quoted for a shell where needed (Chinese
    text needs no quotes)."""
    import shlex

    pair = f"{header}={field_name}"
    return f"--map {pair if _SHELL_PLAIN.fullmatch(pair) else shlex.quote(pair)}"


_SHELL_PLAIN = re.compile(r"[^\s'\"$`\\!*?&;|<>(){}\[\]#~]+")


def _customer_rejects(
    frame: pd.DataFrame,
    index: CustomerIndex,
    columns: dict[str, int],
    headers: list[str],
    file: str,
) -> list[RejectedRow]:
    """Unknown customers of rows that are bad anyway, so that the report names every bad cell at once."""
    _, reasons = index.resolve(frame.get("customer_code"), frame.get("customer_name"), False)
    label = _column_label(headers, columns, *CUSTOMER_REF)
    shown = frame["customer_code"] if "customer_code" in frame else frame["customer_name"]
    return [
        RejectedRow(file, int(row), label, _shown(shown[row]), str(reason), reason.zh)
        for row, reason in reasons.dropna().items()
    ]


PHASES = 3  # each row is read, checked (parsed, resolved, keyed) and written


class Work:
    """The progress of a whole import over all its files: every row read, checked and written, one unit each.

    The total starts from an estimate of the rows (file sizes) and grows when the files hold more."""

    def __init__(self, report: Callable[[int, int], None] | None, estimate: int) -> None:
        self.report = report
        self.total = max(estimate, 1)
        self.done = 0
        self.shown = 0  # the most done reported: the bar never goes back

    def advance(self, units: int) -> None:
        self.done += units
        self.total = max(self.total, self.done)
        if self.report is not None and self.done >= self.shown:
            self.shown = self.done
            self.report(self.done, self.total)

    def redo(self, mark: int) -> None:
        """The work done since ``done`` was ``mark`` is done again (a file read over, untyped or whole): counted
        once, the bar holding still until the second pass gets past the first."""
        self.done = mark


def estimated_rows(path: Path) -> int:
    """A guess at the row count for the progress bar (80 bytes a row), before the file has been read."""
    try:
        return max(1, path.stat().st_size // 80)
    except OSError:
        return 1


@dataclass
class _Keyed:
    frame: pd.DataFrame
    rejects: list[RejectedRow]
    repeats: int


def _column_label(headers: list[str], columns: dict[str, int], *names: str) -> str:
    for name in names:
        if name in columns:
            return headers[columns[name]]
    return names[0]


def _key_rows(
    frame: pd.DataFrame,
    kind: str,
    columns: dict[str, int],
    headers: list[str],
    file: str,
    index: CustomerIndex,
    create: bool,
) -> _Keyed:
    """Resolve customers, give every row its key, and reject rows whose key repeats with other content."""
    rejects: list[RejectedRow] = []

    def reject(
        mask: pd.Series, label: str, value: pd.Series, reason: pd.Series | CellError
    ) -> None:
        """A rejected row for each row of ``mask``: ``reason`` for all, or each row's own from a Series."""
        for row in mask.index[mask.to_numpy(dtype=bool)]:
            text = value.get(row)
            why = reason if isinstance(reason, CellError) else reason[row]
            rejects.append(RejectedRow(file, int(row), label, _shown(text), str(why), why.zh))

    if kind == "customers":
        frame = _key_customers(frame, columns, headers, index, reject)
        key = ["code"]
    elif kind == "owners":  # keyed by the owner's name, as customers' owner column names them
        key = ["owner"]
    else:
        codes, reasons = index.resolve(
            frame.get("customer_code"), frame.get("customer_name"), create
        )
        label = _column_label(headers, columns, *CUSTOMER_REF)
        shown = frame["customer_code"] if "customer_code" in frame else frame["customer_name"]
        bad = reasons.notna()
        reject(bad, label, shown, reasons)
        frame = (
            frame[~bad].assign(customer_code=codes[~bad])
            if bad.any()
            else frame.assign(customer_code=codes)
        )
        if kind == "payments":
            frame = _foreign_orders(
                frame, index, _column_label(headers, columns, "order_no"), reject
            )
        elif kind == "orders" and "status" in frame:  # a void row removes the stored order it names
            frame = _foreign_orders(
                frame,
                index,
                _column_label(headers, columns, "order_no"),
                reject,
                void_only=True,
            )
        if kind == "orders":
            frame = off_plan(frame, index, _column_label(headers, columns, "amount"), reject)
        if kind == "contacts":
            key = ["customer_code", "name"]
        else:
            frame, key = _content_key(frame, kind)
    frame, repeats = _repeats(frame, key, headers, columns, file, reject_rows=rejects)
    return _Keyed(frame, rejects, repeats)


def _foreign_orders(
    frame: pd.DataFrame,
    index: CustomerIndex,
    label: str,
    reject: Callable[..., None],
    void_only: bool = False,
) -> pd.DataFrame:
    """Reject the payments whose order number names another customer's order (SPEC §3: a payment's order is
    the order it settles, which must be its own customer's); an order not on file is left to the ledger, which
    settles the customer's oldest open orders instead (docs/credit.md). ``void_only``: the void rows of an
    orders file instead, which would remove another customer's order (kacrm.store.void_orders)."""
    import pandas as pd

    if "order_no" not in frame or index.order_customers is None:
        return frame
    named = frame["order_no"]
    if void_only:
        void = frame["status"].map(is_void_order_status, na_action="ignore").fillna(False)
        named = named.where(void.astype(bool))
    owners = index.order_customers(named.dropna().unique().tolist())
    if not owners:
        return frame
    owner = named.map(owners)
    clash = (owner.notna() & (owner != frame["customer_code"])).astype(bool)
    if not clash.any():
        return frame
    reasons = pd.Series(
        {
            row: cell_error(
                "imp_void_of_other" if void_only else "imp_order_of_other",
                order=named[row],
                owner=owner[row],
                customer=frame.at[row, "customer_code"],
            )
            for row in clash.index[clash.to_numpy()]
        },
        dtype=object,
    )
    reject(clash, label, named, reasons)
    return frame[~clash]


def _key_customers(
    frame: pd.DataFrame,
    columns: dict[str, int],
    headers: list[str],
    index: CustomerIndex,
    reject: Callable[..., None],
) -> pd.DataFrame:
    """Customers by code; rows without one by name (an existing customer's code, else a generated code)."""
    label = _column_label(headers, columns, "code", "name")
    empty = frame.index.to_series().map(lambda _: None)
    code = frame.get("code", empty)
    name = frame.get("name", empty)
    neither = code.isna() & name.isna()
    reject(neither, label, empty, cell_error("import_needs_code_or_name"))
    frame = frame[~neither]
    code, name = code[~neither], name[~neither]
    uscc = frame["uscc"] if "uscc" in frame else empty[~neither]
    by_key: dict[str, str | None] = {}

    by_uscc: dict[str, str | None] = {}

    def code_for(text: str, tax_id: object) -> str | None:
        """USCC first (on file, or earlier in this file), then the name (or short name) key; a new name gets
        the next readable code."""
        has_uscc = isinstance(tax_id, str)
        if has_uscc and tax_id in index.usccs:
            return index.usccs[tax_id]
        if has_uscc and tax_id in by_uscc:
            return by_uscc[tax_id]
        key = name_key(text)
        if key not in by_key:
            found, _ = index.code_of_name(text)
            if found is None and not index.is_ambiguous(text):
                found = index.generate_code()
            by_key[key] = found
        if has_uscc:
            by_uscc[tax_id] = by_key[key]
        return by_key[key]

    need = code.isna()
    codes = code.astype(object).copy()
    codes[need] = [code_for(n, u) for n, u in zip(name[need], uscc[need], strict=True)]
    ambiguous = codes.isna()
    reject(
        ambiguous,
        _column_label(headers, columns, "name"),
        name,
        cell_error("import_same_name"),
    )
    frame = frame[~ambiguous].assign(code=codes[~ambiguous])
    if "uscc" in frame:
        frame = _uscc_conflicts(frame, index, _column_label(headers, columns, "uscc"), reject)
    unnamed = frame["code"].map(lambda c: c not in index.codes) & (
        frame["name"].isna() if "name" in frame else True
    )
    reject(
        unnamed,
        _column_label(headers, columns, "name"),
        frame.get("name", empty),
        cell_error("import_new_needs_name"),
    )
    frame = frame[~unnamed]
    rows = zip(
        frame["code"].tolist(),
        frame.get("name", empty).tolist(),
        frame.get("short_name", empty).tolist(),
        frame.get("uscc", empty).tolist(),
        strict=False,
    )
    for c, n, short, tax_id in rows:
        index.add(c, n, short, tax_id)
    if "referred_by" in frame:
        refs = frame["referred_by"]
        bad_refs = {r: why for r in refs.dropna().unique() if (why := _referrer_problem(r, index))}
        bad = refs.map(lambda r: r in bad_refs if r is not None else False).astype(bool)
        reject(bad, _column_label(headers, columns, "referred_by"), refs, refs.map(bad_refs))
        frame = frame[~bad]
    return homeless_person_cells(frame, columns, headers, index, reject)


def _uscc_conflicts(
    frame: pd.DataFrame, index: CustomerIndex, label: str, reject: Callable[..., None]
) -> pd.DataFrame:
    """Reject rows whose USCC is another customer's, on file or earlier in this file: one company, one code."""
    import pandas as pd

    uscc = frame["uscc"]
    owner = uscc.map(lambda u: index.usccs.get(u) if isinstance(u, str) else None)
    first = frame.groupby("uscc", sort=False)["code"].transform("first")
    owner = owner.where(owner.notna(), first.reindex(frame.index))
    clash = (uscc.notna() & owner.notna() & (owner != frame["code"])).astype(bool)
    if clash.any():
        reasons = pd.Series(
            {
                row: CellError(
                    *(t("imp_uscc_taken", lang, code=owner[row]) for lang in ("en", "zh"))
                )
                for row in clash.index[clash.to_numpy()]
            },
            dtype=object,
        )
        reject(clash, label, uscc, reasons)
        frame = frame[~clash]
    return frame


def _referrer_problem(ref: str, index: CustomerIndex) -> CellError | None:
    if ref in index.codes:
        return None
    return index.code_of_name(ref)[1]


def _content_key(frame: pd.DataFrame, kind: str) -> tuple[pd.DataFrame, list[str]]:
    """Rows without their own key get ``~`` + the hash of their content (see kacrm.io.keys)."""
    own = OWN_KEY[kind]
    fields = CONTENT_FIELDS[kind]
    if own not in frame:
        return frame.assign(**{own: content_keys(frame.reindex(columns=fields), fields)}), [own]
    missing = frame[own].isna()
    if missing.any():
        keys = frame[own].copy()
        keys[missing] = content_keys(frame[missing].reindex(columns=fields), fields)
        frame = frame.assign(**{own: keys})
    return frame, [own]


def _repeats(
    frame: pd.DataFrame,
    key: list[str],
    headers: list[str],
    columns: dict[str, int],
    file: str,
    reject_rows: list[RejectedRow],
) -> tuple[pd.DataFrame, int]:
    """Rows repeating a key: a later row is the same record when every value it gives equals the earlier rows'
    (names compared on their key, blank cells giving nothing); it counts once, its values filling the earlier row's
    blanks. A later row that gives another value is rejected, naming the field that differs."""
    import pandas as pd

    if frame.empty:
        return frame, 0
    repeated = frame.duplicated(key, keep="first")
    if not repeated.any():
        return frame, 0
    in_group = frame.duplicated(key, keep=False)
    sub = frame[in_group]
    groups = [sub[k] for k in key]
    fields = [c for c in frame.columns if c not in key]
    differs = pd.Series(False, index=sub.index)
    for f in fields:
        value = sub[f].map(name_key, na_action="ignore") if f in NAME_FIELDS else sub[f]
        first_value = value.groupby(groups, sort=False).transform("first")  # first non-blank
        differs |= (repeated[sub.index] & value.notna() & (value != first_value)).fillna(False)
    first_row = pd.Series(sub.index, index=sub.index).groupby(groups, sort=False).transform("first")
    _reject_differing(sub, differs, first_row, key, fields, headers, columns, file, reject_rows)
    kept = sub[~differs]
    if fields:
        filled = kept.groupby([kept[k] for k in key], sort=False)[fields].transform("first")
        kept = kept.assign(**{f: filled[f] for f in fields})
    kept_first = kept[~repeated[kept.index]]
    same = int((repeated[kept.index]).sum())
    result = pd.concat([frame[~in_group], kept_first]).sort_index()
    return result, same


NAME_FIELDS = frozenset({"name", "short_name", "customer_name", "contact_name"})


def _reject_differing(
    sub: pd.DataFrame,
    differs: pd.Series,
    first_row: pd.Series,
    key: list[str],
    fields: list[str],
    headers: list[str],
    columns: dict[str, int],
    file: str,
    reject_rows: list[RejectedRow],
) -> None:
    """A rejected row for each later row that differs, with the user's own cell and what differs."""
    # the user's own cell: the key column the file has (never a generated code or content key)
    shown = next((k for k in (*key, "customer_name") if k in columns), None)
    shown = shown or next((f for f in ("name", "customer_name") if f in columns), key[0])
    label = _column_label(headers, columns, shown)
    for row in sub.index[differs.to_numpy(dtype=bool)]:
        first = first_row[row]
        changes = [
            (_header_of(f, headers, columns), sub.at[row, f], sub.at[first, f])
            for f in fields
            if not _missing(sub.at[row, f]) and not _same(sub.at[row, f], sub.at[first, f], f)
        ]
        parts = {
            lang: "; ".join(
                t("imp_repeat_field", lang, column=c, value=_shown(v), first=_shown(w), row=first)
                for c, v, w in changes
                if c is not None
            )
            for lang in ("en", "zh")
        }
        value = _shown(sub.at[row, shown]) if shown in sub else ""
        en, zh = (
            t("imp_repeat_differs", lang, row=first, parts=parts[lang]) for lang in ("en", "zh")
        )
        reject_rows.append(RejectedRow(file, int(row), label, value, en, zh))


def _same(a: object, b: object, name: str) -> bool:
    """Equal values (names on their key), two missing values counting as equal."""
    import pandas as pd

    a_missing, b_missing = _missing(a), _missing(b)
    if a_missing or b_missing:
        return a_missing and b_missing
    if name in NAME_FIELDS:
        return name_key(str(a)) == name_key(str(b))
    return bool(a == b) if not isinstance(a, pd.Timestamp) else a == pd.Timestamp(b)


def _missing(value: object) -> bool:
    import pandas as pd

    return value is None or (not isinstance(value, (str, list, tuple)) and bool(pd.isna(value)))


def _shown(value: object) -> str:
    """A value as the user reads it: "" for no value (never 'nan'), dates ISO."""
    import pandas as pd

    if _missing(value):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def _header_of(name: str, headers: list[str], columns: dict[str, int]) -> str | None:
    """The file's header of a field, or of the field a derived column comes from (birthday_has_year)."""
    if name in columns:
        return headers[columns[name]]
    owner = next((f for f in columns if name.startswith(f + "_")), None)
    if owner is None and name.startswith("lunar_birthday_"):
        owner = next((f for f in ("lunar_birthday", "birthday") if f in columns), None)
    if name == "customer_code":
        owner = "customer_name" if "customer_name" in columns else None
    return headers[columns[owner]] if owner else None


@dataclass(frozen=True)
class RejectedFile:
    """A file checked elsewhere (a payment-plan file): its cells and its summary, for ``write_rejects``."""

    raw: RawTable
    summary: FileSummary


def write_rejects(
    path: Path, prepared: Sequence[PreparedFile | RejectedFile], lang: str = "en"
) -> None:
    """The rejected rows as CSV (UTF-8 with BOM, for Excel): the original columns, then the cells a row has beyond
    its header (a row refused for not fitting it keeps every cell, named by position), then file, row and reason
    (in ``lang``)."""
    original: list[str] = []
    blocks: list[tuple[PreparedFile | RejectedFile, dict[int, str]]] = []
    for p in prepared:
        if not p.summary.rejects:
            continue
        for h in p.raw.headers:
            if h and h not in original:
                original.append(h)
        reasons: dict[int, str] = {}
        for r in p.summary.rejects:
            reasons[r.row] = "; ".join(
                filter(None, [reasons.get(r.row), f"{r.column_in(lang)}: {r.reason_in(lang)}"])
            )
        blocks.append((p, reasons))
    rows = [
        (p, row, cells, reasons[row])
        for p, reasons in blocks
        for row, cells in _rejected_cells(p.raw, reasons)
    ]
    # the positions beyond a header some refused row fills (1-based, as the messages count columns)
    beyond = sorted(
        {
            len(p.raw.headers) + i + 1
            for p, _, cells, _ in rows
            for i, cell in enumerate(cells[len(p.raw.headers) :])
            if str(cell).strip()
        }
    )

    def write(fh: io.TextIOBase) -> None:
        writer = csv.writer(fh)
        labels = [t("imp_beyond_header", lang, n=n) for n in beyond]
        writer.writerow([*original, *labels, "file", "row", "reason"])
        for p, row, cells, reason in rows:
            headers = p.raw.headers
            named = [cells[headers.index(h)] if h in headers else "" for h in original]
            extra = [cells[n - 1] if len(headers) < n <= len(cells) else "" for n in beyond]
            writer.writerow([*named, *extra, p.summary.file, row, reason])

    write_private_csv(path, write)  # 0600, like every file that holds customers' data


def _rejected_cells(raw: RawTable, reasons: dict[int, str]) -> Iterator[tuple[int, list[object]]]:
    """(row number, every cell of the row as the file has it) of the rows ``reasons`` names, in file order."""
    for chunk in raw.chunks(whole=True):
        for row in chunk.index[chunk.index.isin(list(reasons))]:
            yield int(row), chunk.loc[row].tolist()

"""`kacrm import` (SPEC §5): validate every file, then write each in its own transaction, or nothing.

1. Each file is read in chunks and parsed column by column (``kacrm.io.parse``); customer references are resolved
   to codes (``CustomerIndex``, which also learns the customers of the files before); rows get their key (their own,
   or a content key from ``kacrm.io.keys``); a key repeated with other content rejects the later row.
2. With ``on_error="abort"`` (the default) one bad row in any file rejects the whole call: nothing is written and
   ``ImportRejected`` lists every bad row. With ``"skip"`` the good rows are written and the bad ones reported.
3. Each file is written in its own transaction (``kacrm.io.write``) with one ``import_batch`` row. ``dry_run``
   runs the same writes in one transaction and rolls it back, so the counts are exactly those of a real run.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kacrm.errors import CellError, ImportRejected, InputError, RejectedRow
from kacrm.i18n import t
from kacrm.io import headers as header_rules
from kacrm.io.customers_index import CustomerIndex
from kacrm.io.keys import code_for_name, content_keys
from kacrm.io.parse import parse_chunk
from kacrm.io.readers import RawTable, SkippedRows, read_table
from kacrm.values import normalize_text

if TYPE_CHECKING:
    import io

    import pandas as pd
    from sqlalchemy import Engine

ON_ERROR = ("abort", "skip")
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
    unknown_columns: list[str] = field(default_factory=list)
    encoding: str | None = None
    rejects: list[RejectedRow] = field(default_factory=list)
    blank_rows: int = 0  # skipped: blank rows below the header
    totals_rows: int = 0  # skipped: 合计/小计/总计/Total rows, never imported
    hints: list[tuple[str, str]] = field(
        default_factory=list
    )  # (unknown header, the field it resembles)


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


def import_files(
    engine: Engine,
    paths: list[Path],
    *,
    kind: str | None = None,
    mapping: dict[str, str] | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    dry_run: bool = False,
    on_error: str = "abort",
    rejects_path: Path | None = None,
    create_customers: bool = False,
    progress: Callable[[int, int], None] | None = None,
    lang: str = "en",
) -> list[FileSummary]:
    """Import ``paths`` in order; the summaries, one per file. ImportRejected (abort mode) or InputError.

    ``lang`` is the language of the reasons in the rejects file.
    """
    from kacrm.io.write import write_file

    if on_error not in ON_ERROR:
        raise InputError(f"--on-error must be abort or skip, not {on_error!r}")
    if kind is not None and kind not in header_rules.KINDS:
        raise InputError(f"unknown kind {kind!r}; use one of: {', '.join(header_rules.KINDS)}")
    with engine.connect() as conn:
        index = CustomerIndex.load(conn)
        conn.rollback()
        prepared = [
            prepare_file(
                Path(p),
                index,
                kind=kind,
                mapping=mapping,
                encoding=encoding,
                sheet=sheet,
                create_customers=create_customers,
                progress=progress,
            )
            for p in paths
        ]
        rejects = [r for p in prepared for r in p.summary.rejects]
        if rejects_path is not None and rejects:
            write_rejects(rejects_path, prepared, lang)
        if rejects and on_error == "abort":
            bad = [p.summary for p in prepared if p.summary.rejects]
            raise ImportRejected(
                ", ".join(s.file for s in bad), rejects, [p.summary for p in prepared]
            )
        from kacrm.store.bulk import begin

        if dry_run:
            begin(conn)
        try:
            for p in prepared:
                started = time.perf_counter()
                if not dry_run:
                    begin(conn)
                write_file(conn, p, record_batch=not dry_run)
                if not dry_run:
                    conn.commit()
                p.summary.seconds += time.perf_counter() - started
        finally:
            conn.rollback()
    return [p.summary for p in prepared]


def prepare_file(
    path: Path,
    index: CustomerIndex,
    *,
    kind: str | None,
    mapping: dict[str, str] | None,
    encoding: str | None,
    sheet: str | None,
    create_customers: bool,
    progress: Callable[[int, int], None] | None = None,
) -> PreparedFile:
    """Read, parse and key one file; register its customers (and --create-customers ones) in ``index``."""
    import pandas as pd

    started = time.perf_counter()
    raw = read_table(path, encoding=encoding, sheet=sheet)
    file_kind = kind or header_rules.detect_kind(raw.headers, str(path), mapping)
    header_map = header_rules.map_headers(raw.headers, file_kind, mapping)
    hints = header_rules.header_hints(raw.headers, file_kind, header_map)
    if header_map.missing:
        values = {
            "file": path,
            "missing": "; ".join(header_map.missing),
            "kind": file_kind,
            "seen": ", ".join(h for h in raw.headers if h),
            "map": " ".join(map_option(h, f) for h, f in hints) or "--map SOURCE=FIELD",
        }
        raise InputError(t("imp_no_column", **values), t("imp_no_column", "zh", **values))
    columns = header_map.columns
    summary = FileSummary(str(path), file_kind, encoding=raw.encoding)
    summary.unknown_columns = list(header_map.unknown)
    summary.hints = hints
    parts: list[pd.DataFrame] = []
    rejects: list[RejectedRow] = []
    total = _estimated_rows(path)
    skipped = SkippedRows()
    for chunk in raw.chunks(skipped=skipped):
        parsed = parse_chunk(chunk, file_kind, columns, raw.headers, str(path))
        parts.append(parsed.frame)
        rejects.extend(parsed.rejects)
        summary.rows_read += len(chunk)
        if progress is not None:
            progress(summary.rows_read, max(total, summary.rows_read))
    summary.blank_rows, summary.totals_rows = skipped.blank, skipped.totals
    frame = pd.concat(parts) if parts else pd.DataFrame()
    bad = frame.index.isin({r.row for r in rejects})
    if file_kind != "customers" and not create_customers and bad.any():
        rejects.extend(_customer_rejects(frame[bad], index, columns, raw.headers, str(path)))
    if bad.any():  # a boolean mask copies every column, even when it keeps them all
        frame = frame[~bad]
    new_before = set(index.new)
    keyed = _key_rows(frame, file_kind, columns, raw.headers, str(path), index, create_customers)
    rejects.extend(keyed.rejects)
    summary.rejects = sorted(rejects, key=lambda r: (r.row, r.column))
    summary.rejected = len({r.row for r in rejects})
    if progress is not None:
        progress(summary.rows_read, summary.rows_read)
    summary.seconds = time.perf_counter() - started
    new_customers = {c: n for c, n in index.new.items() if c not in new_before}
    return PreparedFile(raw, file_kind, keyed.frame, keyed.repeats, new_customers, summary, columns)


def map_option(header: str, field_name: str) -> str:
    """The ``--map`` option that reads ``header`` as ``field_name``, quoted for a shell where needed."""
    import shlex

    return f"--map {shlex.quote(f'{header}={field_name}')}"


def _customer_rejects(
    frame: pd.DataFrame,
    index: CustomerIndex,
    columns: dict[str, int],
    headers: list[str],
    file: str,
) -> list[RejectedRow]:
    """Unknown customers of rows that are bad anyway, so that the report names every bad cell at once."""
    _, reasons = index.resolve(frame.get("customer_code"), frame.get("customer_name"), False)
    label = _column_label(headers, columns, "customer_code", "customer_name")
    shown = frame["customer_code"] if "customer_code" in frame else frame["customer_name"]
    return [
        RejectedRow(file, int(row), label, str(shown[row] or ""), str(reason), reason.zh)
        for row, reason in reasons.dropna().items()
    ]


def _estimated_rows(path: Path) -> int:
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
            rejects.append(
                RejectedRow(
                    file, int(row), label, "" if text is None else str(text), str(why), why.zh
                )
            )

    if kind == "customers":
        frame = _key_customers(frame, columns, headers, index, reject)
        key = ["code"]
    else:
        codes, reasons = index.resolve(
            frame.get("customer_code"), frame.get("customer_name"), create
        )
        label = _column_label(headers, columns, "customer_code", "customer_name")
        shown = frame["customer_code"] if "customer_code" in frame else frame["customer_name"]
        bad = reasons.notna()
        reject(bad, label, shown, reasons)
        frame = (
            frame[~bad].assign(customer_code=codes[~bad])
            if bad.any()
            else frame.assign(customer_code=codes)
        )
        if kind == "contacts":
            key = ["customer_code", "name"]
        else:
            frame, key = _content_key(frame, kind)
    frame, repeats = _repeats(frame, key, headers, columns, file, reject_rows=rejects)
    return _Keyed(frame, rejects, repeats)


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
    reject(
        neither, label, empty, CellError("a customer needs a code or a name", "客户需要编号或名称")
    )
    frame = frame[~neither]
    code, name = code[~neither], name[~neither]
    generated: dict[str, str | None] = {}
    for text in name[code.isna()].unique():
        found, _ = index.code_of_name(text)
        generated[text] = (
            found
            if found is not None
            else (
                None
                if index.is_ambiguous(text)
                else code_for_name(normalize_text(text), index.codes)
            )
        )
    codes = code.where(code.notna(), name.map(generated))
    ambiguous = codes.isna()
    reject(
        ambiguous,
        _column_label(headers, columns, "name"),
        name,
        CellError("several customers have this name; give the code", "有多个客户同名，请给出编号"),
    )
    frame = frame[~ambiguous].assign(code=codes[~ambiguous])
    unnamed = frame["code"].map(lambda c: c not in index.codes) & (
        frame["name"].isna() if "name" in frame else True
    )
    reject(
        unnamed,
        _column_label(headers, columns, "name"),
        frame.get("name", empty),
        CellError("a new customer needs a name", "新客户需要名称"),
    )
    frame = frame[~unnamed]
    for c, n in zip(frame["code"].tolist(), frame.get("name", empty).tolist(), strict=False):
        index.add(c, n)
    if "referred_by" in frame:
        refs = frame["referred_by"]
        bad_refs = {r: why for r in refs.dropna().unique() if (why := _referrer_problem(r, index))}
        bad = refs.map(lambda r: r in bad_refs if r is not None else False).astype(bool)
        reject(bad, _column_label(headers, columns, "referred_by"), refs, refs.map(bad_refs))
        frame = frame[~bad]
    return frame


def _referrer_problem(ref: str, index: CustomerIndex) -> CellError | None:
    if ref in index.codes:
        return None
    return index.code_of_name(ref)[1]


def _content_key(frame: pd.DataFrame, kind: str) -> tuple[pd.DataFrame, list[str]]:
    """Rows without their own key get ``~`` + the hash of their content (see kacrm.io.keys)."""
    own = OWN_KEY[kind]
    fields = CONTENT_FIELDS[kind]
    content = frame.reindex(columns=fields)
    if own not in frame:
        return frame.assign(**{own: content_keys(content, fields)}), [own]
    missing = frame[own].isna()
    if missing.any():
        keys = frame[own].copy()
        keys[missing] = content_keys(content[missing], fields)
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
    """Drop exact repeats of a key (counted once); reject a repeat with other content (the later row)."""
    import pandas as pd

    if frame.empty:
        return frame, 0
    repeated = frame.duplicated(key, keep="first")
    if not repeated.any():
        return frame, 0
    fields = [c for c in frame.columns if c not in key]
    content = (
        pd.util.hash_pandas_object(frame[fields].astype(object), index=False)
        if fields
        else pd.Series(0, index=frame.index)
    )
    groups = [frame[k] for k in key]
    first_content = content.groupby(groups, sort=False).transform("first")
    first_row = (
        pd.Series(frame.index, index=frame.index).groupby(groups, sort=False).transform("first")
    )
    differs = repeated & (content != first_content)
    label = _column_label(headers, columns, *(OWN_KEY.values()), "code", "name")
    for row in frame.index[differs.to_numpy()]:
        key_text = " / ".join(str(frame.at[row, k]) for k in key)
        reject_rows.append(
            RejectedRow(
                file,
                int(row),
                label,
                key_text,
                f"repeats the key of row {first_row[row]} with different values",
                f"与第 {first_row[row]} 行的键相同，但内容不同",
            )
        )
    same = repeated & ~differs
    return frame[~repeated], int(same.sum())


def write_rejects(path: Path, prepared: list[PreparedFile], lang: str = "en") -> None:
    """The rejected rows as CSV (UTF-8 with BOM, for Excel): the original columns, then file, row and reason (in
    ``lang``)."""
    original: list[str] = []
    blocks: list[tuple[PreparedFile, dict[int, str]]] = []
    for p in prepared:
        if not p.summary.rejects:
            continue
        for h in p.raw.headers:
            if h and h not in original:
                original.append(h)
        reasons: dict[int, str] = {}
        for r in p.summary.rejects:
            reasons[r.row] = "; ".join(
                filter(None, [reasons.get(r.row), f"{r.column}: {r.reason_in(lang)}"])
            )
        blocks.append((p, reasons))
    from kacrm.files import write_private_csv

    def write(fh: io.TextIOBase) -> None:
        writer = csv.writer(fh)
        writer.writerow([*original, "file", "row", "reason"])
        for p, reasons in blocks:
            positions = [p.raw.headers.index(h) if h in p.raw.headers else None for h in original]
            for chunk in p.raw.chunks():
                for row in chunk.index[chunk.index.isin(list(reasons))]:
                    cells = chunk.loc[row].tolist()
                    writer.writerow(
                        [
                            *("" if i is None else cells[i] for i in positions),
                            p.summary.file,
                            row,
                            reasons[row],
                        ]
                    )

    write_private_csv(path, write)  # 0600, like every file that holds customers' data

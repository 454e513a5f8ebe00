"""`kacrm import`: check every file (io) and write it (store), all in one transaction, or nothing."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

from sqlalchemy import Connection, Engine

from kacrm.app.collections import import_schedule_file
from kacrm.app.import_credit import record_credit, settle_credit
from kacrm.app.import_owners import record_owners, settle_owners
from kacrm.app.primary import primary
from kacrm.config import Settings
from kacrm.errors import ImportRejected, InputError, UsageError, worded
from kacrm.io import headers as header_rules
from kacrm.io.customers_index import CustomerIndex
from kacrm.io.importer import (
    ON_ERROR,
    PHASES,
    FileSummary,
    PreparedFile,
    RejectedFile,
    Restart,
    Work,
    check_chunks,
    check_whole,
    estimated_rows,
    open_file,
    streams,
    write_rejects,
)
from kacrm.io.readers import CHUNK_ROWS, RawTable, TypedReadFailed, read_table
from kacrm.io.schedules import KIND as SCHEDULES
from kacrm.io.schedules import is_schedule_file, read_schedules
from kacrm.store.bulk import begin, drop_indexes_for, rebuild_indexes, sqlite_foreign_keys_off
from kacrm.store.import_write import (
    bulk_table,
    customer_ids,
    customer_names,
    finish_file,
    key_person_codes,
    last_id,
    order_customers,
    order_plans,
    start_file,
    write_file,
    write_rows,
)


def _customer_index(conn: Connection) -> CustomerIndex:
    index = CustomerIndex.of(customer_names(conn))
    index.key_persons = key_person_codes(conn)
    return index


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
    chunk_rows: int = CHUNK_ROWS,
    settings: Settings | None = None,
    today: date | None = None,
) -> list[FileSummary]:
    """Import ``paths`` in order; the summaries, one per file. ImportRejected (abort mode) or InputError.

    ``lang`` is the language of the reasons in the rejects file; ``chunk_rows`` the rows checked and written at a
    time (tests make it small); ``settings`` name the primary tiering method, whose pins a customers file's tiers
    set in force (None: the default settings), and the capacities a customers file's owners are held to;
    ``today``: the day of the ownership and credit history rows of what a customers file changes.
    """
    if on_error not in ON_ERROR:
        raise UsageError(f"--on-error must be abort or skip, not {on_error!r}")
    if (
        kind is not None and kind not in header_rules.IMPORT_KINDS
    ):  # not one of --kind's values: exit 2
        raise worded(UsageError, "imp_unknown_kind", **header_rules.unknown_kind_values(kind))
    tables: dict[Path, RawTable] = {}  # each file read once, for the plan check and for the import
    plans = [Path(p) for p in paths if _is_plan(Path(p), kind, mapping, encoding, sheet, tables)]
    data = [Path(p) for p in paths if Path(p) not in plans]
    return _import_data(
        engine,
        data if kind is not None else _in_write_order(data, mapping, tables),
        plans,
        kind=kind,
        mapping=mapping,
        encoding=encoding,
        sheet=sheet,
        dry_run=dry_run,
        on_error=on_error,
        rejects_path=rejects_path,
        create_customers=create_customers,
        progress=progress,
        lang=lang,
        chunk_rows=chunk_rows,
        tables=tables,
        primary_method=_primary_method(engine, settings or Settings()),
        settings=settings or Settings(),
        today=today or date.today(),
    )


def _is_plan(
    path: Path,
    kind: str | None,
    mapping: dict[str, str] | None,
    encoding: str | None,
    sheet: str | None,
    tables: dict[Path, RawTable],
) -> bool:
    """A payment-plan file: --kind schedules, or (kind detected) an instalment column among its headers (by its
    alias or by --map). The table read goes into ``tables``, so that the import does not read (and hash, and
    decode) the file again."""
    if kind is not None:
        return kind == SCHEDULES
    try:
        tables[path] = read_table(path, encoding=encoding, sheet=sheet)
    except InputError:
        return False  # the ordinary import reports it
    return is_schedule_file(tables[path].headers, mapping)


def _in_write_order(
    paths: list[Path], mapping: dict[str, str] | None, tables: dict[Path, RawTable]
) -> list[Path]:
    """The data files in the order given, but the customers (and owners) files first, as the files that name
    their customers need them (`kacrm import 销售订单.csv 客户档案.csv`), and a payments file given before an
    orders file moved after the last one: a payment naming another customer's order is refused, which the orders
    of the same import must be written to tell (as the plan files come after the data files). A file whose kind
    its headers do not tell stays among the others; its error is reported when it is opened."""
    kinds = []
    for path in paths:
        try:
            raw = tables.get(path)
            kinds.append(header_rules.detect_kind(raw.headers, str(path), mapping) if raw else None)
        except InputError:
            kinds.append(None)
    first = sorted(range(len(paths)), key=lambda i: (kinds[i] not in ("customers", "owners"), i))
    paths, kinds = [paths[i] for i in first], [kinds[i] for i in first]
    if "orders" not in kinds:
        return paths
    last = max(i for i, k in enumerate(kinds) if k == "orders")
    early = [i for i, k in enumerate(kinds[:last]) if k == "payments"]
    if not early:
        return paths
    rest = [i for i in range(len(paths)) if i not in early]
    at = rest.index(last) + 1
    return [paths[i] for i in rest[:at] + early + rest[at:]]


def _import_data(
    engine: Engine,
    paths: list[Path],
    plans: list[Path],
    *,
    kind: str | None,
    mapping: dict[str, str] | None,
    encoding: str | None,
    sheet: str | None,
    dry_run: bool,
    on_error: str,
    rejects_path: Path | None,
    create_customers: bool,
    progress: Callable[[int, int], None] | None,
    lang: str,
    primary_method: str,
    settings: Settings,
    today: date,
    chunk_rows: int = CHUNK_ROWS,
    tables: dict[Path, RawTable] | None = None,
) -> list[FileSummary]:
    """Check and write every file in one transaction, committed only when all is well (abort mode: no bad row in
    any file; dry run: never). Orders, payments and interactions are checked and written a chunk at a time, so that
    a million-row file never sits in memory (``kacrm.io.importer.check_chunks``); other files are checked whole
    first. In abort mode writing stops at the first bad row, and checking goes on so that every bad row is
    reported. The payment-plan files come after the data files, in the same transaction: they see the orders the
    same import brings (a dry run too), and a bad plan file leaves the data files unwritten as well. The
    summaries: the data files', then the plan files'."""
    work = Work(progress, PHASES * sum(estimated_rows(Path(p)) for p in paths))
    options = _Options(
        kind,
        mapping,
        encoding,
        sheet,
        create_customers,
        not dry_run,
        chunk_rows,
        tables or {},
        primary_method,
        settings,
        today,
    )
    prepared: list[PreparedFile] = []

    def writing(current: FileSummary) -> bool:
        """Whether to write the rows checked now: in abort mode, only while no row of any file was bad."""
        return on_error != "abort" or not (
            current.rejected or any(p.summary.rejected for p in prepared)
        )

    with engine.connect() as conn:
        # a call of plan files alone names no customer
        index = _customer_index(conn) if paths else CustomerIndex()
        index.order_customers = partial(order_customers, conn)  # read inside the transaction
        index.order_plans = _plans_of(conn)
        index.replanned = _replanned(plans, options)
        conn.rollback()
        # every customer, contact and referrer id written is read inside the write-locked transaction
        with sqlite_foreign_keys_off(conn):
            try:
                begin(conn)
                for path in paths:
                    prepared.append(_import_file(conn, Path(path), index, options, work, writing))
                planned: list[FileSummary] = []
                checked: list[RejectedFile] = []  # the plan files with bad rows
                if on_error != "abort" or not any(p.summary.rejects for p in prepared):
                    for path in plans:
                        planned.append(
                            _import_plan(conn, path, options, dry_run, on_error, checked)
                        )
                summaries = [p.summary for p in prepared] + planned
                rejects = [r for s in summaries for r in s.rejects]
                if rejects_path is not None and rejects:
                    write_rejects(rejects_path, [*prepared, *checked], lang)
                if rejects and on_error == "abort":
                    for summary in summaries:  # nothing was written
                        summary.inserted = summary.updated = summary.unchanged = 0
                        summary.voided = summary.removed = 0
                        summary.owners_kept, summary.owners_moved, summary.owners_over = [], [], []
                        summary.credit_kept, summary.credit_moved = [], []
                    bad = [s for s in summaries if s.rejects]
                    raise ImportRejected(", ".join(s.file for s in bad), rejects, summaries)
                if not dry_run:
                    conn.commit()
            finally:
                conn.rollback()
    return summaries


def _plans_of(conn: Connection) -> Callable[[list[str]], dict[str, tuple[int, int]]]:
    """Which of some order numbers have a payment plan (stored amount, plan sum): every plan read once, at the
    first orders file, rather than a query per chunk of a million-order file."""
    plans: dict[str, tuple[int, int]] | None = None

    def lookup(order_nos: list[str]) -> dict[str, tuple[int, int]]:
        nonlocal plans
        if plans is None:
            plans = order_plans(conn)
        return {no: plans[no] for no in order_nos if no in plans}

    return lookup


def _replanned(plans: list[Path], options: _Options) -> frozenset[str]:
    """The orders whose payment plan the plan files of this import replace: an orders file may revise their
    amounts (the plan files are checked against the new amounts after it). A plan file that cannot be read is
    reported when it is imported."""
    found: set[str] = set()
    for path in plans:
        try:
            parsed = read_schedules(
                path,
                encoding=options.encoding,
                sheet=options.sheet,
                mapping=options.mapping,
                raw=options.tables.get(path),
            )
        except InputError:
            continue
        found.update(r.order_no for r in parsed.rows)
    return frozenset(found)


def _import_plan(
    conn: Connection,
    path: Path,
    options: _Options,
    dry_run: bool,
    on_error: str,
    checked: list[RejectedFile],
) -> FileSummary:
    """Check one payment-plan file and write it inside the import's transaction (in abort mode only if all its
    rows are good); its summary. A file with bad rows goes into ``checked`` (for --rejects)."""
    try:
        return import_schedule_file(
            conn,
            path,
            mapping=options.mapping,
            encoding=options.encoding,
            sheet=options.sheet,
            dry_run=dry_run,
            on_error=on_error,
            rejected=checked.append,
            raw=options.tables.get(path),
        )
    except ImportRejected as exc:  # the import refuses it with the other files' summaries
        return exc.summaries[0]


def _primary_method(engine: Engine, settings: Settings) -> str:
    """The primary tiering method: the one `kacrm tier primary` stored, else the config's."""
    return primary(engine, settings.tier, settings.sources).method


@dataclass(frozen=True)
class _Options:
    kind: str | None
    mapping: dict[str, str] | None
    encoding: str | None
    sheet: str | None
    create_customers: bool
    record_batch: bool
    chunk_rows: int
    tables: dict[Path, RawTable]  # files already read (by the plan check)
    primary: str  # the primary tiering method (a customers file's tiers are its pins)
    settings: Settings  # a customers file's owners are held to the capacities (docs/team.md)
    today: date


def _import_file(
    conn: Connection,
    path: Path,
    index: CustomerIndex,
    options: _Options,
    work: Work,
    writing: Callable[[FileSummary], bool],
) -> PreparedFile:
    """Check one file and write its good rows while ``writing()``; its summary says what happened."""
    started = time.perf_counter()

    def opened() -> PreparedFile:
        return open_file(
            path,
            kind=options.kind,
            mapping=options.mapping,
            encoding=options.encoding,
            sheet=options.sheet,
            raw=options.tables.get(path),
        )

    prepared = opened()
    if streams(prepared, options.create_customers):
        conn.exec_driver_sql("SAVEPOINT kacrm_file")
        mark = work.done  # a file read again is counted once
        try:
            try:
                _stream(conn, prepared, index, options, work, writing, typed=True)
            except TypedReadFailed:  # a row Arrow reads otherwise than pandas: again, untyped
                conn.exec_driver_sql("ROLLBACK TO SAVEPOINT kacrm_file")
                work.redo(mark)
                prepared = opened()
                _stream(conn, prepared, index, options, work, writing, typed=False)
        except Restart:  # a key repeated across chunks: check the file whole, as any other
            conn.exec_driver_sql("ROLLBACK TO SAVEPOINT kacrm_file")
            conn.exec_driver_sql("RELEASE SAVEPOINT kacrm_file")
            work.redo(mark)
            prepared = opened()
        else:
            conn.exec_driver_sql("RELEASE SAVEPOINT kacrm_file")
            prepared.summary.seconds = time.perf_counter() - started
            return prepared
        # any other error leaves the savepoint to the transaction's rollback: on PostgreSQL a RELEASE in a failed
        # transaction would raise its own error and hide the one that happened
    check_whole(prepared, index, options.create_customers, work, started)
    if writing(prepared.summary):
        owners = settle_owners(conn, prepared) if prepared.kind == "customers" else None
        credit = settle_credit(conn, prepared) if prepared.kind == "customers" else None
        write_file(
            conn,
            prepared,
            record_batch=options.record_batch,
            index_of=_customer_index,
            primary=options.primary,
            today=options.today,
        )
        if owners is not None:
            record_owners(conn, prepared, owners, options.settings, options.today)
        if credit is not None:
            record_credit(conn, prepared, credit, options.today)
    work.advance(prepared.summary.rows_read)
    prepared.summary.seconds = time.perf_counter() - started
    return prepared


def _stream(
    conn: Connection,
    prepared: PreparedFile,
    index: CustomerIndex,
    options: _Options,
    work: Work,
    writing: Callable[[FileSummary], bool],
    *,
    typed: bool,
) -> None:
    """Check and write the file chunk by chunk (the table's plain indexes built once, after a long file);
    ``typed``: numbers and dates read by PyArrow where the file allows (``RawTable.chunks``)."""
    batch_id = start_file(conn, prepared, record_batch=options.record_batch, today=options.today)
    table = bulk_table(prepared.kind)
    rebuild = drop_indexes_for(conn, table, estimated_rows(prepared.raw.path))
    customers, upto = customer_ids(conn), last_id(conn, table)
    chunks = check_chunks(
        prepared, index, chunk_rows=options.chunk_rows, progress=work, typed=typed
    )
    written = 0
    for frame, repeats in chunks:
        prepared.summary.unchanged += repeats
        if writing(prepared.summary):
            write_rows(
                conn,
                prepared,
                frame,
                batch_id,
                index_of=_customer_index,
                primary=options.primary,
                today=options.today,
                customers=customers,
                upto=upto,
            )
        work.advance(len(frame) + repeats)
        written += len(frame) + repeats
    work.advance(prepared.summary.rows_read - written)  # the rejected rows: done with too
    rebuild_indexes(conn, rebuild)
    finish_file(conn, prepared, batch_id)

"""`kacrm import`: check every file (io), then write each in its own transaction (store), or nothing."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, Engine

from kacrm.app.collections import import_schedule_file
from kacrm.errors import ImportRejected, InputError
from kacrm.i18n import label, t
from kacrm.io import headers as header_rules
from kacrm.io.customers_index import CustomerIndex
from kacrm.io.importer import (
    ON_ERROR,
    PHASES,
    FileSummary,
    Work,
    estimated_rows,
    prepare_file,
    write_rejects,
)
from kacrm.io.readers import read_table
from kacrm.io.schedules import KIND as SCHEDULES
from kacrm.io.schedules import is_schedule_file
from kacrm.store.bulk import begin
from kacrm.store.import_write import customer_names, write_file


def _customer_index(conn: Connection) -> CustomerIndex:
    return CustomerIndex.of(customer_names(conn))


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
    if on_error not in ON_ERROR:
        raise InputError(f"--on-error must be abort or skip, not {on_error!r}")
    if kind is not None and kind not in (*header_rules.KINDS, SCHEDULES):
        known = (*header_rules.KINDS, SCHEDULES)
        kinds, kinds_zh = ", ".join(known), "、".join(label(k, "zh") or k for k in known)
        raise InputError(
            t("imp_unknown_kind", "en", kind=kind, kinds=kinds),
            t("imp_unknown_kind", "zh", kind=kind, kinds=kinds, kinds_zh=kinds_zh),
        )
    plans = [Path(p) for p in paths if _is_plan(Path(p), kind, encoding, sheet)]
    paths = [Path(p) for p in paths if Path(p) not in plans]
    summaries = (
        _import_data(
            engine,
            paths,
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
        )
        if paths
        else []
    )
    # plans after the orders they name, which the same import may bring
    for path in plans:
        summaries.append(
            import_schedule_file(
                engine, path, encoding=encoding, sheet=sheet, dry_run=dry_run, on_error=on_error
            )
        )
    return summaries


def _is_plan(path: Path, kind: str | None, encoding: str | None, sheet: str | None) -> bool:
    """A payment-plan file: --kind schedules, or (kind detected) an instalment column among its headers."""
    if kind is not None:
        return kind == SCHEDULES
    try:
        headers = read_table(path, encoding=encoding, sheet=sheet).headers
    except InputError:
        return False  # the ordinary import reports it
    return is_schedule_file(headers)


def _import_data(
    engine: Engine,
    paths: list[Path],
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
) -> list[FileSummary]:
    work = Work(progress, PHASES * sum(estimated_rows(Path(p)) for p in paths))
    with engine.connect() as conn:
        index = _customer_index(conn)
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
                progress=work,
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
        if dry_run:
            begin(conn)
        try:
            for p in prepared:
                started = time.perf_counter()
                if not dry_run:
                    begin(conn)
                write_file(conn, p, record_batch=not dry_run, index_of=_customer_index)
                if not dry_run:
                    conn.commit()
                p.summary.seconds += time.perf_counter() - started
                work.advance(p.summary.rows_read)
        finally:
            conn.rollback()
    return [p.summary for p in prepared]

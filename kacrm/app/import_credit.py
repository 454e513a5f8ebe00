"""A customers file's credit columns against kacrm's credit decisions (docs/credit.md "A customers file's credit
columns", round 11).

An ERP's weekly export keeps giving the credit limit, grade and terms it gave last week. Before the file is
written, a value that would undo a review or a `credit set` (kacrm.analysis.credit_file.verdict) is left out, and
said; after, the values of a customer with a credit history that the file changed are recorded (`imported`
credit_review rows, dated the import), so that next week's file is judged against them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kacrm.analysis.credit_file import (
    APPLY,
    CREDIT_FIELDS,
    KEEP,
    CreditTrail,
    verdict,
    worth_recording,
)
from kacrm.store.import_credit import credit_histories, record_imported, stored_credit

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from kacrm.io.importer import PreparedFile


@dataclass
class CreditChanges:
    rows: list[dict[str, Any]] = field(default_factory=list)  # the `imported` rows to record


def _plain(value: Any) -> Any:
    """A cell (None for a blank) as stored and compared: int for a number, else the text."""
    return value if value is None or isinstance(value, str) else int(value)


def _trail(found: tuple[dict[str, Any] | None, list[dict[str, Any]]] | None) -> CreditTrail:
    if found is None:
        return CreditTrail()
    previous, records = found
    return CreditTrail(
        exists=True,
        first_previous=previous,
        imported=[r["imported"] for r in records if "imported" in r],
        decisions=[r for r in records if "imported" not in r],
    )


def settle_credit(conn: Connection, prepared: PreparedFile) -> CreditChanges:
    """Leave out of ``prepared`` (a customers file) the credit values that would undo kacrm's decisions (listed in
    its summary's ``credit_kept``); the changes the rest make to customers with a credit history (listed in
    ``credit_moved``) and the rows to record."""
    changes = CreditChanges()
    frame = prepared.frame
    fields = [f for f in CREDIT_FIELDS if f in frame]
    if not fields or frame.empty:
        return changes
    stored = stored_credit(conn)
    given_rows = []
    columns = [frame[f].astype(object).where(frame[f].notna(), None) for f in fields]
    for row, code, *cells in zip(frame.index, frame["code"], *columns, strict=True):
        given = {
            CREDIT_FIELDS[f]: _plain(v) for f, v in zip(fields, cells, strict=True) if v is not None
        }
        if given and code in stored:
            given_rows.append((row, code, given))
    histories = credit_histories(conn, {stored[code][0] for _, code, _ in given_rows})
    summary, kept = prepared.summary, {f: [] for f in fields}
    keys = {key: f for f, key in CREDIT_FIELDS.items()}
    for row, code, given in given_rows:
        cid, previous = stored[code]
        trail, after, record = _trail(histories.get(cid)), dict(previous), False
        for key, value in given.items():
            judged = verdict(trail, key, value, previous[key])
            if judged == KEEP:
                kept[keys[key]].append(row)
                summary.credit_kept.append((code, key, value, previous[key]))
            elif judged == APPLY:
                after[key] = value
                if trail.exists:
                    summary.credit_moved.append((code, key, previous[key], value))
            record = record or worth_recording(trail, key, value)
        if record:
            changes.rows.append(
                {"customer_id": cid, "given": given, "previous": previous, "after": after}
            )
    masked = {f: frame[f].mask(frame.index.isin(rows)) for f, rows in kept.items() if rows}
    if masked:
        prepared.frame = frame.assign(**masked)
    return changes


def record_credit(
    conn: Connection, prepared: PreparedFile, changes: CreditChanges, today: date
) -> None:
    """After the file is written: the `imported` credit history rows of the values it gave."""
    record_imported(conn, changes.rows, today, Path(prepared.summary.file).name)

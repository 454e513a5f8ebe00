"""Payment-plan files (回款计划, SPEC §15): the `schedules` import kind, read and checked cell by cell.

Its columns: order_no, instalment, due_on, amount, by the aliases of kacrm.io.headers.SCHEDULE_ALIASES (compared
like every header, kacrm.io.headers.normalize_header). Whether the orders
exist and the instalments add up to each order is checked against the database by kacrm.app.imports.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kacrm.errors import RejectedRow, input_error
from kacrm.i18n import label, t
from kacrm.io.headers import SCHEDULE_ALIASES, SCHEDULES, normalize_header
from kacrm.io.readers import Misfit, RawTable, read_table
from kacrm.values import parse_date, parse_int, parse_money_cents

if TYPE_CHECKING:
    import pandas as pd

KIND = SCHEDULES
ALIASES = SCHEDULE_ALIASES
_FIELD_OF = {normalize_header(a): name for name, aliases in ALIASES.items() for a in aliases}
# 期数/期次 and a planned date are what no other kind has: enough to tell a payment plan from a payments file
_DISTINCTIVE = {normalize_header(a) for a in ALIASES["instalment"]}


@dataclass(frozen=True)
class Instalment:
    row: int
    order_no: str
    instalment: int
    due_on: date
    amount: int  # cents


@dataclass
class ScheduleFile:
    raw: RawTable
    rows: list[Instalment] = field(default_factory=list)
    rejects: list[RejectedRow] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    unknown_columns_zh: list[str] = field(default_factory=list)  # the same in Chinese


def is_schedule_file(headers: list[str], mapping: dict[str, str] | None = None) -> bool:
    """A payment plan: an instalment column among the headers, by its alias (期数, 期次…) or by ``--map``."""
    overrides = {normalize_header(s): f for s, f in (mapping or {}).items()}
    return any(
        overrides.get(norm, "instalment" if norm in _DISTINCTIVE else None) == "instalment"
        for norm in map(normalize_header, (h for h in headers if h))
    )


def _columns(
    headers: list[str], mapping: dict[str, str] | None, result: ScheduleFile
) -> dict[str, int]:
    """Field -> column position. A ``--map SOURCE=FIELD`` whose source is a column here reads it as FIELD (and
    wins over a column that names FIELD by its alias; a FIELD that is not a plan's field is an error), like the
    other kinds (kacrm.io.headers.map_headers); else a column's alias names its field, the first column of a
    field winning. The other columns are the file's unknown columns, a second one for a field as its duplicate
    (as map_headers words them)."""
    norms = [normalize_header(h or "") for h in headers]
    overrides: dict[str, str] = {}
    for source, target in (mapping or {}).items():
        if normalize_header(source) not in norms:
            continue  # with several files a pair may be meant for another one
        if target not in ALIASES:
            fields = ", ".join(ALIASES)
            raise input_error(
                "imp_map_not_field", source=source, target=target, kind=KIND, fields=fields
            )
        overrides[normalize_header(source)] = target
    names = [overrides.get(norm, _FIELD_OF.get(norm)) for norm in norms]
    columns: dict[str, int] = {}
    for pos, name in enumerate(names):
        mapped = norms[pos] in overrides
        if name is not None and (
            name not in columns or (mapped and norms[columns[name]] not in overrides)
        ):
            columns[name] = pos
    for pos, header in enumerate(headers):
        name = names[pos]
        if name is not None and columns[name] == pos:
            continue
        if name is not None:
            key, values = "imp_duplicate_of", {"header": header, "field": name}
        elif not header:
            key, values = "imp_no_header", {"n": pos + 1}
        else:
            result.unknown_columns.append(header)
            result.unknown_columns_zh.append(header)
            continue
        result.unknown_columns.append(t(key, "en", **values))
        if name is not None:  # the field as a Chinese plan file heads it: its first Chinese alias
            values["field"] = next(a for a in ALIASES[name] if not a.isascii())
        result.unknown_columns_zh.append(t(key, "zh", **values))
    return columns


def read_schedules(
    path: Path,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    mapping: dict[str, str] | None = None,
    raw: RawTable | None = None,
) -> ScheduleFile:
    """The plan file's instalments, checked (``raw``: the file already read, by the import's plan check)."""
    raw = raw or read_table(path, encoding=encoding, sheet=sheet)
    result = ScheduleFile(raw)
    columns = _columns(raw.headers, mapping, result)
    missing = [name for name in ALIASES if name not in columns]
    if missing:
        like = ", ".join(ALIASES[name][-1] for name in missing)
        values = {
            "file": path,
            "missing": "; ".join(missing),
            "missing_zh": "”“".join(missing),
            "kind": KIND,
            "kind_zh": label(KIND, "zh"),
            "seen": ", ".join(h for h in raw.headers if h),
            "map": t("imp_headers_like", "en", names=like),
            "map_zh": t("imp_headers_like", "zh", names=like),
        }
        raise input_error("imp_no_column", **values)
    parsers = {
        "order_no": lambda s: s.strip(),
        "instalment": parse_int,
        "due_on": parse_date,
        "amount": parse_money_cents,
    }
    misfits: dict[int, Misfit] = {}
    for row, cells in _rows(raw, misfits):
        if row in misfits:  # a row that does not fit the header: its cells are shifted
            result.rejects.append(raw.refusal(row, misfits[row]))
            continue
        values, bad = {}, False
        for name, pos in columns.items():
            text = "" if cells.iloc[pos] is None else str(cells.iloc[pos]).strip()
            header = raw.headers[pos]
            try:
                if not text:
                    raise ValueError("empty")
                values[name] = parsers[name](text)
            except ValueError as exc:
                reason = t("sched_bad_cell", "en", field=name, why=str(exc))
                result.rejects.append(
                    RejectedRow(
                        str(path),
                        int(row),
                        header,
                        text,
                        reason,
                        t("sched_bad_cell", "zh", field=name, why=getattr(exc, "zh", str(exc))),
                    )
                )
                bad = True
        if not bad:
            result.rows.append(Instalment(int(row), **values))
    return result


def _rows(raw: RawTable, misfits: dict[int, Misfit]) -> Iterator[tuple[int, pd.Series]]:
    """Every data row (row number, cells); the rows that do not fit the header also go into ``misfits``."""
    for chunk in raw.chunks(misfits=misfits):
        for row, cells in chunk.iterrows():
            yield int(row), cells

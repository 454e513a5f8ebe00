"""Turn a chunk of text cells into typed columns, one vectorised pass per column, collecting the bad cells.

Each field of each kind has a type (``FIELD_TYPES``). Blank cells are "no value" (None/NaT/<NA>); a cell that does
not parse becomes a ``RejectedRow`` with the reason the scalar parser gives. Columns that the scalar parsers handle
(phones, enums, lunar dates...) are parsed once per distinct text, so a million rows cost as much as their variety.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kacrm import values
from kacrm.errors import CellError, RejectedRow
from kacrm.i18n import text as text_of
from kacrm.io import typed_cells

if TYPE_CHECKING:
    import pandas as pd

# text | name (as written: only spaces trimmed, no width change) | code | date | money | number | int | terms |
# count (a whole number >= 0) | email | uscc | phone | bool |
# partial_date | birthday (a partial date, or a lunar one where the text says so) | lunar |
# enum:<field>
FIELD_TYPES: dict[str, dict[str, str]] = {
    "customers": {
        "code": "code",
        "name": "name",
        "short_name": "name",
        "uscc": "uscc",
        "type": "enum:type",
        "status": "enum:status",
        "region": "text",
        "industry": "text",
        "owner": "text",
        "address": "text",
        "phone": "phone",
        "fax": "phone",
        "email": "text",
        "source": "text",
        "notes": "text",
        "tier": "enum:tier",
        "payment_terms_days": "terms",
        "credit_limit": "money",
        "credit_grade": "code",
        "stage": "enum:stage",
        "referred_by": "text",
        "cadence_days": "int",
        "contact_name": "text",
        "contact_title": "text",
        "contact_role": "enum:role",
        "contact_phone": "phone",
        "contact_email": "text",
        "birthday": "birthday",
        "lunar_birthday": "lunar",
        "anniversary": "partial_date",
        "hobbies": "text",
    },
    "contacts": {
        "customer_code": "code",
        "customer_name": "name",
        "customer_short_name": "name",
        "name": "text",
        "title": "text",
        "role": "enum:role",
        "phone": "phone",
        "email": "text",
        "birthday": "birthday",
        "lunar_birthday": "lunar",
        "anniversary": "partial_date",
        "hobbies": "text",
        "notes": "text",
        "is_primary": "bool",
    },
    "orders": {
        "order_no": "code",
        "customer_code": "code",
        "customer_name": "name",
        "customer_short_name": "name",
        "order_date": "date",
        "amount": "money",
        "quantity": "number",
        "product": "text",
        "cost": "money",
        "due_date": "date",
        "salesperson": "text",
        "status": "text",
    },
    "payments": {
        "payment_no": "code",
        "customer_code": "code",
        "customer_name": "name",
        "customer_short_name": "name",
        "order_no": "code",
        "paid_on": "date",
        "amount": "money",
        "method": "text",
    },
    "interactions": {
        "customer_code": "code",
        "customer_name": "name",
        "customer_short_name": "name",
        "contact": "text",
        "happened_on": "date",
        "kind": "enum:kind",
        "summary": "text",
        "outcome": "text",
        "cost": "money",
        "resolved_on": "date",
        "next_due": "date",
        "key": "code",
    },
    "owners": {"owner": "text", "email": "email", "capacity": "count"},
}

# Cells that must not be blank (the customer reference and the customers' code/name are checked by the importer).
REQUIRED_CELLS: dict[str, tuple[str, ...]] = {
    "customers": (),
    "contacts": ("name",),
    "orders": ("order_date", "amount"),
    "payments": ("paid_on", "amount"),
    "interactions": ("happened_on",),
    "owners": ("owner",),
}


@dataclass
class ParsedChunk:
    """Typed values of one chunk (index = row number) and its bad cells."""

    frame: pd.DataFrame
    rejects: list[RejectedRow] = field(default_factory=list)


def parse_chunk(
    chunk: pd.DataFrame, kind: str, columns: dict[str, int], headers: list[str], file: str
) -> ParsedChunk:
    """The typed columns of the fields in ``columns`` (field -> position); partial dates and lunar dates expand
    to several columns (``birthday`` + ``birthday_has_year``; ``lunar_birthday_month``/``_day``/``_leap``)."""
    import pandas as pd

    out: dict[str, Any] = {}
    rejects: list[RejectedRow] = []
    for name, pos in columns.items():
        cells = chunk[pos]
        parsed, bad, reasons = _parse_field(cells, name, FIELD_TYPES[kind][name])
        for (
            key,
            column,
        ) in parsed.items():  # a lunar 生日 and a 农历生日 column fill the same fields
            if key not in out:
                out[key] = column
            elif name == "lunar_birthday":  # its cell wins, wherever the column stands
                out[key] = column.where(column.notna(), out[key])
            else:
                out[key] = out[key].where(out[key].notna(), column)
        if bad.any():
            for row, text in cells[bad].items():
                rejects.append(RejectedRow(file, int(row), headers[pos], text, *reasons(text)))
        if name in REQUIRED_CELLS[kind]:
            blank = parsed[name].isna() & ~bad
            for row, text in cells[blank].items():
                empty = (text_of("cell_required", "en"), text_of("cell_required", "zh"))
                rejects.append(RejectedRow(file, int(row), headers[pos], text, *empty))
    return ParsedChunk(pd.DataFrame(out, index=chunk.index), rejects)


def _reason(parse: Callable[[str], object]) -> Callable[[str], tuple[str, str | None]]:
    """Why ``parse`` refuses a text: (English, Chinese or None)."""

    def reason(text: str) -> tuple[str, str | None]:
        try:
            parse(text)
        except CellError as exc:
            return str(exc), exc.zh
        except ValueError as exc:
            return str(exc), None
        return text_of("cell_not_valid", "en"), text_of("cell_not_valid", "zh")

    return reason


# why a date, money or number cell is bad, for the checked and the typed path alike
_CHECKED_REASON = {
    "date": _reason(values.parse_date),
    "money": _reason(values.parse_money_cents),
    "number": _reason(values.parse_number),
}


def _parse_field(
    cells: pd.Series, name: str, ftype: str
) -> tuple[dict[str, pd.Series], pd.Series, Callable[[str], tuple[str, str | None]]]:
    """({output column: values}, bad mask, reason for a bad text)."""
    import pandas as pd

    if typed_cells.is_typed(cells):
        if ftype in _TYPED:
            return _typed_field(cells, name, ftype)
        if ftype not in ("text", "code"):  # texts: see _normalized_text
            cells = cells.astype(object)
    if ftype in ("text", "code"):
        return {name: _normalized_text(cells)}, pd.Series(False, index=cells.index), _reason(str)
    if (
        ftype == "name"
    ):  # kept as the user wrote it (（集团）stays); matching uses kacrm.values.name_key
        table = {text: " ".join(text.split()) or None for text in cells.unique()}
        mapped = cells.map(table).astype(object)
        return (
            {name: mapped.where(mapped.notna(), None)},
            pd.Series(False, index=cells.index),
            _reason(str),
        )
    if ftype == "date":
        parsed, bad = values.parse_dates_series(cells)
        return {name: parsed}, bad, _CHECKED_REASON["date"]
    if ftype == "money":
        parsed, bad = values.parse_money_series(cells)
        return {name: parsed}, bad, _CHECKED_REASON["money"]
    if ftype == "number":
        parsed, bad = values.parse_number_series(cells)
        return {name: parsed}, bad, _CHECKED_REASON["number"]
    if ftype.startswith("enum:"):
        field_name = ftype.removeprefix("enum:")

        def parse(text: str) -> str:
            return values.parse_enum(text, field_name)

        mapped, bad = _map_unique(cells, parse)
        return {name: mapped}, bad, _reason(parse)
    if ftype == "birthday":
        return _birthday(cells, name)
    scalar: dict[str, Callable[[str], Any]] = {
        "int": values.parse_int,
        "count": values.parse_count,
        "email": values.parse_email,
        "terms": values.parse_terms_days,
        "uscc": values.parse_uscc,
        "phone": values.parse_phone,
        "bool": values.parse_bool,
        "partial_date": values.parse_partial_date,
        "lunar": values.parse_lunar_date,
    }
    mapped, bad = _map_unique(cells, scalar[ftype])
    if ftype in ("int", "count"):
        return {name: mapped.astype("Int64")}, bad, _reason(scalar[ftype])
    if ftype == "partial_date":
        day = pd.to_datetime(mapped.map(lambda v: v[0] if v is not None else None))
        has_year = mapped.map(lambda v: v[1] if v is not None else None)
        return {name: day, f"{name}_has_year": has_year}, bad, _reason(values.parse_partial_date)
    if ftype == "lunar":
        parts = {
            f"{name}_month": mapped.map(lambda v: v[0] if v is not None else None).astype("Int64"),
            f"{name}_day": mapped.map(lambda v: v[1] if v is not None else None).astype("Int64"),
            f"{name}_leap": mapped.map(lambda v: v[2] if v is not None else None),
        }
        return parts, bad, _reason(values.parse_lunar_date)
    return {name: mapped}, bad, _reason(scalar[ftype])


_TYPED = {
    "date": ("datetime64[ns]", typed_cells.dates),
    "money": ("Int64", typed_cells.money_cents),
    "number": ("float64", typed_cells.numbers),
}


def _typed_field(
    cells: pd.Series, name: str, ftype: str
) -> tuple[dict[str, pd.Series], pd.Series, Callable[[str], tuple[str, str | None]]]:
    """``_parse_field`` of a column read typed: the cells the typed reader read, and the others (as Python
    strings) through the checked path, whose values and bad cells they keep."""
    import pandas as pd

    dtype, read_typed = _TYPED[ftype]
    found, read = read_typed(cells)
    parsed = pd.Series(found, index=cells.index).astype(dtype)
    bad = pd.Series(False, index=cells.index)
    if read.all():
        return {name: parsed}, bad, _CHECKED_REASON[ftype]
    rest = ~read
    checked, rest_bad, reason = _parse_field(cells[rest].astype(object), name, ftype)
    parsed[rest] = checked[name].to_numpy()
    bad[rest] = rest_bad.to_numpy()
    return {name: parsed}, bad, reason


def _birthday(
    cells: pd.Series, name: str
) -> tuple[dict[str, pd.Series], pd.Series, Callable[[str], tuple[str, str | None]]]:
    """A birthday column: solar dates into ``birthday``/``birthday_has_year``, lunar ones (农历三月初八, 腊月廿三)
    into ``lunar_birthday_*``, whatever the column is called."""
    import pandas as pd

    mapped, bad = _map_unique(cells, values.parse_birthday)
    solar = mapped.map(lambda v: v[1] if v is not None and v[0] == "solar" else None)
    out = {
        name: pd.to_datetime(solar.map(lambda v: v[0] if v is not None else None)),
        f"{name}_has_year": solar.map(lambda v: v[1] if v is not None else None),
    }
    lunar = mapped.map(lambda v: v[1] if v is not None and v[0] == "lunar" else None)
    if lunar.notna().any():
        out["lunar_birthday_month"] = lunar.map(lambda v: v[0] if v else None).astype("Int64")
        out["lunar_birthday_day"] = lunar.map(lambda v: v[1] if v else None).astype("Int64")
        out["lunar_birthday_leap"] = lunar.map(lambda v: v[2] if v else None)
    return out, bad, _reason(values.parse_birthday)


def _normalized_text(cells: pd.Series) -> pd.Series:
    """normalize_text over a column, None for blank: only for the texts that are not plain single-spaced ASCII
    (``values.plain_cells``: normalize_text keeps those as they are), once per distinct text."""
    import pandas as pd

    if typed_cells.is_typed(cells):
        texts, plain = typed_cells.texts(cells)
    else:
        texts = cells.to_numpy(dtype=object)
        plain = values.plain_cells(texts)
    if not plain.all():
        rest = texts[~plain]
        table = {text: values.normalize_text(text) or None for text in set(rest)}
        texts = texts.copy()
        texts[~plain] = [table[text] for text in rest]
    return pd.Series(texts, index=cells.index, dtype=object)


def _map_unique(cells: pd.Series, parse: Callable[[str], Any]) -> tuple[pd.Series, pd.Series]:
    """Apply a scalar parser once per distinct non-blank text: (values with None for blank/bad, bad mask)."""

    good: dict[str, Any] = {}
    bad_texts: set[str] = set()
    for text in cells.unique():
        if not text.strip():
            continue
        try:
            good[text] = parse(text)
        except ValueError:
            bad_texts.add(text)
    mapped = cells.map(good).astype(object)
    mapped = mapped.where(mapped.notna(), None)
    return mapped, cells.isin(bad_texts)

"""The key person a customers file carries inline (SPEC §5): its fields without a contact name belong to the
customer's primary contact; a customer without one cannot hold them, and those cells are rejected, never
dropped (docs/import-formats.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kacrm.errors import cell_error
from kacrm.io.customers_index import CustomerIndex

if TYPE_CHECKING:
    import pandas as pd

# a customers file's person fields -> the typed columns they fill (a 生日 cell may be solar or lunar)
PERSON_FIELDS = {
    "contact_title": ("contact_title",),
    "contact_role": ("contact_role",),
    "contact_phone": ("contact_phone",),
    "contact_email": ("contact_email",),
    "birthday": ("birthday", "lunar_birthday_month", "lunar_birthday_day"),
    "lunar_birthday": ("lunar_birthday_month", "lunar_birthday_day"),
    "anniversary": ("anniversary",),
    "hobbies": ("hobbies",),
}


def homeless_person_cells(
    frame: pd.DataFrame,
    columns: dict[str, int],
    headers: list[str],
    index: CustomerIndex,
    reject: Callable[..., None],
) -> pd.DataFrame:
    """``frame`` without the rows that give a person field but no contact name for a customer without a
    primary contact (each such cell rejected, naming its column); the codes given a contact name count as
    having one from now on."""
    named = frame["contact_name"].notna() if "contact_name" in frame else None
    if named is not None:
        index.key_persons.update(frame.loc[named, "code"])
    homeless = ~frame["code"].isin(index.key_persons)
    if named is not None:
        homeless &= ~named
    bad = homeless & False
    for name, typed in PERSON_FIELDS.items():
        present = [c for c in typed if c in frame]
        if name not in columns or not present:
            continue
        given = frame[present].notna().any(axis=1) & homeless
        if not given.any():
            continue
        header = headers[columns[name]]
        shown = frame.loc[given, present].apply(_shown, axis=1)
        reject(given, header, shown, cell_error("import_no_key_person", column=header))
        bad |= given
    return frame[~bad] if bad.any() else frame


def _shown(row: pd.Series) -> object:
    """The cell as the report shows it: a lunar birthday as 农历 month-day (its text is parsed by now)."""
    import pandas as pd

    value = row.iloc[0]
    if not pd.isna(value):
        return value
    month, day = row.get("lunar_birthday_month"), row.get("lunar_birthday_day")
    return None if pd.isna(month) else f"农历{int(month)}-{int(day)}"

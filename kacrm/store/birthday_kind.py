"""One birthday a year per person: a file with a single birthday column (生日, or 农历生日 alone) that gives a
person a new birthday replaces the other kind (solar vs lunar) stored for them; a file with both columns sets
each as given (docs/import-formats.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, and_, bindparam, or_, select, update

from kacrm.store.models import Contact

if TYPE_CHECKING:
    import pandas as pd

_SOLAR_OFF = {"birthday": None, "birthday_has_year": True}
_LUNAR_OFF = {
    "lunar_birthday_month": None,
    "lunar_birthday_day": None,
    "lunar_birthday_leap": False,
}


def _solar(value: Any) -> Any:
    import pandas as pd

    return None if pd.isna(value) else pd.Timestamp(value).date()


def _lunar(month: Any, day: Any) -> Any:
    import pandas as pd

    return None if pd.isna(month) else (int(month), int(day))


def clear_other_kind(conn: Connection, rows: pd.DataFrame) -> None:
    """Before ``rows`` (``customer_id``, ``name`` and the birthday columns to write) are written: clear the other
    kind of birthday of the people whose row gives one kind only, different from the one stored. A birthday
    given again as stored changes nothing (re-importing a file is idempotent)."""
    import pandas as pd

    if rows.empty:
        return
    table = Contact.__table__
    c = table.c
    solar = rows["birthday"].map(_solar) if "birthday" in rows else None
    lunar = (
        pd.Series(
            map(_lunar, rows["lunar_birthday_month"], rows["lunar_birthday_day"]), index=rows.index
        )
        if "lunar_birthday_month" in rows
        else None
    )
    if solar is None and lunar is None:
        return
    query = select(c.customer_id, c.name, c.birthday, c.lunar_birthday_month, c.lunar_birthday_day)
    ids = rows["customer_id"]
    stored = {
        (int(cid), name): (_solar(day), _lunar(month, lday))
        for cid, name, day, month, lday in conn.execute(
            # the people of the chunk's customers (an id range: a file's chunk is not the whole book)
            query.where(or_(c.birthday.is_not(None), c.lunar_birthday_month.is_not(None))).where(
                c.customer_id.between(int(ids.min()), int(ids.max()))
            )
        )
    }
    clear: dict[str, list[dict[str, Any]]] = {"solar": [], "lunar": []}
    for at, key in enumerate(zip(rows["customer_id"].tolist(), rows["name"].tolist(), strict=True)):
        old = stored.get((int(key[0]), key[1]))
        if old is None:
            continue
        new_solar = solar.iloc[at] if solar is not None else None
        new_lunar = lunar.iloc[at] if lunar is not None else None
        person = {"cid": int(key[0]), "who": key[1]}
        if new_solar is not None and new_lunar is None and new_solar != old[0] and old[1]:
            clear["lunar"].append(person)
        if new_lunar is not None and new_solar is None and new_lunar != old[1] and old[0]:
            clear["solar"].append(person)
    where = and_(c.customer_id == bindparam("cid"), c.name == bindparam("who"))
    for kind, values in (("lunar", _LUNAR_OFF), ("solar", _SOLAR_OFF)):
        if clear[kind]:
            conn.execute(update(table).where(where).values(**values), clear[kind])

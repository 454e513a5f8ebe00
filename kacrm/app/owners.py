"""Owners, the salespeople of a team on one database (SPEC §13): the list, setting one, and checking the names
and addresses a command is given."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kacrm.errors import BadAddress, CellError, InputError, NotFound, UsageError, worded
from kacrm.i18n import t, text
from kacrm.store.owner_rows import former_owner, known_owner, owner_customer_codes, owner_rows
from kacrm.store.owners import UNSET, StoredOwner
from kacrm.store.owners import set_owner as store_owner
from kacrm.values import parse_email

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kacrm.config import Settings
    from kacrm.store.reader import SqliteBook


def owner_list(book: SqliteBook | Engine, settings: Settings) -> list[dict[str, Any]]:
    """One row per owner (named by a customer or stored): owner, email, customers, key_accounts, capacity (the
    one in force: their own, else the config's [pool] capacity; 0 means no cap)."""
    return [
        {**row, "capacity": capacity_in_force(row["capacity"], settings)}
        for row in owner_rows(book)
    ]


def capacity_in_force(own: int | None, settings: Settings) -> int:
    """The most customers an owner may hold (0: no cap): their own capacity (`kacrm owner set --capacity`) when
    they have one, else the [pool] capacity of the config."""
    return settings.pool.capacity if own is None else own


def checked_address(value: str, option: str = "--email") -> str:
    """The address in its normal form, or BadAddress (exit 2) naming it."""
    try:
        return parse_email(value)
    except CellError as exc:
        raise BadAddress(
            t("bad_address", "en", option=option, value=value, reason=exc.text("en")),
            t("bad_address", "zh", option=option, value=value, reason=exc.text("zh")),
        ) from None


def set_owner(
    book: SqliteBook | Engine, name: str, *, email: str | None = None, capacity: int | None = None
) -> StoredOwner:
    """Store an owner's email and/or capacity ('' as email clears it; capacity 0 means no cap)."""
    name = name.strip()
    if not name:
        raise InputError(text("owner_name_missing", "en"), text("owner_name_missing", "zh"))
    if email is None and capacity is None:
        raise InputError(t("nothing_set", "en"), t("nothing_set", "zh"))
    if capacity is not None and capacity < 0:
        raise worded(UsageError, "capacity_negative", value=capacity)
    stored_email: Any = UNSET
    if email is not None:
        stored_email = checked_address(email) if email.strip() else None
    return store_owner(
        book,
        name,
        email=stored_email,
        capacity=UNSET if capacity is None else capacity,
    )


def check_owner(book: SqliteBook | Engine, name: str) -> str:
    """``name`` if a customer names it as owner or it is stored, else NotFound (a typo must not give an empty
    digest or list that looks like good news)."""
    name = name.strip()
    if not known_owner(book, name):
        raise NotFound(t("owner_unknown", "en", name=name), t("owner_unknown", "zh", name=name))
    return name


def check_new_owner(book: SqliteBook | Engine, name: str) -> str:
    """``name`` when it is a known owner (as ``check_owner``, or one the ownership history names: an owner whose
    accounts all went to the pool), else NotFound (exit 1, as `due --owner`) naming the owners there are, a close
    one first: a claim or an assignment must not make a new salesperson of a typo (陈靜 for 陈静, "张 伟" for
    张伟). A new one is added with `kacrm owner set` first; a customers file brings its own (docs/team.md)."""
    if known_owner(book, name) or former_owner(book, name):
        return name
    names = [row["owner"] for row in owner_rows(book)]
    close = [n for n in names if _close(n, name)]
    names = [*close, *(n for n in names if n not in close)]
    key = "owner_unknown_close" if close else "owner_unknown_new"
    said = {
        lang: t(
            key,
            lang,
            name=name,
            close=(close or [""])[0],
            owners=text("list_separator", lang).join(names) or text("owner_none_yet", lang),
        )
        for lang in ("en", "zh")
    }
    raise NotFound(said["en"], said["zh"])


def _close(known: str, given: str) -> bool:
    """The same name but for spaces and case, or one character off (陈靜 for 陈静)."""
    a, b = "".join(known.split()).casefold(), "".join(given.split()).casefold()
    return a == b or (len(a) == len(b) > 1 and sum(x != y for x, y in zip(a, b, strict=True)) == 1)


def owner_codes(book: SqliteBook | Engine, name: str | None) -> set[str] | None:
    """The customer codes of owner ``name`` (checked: NotFound for a name nobody has), None for no owner."""
    if name is None:
        return None
    return owner_customer_codes(book, check_owner(book, name))

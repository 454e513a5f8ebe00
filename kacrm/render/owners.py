"""The views of `kacrm owner list` and `owner set` (SPEC §13)."""

from __future__ import annotations

from kacrm.i18n import t, text
from kacrm.render.listing import column

OWNER_COLUMNS = [
    column("owners", "owner"),
    column("owners", "email"),
    column("owners", "customers", "int"),
    column("owners", "key_accounts", "int"),
    column("owners", "capacity", "int"),
]


def owner_saved(name: str, email: str | None, capacity: int | None, lang: str) -> str:
    """What `owner set` says it stored: an email or capacity never set in words, a capacity of 0 as no cap."""
    unset = text("owner_not_set", lang)
    shown = unset if capacity is None else text("owner_no_cap", lang) if capacity == 0 else capacity
    return t("owner_saved", lang, name=name, email=email or unset, capacity=shown)

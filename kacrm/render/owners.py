"""The view of `kacrm owner list` (SPEC §13)."""

from __future__ import annotations

from kacrm.render.listing import column

OWNER_COLUMNS = [
    column("owners", "owner"),
    column("owners", "email"),
    column("owners", "customers", "int"),
    column("owners", "key_accounts", "int"),
    column("owners", "capacity", "int"),
]

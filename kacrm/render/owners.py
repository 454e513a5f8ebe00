"""The view of `kacrm owner list` (SPEC §13)."""

from __future__ import annotations

from kacrm.render.listing import Column

OWNER_COLUMNS = [
    Column("owner", "Owner", "负责人"),
    Column("email", "Email", "邮箱"),
    Column("customers", "Customers", "客户数", "int"),
    Column("key_accounts", "Key accounts", "大客户数", "int"),
    Column("capacity", "Capacity", "容量", "int"),
]

"""Orders an ERP voided or cancelled (单据状态 作废, 已取消, void…; ``kacrm.values.is_void_order_status``).

Such an order counts nowhere (receivables, revenue, tiers, due rules, the digest, reports, exports), so an orders
file's void row is not stored, and a stored order it names by its number is removed, with its payment plan
(回款计划). A payment that names the removed order stays: the money was received, and it settles the customer's
oldest open orders like a payment naming no order, or remains their unapplied credit (docs/import-formats.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Connection, delete, select

from kacrm.store.models import Order, PaymentSchedule
from kacrm.values import is_void_order_status

if TYPE_CHECKING:
    import pandas as pd

# A void row's status in the import's counts: its order was not on file, or was and is removed.
VOIDED, REMOVED = "voided", "removed"
_IDS_AT_ONCE = 500  # numbers per IN list, well under every database's limit of bound values


def set_aside(conn: Connection, rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """The rows to store (``rows`` without the void ones) and each void row's status; the stored orders the void
    rows name are deleted, with their payment plans (the import runs with SQLite's foreign keys off, so the
    plans' ON DELETE CASCADE is done here)."""
    import pandas as pd

    if "status" not in rows:
        return rows, pd.Series(dtype=object)
    statuses = rows["status"]
    # a status column has a handful of distinct values, a long file a million cells: each value told once
    void = statuses.isin([s for s in statuses.dropna().unique() if is_void_order_status(s)])
    if not void.any():
        return rows, pd.Series(dtype=object)
    numbers = rows.loc[void, "order_no"]
    stored = _stored_ids(conn, sorted(set(numbers)))
    for start in range(0, len(stored), _IDS_AT_ONCE):
        ids = list(stored.values())[start : start + _IDS_AT_ONCE]
        conn.execute(delete(PaymentSchedule).where(PaymentSchedule.order_id.in_(ids)))
        conn.execute(delete(Order).where(Order.id.in_(ids)))
    status = numbers.isin(list(stored)).map({True: REMOVED, False: VOIDED}).astype(object)
    return rows[~void], status


def _stored_ids(conn: Connection, numbers: list[str]) -> dict[str, int]:
    """The ids of the stored orders among ``numbers``, by order number."""
    found: dict[str, int] = {}
    for start in range(0, len(numbers), _IDS_AT_ONCE):
        part = numbers[start : start + _IDS_AT_ONCE]
        query = select(Order.order_no, Order.id).where(Order.order_no.in_(part))
        found.update({no: int(i) for no, i in conn.execute(query)})
    return found

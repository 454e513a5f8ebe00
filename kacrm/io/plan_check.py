"""An orders file's revised amounts against the orders' stored payment plans (SPEC §15: an order's instalments
add up to its amount; docs/import-formats.md "Orders with a payment plan")."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kacrm.domain import money
from kacrm.errors import cell_error
from kacrm.io.customers_index import CustomerIndex
from kacrm.values import is_void_order_status

if TYPE_CHECKING:
    import pandas as pd


def off_plan(
    frame: pd.DataFrame, index: CustomerIndex, label: str, reject: Callable[..., None]
) -> pd.DataFrame:
    """Reject the orders whose revised amount no longer matches their stored payment plan (SPEC §15: the
    instalments add up to the order's amount): a whole plan that no longer adds up to the new amount, or a plan
    entered in part that now exceeds it, unless a plan file of the same import replaces it. A void row is left to
    the void rules."""
    import pandas as pd

    if index.order_plans is None or "order_no" not in frame or "amount" not in frame:
        return frame
    named = frame["order_no"]
    if "status" in frame:
        void = frame["status"].map(is_void_order_status, na_action="ignore").fillna(False)
        named = named.where(~void.astype(bool))
    named = named.where(~named.isin(index.replanned))
    plans = index.order_plans(named.dropna().unique().tolist())
    if not plans:
        return frame
    off: dict[Any, Any] = {}
    for row, no, amount in zip(frame.index, named, frame["amount"], strict=True):
        if no not in plans or amount is None or amount != amount:
            continue
        stored, plan = plans[no]
        new = int(amount)
        if new != stored and plan != new and (plan == stored or plan > new):
            off[row] = cell_error(
                "imp_order_off_plan",
                order=no,
                amount=f"{money(new):,.2f}",
                plan=f"{money(plan):,.2f}",
                was=f"{money(stored):,.2f}",
            )
    if not off:
        return frame
    bad = pd.Series(frame.index.isin(list(off)), index=frame.index)
    shown = frame["amount"].map(lambda c: f"{money(int(c)):,.2f}", na_action="ignore")
    reject(bad, label, shown, pd.Series(off, dtype=object))
    return frame[~bad]

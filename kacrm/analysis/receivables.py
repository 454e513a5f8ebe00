"""Receivables: who owes what since when (SPEC §7). Pure functions over DataFrames, money in integer cents.

The model (docs/credit.md has a worked example):

- Due date of an order: its own ``due_date``, else ``order_date + customer.payment_terms_days``, else
  ``order_date + settings.credit.default_terms_days``.
- Payments are applied in the order they were made (``paid_on``, then ``payment_no``). A payment that names one of
  the customer's orders settles that order first; the rest of it (or all of a payment without an order, or naming
  an order the customer does not have) settles the customer's oldest open orders first, oldest by
  (``order_date``, ``order_no``). An order dated after the payment can be settled by it (a prepayment).
- An order with a negative amount (a credit note, a return) acts as a payment without order on its order date.
- Money paid beyond all of a customer's orders is an unapplied credit balance (``Ledger.credits``); it can only
  remain when every order of the customer is settled. Payments of zero or less (refunds) are not applied.
- Payment plans (回款计划, SPEC §15): an order with instalments is one item per instalment, due on the
  instalment's day; what the instalments leave of the order's amount (a plan entered in part) is one more item,
  due on the order's own due date. A customer's items are ordered by (``order_date``, ``order_no``, instalment,
  the rest last): a payment naming the order settles its instalments oldest first, the rest goes to the
  customer's oldest open items, instalments and orders alike.
- Only orders and payments dated on or before ``today`` count.
- Days past due on ``today`` = today − due date: 0 (due today) or less is "not due".
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from kacrm.errors import input_error

if TYPE_CHECKING:
    import pandas as pd

    from kacrm.config import Settings

ITEM_COLUMNS = [
    "customer_id",
    "order_no",
    "instalment",
    "order_date",
    "due_date",
    "amount_cents",
    "paid_cents",
    "outstanding_cents",
    "fully_paid_on",
    "days_late",
]
SETTLEMENT_COLUMNS = [
    "customer_id",
    "order_no",
    "payment_no",
    "paid_on",
    "due_date",
    "amount_cents",
    "days_late",
]
RECEIVABLE_COLUMNS = [
    "customer_id",
    "order_no",
    "instalment",
    "order_date",
    "due_date",
    "amount_cents",
    "paid_cents",
    "outstanding_cents",
    "days_past_due",
]


@dataclass(frozen=True)
class Ledger:
    """The result of applying payments to orders.

    items: one row per order (ITEM_COLUMNS): amount, paid, outstanding, due date, the day it was fully paid
        (None while open) and ``days_late``, the amount-weighted mean days late of what was paid (0 when on time).
    settlements: one row per part of a payment applied to an order (SETTLEMENT_COLUMNS), with its days late
        (paid_on − due_date, negative when early): what payment punctuality is scored on.
    credits: customer_id -> unapplied credit balance in cents (customers without one are absent).
    """

    items: pd.DataFrame
    settlements: pd.DataFrame
    credits: dict[int, int]


def _missing(value: Any) -> bool:
    return value is None or value != value


def _dates(column: pd.Series) -> list[date | None]:
    """A column of dates, datetimes or ISO texts as a list of ``datetime.date`` (None where missing)."""
    import pandas as pd

    return [None if _missing(d) else d for d in pd.to_datetime(column).dt.date]


def with_due_dates(
    orders: pd.DataFrame, customers: pd.DataFrame, default_terms_days: int
) -> pd.DataFrame:
    """A copy of ``orders`` whose ``due_date`` is filled from the customer's terms or the default terms."""
    import pandas as pd

    terms = pd.Series(
        customers["payment_terms_days"].to_numpy(), index=customers["customer_id"].to_numpy()
    )
    days = orders["customer_id"].map(terms.dropna()).fillna(default_terms_days).astype("int64")
    computed = pd.to_datetime(orders["order_date"]) + pd.to_timedelta(days, unit="D")
    given = pd.to_datetime(orders["due_date"]) if "due_date" in orders.columns else None
    result = orders.copy()
    result["due_date"] = _dates(computed if given is None else given.fillna(computed))
    return result


def as_date(value: Any) -> date:
    """A date, datetime or ISO text (as the drivers give dates) as a ``datetime.date``."""
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if hasattr(value, "date"):
        return value.date()
    return date.fromisoformat(str(value)[:10])


def item_ref(order_no: str, instalment: Any) -> str:
    """How an item is named: the order number, with ``#n`` for its instalment n (SO-1#2)."""
    return order_no if _missing(instalment) else f"{order_no}#{int(instalment)}"


def with_schedules(orders: pd.DataFrame, schedules: pd.DataFrame | None) -> pd.DataFrame:
    """``orders`` (due dates filled) with each scheduled order replaced by its instalments (column
    ``instalment``: None for orders without a plan and for the rest of an order its plan does not cover).

    schedules: order_no, instalment, due_on, amount_cents.
    """
    import pandas as pd

    result = orders.assign(instalment=None)
    if schedules is None or schedules.empty or orders.empty:
        return result
    plans: dict[str, list[tuple[int, date, int]]] = defaultdict(list)
    for no, n, on, cents in zip(
        schedules["order_no"].astype(str),
        schedules["instalment"],
        _dates(schedules["due_on"]),
        schedules["amount_cents"],
        strict=True,
    ):
        plans[no].append((int(n), on, int(cents)))
    scheduled = result["order_no"].astype(str).isin(plans)
    if not scheduled.any():
        return result
    rows = []
    for record in result[scheduled].to_dict("records"):
        planned = sorted(plans[str(record["order_no"])])
        for n, on, cents in planned:
            rows.append({**record, "instalment": n, "due_date": on, "amount_cents": cents})
        rest = int(record["amount_cents"]) - sum(c for _, _, c in planned)
        if rest > 0:
            rows.append({**record, "amount_cents": rest})
    expanded = pd.DataFrame(rows, columns=result.columns)
    return pd.concat([result[~scheduled], expanded], ignore_index=True)


class _Book:
    """All orders as parallel lists, sorted by customer then age, while payments are applied to them."""

    def __init__(self, orders: pd.DataFrame) -> None:
        import pandas as pd

        if "instalment" not in orders.columns:
            orders = orders.assign(instalment=None)
        ordered = orders.assign(
            _on=pd.to_datetime(orders["order_date"]),
            _no=orders["order_no"].astype(str),
            _n=pd.to_numeric(orders["instalment"]).fillna(2**62),  # the rest of a plan last
        )
        ordered = ordered.sort_values(["customer_id", "_on", "_no", "_n"], kind="stable")
        self.customer = ordered["customer_id"].astype("int64").tolist()
        self.order_no = ordered["_no"].tolist()
        self.instalment = [None if _missing(n) else int(n) for n in ordered["instalment"]]
        self.order_date = _dates(ordered["_on"])
        self.due_date = _dates(ordered["due_date"])
        self.amount = ordered["amount_cents"].astype("int64").tolist()
        self.credit_notes = [
            (self.order_date[i], self.order_no[i], self.customer[i], -a, None)
            for i, a in enumerate(self.amount)
            if a < 0
        ]
        self.amount = [max(0, a) for a in self.amount]
        self.outstanding = list(self.amount)
        self.paid = [0] * len(self.amount)
        self.late_weighted = [0] * len(self.amount)
        self.fully_paid_on = [
            on if a == 0 else None for on, a in zip(self.order_date, self.amount, strict=True)
        ]
        self.index: dict[tuple[int, str], list[int]] = defaultdict(list)
        for i, key in enumerate(zip(self.customer, self.order_no, strict=True)):
            self.index[key].append(i)
        self.first_open: dict[
            int, int
        ] = {}  # customer -> index of its oldest order that may be open
        self.end: dict[int, int] = {}
        for i, c in enumerate(self.customer):
            self.first_open.setdefault(c, i)
            self.end[c] = i + 1
        self.credits: dict[int, int] = defaultdict(int)
        self.settlements: list[tuple[int, str, str, date, date, int, int]] = []

    def settle(self, i: int, amount: int, payment_no: str, paid_on: date) -> int:
        """Apply up to ``amount`` to order ``i``; return what is left of the amount."""
        part = min(amount, self.outstanding[i])
        if part <= 0:
            return amount
        self.outstanding[i] -= part
        self.paid[i] += part
        late = (paid_on - self.due_date[i]).days
        self.late_weighted[i] += part * max(0, late)
        if self.outstanding[i] == 0:
            self.fully_paid_on[i] = paid_on
        self.settlements.append(
            (self.customer[i], self.order_no[i], payment_no, paid_on, self.due_date[i], part, late)
        )
        return amount - part

    def pay(
        self, customer: int, amount: int, order_no: str | None, payment_no: str, paid_on: date
    ) -> None:
        for named in self.index.get((customer, order_no), ()) if order_no else ():
            amount = self.settle(named, amount, payment_no, paid_on)
        i, end = self.first_open.get(customer, 0), self.end.get(customer, 0)
        while amount > 0 and i < end:
            if self.outstanding[i] == 0:
                i += 1
                continue
            amount = self.settle(i, amount, payment_no, paid_on)
        if customer in self.first_open:
            self.first_open[customer] = i
        if amount > 0:
            self.credits[customer] += amount


def allocate_payments(orders: pd.DataFrame, payments: pd.DataFrame) -> Ledger:
    """Apply ``payments`` to ``orders`` (both already limited to the as-of date; orders with ``due_date`` filled).

    orders: customer_id, order_no, order_date, amount_cents, due_date.
    payments: customer_id, payment_no, order_no (None/NaN when not named), paid_on, amount_cents.
    """
    import pandas as pd

    book = _Book(orders)
    # (paid_on, payment_no, customer_id, amount, order_no), credit notes included, in the order they were made
    stream = list(book.credit_notes)
    for cid, no, named, on, amount in zip(
        payments["customer_id"].tolist(),
        payments["payment_no"].tolist(),
        payments["order_no"].tolist(),
        _dates(payments["paid_on"]),
        payments["amount_cents"].tolist(),
        strict=True,
    ):
        named = None if _missing(named) or named == "" else str(named)
        stream.append((on, str(no), int(cid), int(amount), named))
    stream.sort(key=lambda p: (p[0], p[1]))
    for paid_on, payment_no, cid, amount, order_no in stream:
        if amount > 0:
            book.pay(cid, amount, order_no, payment_no, paid_on)

    items = pd.DataFrame(
        {
            "customer_id": book.customer,
            "order_no": book.order_no,
            "instalment": book.instalment,
            "order_date": book.order_date,
            "due_date": book.due_date,
            "amount_cents": book.amount,
            "paid_cents": book.paid,
            "outstanding_cents": book.outstanding,
            "fully_paid_on": book.fully_paid_on,
            "days_late": [
                w / p if p else 0.0 for w, p in zip(book.late_weighted, book.paid, strict=True)
            ],
        },
        columns=ITEM_COLUMNS,
    )
    return Ledger(
        items=items.astype(
            {
                "customer_id": "int64",
                "amount_cents": "int64",
                "paid_cents": "int64",
                "outstanding_cents": "int64",
            }
        ),
        settlements=pd.DataFrame.from_records(book.settlements, columns=SETTLEMENT_COLUMNS),
        credits=dict(book.credits),
    )


def _until(frame: pd.DataFrame, column: str, today: date) -> pd.DataFrame:
    import pandas as pd

    if frame.empty:
        return frame
    return frame[pd.to_datetime(frame[column]) <= pd.Timestamp(today)]


def build_ledger(
    orders: pd.DataFrame,
    payments: pd.DataFrame,
    customers: pd.DataFrame,
    settings: Settings,
    today: date,
    schedules: pd.DataFrame | None = None,
) -> Ledger:
    """The ledger on ``today``: orders and payments dated up to today, due dates resolved (instalments of the
    payment plans in ``schedules``), payments applied."""
    dated = with_due_dates(
        _until(orders, "order_date", today), customers, settings.credit.default_terms_days
    )
    return allocate_payments(with_schedules(dated, schedules), _until(payments, "paid_on", today))


def open_items(ledger: Ledger, today: date) -> pd.DataFrame:
    """The orders of a ledger with money still owed, with their days past due on ``today`` (RECEIVABLE_COLUMNS)."""
    items = ledger.items[ledger.items["outstanding_cents"] > 0]
    result = items[RECEIVABLE_COLUMNS[:-1]].copy()
    result["days_past_due"] = [(today - due).days for due in result["due_date"]]
    return result.reset_index(drop=True)


def receivables(
    orders: pd.DataFrame,
    payments: pd.DataFrame,
    customers: pd.DataFrame,
    settings: Settings,
    today: date,
    schedules: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per open order (or instalment) on ``today``: customer_id, order_no, order_date, due_date, amount_cents,
    paid_cents, outstanding_cents, days_past_due (dates are ``datetime.date``; ≤ 0 days means not yet due).

    ``orders``, ``payments`` and ``customers`` are frames shaped like kacrm.store.repo's orders_frame,
    payments_frame and customers_frame (only customer_id and payment_terms_days are read from customers).
    """
    return open_items(build_ledger(orders, payments, customers, settings, today, schedules), today)


def bucket_keys(buckets: list[int]) -> list[str]:
    """Column names for aging buckets: [30, 60, 90, 180] -> not_due, d1_30, d31_60, d61_90, d91_180, over_180."""
    check_buckets(buckets)
    keys, low = ["not_due"], 1
    for high in buckets:
        keys.append(f"d{low}_{high}")
        low = high + 1
    keys.append(f"over_{buckets[-1]}")
    return keys


def check_buckets(buckets: list[int]) -> None:
    """Buckets must be whole days, positive and strictly increasing, at least one."""
    ok = bool(buckets) and all(isinstance(b, int) and b > 0 for b in buckets)
    if not ok or any(a >= b for a, b in pairwise(buckets)):
        raise input_error("credit_bad_buckets", buckets=buckets)


def bucket_of(days_past_due: int, buckets: list[int]) -> int:
    """Index of the bucket key (see ``bucket_keys``) that ``days_past_due`` falls in."""
    if days_past_due <= 0:
        return 0
    return 1 + bisect_left(buckets, days_past_due)


def aging(open_items: pd.DataFrame, buckets: list[int]) -> pd.DataFrame:
    """Outstanding cents per customer by days past due: customer_id, the ``bucket_keys(buckets)`` columns, total.

    Bucket d31_60 holds 31 to 60 days past due inclusive; not_due holds 0 days and less; the last holds more
    than the last boundary. One row per customer with something outstanding, in customer_id order.
    """
    import pandas as pd

    keys = bucket_keys(buckets)
    sums: dict[int, list[int]] = defaultdict(lambda: [0] * len(keys))
    for cid, days, cents in zip(
        open_items["customer_id"],
        open_items["days_past_due"],
        open_items["outstanding_cents"],
        strict=True,
    ):
        sums[int(cid)][bucket_of(int(days), buckets)] += int(cents)
    rows = [
        {"customer_id": cid, **dict(zip(keys, values, strict=True)), "total": sum(values)}
        for cid, values in sorted(sums.items())
    ]
    frame = pd.DataFrame(rows, columns=["customer_id", *keys, "total"])
    return frame.astype("int64")

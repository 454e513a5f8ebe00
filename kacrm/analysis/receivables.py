"""Receivables: who owes what since when (SPEC §7). Pure functions over tables (columns of Python values;
pandas DataFrames are read as tables), money in integer cents.

The model (docs/credit.md has a worked example):

- Due date of an order: its own ``due_date``, else ``order_date + customer.payment_terms_days``, else
  ``order_date + settings.credit.default_terms_days``.
- Payments are applied in the order they were made (``paid_on``, then ``payment_no``). A payment that names one of
  the customer's orders settles that order first; the rest of it (or all of a payment without an order, or naming
  an order the customer does not have) settles the customer's oldest open orders first, oldest by
  (``order_date``, ``order_no``). An order dated after the payment can be settled by it (a prepayment).
- An order with a negative amount (a credit note, a return) acts as a payment without order on its order date.
- Money paid beyond all of a customer's orders is an unapplied credit balance (``Ledger.credits``); it can only
  remain when every order of the customer is settled. Payments of zero are not applied.
- A negative payment (a refund, a reversed receipt) is applied, signed, so that a customer's balance is orders −
  payments: an order is covered by the signed sum of the payments naming it (never below 0 nor above its
  amount); a negative payment uses up the unapplied credit first, then reopens the customer's newest settled
  parts, each up to its amount less what the payments naming it cover; the rest is owed on no item (a negative
  ``Ledger.credits``), which the next payments settle first. The open items are those of the walk of
  docs/credit.md: the balance spread over the orders newest first, each holding at most what its named
  payments leave of it.
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
from datetime import date, timedelta
from itertools import compress, pairwise
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from kacrm.errors import input_error

if TYPE_CHECKING:
    from collections.abc import Iterable

    from kacrm.config import Settings

# A table: its columns by name, each a list of one length (issue 19: a book of 200 customers is built and read
# in plain Python, without importing pandas). The functions below also take pandas DataFrames, which they read
# column by column in the same way.
Table = dict[str, list[Any]]

ITEM_COLUMNS = [
    "customer_id",
    "order_no",
    "instalment",
    "order_date",
    "due_date",
    "amount_cents",
    "signed_cents",
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
    """The result of applying payments to orders (tables of Python values: ints, ``datetime.date``, None).

    items: one row per order (ITEM_COLUMNS): amount (0 for a credit note), the signed amount (negative for a
        credit note: what purchases are summed from), paid, outstanding, due date, the day it was fully paid
        (None while open) and ``days_late``, the amount-weighted mean days late of what was paid (0 when on time).
    settlements: one row per part of a payment applied to an order (SETTLEMENT_COLUMNS), with its days late
        (paid_on − due_date, negative when early): what payment punctuality is scored on.
    credits: customer_id -> unapplied credit balance in cents (customers without one are absent); negative when
        a refund took back more than the customer's items had been paid (owed, but on no item).
    """

    items: Table
    settlements: Table
    credits: dict[int, int]


def table(columns: Iterable[str], rows: Iterable[tuple[Any, ...]] = ()) -> Table:
    """A table of ``columns`` from rows of values in that order."""
    names = list(columns)
    values = list(zip(*rows, strict=True)) or [()] * len(names)
    return {name: list(column) for name, column in zip(names, values, strict=True)}


def as_table(frame: Any) -> Table:
    """A table, or a pandas DataFrame as one (its values as Python objects, missing ones as they are)."""
    if isinstance(frame, dict):
        return frame
    return {str(name): frame[name].tolist() for name in frame.columns}


def row_count(frame: Table) -> int:
    return len(next(iter(frame.values()), ()))


def records(frame: Table) -> list[dict[str, Any]]:
    """The rows of a table as dicts."""
    names = list(frame)
    return [dict(zip(names, values, strict=True)) for values in zip(*frame.values(), strict=True)]


def where(frame: Table, keep: Iterable[bool]) -> Table:
    """The rows of a table for which ``keep`` is true (a ValueError when a column and the mask differ in length)."""
    mask = list(keep)
    for values in frame.values():
        if len(values) != len(mask):
            raise ValueError(f"a column of {len(values)} values against a mask of {len(mask)}")
    if all(mask):  # every row kept: copies of the columns
        return {name: list(values) for name, values in frame.items()}
    return {name: list(compress(values, mask)) for name, values in frame.items()}


def _missing(value: Any) -> bool:
    return value is None or value != value


def _dates(values: Iterable[Any]) -> list[date | None]:
    """Dates, datetimes or ISO texts as ``datetime.date`` (None where missing); each distinct value is read once
    (a book has a few days per hundred cells)."""
    values = values if isinstance(values, list) else list(values)
    if all(
        type(v) is date for v in values
    ):  # read already (a column _until or with_due_dates made)
        return list(values)
    days = {v: None if _missing(v) else as_date(v) for v in set(values)}
    return [days[v] for v in values]


def with_due_dates(orders: Any, customers: Any, default_terms_days: int) -> Table:
    """A copy of ``orders`` whose ``due_date`` is filled from the customer's terms or the default terms."""
    orders, customers = as_table(orders), as_table(customers)
    terms = {
        int(cid): int(days)
        for cid, days in zip(customers["customer_id"], customers["payment_terms_days"], strict=True)
        if not _missing(days)
    }
    given = orders.get("due_date") or [None] * row_count(orders)
    # the terms of each customer as a timedelta, made once per customer rather than once per order
    spans: dict[Any, timedelta] = {}
    default = timedelta(days=default_terms_days)
    due = []
    for cid, on, given_on in zip(orders["customer_id"], orders["order_date"], given, strict=True):
        if given_on is None or given_on != given_on:  # _missing
            span = spans.get(cid)
            if span is None:
                days = terms.get(int(cid))
                span = spans[cid] = default if days is None else timedelta(days=days)
            due.append(as_date(on) + span)
        else:
            due.append(given_on if type(given_on) is date else as_date(given_on))
    return {**orders, "due_date": due}


_DAYS: dict[
    str, date
] = {}  # ISO texts already read: a big book has a million date cells, a few thousand days


def as_date(value: Any) -> date:
    """A date, datetime or ISO text (as the drivers give dates) as a ``datetime.date``."""
    if type(value) is date:
        return value
    if type(value) is str:
        day = _DAYS.get(value)
        if day is None:
            day = _DAYS[value] = date.fromisoformat(value[:10])
        return day
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if hasattr(value, "date"):
        return value.date()
    return date.fromisoformat(str(value)[:10])


def open_by_terms(open_items: Any, orders: Any) -> list[str]:
    """The open orders whose due date follows the customer's terms (what a change of terms re-dates): no due date
    of their own (``orders`` as stored), and open outside any instalment (a part a plan leaves uncovered too)."""
    own = {
        no
        for no, due in zip(orders["order_no"], orders["due_date"], strict=True)
        if not _missing(due)
    }
    return sorted(
        {
            no
            for no, n in zip(open_items["order_no"], open_items["instalment"], strict=True)
            if _missing(n) and no not in own
        }
    )


def item_ref(order_no: str, instalment: Any) -> str:
    """How an item is named: the order number, with ``#n`` for its instalment n (SO-1#2)."""
    return order_no if _missing(instalment) else f"{order_no}#{int(instalment)}"


def with_schedules(orders: Table, schedules: Any | None) -> Table:
    """``orders`` (due dates filled) with each scheduled order replaced by its instalments (column
    ``instalment``: None for orders without a plan and for the rest of an order its plan does not cover).

    schedules: order_no, instalment, due_on, amount_cents.
    """
    result = {**orders, "instalment": [None] * row_count(orders)}
    schedules = None if schedules is None else as_table(schedules)
    if not schedules or not row_count(schedules) or not row_count(orders):
        return result
    plans: dict[str, list[tuple[int, date, int]]] = defaultdict(list)
    for no, n, on, cents in zip(
        schedules["order_no"],
        schedules["instalment"],
        _dates(schedules["due_on"]),
        schedules["amount_cents"],
        strict=True,
    ):
        plans[str(no)].append((int(n), on, int(cents)))
    scheduled = [str(no) in plans for no in result["order_no"]]
    if not any(scheduled):
        return result
    expanded = []
    for record in records(where(result, scheduled)):
        planned = sorted(plans[str(record["order_no"])])
        for n, on, cents in planned:
            expanded.append({**record, "instalment": n, "due_date": on, "amount_cents": cents})
        rest = int(record["amount_cents"]) - sum(c for _, _, c in planned)
        if rest > 0:
            expanded.append({**record, "amount_cents": rest})
    kept = where(result, (not s for s in scheduled))
    return {name: [*values, *(r[name] for r in expanded)] for name, values in kept.items()}


class _Book:
    """All orders as parallel lists, sorted by customer then age, while payments are applied to them."""

    def __init__(self, orders: Table) -> None:
        count = row_count(orders)
        rest_last = 2**62  # the rest of a plan after its instalments
        instalments = [
            rest_last if _missing(n) else int(n)
            for n in (orders.get("instalment") or [None] * count)
        ]
        # (customer, order day, order number, instalment, position): unique without the position (order
        # numbers are), so sorting the tuples orders the items as sorting by the first four did
        keyed = sorted(
            zip(
                map(int, orders["customer_id"]),
                _dates(orders["order_date"]),
                map(str, orders["order_no"]),
                instalments,
                range(count),
                strict=True,
            )
        )
        due_dates, amounts = _dates(orders["due_date"]), orders["amount_cents"]
        self.customer = [k[0] for k in keyed]
        self.order_date = [k[1] for k in keyed]
        self.order_no = [k[2] for k in keyed]
        self.instalment = [None if k[3] == rest_last else k[3] for k in keyed]
        self.due_date = [due_dates[k[4]] for k in keyed]
        signed = [int(amounts[k[4]]) for k in keyed]
        self.credit_notes = [
            (self.order_date[i], self.order_no[i], self.customer[i], -a, None)
            for i, a in enumerate(signed)
            if a < 0
        ]
        self.amount = [max(0, a) for a in signed]
        self.signed = signed
        self.outstanding = list(self.amount)
        self.paid = [0] * count
        self.late_weighted = [0] * count
        self.fully_paid_on = [
            on if a == 0 else None for on, a in zip(self.order_date, self.amount, strict=True)
        ]
        self.index: dict[tuple[int, str], list[int]] = defaultdict(list)
        # customer -> index of its oldest order that may be open
        self.first_open: dict[int, int] = {}
        self.end: dict[int, int] = {}
        for i, key in enumerate(zip(self.customer, self.order_no, strict=True)):
            self.index[key].append(i)
            self.first_open.setdefault(key[0], i)
            self.end[key[0]] = i + 1
        self.start = dict(self.first_open)
        # (customer, order_no) -> the signed sum of the payments naming the order so far
        self.named: dict[tuple[int, str], int] = defaultdict(int)
        # customer -> unapplied credit (> 0), or money owed beyond every item (< 0: a refund of more than paid)
        self.credits: dict[int, int] = defaultdict(int)
        self.settlements: list[tuple[int, str, str, date, date, int, int]] = []
        self.settled_item: list[int] = []  # the item of each settlement
        # item -> its settlements, once a refund needs them
        self.parts: dict[int, list[int]] = defaultdict(list)
        self.parts_known = 0

    def settle(self, i: int, amount: int, payment_no: str, paid_on: date) -> int:
        """Apply up to ``amount`` to order ``i``; return what is left of the amount."""
        outstanding = self.outstanding[i]
        part = amount if amount < outstanding else outstanding
        if part <= 0:
            return amount
        self.outstanding[i] = outstanding - part
        self.paid[i] += part
        due = self.due_date[i]
        late = (paid_on - due).days
        if late > 0:
            self.late_weighted[i] += part * late
        if outstanding == part:
            self.fully_paid_on[i] = paid_on
        self.settlements.append(
            (self.customer[i], self.order_no[i], payment_no, paid_on, due, part, late)
        )
        self.settled_item.append(i)
        return amount - part

    def name(self, key: tuple[int, str], items: list[int], delta: int) -> int:
        """Add ``delta`` to the payments naming an order; return how much more of it they cover now (the signed
        sum, never below 0 nor above the order's amount: negative when a refund uncovers part of it)."""
        total = sum(self.amount[i] for i in items)
        before = self.named[key]
        self.named[key] = before + delta
        return min(max(before + delta, 0), total) - min(max(before, 0), total)

    def pay(
        self, customer: int, amount: int, order_no: str | None, payment_no: str, paid_on: date
    ) -> None:
        settle = self.settle
        named_items = self.index.get((customer, order_no), ()) if order_no else ()
        if named_items:
            covered = self.name((customer, order_no), named_items, amount)
            rest = amount - covered
            for named in named_items:
                covered = settle(named, covered, payment_no, paid_on)
            amount = rest + covered
        debit = self.credits.get(customer, 0)
        if debit < 0 and amount > 0:  # money owed beyond the items is paid first
            paid = min(amount, -debit)
            self.credits[customer] = debit + paid
            amount -= paid
        first_open = self.first_open.get(customer)
        i, end = (0, 0) if first_open is None else (first_open, self.end[customer])
        outstanding = self.outstanding
        while amount > 0 and i < end:
            if outstanding[i] == 0:
                i += 1
                continue
            amount = settle(i, amount, payment_no, paid_on)
        if first_open is not None:
            self.first_open[customer] = i
        if amount > 0:
            self.credits[customer] += amount

    def refund(self, customer: int, amount: int, order_no: str | None) -> None:
        """Apply a negative payment of ``-amount`` (a refund, a reversed receipt): it takes back what the
        payments naming its order covered, uses up the unapplied credit first, then reopens the customer's
        newest settled parts (each at most to its amount less what the payments naming it cover); what is left
        is owed beyond every item."""
        named_items = self.index.get((customer, order_no), ()) if order_no else ()
        if named_items:
            self.name((customer, order_no), named_items, -amount)
        credit = self.credits.get(customer, 0)
        if credit > 0:
            used = min(amount, credit)
            self.credits[customer] = credit - used
            amount -= used
        start = self.start.get(customer)
        i = -1 if start is None else self.end[customer] - 1
        while amount > 0 and start is not None and i >= start:
            j = i  # the items of one order: j … i
            while j > start and self.order_no[j - 1] == self.order_no[i]:
                j -= 1
            covered = min(
                max(self.named.get((customer, self.order_no[i]), 0), 0),
                sum(self.amount[j : i + 1]),
            )
            holds = []  # the named payments cover an order's instalments oldest first
            for k in range(j, i + 1):
                holds.append(min(self.amount[k], covered))
                covered -= holds[-1]
            for k in range(i, j - 1, -1):
                room = self.amount[k] - holds[k - j] - self.outstanding[k]
                if room > 0 and amount > 0:
                    part = min(room, amount)
                    self.reopen(k, part)
                    amount -= part
                    self.first_open[customer] = min(self.first_open[customer], k)
            i = j - 1
        if amount > 0:
            self.credits[customer] -= amount

    def reopen(self, i: int, amount: int) -> None:
        """Take ``amount`` of what was paid on item ``i`` back, from its newest settlements."""
        self.outstanding[i] += amount
        self.paid[i] -= amount
        self.fully_paid_on[i] = None
        for s in range(self.parts_known, len(self.settled_item)):
            self.parts[self.settled_item[s]].append(s)
        self.parts_known = len(self.settled_item)
        for s in reversed(self.parts[i]):
            row = self.settlements[s]
            taken = min(amount, row[5])
            if taken:
                self.settlements[s] = (*row[:5], row[5] - taken, row[6])
                if row[6] > 0:
                    self.late_weighted[i] -= taken * row[6]
                amount -= taken
            if not amount:
                break


def allocate_payments(orders: Any, payments: Any) -> Ledger:
    """Apply ``payments`` to ``orders`` (both already limited to the as-of date; orders with ``due_date`` filled).

    orders: customer_id, order_no, order_date, amount_cents, due_date.
    payments: customer_id, payment_no, order_no (None/NaN when not named), paid_on, amount_cents.
    """
    payments = as_table(payments)
    book = _Book(as_table(orders))
    # (paid_on, payment_no, customer_id, amount, order_no), credit notes included, in the order they were made
    stream = list(book.credit_notes)
    for cid, no, named, on, amount in zip(
        payments["customer_id"],
        payments["payment_no"],
        payments["order_no"],
        _dates(payments["paid_on"]),
        payments["amount_cents"],
        strict=True,
    ):
        named = None if _missing(named) or named == "" else str(named)
        stream.append((on, str(no), int(cid), int(amount), named))
    stream.sort(key=itemgetter(0, 1))
    for paid_on, payment_no, cid, amount, order_no in stream:
        if amount > 0:
            book.pay(cid, amount, order_no, payment_no, paid_on)
        elif amount < 0:
            book.refund(cid, -amount, order_no)

    items = {
        "customer_id": book.customer,
        "order_no": book.order_no,
        "instalment": book.instalment,
        "order_date": book.order_date,
        "due_date": book.due_date,
        "amount_cents": book.amount,
        "signed_cents": book.signed,
        "paid_cents": book.paid,
        "outstanding_cents": book.outstanding,
        "fully_paid_on": book.fully_paid_on,
        "days_late": [
            w / p if p else 0.0 for w, p in zip(book.late_weighted, book.paid, strict=True)
        ],
    }
    settled = book.settlements
    if book.parts_known:  # a refund took parts back: the emptied ones are no settlement
        settled = [row for row in settled if row[5]]
    return Ledger(
        items=items,
        settlements=table(SETTLEMENT_COLUMNS, settled),
        credits={cid: cents for cid, cents in book.credits.items() if cents},
    )


def _until(frame: Any, column: str, today: date) -> Table:
    """The rows dated up to ``today``, their ``column`` read as dates once for all."""
    frame = as_table(frame)
    if not row_count(frame):
        return frame
    days = _dates(frame[column])
    return where({**frame, column: days}, (on <= today for on in days))


def build_ledger(
    orders: Any,
    payments: Any,
    customers: Any,
    settings: Settings,
    today: date,
    schedules: Any | None = None,
) -> Ledger:
    """The ledger on ``today``: orders and payments dated up to today, due dates resolved (instalments of the
    payment plans in ``schedules``), payments applied. Tables or DataFrames in: orders (customer_id, order_no,
    order_date, amount_cents, due_date), payments (see allocate_payments), customers (customer_id,
    payment_terms_days), schedules (see with_schedules)."""
    dated = with_due_dates(
        _until(orders, "order_date", today), customers, settings.credit.default_terms_days
    )
    return allocate_payments(with_schedules(dated, schedules), _until(payments, "paid_on", today))


def open_items(ledger: Ledger, today: date) -> Table:
    """The orders of a ledger with money still owed, with their days past due on ``today`` (RECEIVABLE_COLUMNS)."""
    owed = where(ledger.items, (cents > 0 for cents in ledger.items["outstanding_cents"]))
    result = {name: owed[name] for name in RECEIVABLE_COLUMNS[:-1]}
    result["days_past_due"] = [(today - due).days for due in result["due_date"]]
    return result


def receivables(
    orders: Any,
    payments: Any,
    customers: Any,
    settings: Settings,
    today: date,
    schedules: Any | None = None,
) -> Table:
    """One row per open order (or instalment) on ``today``: customer_id, order_no, order_date, due_date, amount_cents,
    paid_cents, outstanding_cents, days_past_due (dates are ``datetime.date``; ≤ 0 days means not yet due).

    ``orders``, ``payments`` and ``customers`` are tables or frames of the columns build_ledger reads (only
    customer_id and payment_terms_days are read from customers).
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


def aging(open_items: Table, buckets: list[int]) -> list[dict[str, int]]:
    """Outstanding cents per customer by days past due: customer_id, the ``bucket_keys(buckets)`` columns, total.

    Bucket d31_60 holds 31 to 60 days past due inclusive; not_due holds 0 days and less; the last holds more
    than the last boundary. One row per customer with something outstanding, in customer_id order.
    """
    keys = bucket_keys(buckets)
    sums: dict[int, list[int]] = defaultdict(lambda: [0] * len(keys))
    for cid, days, cents in zip(
        open_items["customer_id"],
        open_items["days_past_due"],
        open_items["outstanding_cents"],
        strict=True,
    ):
        sums[int(cid)][bucket_of(int(days), buckets)] += int(cents)
    return [
        {"customer_id": cid, **dict(zip(keys, values, strict=True)), "total": sum(values)}
        for cid, values in sorted(sums.items())
    ]

"""Payment plans (回款计划, SPEC §15): add an instalment to an order by hand, list the plans."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kacrm.domain import money
from kacrm.errors import ImportRejected, InputError, RejectedRow, UsageError, worded
from kacrm.i18n import t
from kacrm.io.importer import FileSummary, RejectedFile
from kacrm.io.schedules import Instalment, read_schedules
from kacrm.store.credit_store import customer_credit
from kacrm.store.schedule_store import (
    order_plan,
    orders_by_no,
    replace_plans,
    save_instalment,
    schedule_rows,
)

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from kacrm.io.readers import RawTable
    from kacrm.store.reader import SqliteBook


def _error(key: str, **values: Any) -> InputError:
    return InputError(t(key, "en", **values), zh=t(key, "zh", **values))


def add_instalment(
    engine: Engine, order_no: str, instalment: int, due_on: date, amount_cents: int
) -> dict[str, Any]:
    """`schedule add`: instalment ``instalment`` of order ``order_no`` (replacing one with that number); the
    instalments may not add up to more than the order's amount. Returns the instalment and how much of the
    order is planned."""
    if instalment < 1:
        raise worded(UsageError, "schedule_bad_instalment", n=instalment)
    if amount_cents <= 0:
        raise worded(UsageError, "schedule_bad_amount", amount=f"{money(amount_cents):,.2f}")
    plan = order_plan(engine, order_no)
    others = sum(c for n, c in plan["instalments"].items() if n != instalment)
    total, amount = others + amount_cents, plan["amount_cents"]
    if total > amount:
        raise _error(
            "schedule_over",
            order=plan["order_no"],
            total=f"{money(total):,.2f}",
            over=f"{money(total - amount):,.2f}",
            amount=f"{money(amount):,.2f}",
        )
    save_instalment(engine, plan["order_id"], instalment, due_on, amount_cents)
    return {
        "customer_code": plan["customer_code"],
        "customer_name": plan["customer_name"],
        "order_no": plan["order_no"],
        "instalment": instalment,
        "due_on": due_on,
        "amount": money(amount_cents),
        "planned": money(total),
        "order_amount": money(amount),
    }


def schedule_list(book: SqliteBook | Engine, code: str | None = None) -> list[dict[str, Any]]:
    """`schedule list [CODE]`: every instalment (of one customer's orders), money in yuan."""
    customer_id = customer_credit(book, code).id if code else None
    return [
        {
            "customer_code": r["customer_code"],
            "customer_name": r["customer_name"],
            "order_no": r["order_no"],
            "order_amount": money(r["order_amount_cents"]),
            "instalment": r["instalment"],
            "due_on": r["due_on"],
            "amount": money(r["amount_cents"]),
        }
        for r in schedule_rows(book, customer_id)
    ]


def import_schedule_file(
    engine: Engine | Connection,
    path: Path,
    *,
    mapping: dict[str, str] | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    dry_run: bool = False,
    on_error: str = "abort",
    rejected: Callable[[RejectedFile], None] | None = None,
    raw: RawTable | None = None,
) -> FileSummary:
    """Import a payment-plan file (kind `schedules`): every order named must exist and its instalments in the
    file must add up to its amount (a rejected row says by how much); the file's instalments then replace the
    order's plan, and its import_batch row is written with them (not on ``dry_run``). Atomic unless
    ``on_error`` is skip (orders with a bad row are left out). ``rejected`` is told of a file with bad rows
    before anything is written or refused (``--rejects FILE``); ``raw``: the file already read."""
    started = time.perf_counter()
    parsed = read_schedules(path, encoding=encoding, sheet=sheet, mapping=mapping, raw=raw)
    summary = FileSummary(str(path), "schedules", encoding=parsed.raw.encoding)
    summary.unknown_columns = parsed.unknown_columns
    summary.unknown_columns_zh = parsed.unknown_columns_zh
    rejects = list(parsed.rejects)
    orders = orders_by_no(engine, [r.order_no for r in parsed.rows])
    bad_rows = {r.row for r in rejects}
    by_order: dict[str, list[Instalment]] = defaultdict(list)
    for r in parsed.rows:
        if r.order_no not in orders:
            rejects.append(
                _reject(path, r, "order_no", r.order_no, "sched_unknown_order", order=r.order_no)
            )
        elif any(o.instalment == r.instalment for o in by_order[r.order_no]):
            rejects.append(
                _reject(
                    path,
                    r,
                    "instalment",
                    str(r.instalment),
                    "sched_repeated",
                    order=r.order_no,
                    n=r.instalment,
                )
            )
        else:
            by_order[r.order_no].append(r)
    plans: dict[int, list[tuple[int, date, int]]] = {}
    for no, rows in by_order.items():
        order_id, amount = orders[no]
        total = sum(r.amount for r in rows)
        if any(r.row in bad_rows for r in rows) or total != amount:
            if total != amount:
                key = "schedule_over" if total > amount else "schedule_short"
                values = {
                    "order": no,
                    "total": f"{money(total):,.2f}",
                    "amount": f"{money(amount):,.2f}",
                    ("over" if total > amount else "short"): f"{money(abs(total - amount)):,.2f}",
                }
                rejects.append(_reject(path, rows[-1], "amount", f"{money(total)}", key, **values))
            continue
        plans[order_id] = [(r.instalment, r.due_on, r.amount) for r in rows]
    summary.rows_read = len(parsed.rows) + len(parsed.rejects)
    summary.rejects = rejects
    summary.rejected = len({r.row for r in rejects})
    if rejects and rejected is not None:
        rejected(RejectedFile(parsed.raw, summary))
    if rejects and on_error == "abort":
        summary.seconds = time.perf_counter() - started
        raise ImportRejected(str(path), rejects, [summary])
    batch = {
        "file_name": summary.file,
        "sha256": parsed.raw.sha256,
        "kind": summary.kind,
        "rows_read": summary.rows_read,
        "rejected": summary.rejected,
    }
    summary.inserted, summary.updated, summary.unchanged = replace_plans(
        engine, plans, dry_run=dry_run, batch=batch
    )
    summary.seconds = time.perf_counter() - started
    return summary


def _reject(
    path: Path, row: Instalment, column: str, value: str, key: str, **values: Any
) -> RejectedRow:
    return RejectedRow(
        str(path), row.row, column, value, t(key, "en", **values), t(key, "zh", **values)
    )

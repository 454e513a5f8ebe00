"""Payment plans (回款计划, SPEC §15): add an instalment to an order by hand, list the plans."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from kacrm.domain import money
from kacrm.errors import InputError
from kacrm.i18n import t

if TYPE_CHECKING:
    from sqlalchemy import Engine


def _error(key: str, **values: Any) -> InputError:
    return InputError(t(key, "en", **values), zh=t(key, "zh", **values))


def add_instalment(
    engine: Engine, order_no: str, instalment: int, due_on: date, amount_cents: int
) -> dict[str, Any]:
    """`schedule add`: instalment ``instalment`` of order ``order_no`` (replacing one with that number); the
    instalments may not add up to more than the order's amount. Returns the instalment and how much of the
    order is planned."""
    from kacrm.store.schedule_store import order_plan, save_instalment

    if instalment < 1:
        raise _error("schedule_bad_instalment", n=instalment)
    if amount_cents <= 0:
        raise _error("schedule_bad_amount", amount=f"{money(amount_cents):,.2f}")
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


def schedule_list(engine: Engine, code: str | None = None) -> list[dict[str, Any]]:
    """`schedule list [CODE]`: every instalment (of one customer's orders), money in yuan."""
    from kacrm.store.credit_store import customer_credit
    from kacrm.store.schedule_store import schedule_rows

    customer_id = customer_credit(engine, code).id if code else None
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
        for r in schedule_rows(engine, customer_id)
    ]

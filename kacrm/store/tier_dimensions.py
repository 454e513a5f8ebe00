"""Every method's latest tier per customer (the customer's dimensions, SPEC §6), read through SQLAlchemy Core
with the tables named, not modelled: `customer list` shows them and loads no ORM."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Engine, column, select, table

from kacrm.domain import METHODS

_RUN = table("tier_run", column("id"), column("method"), column("by"), column("as_of"))
_SNAPSHOT = table("tier_snapshot", column("run_id"), column("customer_id"), column("tier"))
_PIN = table("tier_pin", column("customer_id"), column("method"), column("tier"))
_FILTER_UP_TO = 500  # ids in an IN list; a longer list reads every row of the run instead


def method_tiers(
    engine: Engine, customer_ids: Iterable[int] | None = None
) -> dict[int, dict[str, Any]]:
    """customer_id → {method: tier in the method's latest run by customer, or its pin of that method}; the
    methods a customer has no tier of are left out (callers show them as null)."""
    ids = None if customer_ids is None else list(customer_ids)
    narrow = ids is not None and len(ids) <= _FILTER_UP_TO
    result: dict[int, dict[str, Any]] = {}
    with engine.connect() as conn:
        for method in METHODS:
            run_id = conn.execute(
                select(_RUN.c.id)
                .where(_RUN.c.method == method, _RUN.c.by == "customer")
                .order_by(_RUN.c.as_of.desc(), _RUN.c.id.desc())
                .limit(1)
            ).scalar()
            if run_id is None:
                continue
            query = select(_SNAPSHOT.c.customer_id, _SNAPSHOT.c.tier).where(
                _SNAPSHOT.c.run_id == run_id
            )
            if narrow:
                query = query.where(_SNAPSHOT.c.customer_id.in_(ids))
            for cid, tier in conn.execute(query):
                result.setdefault(cid, {})[method] = tier
        pins = select(_PIN.c.customer_id, _PIN.c.method, _PIN.c.tier)
        if narrow:
            pins = pins.where(_PIN.c.customer_id.in_(ids))
        for cid, method, tier in conn.execute(pins):
            result.setdefault(cid, {})[method] = tier
    return result

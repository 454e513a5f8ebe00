"""Payment plans (回款计划, SPEC §15) in the database: the instalments of orders, loaded and stored."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

from kacrm.errors import NotFound
from kacrm.i18n import t
from kacrm.store.clock import utcnow
from kacrm.store.credit_store import Columns, columns
from kacrm.store.reader import SqliteBook, reading

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine
    from sqlmodel import Session


def load_schedules(book: SqliteBook | Engine, customer_id: int | None = None) -> Columns:
    """order_no, instalment, due_on, amount_cents of every instalment (of one customer's orders), by column;
    textual SQL run by kacrm.store.reader, so that the credit and report reads of a current SQLite file load
    neither SQLAlchemy nor the ORM (issue 19), as ``schedule_rows`` does for `schedule list`. The other functions
    use the ORM."""
    one = " WHERE o.customer_id = :cid" if customer_id is not None else ""
    params = {"cid": customer_id} if customer_id is not None else {}
    with reading(book) as reader:
        rows = reader.rows(
            "SELECT o.order_no, p.instalment, p.due_on, p.amount_cents FROM payment_schedule p "
            f"JOIN orders o ON o.id = p.order_id{one}",
            ("due_on",),
            **params,
        )
    return columns(["order_no", "instalment", "due_on", "amount_cents"], rows)


def order_plan(engine: Engine, order_no: str) -> dict[str, Any]:
    """The order ``order_no`` with its customer and its instalments {n: amount cents}; NotFound without it."""
    from sqlalchemy import select
    from sqlmodel import Session

    from kacrm.store.models import Customer, Order, PaymentSchedule

    with Session(engine) as session:
        found = session.execute(
            select(Order, Customer).join(Customer).where(Order.order_no == order_no)
        ).first()
        if found is None:
            raise NotFound(
                t("schedule_no_order", "en", order=order_no),
                zh=t("schedule_no_order", "zh", order=order_no),
            )
        order, customer = found
        planned = session.execute(
            select(PaymentSchedule.instalment, PaymentSchedule.amount_cents).where(
                PaymentSchedule.order_id == order.id
            )
        ).all()
        return {
            "order_id": order.id,
            "order_no": order.order_no,
            "amount_cents": order.amount_cents,
            "customer_code": customer.code,
            "customer_name": customer.name,
            "instalments": {int(n): int(c) for n, c in planned},
        }


def save_instalment(
    engine: Engine, order_id: int, instalment: int, due_on: date, amount_cents: int
) -> None:
    """Insert the instalment, or replace the one with the same number."""
    from sqlalchemy import select
    from sqlmodel import Session

    from kacrm.store.models import PaymentSchedule

    with Session(engine) as session:
        row = session.scalars(
            select(PaymentSchedule).where(
                PaymentSchedule.order_id == order_id, PaymentSchedule.instalment == instalment
            )
        ).first()
        row = row or PaymentSchedule(order_id=order_id, instalment=instalment, due_on=due_on)
        row.due_on, row.amount_cents = due_on, amount_cents
        session.add(row)
        session.commit()


def schedule_rows(
    book: SqliteBook | Engine, customer_id: int | None = None
) -> list[dict[str, Any]]:
    """Every instalment with its order and customer (of one customer's orders), by customer, order and
    instalment; textual SQL, so that `schedule list` on a current SQLite file loads neither SQLAlchemy nor the
    ORM (issue 19)."""
    one = " WHERE c.id = :cid" if customer_id is not None else ""
    params = {"cid": customer_id} if customer_id is not None else {}
    with reading(book) as reader:
        rows = reader.tuples(
            "SELECT c.code, c.name, o.order_no, o.amount_cents, p.instalment, p.due_on, "
            "p.amount_cents FROM payment_schedule p JOIN orders o ON o.id = p.order_id "
            f"JOIN customer c ON c.id = o.customer_id{one} "
            "ORDER BY c.code, o.order_no, p.instalment",
            ("due_on",),
            **params,
        )
    return [
        {
            "customer_code": code,
            "customer_name": name,
            "order_no": no,
            "order_amount_cents": order_cents,
            "instalment": n,
            "due_on": on,
            "amount_cents": cents,
        }
        for code, name, no, order_cents, n, on, cents in rows
    ]


@contextmanager
def _connected(bind: Engine | Connection) -> Iterator[Connection]:
    """``bind`` itself when it is a connection (inside the caller's transaction), else a new connection."""
    from sqlalchemy import Connection

    if isinstance(bind, Connection):
        yield bind
        return
    with bind.connect() as conn:
        yield conn


def _session(bind: Engine | Connection) -> Session:
    """A session on an engine, or inside the transaction of a connection (a savepoint: its commit and rollback
    stay within it, and the caller's transaction decides)."""
    from sqlalchemy import Connection
    from sqlmodel import Session

    if isinstance(bind, Connection):
        return Session(bind=bind, join_transaction_mode="create_savepoint")
    return Session(bind)


def orders_by_no(bind: Engine | Connection, order_nos: list[str]) -> dict[str, tuple[int, int]]:
    """order_no -> (order id, amount cents) of the orders on file among ``order_nos`` (on a connection: as its
    transaction sees them, with the orders the same import wrote)."""
    from sqlalchemy import select

    from kacrm.store.models import Order

    found: dict[str, tuple[int, int]] = {}
    wanted = sorted(set(order_nos))
    with _connected(bind) as conn:
        for start in range(0, len(wanted), 500):
            query = select(Order.order_no, Order.id, Order.amount_cents).where(
                Order.order_no.in_(wanted[start : start + 500])
            )
            for no, oid, cents in conn.execute(query):
                found[no] = (int(oid), int(cents))
    return found


def replace_plans(
    bind: Engine | Connection,
    plans: dict[int, list[tuple[int, date, int]]],
    *,
    dry_run: bool = False,
    batch: dict[str, Any] | None = None,
) -> tuple[int, int, int]:
    """Make each order's plan exactly the given instalments (order id -> [(n, due_on, cents)]), in one
    transaction (on a connection: a savepoint in its transaction); (inserted, updated, unchanged) instalments.
    Nothing is written with ``dry_run``.

    ``batch`` (file_name, sha256, kind, rows_read, rejected) is the file's import_batch row, written in the same
    transaction with the counts, as every other kind of import file records one."""
    from sqlalchemy import select

    from kacrm.store.models import ImportBatch, PaymentSchedule

    started = utcnow()
    inserted = updated = unchanged = 0
    with _session(bind) as session:
        for order_id, instalments in plans.items():
            stored = {
                row.instalment: row
                for row in session.scalars(
                    select(PaymentSchedule).where(PaymentSchedule.order_id == order_id)
                )
            }
            given = {n for n, _, _ in instalments}
            for n, row in stored.items():
                if n not in given:
                    session.delete(row)
            for n, on, cents in instalments:
                row = stored.get(n)
                if row is None:
                    inserted += 1
                    session.add(
                        PaymentSchedule(
                            order_id=order_id, instalment=n, due_on=on, amount_cents=cents
                        )
                    )
                elif (row.due_on, row.amount_cents) == (on, cents):
                    unchanged += 1
                else:
                    updated += 1
                    row.due_on, row.amount_cents = on, cents
                    session.add(row)
        if batch is not None:
            session.add(
                ImportBatch(
                    **batch,
                    inserted=inserted,
                    updated=updated,
                    unchanged=unchanged,
                    started_at=started,
                    finished_at=utcnow(),
                )
            )
        if dry_run:
            session.rollback()
        else:
            session.commit()
    return inserted, updated, unchanged

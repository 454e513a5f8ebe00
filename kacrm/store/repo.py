"""Shared queries: one customer by code, name or short name, through the ORM (for the commands that change it)."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from kacrm.store.customer_rows import resolve_customer
from kacrm.store.models import Customer


def customer_by_code(session: Session, code: str) -> Customer:
    """The customer with this code, else the one with this name or short name (customer_rows.resolve_customer)."""
    return resolve_customer(
        code,
        lambda: session.scalars(select(Customer).where(Customer.code == code)).first(),
        lambda key: list(session.scalars(select(Customer).where(Customer.name_key == key))),
        lambda: list(session.scalars(select(Customer).where(Customer.short_name.is_not(None)))),
    )

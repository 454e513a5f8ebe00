"""`kacrm report customer CODE`: one customer's full card (SPEC §9), with the credit exposure app.credit works out;
apart from kacrm.app.report, whose overview reads the whole book without it (issue 19)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import TYPE_CHECKING, Any

from kacrm.analysis import report
from kacrm.app.credit import exposure_of
from kacrm.render.customers import customer_card
from kacrm.store.customer_rows import card_inputs
from kacrm.store.report_store import customer_orders, load_customer_records

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kacrm.config import Settings
    from kacrm.store.reader import SqliteBook


def customer(
    book: SqliteBook | Engine, settings: Settings, code: str, today: date, *, redact: bool
) -> dict[str, Any]:
    """One customer's card (NotFound for a wrong code)."""
    summary, persons, referrer = card_inputs(book, code, today)
    cid = summary["customer"].id
    records = load_customer_records(book, cid, today)
    exposure = exposure_of(book, settings, cid, today)
    return report.customer_report(
        customer_card(summary, persons, referrer),
        customer_orders(book, cid, today),
        asdict(exposure) if exposure is not None else {},
        records,
        today,
        redacted=redact,
    )

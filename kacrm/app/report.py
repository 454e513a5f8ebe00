"""`kacrm report`: load the book (store.report_store), compute the report (analysis.report), return its result.

The overview's next 7 days are the due items of occasions and plans (analysis.due over store.due_store's data).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from kacrm.analysis import report
from kacrm.analysis.due import due_items
from kacrm.analysis.windows import first_day, parse_window
from kacrm.app.credit import exposure_of
from kacrm.render.customers import customer_card

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kacrm.config import Settings
    from kacrm.due_facts import DueItem


def check_window(window: str) -> None:
    """An InputError ("--window: reason") unless the window is 12m, 24m… or all."""
    parse_window(window)


def _due_items(engine: Engine, settings: Settings, today: date, days: int) -> list[DueItem]:
    """The occasions and plans due in today … today + days - 1 (the other rules' inputs are left out)."""
    from kacrm.store.due_store import load_due_data

    end = today + timedelta(days=days - 1)
    data = replace(
        load_due_data(engine, settings, today, end),
        follow_ups=[],
        tasks=[],
        complaints=[],
        big_orders=[],
        open_orders=[],
    )
    return due_items(data, settings, today, today, end)


def overview(
    engine: Engine, settings: Settings, today: date, window: str, *, redact: bool, lang: str
) -> report.Overview:
    """The book at a glance (`kacrm report`); ``redact`` leaves birthdays and anniversaries out."""
    from kacrm.store.report_store import load_report_data
    from kacrm.store.schedule_store import load_schedules

    data = report.ReportData(
        **load_report_data(engine, today),
        due=_due_items(engine, settings, today, report.UPCOMING_DAYS),
        schedules=load_schedules(engine),
    )
    result = report.build_overview(data, settings, today, window, lang)
    if redact:
        result.upcoming = report.redact_upcoming(result.upcoming)
    return result


def pareto(engine: Engine, window: str, today: date) -> list[dict[str, Any]]:
    """The 80/20 curve of the revenue in the window."""
    from kacrm.store.report_store import load_pareto_inputs

    revenue, names = load_pareto_inputs(engine, first_day(parse_window(window), today), today)
    return report.pareto_curve(revenue, names)


@dataclass(frozen=True)
class Movement:
    """The tier transitions of one method between its previous and its latest run."""

    method: str
    previous_on: date
    latest_on: date
    rows: list[dict[str, Any]]  # report.movement_matrix


def movement(engine: Engine, method: str, today: date) -> Movement:
    from kacrm.store.report_store import load_movement

    previous, latest = load_movement(engine, method, today)
    rows = report.movement_matrix(previous.tiers, latest.tiers)
    return Movement(method, previous.as_of, latest.as_of, rows)


def churn(
    engine: Engine, settings: Settings, window: str, today: date, lang: str
) -> list[dict[str, Any]]:
    """The key accounts at risk, each with its reasons."""
    from kacrm.store.report_store import load_report_data
    from kacrm.store.schedule_store import load_schedules

    data = report.ReportData(**load_report_data(engine, today), schedules=load_schedules(engine))
    return report.at_risk_accounts(data, settings, today, parse_window(window), lang=lang)


def customer(
    engine: Engine, settings: Settings, code: str, today: date, *, redact: bool
) -> dict[str, Any]:
    """One customer's card (NotFound for a wrong code)."""
    from kacrm.store import repo
    from kacrm.store.report_store import load_customer_records

    card = customer_card(*repo.customer_card_inputs(engine, code, today))
    records = load_customer_records(engine, code, today)
    cid = records["customer_id"]
    orders = repo.orders_frame(engine, end=today)
    exposure = exposure_of(engine, settings, cid, today)
    return report.customer_report(
        card,
        orders[orders["customer_id"] == cid],
        asdict(exposure) if exposure is not None else {},
        records,
        today,
        redacted=redact,
    )

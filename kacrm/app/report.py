"""`kacrm report`: load the book (store.report_store), compute the report (analysis.report), return its result.

The overview's next 7 days are the due items of occasions and plans (analysis.due over store.due_store's data).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from kacrm.analysis import report
from kacrm.analysis.due import OCCASION_RULES, due_items
from kacrm.analysis.receivables import Table, where
from kacrm.analysis.windows import first_day, parse_window
from kacrm.app.owners import check_owner
from kacrm.app.primary import primary
from kacrm.store.due_store import load_occasion_data
from kacrm.store.owner_rows import owner_customer_ids
from kacrm.store.pool_store import pool_counts
from kacrm.store.report_store import (
    load_movement,
    load_pareto_inputs,
    load_report_data,
)
from kacrm.store.schedule_store import load_schedules

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kacrm.config import Settings
    from kacrm.due_facts import DueItem
    from kacrm.store.reader import SqliteBook

# ``book``: the SQLite file read through the stdlib driver, or an engine (kacrm.store.reader).


def check_window(window: str) -> None:
    """An InputError ("--window: reason") unless the window is 12m, 24m… or all."""
    parse_window(window)


def _due_items(
    book: SqliteBook | Engine, settings: Settings, today: date, days: int
) -> list[DueItem]:
    """The occasions and plans due in today … today + days - 1 (the other rules are not run)."""
    end = today + timedelta(days=days - 1)
    data = load_occasion_data(book, today, end)
    return due_items(data, settings, today, today, end, OCCASION_RULES)


def for_owner(data: report.ReportData, ids: set[int]) -> report.ReportData:
    """The book restricted to the customers ``ids`` (one salesperson's)."""

    def only(frame: Table) -> Table:
        return where(frame, (cid in ids for cid in frame["customer_id"]))

    return replace(
        data,
        customers=only(data.customers),
        orders=only(data.orders),
        payments=only(data.payments),
        interactions=only(data.interactions),
        p_alive={c: p for c, p in data.p_alive.items() if c in ids},
        tier_changes={c: m for c, m in data.tier_changes.items() if c in ids},
        due=[i for i in data.due if i.customer_id in ids],
    )


def overview(
    book: SqliteBook | Engine,
    settings: Settings,
    today: date,
    window: str,
    *,
    redact: bool,
    lang: str,
    owner: str | None = None,
) -> report.Overview:
    """The book at a glance (`kacrm report`), or one owner's customers; ``redact`` leaves birthdays and
    anniversaries out. The tiers are the tiers in force, named by the primary method."""
    in_force = primary(book, settings.tier, settings.sources).method
    data = report.ReportData(
        **load_report_data(book, today, in_force),
        due=_due_items(book, settings, today, report.UPCOMING_DAYS),
        schedules=load_schedules(book),
    )
    if owner is not None:
        data = for_owner(data, owner_customer_ids(book, check_owner(book, owner)))
    result = report.build_overview(data, settings, today, window, lang)
    result.tier_method = in_force
    result.owner = owner
    result.pool = pool_counts(book, first_day(parse_window(window), today) or date.min, today)
    if redact:
        result.upcoming = report.redact_upcoming(result.upcoming)
    return result


def pareto(book: SqliteBook | Engine, window: str, today: date) -> list[dict[str, Any]]:
    """The 80/20 curve of the revenue in the window."""
    revenue, names = load_pareto_inputs(book, first_day(parse_window(window), today), today)
    return report.pareto_curve(revenue, names)


class Movement(NamedTuple):
    """The tier transitions of one method between its previous and its latest run."""

    method: str
    previous_on: date
    latest_on: date
    rows: list[dict[str, Any]]  # report.movement_matrix


def movement(
    book: SqliteBook | Engine, method: str | None, settings: Settings, today: date
) -> Movement:
    """``method``'s movement; None: the primary method's, whose tiers are the ones in force (SPEC §6)."""
    if method is None:
        method = primary(book, settings.tier, settings.sources).method
    previous, latest = load_movement(book, method, today)
    rows = report.movement_matrix(previous.tiers, latest.tiers)
    return Movement(method, previous.as_of, latest.as_of, rows)


def churn(
    book: SqliteBook | Engine, settings: Settings, window: str, today: date, lang: str
) -> list[dict[str, Any]]:
    """The key accounts at risk, each with its reasons."""
    in_force = primary(book, settings.tier, settings.sources).method
    data = report.ReportData(
        **load_report_data(book, today, in_force), schedules=load_schedules(book)
    )
    return report.at_risk_accounts(data, settings, today, parse_window(window), lang=lang)

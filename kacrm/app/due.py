"""The due list (SPEC §8): load the facts for a window, compute the items with kacrm.analysis.due, and record
what `done` and `snooze` do to an item."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import TYPE_CHECKING

from kacrm.analysis.due import due_items, select_items
from kacrm.app.owners import check_owner
from kacrm.app.tier_filter import tier_filter
from kacrm.due_facts import DueItem
from kacrm.errors import NotFound, worded
from kacrm.i18n import t
from kacrm.store.due_store import (
    CustomerFilter,
    customer_of_item,
    done_until,
    load_due_data,
    record_done,
    record_snooze,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kacrm.config import Settings
    from kacrm.store.reader import SqliteBook

# How far ahead `done`/`snooze` look for the item an id names.
ITEM_HORIZON_DAYS = 400


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a list is loaded and computed, and what it made kept out of its sight.

    A whole book's list makes millions of objects that live until the list is printed, and none of them is in a
    reference cycle: the collector, which walks every live object each time enough new ones were made, took a fifth
    of the time of `due --week` (1.5–2 s of 8–10). At the end the objects still alive are frozen (gc.freeze):
    reference counting still frees them, and later collections (the printing) skip them.
    """
    if not gc.isenabled():  # paused by a caller already
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def due_items_for(
    book: SqliteBook | Engine,
    settings: Settings,
    today: date,
    start: date,
    end: date,
    owner: str | None = None,
    tier: str | None = None,
) -> list[DueItem]:
    """Every item listed in [start, end] as of ``today``, for the customers of ``owner`` and ``tier`` (None:
    everyone); ``book``: the SQLite file read without SQLAlchemy, or an engine (kacrm.store.reader)."""
    with collector_paused():
        data = load_due_data(book, settings, today, end, CustomerFilter(owner=owner, tier=tier))
        return due_items(data, settings, today, start, end)


def due_list(
    book: SqliteBook | Engine,
    settings: Settings,
    today: date,
    start: date,
    end: date,
    *,
    owner: str | None = None,
    tier: str | None = None,
    kind: str | None = None,
    overdue_only: bool = False,
) -> list[DueItem]:
    """`kacrm due`: the items of the window, of one kind or only the overdue ones when asked. An ``owner``
    nobody has is NotFound, a ``tier`` there is not a usage error: a cron `due --owner` or `due --tier` with a
    typo must not send "nothing due" forever."""
    if owner is not None:
        owner = check_owner(book, owner)
    tier = tier_filter(book, settings.tier, settings.sources, tier)
    # the load already kept only the owner/tier customers: what is left to select is per item
    items = due_items_for(book, settings, today, start, end, owner, tier)
    return select_items(items, kind=kind, overdue_only=overdue_only)


def find_item(book: SqliteBook | Engine, settings: Settings, today: date, item_id: str) -> DueItem:
    """The open item ``item_id`` (overdue, or due within ITEM_HORIZON_DAYS); NotFound when there is none.

    Only the customer the id names is loaded: on a big book the whole list over the horizon takes seconds.
    """
    end = today + timedelta(days=ITEM_HORIZON_DAYS)
    customer_id = customer_of_item(book, item_id)
    if customer_id is not None:
        data = load_due_data(book, settings, today, end, CustomerFilter(customer_id=customer_id))
        for item in due_items(data, settings, today, today, end):
            if item.id == item_id:
                return item
    raise NotFound(t("due_no_item", "en", id=item_id), zh=t("due_no_item", "zh", id=item_id))


def done(
    book: SqliteBook | Engine,
    settings: Settings,
    today: date,
    item_id: str,
    note: str | None = None,
    kind: str | None = None,
) -> tuple[DueItem, str]:
    """Record what the item asked for; the item and the interaction kind logged."""
    item = find_item(book, settings, today, item_id)
    hidden = done_until(book, item_id, today) if item.kind == "collection" else None
    if hidden is not None:  # a second `done` would log the same call again
        on, back = (day.isoformat() for day in hidden)
        raise worded(NotFound, "due_done_already", id=item_id, on=on, back=back)
    return item, record_done(book, item, today, note=note, kind=kind)


def snooze(
    book: SqliteBook | Engine,
    settings: Settings,
    today: date,
    item_id: str,
    days: int,
    note: str | None,
) -> tuple[DueItem, date]:
    """Hide the item for ``days``; the item and the day it comes back."""
    item = find_item(book, settings, today, item_id)
    until = today + timedelta(days=days)
    record_snooze(book, item, until, today, note)
    return item, until

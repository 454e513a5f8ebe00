"""The view of `kacrm due`: the items of a window, grouped by day in the table."""

from __future__ import annotations

from datetime import date
from typing import Any

from kacrm.due_facts import DueItem
from kacrm.i18n import t, text
from kacrm.i18n.due import action_word, kind_word
from kacrm.render.listing import Listing, Tone, column


def due_listing(
    items: list[DueItem],
    lang: str,
    table: bool,
    rows_per_day: int = 0,
    today: date | None = None,
) -> Listing:
    """The SPEC keys for json/csv/md (kind and action: codes, which tables, md, html and xlsx show in the
    user's language, like customer list's type and status); the table view adds a hidden day key to group by
    (overdue first) and shows at most ``rows_per_day`` items per day (0: all): a whole book's week can hold
    100,000 overdue items, which Rich takes minutes to lay out and nobody reads on a terminal."""
    columns = [
        column("due", "id"),
        column("due", "due_on", "date"),
        column("due", "event_on", "date", drop=5),
        column("due", "kind", drop=2, coded=kind_word),
        column("due", "customer_code"),
        column("due", "customer_name", drop=1),
        column("due", "contact", drop=3),
        column("due", "reason"),
        column("due", "overdue_days", "int", drop=4),
        column("due", "action", drop=6, coded=action_word),  # the reason names the action too
    ]
    zh = lang == "zh"
    weekdays = text("due_weekdays", lang).split()
    rows: list[dict[str, Any]] = []
    for item in items:
        row = {
            "id": item.id,
            "due_on": item.due_on,
            "event_on": item.event_on,
            "kind": item.kind,
            "customer_code": item.customer_code,
            "customer_name": item.customer_name,
            "contact": item.contact,
            "reason": item.reason_zh if zh else item.reason,
            "overdue_days": item.overdue_days,
            "action": item.action,
        }
        if table:
            # an item of a past day that is not overdue (a payment reminder whose day passed, its payment not yet
            # due) is today's to do: listed under today, never under a past day of "this week"
            day = max(item.due_on, today) if today is not None else item.due_on
            row["day"] = (
                t("due_overdue", lang)
                if item.overdue_days
                else f"{day.isoformat()} {weekdays[day.weekday()]}"
            )
        rows.append(row)
    if not table:
        return Listing(columns, rows)

    def tone(row: dict[str, Any]) -> Tone | None:
        # overdue in red, due today (``today``) in yellow
        if row["overdue_days"]:
            return "bad"
        return "soon" if today is not None and row["due_on"] <= today else None

    return Listing(
        columns,
        rows,
        group_by="day",
        hidden=("day",),
        group_limit=rows_per_day or None,
        group_more=text("due_more", lang),
        empty=t("due_empty_window", lang),
        tone=tone,
        cut_hint=t("due_cut", lang),
    )

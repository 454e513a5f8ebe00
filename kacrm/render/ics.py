"""Due items as an iCalendar file (RFC 5545) that calendar apps import, with a reminder on each item."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from kacrm.due_facts import DueItem
from kacrm.i18n import t
from kacrm.i18n.due import KIND_LABELS_ZH

# The reminder of an all-day item goes off at 09:00 on its day (a trigger relative to the day's start).
ALARM_AFTER_START = timedelta(hours=9)


def item_summary(item: DueItem, lang: str) -> str:
    who = t("ics_contact", lang, contact=item.contact) if item.contact else ""
    return t("ics_summary", lang, kind=_kind(item, lang), customer=item.customer_name, who=who)


def _kind(item: DueItem, lang: str) -> str:
    return KIND_LABELS_ZH[item.kind] if lang == "zh" else item.kind.replace("_", " ")


def items_to_ics(items: list[DueItem], today: date, lang: str = "en") -> bytes:
    """An iCalendar document with one all-day VEVENT and one VALARM per item.

    An overdue item is placed on ``today`` (a reminder in the past would never ring); the UID is the item id,
    so importing the file again updates the events instead of duplicating them.
    """
    from icalendar import Alarm, Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//kacrm//due list//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "kacrm")
    stamp = datetime(today.year, today.month, today.day, tzinfo=UTC)
    for item in items:
        day = max(item.due_on, today)
        summary = item_summary(item, lang)
        lines = [
            item.reason_zh if lang == "zh" else item.reason,
            f"{item.customer_code} {item.customer_name}",
        ]
        if item.event_on is not None:
            lines.append(t("ics_event_on", lang, on=item.event_on.isoformat()))
        if item.overdue_days:
            # overdue since (a collection: its payment's due date, not the later day a `done` lists it on)
            late_from = today - timedelta(days=item.overdue_days)
            lines.append(t("ics_overdue", lang, days=item.overdue_days, on=late_from.isoformat()))
        lines.append(f"kacrm done {item.id}")
        event = Event()
        event.add("uid", f"{item.id}@kacrm")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", summary)
        event.add("description", "\n".join(lines))
        event.add("categories", [KIND_LABELS_ZH[item.kind] if lang == "zh" else item.kind])
        event.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", ALARM_AFTER_START, parameters={"RELATED": "START"})
        event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()

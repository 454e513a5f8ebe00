"""The due list (SPEC §8): what to do for whom, and when. Pure rules; docs/due-rules.md explains each one.

``due_items`` takes the facts that kacrm.store.due_store loads, the settings and the day ``today``, and returns
every item listed in the window [start, end]: an item is listed when its due_on or event_on falls in the window,
or when it is overdue and not done; an occasion (birthday, anniversary, festival) whose day has passed drops off,
and an after-sale item expires ``after_sale_call_days`` after its due day.
"""

from __future__ import annotations

import calendar as _stdcal
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from kacrm.analysis.calendar import country_festivals, lunar_label, lunar_to_solar, solar_on
from kacrm.analysis.collections import (
    Level,
    action_of,
    ladder,
    level_day,
    level_index,
    next_level_day,
    released,
)
from kacrm.analysis.pool import PoolFacts, last_touch, release_on
from kacrm.config import Settings
from kacrm.domain import DUE_KINDS
from kacrm.due_facts import (
    ContactFacts,
    CustomerFacts,
    DueData,
    DueItem,
)
from kacrm.i18n import MESSAGES

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

OCCASIONS = ("birthday", "anniversary", "festival")
# `done` on a collection at the last ladder level brings it back this many days later while money is owed.
COLLECTION_RECALL_DAYS = 7


class _Days(dict):
    """A day as the text of an item id (20261120), made once per day: a whole book's list has 200,000 ids but a
    few thousand days (strftime costs 3x as much as a format, per item)."""

    def __missing__(self, day: date) -> str:
        text = self[day] = f"{day.year:04d}{day.month:02d}{day.day:02d}"
        return text


_YMD = _Days()
_ymd = _YMD.__getitem__


def _texts(key: str, **values: object) -> tuple[str, str]:
    """The item's reason in English and in Chinese (kacrm.i18n.due): ``t(key, "en", …)`` and ``t(key, "zh", …)``
    with the message looked up once (a whole book's list has a hundred thousand reasons)."""
    entry = MESSAGES[key]
    english = entry["en"]
    return english.format(**values), entry.get("zh", english).format(**values)


class Later(NamedTuple):
    """A reason formatted only when its item is listed (most customers' cadence and win-back are not due)."""

    key: str
    values: dict[str, object]


def _stripped(texts: tuple[str, str]) -> tuple[str, str]:
    """Without the space an empty note leaves."""
    return texts[0].strip(), texts[1].strip()


def _money(cents: int) -> str:
    return f"{cents / 100:,.2f}"


def cadence_days(customer: CustomerFacts, settings: Settings) -> int:
    """The customer's override, else the cadence of their tier, else the untiered default."""
    if customer.cadence_days:
        return customer.cadence_days
    return settings.cadence.days.get(customer.tier or "", settings.cadence.untiered_days)


def is_active(customer: CustomerFacts) -> bool:
    """Lost customers and the company's own (internal) accounts get no calls, greetings or win-back."""
    return customer.status != "lost" and customer.type != "internal"


class _Builder:
    """Collects candidate items, applying done, snooze and the listing rule in one place."""

    done: set[str]
    snoozed: dict[str, date]

    def __init__(
        self, data: DueData, settings: Settings, today: date, start: date, end: date
    ) -> None:
        self.data, self.settings, self.today, self.start, self.end = (
            data,
            settings,
            today,
            start,
            end,
        )
        self.customers = {c.customer_id: c for c in data.customers}
        self.items: list[DueItem] = []
        self.done, self.snoozed = data.done, data.snoozed
        self.reasons: dict[tuple, tuple[str, str]] = {}  # a Later's texts by its key and values

    def never_listed(self, due_on: date) -> bool:
        """An item without an event day that falls due after the window and after today is never listed, done,
        snoozed or not (a snooze only moves it later): a rule can skip it before making its id."""
        return due_on > self.end and due_on >= self.today

    def add(
        self,
        item_id: str,
        kind: str,
        customer: CustomerFacts,
        due_on: date,
        event_on: date | None,
        reason: tuple[str, str] | Later,
        contact: str | None = None,
        ref: object = None,
        action: str | None = None,
        recall_on: date | None = None,
    ) -> None:
        if item_id in self.done:
            return
        today, start, end = self.today, self.start, self.end
        until = self.snoozed.get(item_id)
        in_window = start <= due_on <= end or (event_on is not None and start <= event_on <= end)
        if until is not None and until > due_on:
            due_on, in_window = until, start <= until <= end  # snoozed: only its new day counts
        if kind in OCCASIONS and event_on is not None and event_on < today:
            return
        if kind == "after_sale" and today > due_on + timedelta(
            days=self.settings.due.after_sale_call_days
        ):
            return
        if not in_window and due_on >= today:
            return
        # a collection is overdue from its payment's due date (never while a reminder runs ahead of it, and not
        # from the later day a `done` or snooze lists it on: credit and the statement count from the due date)
        late_from = event_on if kind == "collection" and event_on is not None else due_on
        if isinstance(reason, Later):  # formatted only for an item that is listed
            # 70,000 cadence items of a whole book share 1,600 reasons: each is formatted once
            memo = (reason.key, *reason.values.values())
            texts = self.reasons.get(memo)
            if texts is None:
                texts = self.reasons[memo] = _texts(reason.key, **reason.values)
            reason = texts
        self.items.append(
            DueItem(
                item_id,
                due_on,
                event_on,
                kind,
                customer.code,
                customer.name,
                contact if contact is not None else customer.primary_contact,
                reason[0],
                reason[1],
                (today - late_from).days if late_from < today else 0,
                customer.owner,
                customer.tier,
                customer.customer_id,
                None if ref is None else str(ref),
                action,
                recall_on,
            )
        )


def _cadence(b: _Builder) -> None:
    for c in b.data.customers:
        if not is_active(c):
            continue
        days = cadence_days(c, b.settings)
        if c.last_interaction_on is not None:
            base, why = c.last_interaction_on, "due_reason_cadence_contact"
        elif c.first_order_on is not None:
            base, why = c.first_order_on, "due_reason_cadence_first_order"
        else:
            base, why = c.created_on, "due_reason_cadence_never"
        if c.cadence_days:  # the customer's own cadence, not their tier's
            why += "_own_one" if days == 1 else "_own"
        elif not c.tier:
            why += "_untiered"  # not "tier -"
        due = base + timedelta(days=days)
        if b.never_listed(due):
            continue
        b.add(
            f"cad-{c.customer_id}-{_ymd(due)}",
            "cadence",
            c,
            due,
            None,
            # most customers' cadence is not due in the window: their reason is never formatted
            Later(why, {"base": base.isoformat(), "tier": c.tier, "days": days}),
        )


def _follow_ups(b: _Builder) -> None:
    for r in b.data.follow_ups:
        c = b.customers.get(r.customer_id)
        if c is None:
            continue
        if (
            r.logged is not None
            and c.last_conversation is not None
            and c.last_conversation > r.logged
        ):
            continue  # a later conversation with the customer carried the follow-up
        text = r.text or ""
        b.add(
            f"fu-{r.ref}",
            "follow_up",
            c,
            r.on,
            None,
            _stripped(_texts("due_reason_follow_up", text=text)),
            contact=r.contact,
            ref=r.ref,
        )
    for r in b.data.tasks:
        c = b.customers.get(r.customer_id)
        if c is not None:
            text = r.text or ""
            b.add(
                f"task-{r.ref}",
                "follow_up",
                c,
                r.on,
                None,
                _stripped(_texts("due_reason_task", text=text)),
                ref=r.ref,
            )


def _complaints(b: _Builder) -> None:
    days = b.settings.due.complaint_days
    for r in b.data.complaints:
        c = b.customers.get(r.customer_id)
        if c is not None:
            text = r.text or ""
            b.add(
                f"cmp-{r.ref}",
                "complaint",
                c,
                r.on + timedelta(days=days),
                None,
                _stripped(_texts("due_reason_complaint", on=r.on.isoformat(), text=text)),
                contact=r.contact,
                ref=r.ref,
            )


def _plans(b: _Builder) -> None:
    for r in b.data.plans:
        c = b.customers.get(r.customer_id)
        if c is not None:
            b.add(
                f"plan-{r.ref}",
                "plan",
                c,
                r.on,
                r.on,
                _texts("due_reason_plan", text=r.text),
                ref=r.ref,
            )


def _yearly(first: date, last: date) -> range:
    """Solar years whose yearly dates may land in [first, last]."""
    return range(first.year, last.year + 1)


def _solar_days(first: date, last: date) -> set[tuple[int, int]]:
    """The (month, day) of every yearly solar date that solar_on puts in [first, last]: a whole book has 120,000
    key persons with a date, and only those whose day is in this set need their years computed."""
    days = set()
    for n in range((last - first).days + 1):
        on = first + timedelta(days=n)
        days.add((on.month, on.day))
        if on.month == 2 and on.day == 28 and not _stdcal.isleap(on.year):
            days.add((2, 29))  # solar_on's 29 February in a common year
    return days


def _occasions(b: _Builder) -> None:
    lead = timedelta(days=b.settings.due.lead_days)
    first, last = b.today, max(b.end, b.today) + lead  # event days that can still be listed
    solar = _solar_days(first, last)
    for p in b.data.contacts:
        birthday, anniversary = p.birthday, p.anniversary
        lunar = bool(p.lunar_month and p.lunar_day)
        if not (
            lunar
            or (birthday is not None and (birthday.month, birthday.day) in solar)
            or (anniversary is not None and (anniversary.month, anniversary.day) in solar)
        ):
            continue  # no date of theirs lands in the window
        c = b.customers.get(p.customer_id)
        if c is None or not is_active(c):
            continue
        for event, reason in _birthdays(p, first, last):
            b.add(
                f"bday-{p.contact_id}-{_ymd(event)}",
                "birthday",
                c,
                event - lead,
                event,
                reason,
                contact=p.name,
                ref=p.contact_id,
            )
        for event, reason in _anniversaries(p, first, last):
            b.add(
                f"anniv-{p.contact_id}-{_ymd(event)}",
                "anniversary",
                c,
                event - lead,
                event,
                reason,
                contact=p.name,
                ref=p.contact_id,
            )


def _anniversaries(p: ContactFacts, first: date, last: date) -> list[tuple[date, tuple[str, str]]]:
    """Wedding anniversaries in [first, last] with their reason: the count of years when the year is known (from
    the first one on), none when it is not (like a birthday without a year)."""
    out: list[tuple[date, tuple[str, str]]] = []
    if p.anniversary is None:
        return out
    for year in _yearly(first, last):
        event = solar_on(year, p.anniversary.month, p.anniversary.day)
        if not first <= event <= last:
            continue
        if not p.anniversary_has_year:
            out.append((event, _texts("due_reason_anniversary_no_year", name=p.name)))
        elif year > p.anniversary.year:
            years = year - p.anniversary.year
            out.append((event, _texts("due_reason_anniversary", name=p.name, years=years)))
    return out


def _birthdays(p: ContactFacts, first: date, last: date) -> list[tuple[date, tuple[str, str]]]:
    """Birthday dates in [first, last] with their reason: the lunar birthday when one is recorded, else the
    solar one."""
    out: list[tuple[date, tuple[str, str]]] = []
    if p.lunar_month and p.lunar_day:
        label = lunar_label(p.lunar_month, p.lunar_day, p.lunar_leap)
        # a lunar year starts in late January or February: lunar year Y-1 can still land in solar Y, but not
        # after February (each lunar year ends before 21 February); not computing it saves lunar-python a year
        since = first.year - 1 if first < date(first.year, 3, 1) else first.year
        for year in range(since, last.year + 1):
            event = lunar_to_solar(year, p.lunar_month, p.lunar_day, p.lunar_leap)
            if first <= event <= last:
                out.append((event, _texts("due_reason_lunar_birthday", name=p.name, label=label)))
    elif p.birthday is not None:
        for year in _yearly(first, last):
            event = solar_on(year, p.birthday.month, p.birthday.day)
            if not first <= event <= last:
                continue
            if p.birthday_has_year:
                age = year - p.birthday.year
                if age > 0:
                    out.append((event, _texts("due_reason_birthday_age", name=p.name, age=age)))
            else:
                out.append((event, _texts("due_reason_birthday", name=p.name)))
    return out


def _festivals(b: _Builder) -> None:
    due = b.settings.due
    tiers = set(due.festival_tiers)
    greeted = [c for c in b.data.customers if c.tier in tiers and is_active(c)]
    if not greeted:
        return
    lead = timedelta(days=due.festival_lead_days)
    first, last = b.today, max(b.end, b.today) + lead
    for year in _yearly(first, last):
        for fest in country_festivals(due.festival_country, year):
            if not first <= fest.on <= last:
                continue
            for c in greeted:
                b.add(
                    f"fest-{c.customer_id}-{_ymd(fest.on)}",
                    "festival",
                    c,
                    fest.on - lead,
                    fest.on,
                    _texts("due_reason_festival", name=fest.name, name_zh=fest.name_zh),
                )


def _after_sale(b: _Builder) -> None:
    due = b.settings.due
    threshold = round(due.after_sale_threshold * 100)
    for o in b.data.big_orders:
        c = b.customers.get(o.customer_id)
        if c is None or o.amount_cents <= threshold or o.order_date > b.today:
            continue
        amount = _money(o.amount_cents)
        if c.last_touch_on is None or c.last_touch_on < o.order_date:
            b.add(
                f"thx-{o.order_no}",
                "after_sale",
                c,
                o.order_date + timedelta(days=due.after_sale_thanks_days),
                o.order_date,
                _texts(
                    "due_reason_thanks",
                    order=o.order_no,
                    amount=amount,
                    on=o.order_date.isoformat(),
                ),
                ref=o.order_no,
            )
        if c.last_survey_on is None or c.last_survey_on < o.order_date:
            b.add(
                f"sat-{o.order_no}",
                "after_sale",
                c,
                o.order_date + timedelta(days=due.after_sale_call_days),
                None,
                _texts("due_reason_satisfaction", order=o.order_no, on=o.order_date.isoformat()),
                ref=o.order_no,
            )


def _collections(b: _Builder) -> None:
    """One item per open order at its follow-up ladder level (kacrm.analysis.collections).

    due_on is the due date, or the first level's day while that is still ahead (a reminder before the due
    date); the action is the level reached on ``today`` (the first level while none is reached yet), a call in
    place of a hold while a hand release is in force (kacrm.analysis.collections.released); `done` brings the
    item back on the next level's day (a week later at the last level, and while released).
    """
    levels = ladder(b.settings)
    today = b.today
    lifted = _released(b, levels)
    for o in b.data.open_orders:
        c = b.customers.get(o.customer_id)
        if c is None or o.due_date is None or o.outstanding_cents <= 0:
            continue
        index = max(0, level_index((today - o.due_date).days, levels))
        first = level_day(o.due_date, levels[0])
        due_on = first if first < o.due_date and today < o.due_date else o.due_date
        action = action_of(index, levels, o.customer_id in lifted)
        recall = next_level_day(o.due_date, index, levels)
        if recall is None or recall <= today or action != levels[index].action:
            recall = today + timedelta(days=COLLECTION_RECALL_DAYS)
        amount = _money(o.outstanding_cents)
        b.add(
            f"col-{o.order_no}",
            "collection",
            c,
            due_on,
            o.due_date,
            _texts(
                f"due_reason_collection_{action}",
                amount=amount,
                order=o.order_no,
                on=o.due_date.isoformat(),
            ),
            ref=o.order_no,
            action=action,
            recall_on=recall,
        )


def _released(b: _Builder, levels: list[Level]) -> set[int]:
    """The customers whose credit hold a hand release has lifted on ``today``."""
    if not b.data.holds:
        return set()
    due: dict[int, list[date]] = {}
    for o in b.data.open_orders:
        if o.due_date is not None and o.outstanding_cents > 0:
            due.setdefault(o.customer_id, []).append(o.due_date)
    return {
        cid
        for cid, manual in b.data.holds.items()
        if released(due.get(cid, []), levels, manual, b.today)
    }


def _pool(b: _Builder) -> None:
    """Accounts the public pool (kacrm.analysis.pool) releases unless contacted: listed for their owner
    ``warn_days`` before the release day, which is the event."""
    pool = b.settings.pool
    if not pool.release_after_days:
        return
    warn = timedelta(days=pool.warn_days)
    for c in b.data.customers:
        if c.owner is None:
            continue
        facts = PoolFacts(
            customer_id=c.customer_id,
            code=c.code,
            name=c.name,
            owner=c.owner,
            tier=c.tier,
            created_on=c.created_on,
            owner_since=c.owner_since,
            last_interaction_on=c.last_interaction_on,
            last_order_on=c.last_order_on,
            locked=c.pool_locked,
            pinned=c.pinned,
            open_receivables=c.open_receivables,
            status=c.status,
            type=c.type,
        )
        release = release_on(facts, pool)
        if release is None:
            continue
        b.add(
            f"pool-{c.customer_id}-{_ymd(release)}",
            "pool",
            c,
            release - warn,
            release,
            _texts(
                "due_reason_pool" if release > b.today else "due_reason_pool_due",
                on=release.isoformat(),
                last=last_touch(facts).isoformat(),
                tier=c.tier,
                days=pool.release_after_days[c.tier or ""],
            ),
        )


def _win_back(b: _Builder) -> None:
    due = b.settings.due
    for c in b.data.customers:
        if c.last_order_on is None or not is_active(c):
            continue
        if c.p_alive is not None:  # a clv run decides for the customers it covers
            if c.p_alive < due.win_back_p_alive and c.clv_as_of is not None:
                b.add(
                    f"wb-{c.customer_id}-{_ymd(c.last_order_on)}",
                    "win_back",
                    c,
                    max(c.clv_as_of, c.last_order_on),
                    None,
                    Later(
                        "due_reason_p_alive", {"p": c.p_alive, "last": c.last_order_on.isoformat()}
                    ),
                )
            continue
        if c.order_days < 2 or c.first_order_on is None:
            continue
        usual = (c.last_order_on - c.first_order_on).days / (c.order_days - 1)
        if usual <= 0:
            continue
        # quiet too long once the days since the last order exceed factor x usual interval
        due_on = c.last_order_on + timedelta(days=int(due.win_back_factor * usual) + 1)
        if b.never_listed(due_on):
            continue
        if b.today < due_on:  # listed ahead: not quiet yet, worded from the day it will be
            days = round(usual)
            key = "due_reason_quiet_from_one" if days == 1 else "due_reason_quiet_from"
            values = {"on": due_on.isoformat(), "last": c.last_order_on.isoformat(), "usual": days}
            reason = Later(key, values)
        else:
            reason = Later(
                "due_reason_quiet", {"quiet": (b.today - c.last_order_on).days, "usual": usual}
            )
        b.add(f"wb-{c.customer_id}-{_ymd(c.last_order_on)}", "win_back", c, due_on, None, reason)


RULES = (
    _complaints,
    _follow_ups,
    _collections,
    _pool,
    _cadence,
    _after_sale,
    _occasions,
    _festivals,
    _win_back,
    _plans,
)

# The rules that read only customers, key persons, plans and the done/snoozed marks (store.due_store's
# load_occasion_data): birthdays, anniversaries, festivals and plan targets.
OCCASION_RULES = (_occasions, _festivals, _plans)

_KIND_RANK = {kind: rank for rank, kind in enumerate(DUE_KINDS)}
assert len(DUE_KINDS) <= 16  # a kind's rank takes 4 bits of sort_key's number
_DAYS_MASK = (1 << 22) - 1  # an overdue item's key counts down from it by its days overdue


def sort_key(item: DueItem) -> tuple[int, str, str]:
    """Overdue first (by kind, complaints first, then oldest first: most days overdue, which for a collection a
    `done` brought back is not its later ``due_on``), then by day and kind; then by customer.

    The day (or days overdue) and kind are one number (a day's ordinal fits 22 bits, a kind's rank 4): a whole
    book's list sorts 140,000 items, and keys of three cells compare faster than keys of six."""
    rank = _KIND_RANK[item.kind]
    if item.overdue_days > 0:
        return (rank << 22 | (_DAYS_MASK - item.overdue_days), item.customer_code, item.id)
    return (1 << 26 | item.due_on.toordinal() << 4 | rank, item.customer_code, item.id)


def due_items(
    data: DueData,
    settings: Settings,
    today: date,
    start: date,
    end: date,
    rules: Sequence[Callable[[_Builder], None]] = RULES,
) -> list[DueItem]:
    """Every item the ``rules`` (all of them unless given) list in the window [start, end] on the day
    ``today``, overdue first."""
    builder = _Builder(data, settings, today, start, end)
    for rule in rules:
        rule(builder)
    return sorted(builder.items, key=sort_key)


def select_items(
    items: list[DueItem],
    *,
    owner: str | None = None,
    tier: str | None = None,
    kind: str | None = None,
    overdue_only: bool = False,
) -> list[DueItem]:
    """The items matching the `due` filters."""
    return [
        i
        for i in items
        if (owner is None or i.owner == owner)
        and (tier is None or i.tier == tier)
        and (kind is None or i.kind == kind)
        and (not overdue_only or i.overdue_days > 0)
    ]

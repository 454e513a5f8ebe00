"""The follow-up ladder (催款) and credit hold (SPEC §15). Pure rules: due dates and ``today`` in, levels out.

- A ladder is a list of levels (``after_days``, ``action``) in ascending ``after_days``; the default is −3
  reminder, 1 call, 15 letter, 30 hold, 60 escalate (kacrm.config.CollectionsSettings).
- An open item's level on ``today`` is the last level whose ``after_days`` ≤ days past due (today − due date);
  before the first level's day it has none yet.
- A customer is on hold when one of their open items is at the first ``hold``/``escalate`` level or later. A
  manual hold (``kacrm credit hold``) holds whatever the ladder says; a manual release lifts the hold until another
  item reaches the hold level after the day of the release.
- While a release is in force, an item at a ``hold`` or ``escalate`` level asks for a ``call``
  (``RELEASED_ACTION``): the credit manager lifted the hold, and the collector follows the customer's promise up
  by phone (SPEC §15 is silent; docs/credit.md). Once another item reaches the hold level the customer is on hold
  again, and every item reads its own level.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from kacrm.config import Settings
from kacrm.domain import HOLD_ACTIONS

# What an item at a hold (or later) level asks for while a hand release is in force.
RELEASED_ACTION = "call"


@dataclass(frozen=True)
class Level:
    after_days: int
    action: str


def ladder(settings: Settings) -> list[Level]:
    """The configured levels (already checked by kacrm.config), mildest first."""
    return [Level(int(lv["after_days"]), str(lv["action"])) for lv in settings.collections.levels]


def level_index(days_past_due: int, levels: list[Level]) -> int:
    """Index of the level an item ``days_past_due`` days past its due date is at; −1 before the first level."""
    found = -1
    for i, level in enumerate(levels):
        if level.after_days <= days_past_due:
            found = i
    return found


def level_day(due_on: date, level: Level) -> date:
    """The day an item due on ``due_on`` reaches ``level``."""
    return due_on + timedelta(days=level.after_days)


def next_level_day(due_on: date, index: int, levels: list[Level]) -> date | None:
    """The day an item at level ``index`` reaches the next level (None at the last level)."""
    if index + 1 >= len(levels):
        return None
    return level_day(due_on, levels[index + 1])


def hold_level(levels: list[Level]) -> int | None:
    """Index of the first level that holds credit (None when the ladder has none)."""
    return next((i for i, lv in enumerate(levels) if lv.action in HOLD_ACTIONS), None)


def hold_days(due_dates: list[date], levels: list[Level], today: date) -> list[date]:
    """The days on which open items due on ``due_dates`` reached the hold level, up to ``today``."""
    index = hold_level(levels)
    if index is None:
        return []
    days = (level_day(d, levels[index]) for d in due_dates)
    return sorted(d for d in days if d <= today)


def on_hold(
    due_dates: list[date],
    levels: list[Level],
    manual: list[tuple[date, bool]],
    today: date,
) -> bool:
    """Whether a customer is on credit hold on ``today``.

    due_dates: the due dates of the customer's open items; manual: the hand-made (day, hold?) decisions, oldest
    first (True: `credit hold`, False: `credit release`); only those up to ``today`` count.
    """
    reached = hold_days(due_dates, levels, today)
    decided = [(on, hold) for on, hold in manual if on <= today]
    if not decided:
        return bool(reached)
    last_on, last_hold = decided[-1]
    if last_hold:
        return True
    return any(day > last_on for day in reached)


def released(
    due_dates: list[date], levels: list[Level], manual: list[tuple[date, bool]], today: date
) -> bool:
    """Whether a hand release is in force on ``today``: the latest decision up to the day is a release, and no
    item has reached the hold level since (``on_hold``'s arguments)."""
    decided = [hold for on, hold in manual if on <= today]
    return bool(decided) and not decided[-1] and not on_hold(due_dates, levels, manual, today)


def action_of(index: int, levels: list[Level], is_released: bool) -> str:
    """The action of an item at level ``index`` (0 or more): RELEASED_ACTION in place of a hold or escalation
    while a release is in force."""
    action = levels[index].action
    return RELEASED_ACTION if is_released and action in HOLD_ACTIONS else action

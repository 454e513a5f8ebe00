"""The public pool (公海, SPEC §14, issue 18): list the accounts in warning, due or pooled; release the due ones;
claim from the pool and assign by hand within the capacity and cooldown rules; lock accounts against release.

Rules: kacrm.analysis.pool; loads and writes: kacrm.store.pool_store; words: kacrm.i18n.pool.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from kacrm.analysis.pool import PoolFacts, PoolRow, check_claim, pool_rows
from kacrm.app.owners import capacity_in_force, check_new_owner, check_owner
from kacrm.app.primary import primary
from kacrm.domain import TIERS
from kacrm.errors import ActionRefused, UsageError, worded
from kacrm.i18n import t
from kacrm.store.pool_store import (
    Account,
    account,
    holding,
    load_pool_facts,
    owner_capacity,
    release,
    set_lock,
    take,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kacrm.config import Settings
    from kacrm.store.reader import SqliteBook


def pool_notice(book: SqliteBook | Engine, settings: Settings, lang: str) -> str | None:
    """Why nothing can be released, when that is so: no [pool] release_after_days, or days only for tiers of
    another family than the tier in force's (A/B/C while the pyramid is primary: released by nothing, silently)."""
    days = settings.pool.release_after_days
    if not days:
        return t("pool_off", lang)
    method = primary(book, settings.tier, settings.sources).method
    if not set(days) & set(TIERS[method]):
        return t(
            "pool_other_family",
            lang,
            keys=", ".join(days),
            method=method,
            tiers=", ".join(TIERS[method]),
        )
    return None


def pool_list(
    book: SqliteBook | Engine, settings: Settings, today: date, owner: str | None = None
) -> list[PoolRow]:
    """`kacrm pool`: the accounts due for release, in warning, and in the pool (``owner``: only theirs);
    ``book``: the SQLite file read without SQLAlchemy, or an engine (kacrm.store.reader). An ``owner`` nobody
    has is NotFound (a typo must not look like an empty pool)."""
    if owner is not None:
        owner = check_owner(book, owner)
    facts = [PoolFacts(**f) for f in load_pool_facts(book, today, owner=owner)]
    return pool_rows(facts, settings.pool, today)


def release_due(
    engine: Engine, settings: Settings, today: date, dry_run: bool = False
) -> list[PoolRow]:
    """`kacrm pool release`: release every account due on ``today``; the accounts released (with --dry-run,
    those that would be). An account another process released (or someone claimed) meanwhile is left out."""
    facts = [PoolFacts(**f) for f in load_pool_facts(engine, today)]
    due = [r for r in pool_rows(facts, settings.pool, today) if r.status == "due"]
    if dry_run or not due:
        return due
    taken = set(release(engine, [(r.customer_id, r.owner or "") for r in due], today))
    return [r for r in due if r.customer_id in taken]


@dataclass(frozen=True)
class Handover:
    code: str
    name: str
    owner: str
    previous: str | None
    changed: bool  # False: the account already belonged to the owner


def capacity_of(engine: Engine, settings: Settings, owner: str) -> int:
    """The most customers ``owner`` may hold (0: no cap; kacrm.app.owners.capacity_in_force)."""
    return capacity_in_force(owner_capacity(engine, owner), settings)


def _refuse(key: str, **values: object) -> ActionRefused:
    return ActionRefused(t(key, "en", **values), t(key, "zh", **values))


def hand_over(
    engine: Engine,
    settings: Settings,
    today: date,
    code: str,
    owner: str,
    reason: str,
    note: str | None = None,
) -> Handover:
    """Give the account ``code`` to ``owner``: ``claimed`` from the pool (only an account without owner) or
    ``assigned`` by hand (from anyone; `customer edit --owner` too). Refused (exit 4) over the owner's capacity
    or inside the cooldown after the owner's own release of the account."""
    acct, owner = check_hand_over(engine, settings, today, code, owner, reason)
    return complete_hand_over(engine, today, acct, owner, reason, note)


def check_hand_over(
    engine: Engine, settings: Settings, today: date, code: str, owner: str, reason: str
) -> tuple[Account, str]:
    """The account and the owner's name (spaces tidied) once ``hand_over`` may give it: NotFound (exit 1) for an
    owner nobody knows, ActionRefused (exit 4) over capacity or in the cooldown; nothing written either way."""
    owner = " ".join(owner.split())
    if not owner:
        raise worded(UsageError, "pool_no_owner_name")
    acct = account(engine, code)
    if acct.owner == owner:
        return acct, owner
    check_new_owner(engine, owner)
    if reason == "claimed" and acct.owner is not None:
        raise _refuse("pool_refused_owned", code=acct.code, owner=acct.owner)
    check = check_claim(
        owner,
        holding(engine, owner),
        capacity_of(engine, settings, owner),
        acct.last_release,
        settings.pool.cooldown_days,
        today,
    )
    if check.reason == "capacity":
        raise _refuse(
            "pool_refused_capacity", owner=owner, holding=check.holding, capacity=check.capacity
        )
    if check.reason == "cooldown":
        raise _refuse(
            "pool_refused_cooldown",
            code=acct.code,
            owner=owner,
            on=check.released_on,
            until=check.until,
            days=settings.pool.cooldown_days,
        )
    return acct, owner


def complete_hand_over(
    engine: Engine, today: date, acct: Account, owner: str, reason: str, note: str | None = None
) -> Handover:
    """Write what ``check_hand_over`` allowed: the owner, the day they got the account, the history row."""
    if acct.owner == owner:
        return Handover(acct.code, acct.name, owner, owner, changed=False)
    if not take(engine, acct, owner, reason, today, note):
        raise _refuse("pool_refused_taken", code=acct.code)
    return Handover(acct.code, acct.name, owner, acct.owner, changed=True)


def clear_owner(engine: Engine, today: date, code: str) -> None:
    """`customer edit --owner ""`: the account goes to the pool by hand, with a history row (``assigned`` to
    nobody: not a release, so no cooldown for the previous owner); nothing when it has no owner."""
    acct = account(engine, code)
    if acct.owner is not None:
        take(engine, acct, None, "assigned", today)


def lock(book: SqliteBook | Engine, code: str, locked: bool) -> tuple[str, str]:
    """Lock (unlock) an account against release; its code and name."""
    return set_lock(book, code, locked)

"""The public pool (公海, SPEC §14): which accounts are in warning, due for release or pooled. Pure rules: the
facts of each customer, the settings and ``today`` in, statuses out; docs/pool.md explains them.

- Last touch = the latest of the last interaction, the last order and the day the current owner got the account
  (``owner_since``, unknown for an owner set before the pool or by an import); the day the customer was created
  when none of them is known.
- Release day = last touch + ``release_after_days[tier]`` (the tier in force); a tier without a number is never
  released. Status ``warning`` from release day − ``warn_days``, ``due`` from the release day, ``pooled`` once
  released (no owner).
- Never released: locked accounts, accounts with money still to collect (``exempt_open_receivables``), accounts
  with a tier pinned by hand (``exempt_pinned``), and lost or internal accounts.
- A claim is refused over the owner's capacity, or by the previous owner within ``cooldown_days`` of the release.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from kacrm.config import PoolSettings


@dataclass(frozen=True)
class PoolFacts:
    """One customer as the pool rules see it (dates up to today)."""

    customer_id: int
    code: str
    name: str
    owner: str | None
    tier: str | None  # the tier in force (a pinned tier wins)
    created_on: date
    owner_since: date | None = None
    last_interaction_on: date | None = None
    last_order_on: date | None = None
    locked: bool = False
    pinned: bool = False
    open_receivables: bool = False
    status: str | None = "active"  # customer status: lost accounts are not worked any more
    type: str | None = "business"
    released_on: date | None = None  # the last release to the pool (for pooled accounts)


@dataclass(frozen=True)
class PoolRow:
    customer_id: int
    customer_code: str
    customer_name: str
    owner: str | None
    tier: str | None
    last_touch_on: date | None
    release_on: date | None
    status: str  # due | warning | pooled


def last_touch(f: PoolFacts) -> date:
    """The latest of the last interaction, the last order and the day the current owner got the account.

    The day the owner got it is unknown for owners set before the pool or by an import (``owner_since`` NULL):
    then it does not count, and an account with neither contact nor order counts from its creation."""
    known = [d for d in (f.last_interaction_on, f.last_order_on, f.owner_since) if d is not None]
    return max(known) if known else f.created_on


def exempt(f: PoolFacts, pool: PoolSettings) -> bool:
    """Never released: locked by hand, money still to collect, a tier pinned by hand (when configured so), and
    accounts no one works (lost, internal)."""
    return (
        f.locked
        or (pool.exempt_open_receivables and f.open_receivables)
        or (pool.exempt_pinned and f.pinned)
        or f.status == "lost"
        or f.type == "internal"
    )


def release_on(f: PoolFacts, pool: PoolSettings) -> date | None:
    """The day the account goes back to the pool unless contacted; None when it never does."""
    days = pool.release_after_days.get(f.tier or "")
    if f.owner is None or days is None or exempt(f, pool):
        return None
    return last_touch(f) + timedelta(days=days)


def pool_status(f: PoolFacts, pool: PoolSettings, today: date) -> PoolRow | None:
    """The account's row in `kacrm pool`, or None when it is neither pooled nor close to release."""
    if f.owner is None:
        if f.status == "lost" or f.type == "internal":
            return None  # nobody's opportunity: not listed as claimable
        return PoolRow(
            f.customer_id, f.code, f.name, None, f.tier, last_touch(f), f.released_on, "pooled"
        )
    release = release_on(f, pool)
    if release is None:
        return None
    if today >= release:
        status = "due"
    elif today >= release - timedelta(days=pool.warn_days):
        status = "warning"
    else:
        return None
    return PoolRow(f.customer_id, f.code, f.name, f.owner, f.tier, last_touch(f), release, status)


def pool_rows(facts: list[PoolFacts], pool: PoolSettings, today: date) -> list[PoolRow]:
    """Every pooled account and every account in warning or due, due first, then warning, then pooled; within
    a status by release day and code."""
    rows = [r for f in facts if (r := pool_status(f, pool, today)) is not None]
    order = {"due": 0, "warning": 1, "pooled": 2}
    return sorted(rows, key=lambda r: (order[r.status], r.release_on or date.max, r.customer_code))


@dataclass(frozen=True)
class ClaimCheck:
    """Why a claim or assignment is refused (None: allowed)."""

    reason: str | None  # capacity | cooldown
    holding: int = 0
    capacity: int = 0
    released_on: date | None = None
    until: date | None = None  # the first day the previous owner may claim it back


def check_claim(
    new_owner: str,
    holding: int,
    capacity: int,
    last_release: tuple[date, str | None] | None,
    cooldown_days: int,
    today: date,
) -> ClaimCheck:
    """May ``new_owner``, holding ``holding`` customers, take one more? ``capacity`` 0 means no cap;
    ``last_release`` is (day, previous owner) of the account's last release to the pool."""
    if capacity > 0 and holding >= capacity:
        return ClaimCheck("capacity", holding=holding, capacity=capacity)
    if last_release is not None and last_release[1] == new_owner:
        until = last_release[0] + timedelta(days=cooldown_days)
        if today < until:
            return ClaimCheck("cooldown", released_on=last_release[0], until=until)
    return ClaimCheck(None, holding=holding, capacity=capacity)


def team_owner_stands(trail: list[tuple[str, str | None]], file_owner: str) -> bool:
    """Whether a customers file's owner is stale against the team's own hand-overs (docs/team.md).

    ``trail``: the account's ownership history as (reason, previous owner), oldest first. When kacrm handed the
    account over since the last import wrote its owner (released, claimed or assigned after the last
    ``imported`` row, or at all), the owner the file says is stale when it is one of the owners those hand-overs
    took the account from: an ERP that never knows the pool keeps naming the old salesperson (or one the ERP was
    told of while kacrm moved on: released, claimed by 李娜, assigned to 王磊, a file saying 李娜), and that must
    not undo the team's decision. A file naming anyone else brings news (the ERP moved the account) and is
    applied."""
    imports = [i for i, (reason, _) in enumerate(trail) if reason == "imported"]
    since_import = trail[imports[-1] + 1 :] if imports else trail
    return any(previous == file_owner for _, previous in since_import)

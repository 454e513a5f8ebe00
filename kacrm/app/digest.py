"""The daily digest (SPEC §10): load the due list, the receivables it holds, the at-risk key accounts and the
period's rows, and assemble the digest with kacrm.analysis.digest."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from kacrm.analysis.digest import (
    EVENT_DAYS,
    CustomerRef,
    Digest,
    DigestInputs,
    KeyPerson,
    NewOrder,
    PoolRelease,
    TierMove,
    assemble_digest,
)
from kacrm.analysis.due import due_items
from kacrm.analysis.receivables import Table, table
from kacrm.analysis.report import RiskFacts, at_risk_rows, overdue_by_customer, risk_windows
from kacrm.app.due import collector_paused
from kacrm.app.primary import primary
from kacrm.due_facts import DueData
from kacrm.errors import KacrmError
from kacrm.render.digest import redact
from kacrm.store import digest_store as store
from kacrm.store.due_store import CustomerFilter, Scope, load_due_data
from kacrm.store.owner_rows import owner_emails, owner_rows
from kacrm.store.pool_store import releases_between
from kacrm.store.report_store import load_risk_facts

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kacrm.config import Settings
    from kacrm.store.reader import SqliteBook

# ``book``: the SQLite file read through the stdlib driver, or an engine (kacrm.store.reader); a run that records
# itself (the lock, its digest_run row) writes through the engine.


def _open_items(data: DueData, today: date) -> Table:
    """The open orders the due rules loaded (due by the end of the window), as receivables' open items."""
    rows = [
        (o.customer_id, o.order_no, o.due_date, o.outstanding_cents, (today - o.due_date).days)
        for o in data.open_orders
        if o.due_date is not None
    ]
    return table(
        ["customer_id", "order_no", "due_date", "outstanding_cents", "days_past_due"], rows
    )


# the at-risk section compares the last 12 months with the 12 before, as `report churn` does by default
_RISK_MONTHS = 12


def _at_risk(
    book: SqliteBook | Engine,
    settings: Settings,
    today: date,
    method: str,
    overdue: dict[int, tuple[int, int]],
    lang: str,
    scope: Scope,
) -> list[dict[str, Any]]:
    """The at-risk key accounts among the customers of ``scope``, from per-customer sums of the database (not
    every order in pandas). Every sign is the customer's own; which customers are key accounts is too, except
    before any tiering, when they are the top 20% of the whole book's buyers: a scope without a tiered customer
    (which cannot tell) is judged on the whole book's facts and its own rows kept."""
    windows = risk_windows(today, _RISK_MONTHS)
    facts = RiskFacts(**load_risk_facts(book, today, method, *windows, scope))
    if scope.ids is None or any(isinstance(tier, str) for *_, tier in facts.accounts):
        return at_risk_rows(facts, overdue, settings, today, _RISK_MONTHS, lang=lang)
    if not facts.accounts:
        return []
    codes = {code for _id, code, _name, _tier in facts.accounts}
    book_facts = RiskFacts(**load_risk_facts(book, today, method, *windows))
    rows = at_risk_rows(book_facts, overdue, settings, today, _RISK_MONTHS, lang=lang)
    return [row for row in rows if row["customer_code"] in codes]


def load_inputs(
    book: SqliteBook | Engine,
    settings: Settings,
    period_start: date,
    today: date,
    lang: str = "en",
    owner: str | None = None,
    late: store.LateBatches = store.NO_LATE,
) -> DigestInputs:
    """Everything the digest of ``period_start`` … ``today`` is assembled from: of the whole book, or of the
    customers of ``owner`` only (every section reads theirs alone, as `due --owner` does). ``late``: the import
    batches whose orders dated before the period are new to the recipient (``digest_store.late_batches``)."""
    horizon = today + timedelta(days=EVENT_DAYS - 1)
    data = load_due_data(book, settings, today, horizon, CustomerFilter(owner=owner))
    scope = (
        Scope() if owner is None else Scope(tuple(sorted(c.customer_id for c in data.customers)))
    )
    items = due_items(data, settings, today, today, horizon)
    open_items = _open_items(data, today)
    contact_ids = {
        int(i.ref) for i in items if i.kind in ("birthday", "anniversary") and i.ref is not None
    }
    in_force = primary(book, settings.tier, settings.sources).method
    rows = store.load_rows(book, period_start, today, contact_ids, (in_force,), scope, late)
    overdue = overdue_by_customer(open_items)
    at_risk = _at_risk(book, settings, today, in_force, overdue, lang, scope)
    releases = releases_between(book, period_start, today)
    customers = rows.customers
    # every release of the period, in an owner's digest too (docs/digest.md): an account in the pool is anyone's
    # to claim, so the released accounts are named though the owner does not hold them
    released = {r[0] for r in releases} - customers.keys()
    if released:
        customers = {**customers, **store.customer_refs(book, released, today)}
    return DigestInputs(
        customers={cid: CustomerRef(*ref) for cid, ref in customers.items()},
        due_items=items,
        key_persons={key: KeyPerson(*person) for key, person in rows.key_persons.items()},
        open_items=open_items,
        balances=data.balances,  # the due loader summed them for the collections
        tier_moves=[TierMove(*move) for move in rows.tier_moves],
        at_risk=at_risk,
        new_orders=[NewOrder(*order) for order in rows.new_orders],
        pool_releases=[PoolRelease(*r) for r in releases],
    )


@dataclass(frozen=True)
class DigestRun:
    """What a digest run did: ``covered`` (another run sent this period already), skipped, sent or written."""

    status: str
    period_start: date | None = None
    period_end: date | None = None


@dataclass(frozen=True)
class Recipient:
    """Who a digest goes to and what it covers: its record (period, never twice) is kept per recipient and
    scope (SPEC §13)."""

    channel: str  # email | file | stdout
    address: str = ""  # the email address; '' for a file or stdout
    owner: str | None = None  # the salesperson whose customers it covers; None: the whole book


@dataclass(frozen=True)
class Outcome:
    """One recipient's digest in a run of several: what happened, or why it failed."""

    recipient: Recipient
    run: DigestRun | None = None
    error: str | None = None


def _again(channel: str) -> bool:
    """The once-a-day rule is for what is sent (email) or shown (stdout): a file run always writes its file, the
    period of the last file digest again when today is covered already (docs/digest.md)."""
    return channel == "file"


def preview(
    book: SqliteBook | Engine,
    settings: Settings,
    channel: str,
    today: date,
    lang: str,
    redacted: bool,
    *,
    address: str = "",
    owner: str | None = None,
) -> Digest:
    """The digest the next run for this recipient would send, without claiming its period (--dry-run)."""
    start, end = store.next_period(book, channel, today, address, owner or "", _again(channel))
    start = min(start, end)
    late = store.late_batches(book, channel, start, address, owner or "")
    return _built(book, settings, start, today, lang, redacted, owner, late)


def _built(
    book: SqliteBook | Engine,
    settings: Settings,
    period_start: date,
    today: date,
    lang: str,
    redacted: bool,
    owner: str | None = None,
    late: store.LateBatches = store.NO_LATE,
) -> Digest:
    """The digest of ``period_start`` … ``today`` in ``lang`` (of one owner's customers when given, with the
    late arrivals of the import batches ``late``), redacted when asked."""
    with collector_paused():  # a whole book's due list and sections: millions of objects, no cycle
        inputs = load_inputs(book, settings, period_start, today, lang, owner, late)
        digest = replace(assemble_digest(inputs, period_start, today, lang), owner=owner)
        return redact(digest) if redacted else digest


def run(
    engine: Engine,
    settings: Settings,
    today: date,
    lang: str,
    channel: str,
    deliver: Callable[[Digest], str],
    *,
    address: str = "",
    owner: str | None = None,
    redacted: bool = False,
    skip_empty: bool = False,
    wait: float = 60.0,
    built: dict[tuple[date, str | None, store.LateBatches], Digest] | None = None,
) -> DigestRun:
    """Claim the period not yet covered for this recipient and scope, assemble its digest, hand it to
    ``deliver`` (which says where it went) and record the run; a failure is recorded as such and raised
    again. ``built``: the digests assembled already in this run, by period start, owner and the import batches
    of their late arrivals, to reuse."""
    claim = store.claim(
        engine,
        channel,
        today,
        recipient=address,
        owner=owner or "",
        again=_again(channel),
        wait_seconds=wait,
    )
    if claim is None:
        return DigestRun("covered")
    period = (claim.period_start, claim.period_end)
    try:
        late = store.late_batches(engine, channel, claim.period_start, address, owner or "")
        key = (claim.period_start, owner, late)
        digest = built.get(key) if built is not None else None
        if digest is None:
            digest = _built(
                engine, settings, claim.period_start, today, lang, redacted, owner, late
            )
            if built is not None:
                built[key] = digest
        if skip_empty and digest.is_empty():
            store.finish(engine, claim.run_id, store.SKIPPED, "nothing to report")
            return DigestRun(store.SKIPPED, *period)
        target = deliver(digest)
    except BaseException as exc:
        detail = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        store.finish(engine, claim.run_id, store.FAILED, str(detail)[:500])
        raise
    counts = ", ".join(f"{k} {v}" for k, v in digest.counts().items())
    status = store.SENT if channel == "email" else store.WRITTEN
    store.finish(engine, claim.run_id, status, f"{target}: {counts}")
    return DigestRun(status, *period)


def team_recipients(book: SqliteBook | Engine, managers: list[str]) -> list[Recipient]:
    """`digest --team`: every owner with a stored email gets their own customers' digest, each manager address
    the whole book's."""
    owners = [Recipient("email", email, name) for name, email in sorted(owner_emails(book).items())]
    return owners + [Recipient("email", address) for address in managers]


def owners_without_address(book: SqliteBook | Engine) -> list[tuple[str, int]]:
    """`digest --team`: (owner, customers) of every owner with customers and no stored email, whose customers'
    digest goes to nobody but the --email addresses (docs/team.md)."""
    return [
        (row["owner"], row["customers"])
        for row in owner_rows(book)
        if row["customers"] and not row["email"]
    ]


def owner_address(book: SqliteBook | Engine, owner: str) -> str | None:
    """The stored email of ``owner`` (None when none is stored)."""
    return owner_emails(book).get(owner)


def run_each(
    engine: Engine,
    settings: Settings,
    today: date,
    lang: str,
    recipients: list[Recipient],
    deliver: Callable[[Recipient, Digest], str],
    **options: Any,
) -> list[Outcome]:
    """One digest per recipient, each with its own record: a failure (a refused address, a server down) is
    recorded for that recipient only and the others still go out; the caller reports failures at the end.
    Recipients of the same scope and period (the managers of a team, several --email) share one digest: the
    whole book is loaded once, not once per address."""
    outcomes = []
    built: dict[tuple[date, str | None, store.LateBatches], Digest] = {}
    for recipient in recipients:
        try:
            done = run(
                engine,
                settings,
                today,
                lang,
                recipient.channel,
                lambda digest, r=recipient: deliver(r, digest),
                address=recipient.address,
                owner=recipient.owner,
                built=built,
                **options,
            )
        except (KacrmError, OSError) as exc:
            text = exc.text(lang) if isinstance(exc, KacrmError) else str(exc)
            outcomes.append(Outcome(recipient, error=text))
        else:
            outcomes.append(Outcome(recipient, run=done))
    return outcomes

"""The daily digest (SPEC §10): load the due list, the receivables it holds, the at-risk key accounts and the
period's rows, and assemble the digest with kacrm.analysis.digest."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

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
from kacrm.analysis.report import ReportData, at_risk_accounts
from kacrm.due_facts import DueData
from kacrm.render.digest import redact

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy import Engine

    from kacrm.config import Settings


def _open_items(data: DueData, today: date) -> pd.DataFrame:
    """The open orders the due rules loaded (due by the end of the window), as receivables' open items."""
    import pandas as pd

    rows = [
        (o.customer_id, o.order_no, o.due_date, o.outstanding_cents, (today - o.due_date).days)
        for o in data.open_orders
        if o.due_date is not None
    ]
    return pd.DataFrame(
        rows, columns=["customer_id", "order_no", "due_date", "outstanding_cents", "days_past_due"]
    )


def load_inputs(
    engine: Engine, settings: Settings, period_start: date, today: date, lang: str = "en"
) -> DigestInputs:
    """Everything the digest of ``period_start`` … ``today`` is assembled from."""
    from kacrm.store.digest_store import load_rows
    from kacrm.store.due_store import load_due_data
    from kacrm.store.pool_store import releases_between
    from kacrm.store.report_store import load_report_data

    horizon = today + timedelta(days=EVENT_DAYS - 1)
    data = load_due_data(engine, settings, today, horizon)
    items = due_items(data, settings, today, today, horizon)
    open_items = _open_items(data, today)
    contact_ids = {
        int(i.ref) for i in items if i.kind in ("birthday", "anniversary") and i.ref is not None
    }
    rows = load_rows(engine, period_start, today, contact_ids)
    report_data = ReportData(**load_report_data(engine, today, order_amounts_only=True))
    return DigestInputs(
        customers={cid: CustomerRef(*ref) for cid, ref in rows.customers.items()},
        due_items=items,
        key_persons={key: KeyPerson(*person) for key, person in rows.key_persons.items()},
        open_items=open_items,
        balances=rows.balances,
        tier_moves=[TierMove(*move) for move in rows.tier_moves],
        at_risk=at_risk_accounts(report_data, settings, today, lang=lang, open_items=open_items),
        new_orders=[NewOrder(*order) for order in rows.new_orders],
        pool_releases=[PoolRelease(*r) for r in releases_between(engine, period_start, today)],
    )


@dataclass(frozen=True)
class DigestRun:
    """What a digest run did: ``covered`` (another run sent this period already), skipped, sent or written."""

    status: str
    period_start: date | None = None
    period_end: date | None = None


def preview(
    engine: Engine, settings: Settings, channel: str, today: date, lang: str, redacted: bool
) -> Digest:
    """The digest the next run on ``channel`` would send, without claiming its period (--dry-run)."""
    from kacrm.store.digest_store import next_period

    start, end = next_period(engine, channel, today)
    return _built(engine, settings, min(start, end), today, lang, redacted)


def _built(
    engine: Engine, settings: Settings, period_start: date, today: date, lang: str, redacted: bool
) -> Digest:
    """The digest of ``period_start`` … ``today`` in ``lang``, redacted when asked."""
    inputs = load_inputs(engine, settings, period_start, today, lang)
    digest = assemble_digest(inputs, period_start, today, lang)
    return redact(digest) if redacted else digest


def run(
    engine: Engine,
    settings: Settings,
    today: date,
    lang: str,
    channel: str,
    deliver: Callable[[Digest], str],
    *,
    redacted: bool = False,
    skip_empty: bool = False,
    wait: float = 60.0,
) -> DigestRun:
    """Claim the period not yet covered on ``channel``, assemble its digest, hand it to ``deliver`` (which says
    where it went) and record the run; a failure is recorded as such and raised again."""
    from kacrm.store import digest_store as store

    claim = store.claim(engine, channel, today, wait_seconds=wait)
    if claim is None:
        return DigestRun("covered")
    period = (claim.period_start, claim.period_end)
    try:
        digest = _built(engine, settings, claim.period_start, today, lang, redacted)
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

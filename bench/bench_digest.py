"""`kacrm digest` on the populated book (100,000 customers, 1,000,000 orders at scale 1): target < 2 s.

The command: ``kacrm --as-of 2026-11-20 digest --dry-run --format json``. ``--dry-run`` records no digest_run, so
every repeat covers the same period (the first digest ever: today only) and does the same work; json, because it
is the complete answer (the text digest shows the first rows of each section). The whole process is timed, Python
start-up included, median of 3 after one unmeasured run.

The database is a copy of the populated one tiered once (`tier --method abc` as of the same day), as a digest's
database is in use: key accounts exist, so the new-orders and at-risk sections are those of key accounts. The note
gives the rows per section.

``digest_owner`` (no target) is one salesperson's digest, ``--owner`` the owner with the most customers, whole
process (its CPU in the note): it must be the whole digest's rows of that owner's customers, section by section.

With PostgreSQL (``ctx.with_pg``), ``digest[pg]`` does the same on a copy of the populated PostgreSQL database
(tiered the same way) and checks that the json object is SQLite's, section by section. Its baseline is digest on
SQLite; no target.
"""

from __future__ import annotations

import json
import math
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from bench.bench_due import busiest_owner
from bench.bench_tier import first_abc_run
from bench.common import (
    BenchContext,
    BenchError,
    BenchResult,
    check,
    cpu_note,
    diff_objects,
    guarded,
    kacrm_command,
    median_cpu_of,
)

BENCH_TODAY = "2026-11-20"
REPEATS = 3
TARGET_SECONDS = 2.0
ISSUE_TARGET_SECONDS = 3.0  # issue 19's target for the whole digest
SECTIONS = ("due", "events", "credit_alerts", "tier_changes", "at_risk", "new_orders")
# how to pair the rows of each section when naming what differs between the backends
SECTION_KEYS = {
    "due": "id",
    "events": "id",
    "credit_alerts": "customer_code",
    "tier_changes": "customer_code",
    "at_risk": "customer_code",
    "new_orders": "order_no",
}


def _tiered_copy(ctx: BenchContext) -> Path:
    target = ctx.work_dir / "digest.db"
    for stale in ctx.work_dir.glob("digest.db*"):
        stale.unlink()
    shutil.copyfile(ctx.populated_db(), target)
    first_abc_run(ctx, target)
    return target


def timed_digest(
    ctx: BenchContext, db: Path | str, *options: str
) -> tuple[float, float | None, float | None, dict[str, Any]]:
    """(median seconds, median CPU seconds, peak MB, the digest's json object) of the dry-run digest on ``db``."""
    args = ("--as-of", BENCH_TODAY, "digest", "--dry-run", "--format", "json", *options)
    digest = json.loads(check(ctx.run_kacrm(*args, db=db)[2]).stdout)  # also the warm-up
    seconds, cpu, peak = median_cpu_of(kacrm_command(*args, db=db), REPEATS, warmup=0)
    return seconds, cpu, peak, digest


# What the digest reads from the database (kacrm.app.digest's names for them): the design floor replays them.
_READS = ("load_due_data", "load_risk_facts", "releases_between", "primary")
_STORE_READS = ("load_rows", "customer_refs")


@contextmanager
def _reads_replayed() -> Iterator[Callable[[], None]]:
    """While inside, the digest's database reads return what the first call of each returned: the same calls in
    the same order on the same book, so every later digest costs its rules, sections and json alone. Yields the
    rewind to call before each digest."""
    import kacrm.app.digest as app

    owners = [(app, name) for name in _READS] + [(app.store, name) for name in _STORE_READS]
    originals = [(owner, name, getattr(owner, name)) for owner, name in owners]

    def replaying(read: Callable[..., Any]) -> Callable[..., Any]:
        answers: list[Any] = []
        calls = iter(range(sys.maxsize))

        def replay(*args: Any, **kwargs: Any) -> Any:
            n = next(calls)
            if n < len(answers):  # a later digest: the n-th call of the first one
                return answers[n]
            answers.append(read(*args, **kwargs))
            return answers[-1]

        def rewind() -> None:
            nonlocal calls
            calls = iter(range(sys.maxsize))

        replay.rewind = rewind  # type: ignore[attr-defined]
        return replay

    replays = [replaying(read) for _owner, _name, read in originals]
    try:
        for (owner, name, _read), replay in zip(originals, replays, strict=True):
            setattr(owner, name, replay)
        yield lambda: [replay.rewind() for replay in replays]  # type: ignore[attr-defined]
    finally:
        for owner, name, read in originals:
            setattr(owner, name, read)


def _compute_cpu(db: Path) -> float:
    """Median CPU seconds of the whole digest once its facts are read: the due rules, the sections and the json
    (written to /dev/null), in this process, every database read of app.digest replayed from a first digest
    that is not counted. What per-customer state kept by the writers would leave at best."""
    import kacrm.app.digest as app
    from kacrm.app.database import open_reads
    from kacrm.config import Settings
    from kacrm.render.digest import render_json

    settings, today = Settings(), date.fromisoformat(BENCH_TODAY)
    book = open_reads(str(db))
    if book is None:
        raise BenchError(f"{db} is not a current SQLite file")
    cpus = []
    try:
        with _reads_replayed() as rewind, open("/dev/null", "w", encoding="utf-8") as sink:
            for _ in range(REPEATS + 1):  # the first digest reads the facts (not counted)
                rewind()
                cpu = time.process_time()
                sink.write(render_json(app._built(book, settings, today, today, "en", False)))
                cpus.append(time.process_time() - cpu)
    finally:
        book.close()
    return statistics.median(cpus[1:])


def _design_floor_row(ctx: BenchContext, db: Path) -> BenchResult:
    empty = ctx.work_dir / "digest_empty.db"
    empty.unlink(missing_ok=True)
    check(ctx.run_kacrm("init", db=empty)[2])
    try:
        args = ("--as-of", BENCH_TODAY, "digest", "--dry-run", "--format", "json")
        startup = median_cpu_of(kacrm_command(*args, db=empty), REPEATS)[1] or math.nan
    finally:
        empty.unlink(missing_ok=True)
    work = _compute_cpu(db)
    return BenchResult(
        "digest_design_floor",
        startup + work,
        target_seconds=ISSUE_TARGET_SECONDS,
        note=f"CPU: the same command on an empty book {startup:.2f} s + in process the due rules, the sections "
        f"and the json {work:.2f} s (every database read replayed, not counted): the whole digest were every "
        "fact free, as per-customer state would make it at best. Over 3 s, the target needs a stored list",
    )


def sections(digest: dict[str, Any]) -> str:
    counts = ", ".join(f"{name} {len(digest.get(name) or []):,}" for name in SECTIONS)
    return f"{digest.get('period_start')}..{digest.get('period_end')}: {counts}"


def _pg_row(ctx: BenchContext, sqlite_digest: dict[str, Any], sqlite_seconds: float) -> BenchResult:
    with ctx.pg_database("digest", copy_of_populated=True) as url:
        first_abc_run(ctx, url)
        seconds, _cpu, peak, digest = timed_digest(ctx, url)
    return BenchResult(
        "digest[pg]",
        seconds,
        baseline_seconds=sqlite_seconds,
        peak_mb=peak,
        mismatch=diff_objects(sqlite_digest, digest, SECTION_KEYS),
        note=f"{sections(digest)}; baseline: digest on SQLite; median of {REPEATS}",
    )


def owner_row(ctx: BenchContext, db: Path, whole: dict[str, Any]) -> BenchResult:
    """`digest --owner` of the busiest owner, checked against the whole digest's rows of their customers."""
    owner, owners = busiest_owner(db)
    codes = {code for code, held_by in owners.items() if held_by == owner}
    seconds, cpu, peak, digest = timed_digest(ctx, db, "--owner", owner)
    expected = {
        name: [r for r in rows if r["customer_code"] in codes] if name in SECTIONS else rows
        for name, rows in whole.items()
    }  # pool_releases, not a section of SECTIONS, lists every release of the period in any digest
    expected["owner"] = owner
    return BenchResult(
        "digest_owner",
        seconds,
        peak_mb=peak,
        mismatch=diff_objects(expected, digest, SECTION_KEYS),
        note=f"{cpu_note(cpu)}--owner {owner} ({len(codes):,} customers) {sections(digest)}; "
        f"the whole digest's rows of those customers; --dry-run, json, whole process; median of {REPEATS}",
    )


def run(ctx: BenchContext) -> list[BenchResult]:
    db = _tiered_copy(ctx)
    seconds, cpu, peak, digest = timed_digest(ctx, db)
    results = [
        BenchResult(
            "digest",
            seconds,
            target_seconds=TARGET_SECONDS,
            peak_mb=peak,
            note=f"{cpu_note(cpu)}{sections(digest)}; --dry-run, json, whole process; "
            f"median of {REPEATS}",
        ),
        guarded("digest_design_floor", lambda: _design_floor_row(ctx, db)),
        guarded("digest_owner", lambda: owner_row(ctx, db, digest)),
    ]
    if ctx.with_pg:
        results.append(guarded("digest[pg]", lambda: _pg_row(ctx, digest, seconds)))
    return results

"""The demo book (200 customers, where most users live): every read command against bare Python + Typer + Rich.

Issue 19's targets: each read command (``due``, ``customer list/show``, ``credit``, ``credit aging``,
``tier --dry-run``, ``report``, ``digest --dry-run``, ``pool``, and the team's daily lists ``owner list``,
``plan list``, ``schedule list``) at most 3× ``python -c "import typer, rich"``, and ``kacrm --help`` at most 1.5×
it; and the writes a salesperson makes all day (``log``, ``customer edit``), at the same 3×, on a copy of the
book, so that the read rows see the demo book unchanged. The book is built once per run with ``kacrm demo``
(its "today" is 2026-11-20, passed as ``--as-of``); it does not depend on ``--scale``.

On a shared machine a figure taken a minute apart from its baseline means little, so each command and the
baseline are run alternately (baseline, command, baseline, command, ...) after one warm-up of each, and the ratio
is that of the two medians. The note gives the same ratio in CPU seconds (user + system of the process), which
the other processes on the machine disturb far less than the wall time.

The two **floor** rows are not kacrm: a one-command Typer app's ``--help`` and the same app running its command,
against the same baseline. They show how much of each target any Typer CLI spends before it does any work.
"""

from __future__ import annotations

import compileall
import sqlite3
import statistics
import sys
from contextlib import closing

from bench.common import (
    REPO_ROOT,
    BenchContext,
    BenchResult,
    check,
    guarded,
    kacrm_command,
    measure_cpu,
)

REPEATS = 5
TODAY = "2026-11-20"
READ_TARGET = 3.0
HELP_TARGET = 1.5
BARE = [sys.executable, "-c", "import typer, rich"]
# The floor of any Typer CLI: a one-command Typer app running its command (Typer 0.29 converts the parameters
# through pydantic, which it imports then) and its --help (Rich's help formatter)
TYPER_APP = """\
import typer, rich

app = typer.Typer()

@app.command()
def hello(name: str = "world") -> None:
    print(name)

app()
"""
# (row name, arguments after --db and --as-of); "{code}" is the demo book's first customer
COMMANDS = (
    ("demo_due_week", ("due", "--week")),
    ("demo_customer_list", ("customer", "list")),
    ("demo_customer_show", ("customer", "show", "{code}")),
    ("demo_credit", ("credit",)),
    ("demo_credit_aging", ("credit", "aging")),
    ("demo_tier_dry_run", ("tier", "--dry-run")),
    ("demo_report", ("report",)),
    ("demo_digest_dry_run", ("digest", "--dry-run")),
    ("demo_pool", ("pool",)),
    ("demo_owner_list", ("owner", "list")),
    ("demo_plan_list", ("plan", "list")),  # the demo book has no plans: the path, an empty list
    ("demo_schedule_list", ("schedule", "list")),
)
# the daily writes, on a copy of the book (each run of `log` adds an interaction to it)
WRITES = (
    ("demo_log", ("log", "{code}", "call", "--note", "bench")),
    ("demo_customer_edit", ("customer", "edit", "{code}", "--phone", "13800138000")),
)


def paired(cmd: list[str], repeats: int = REPEATS) -> dict[str, float | None]:
    """``cmd`` and the bare baseline run alternately: medians of wall and CPU seconds of each, largest peak MB."""
    for argv in (BARE, cmd):  # warm-up: the file cache, compiled bytecode
        check(measure_cpu(argv)[3])
    walls: dict[str, list[float]] = {"cmd": [], "bare": []}
    cpus: dict[str, list[float]] = {"cmd": [], "bare": []}
    peaks: list[float] = []
    for _ in range(repeats):
        for key, argv in (("bare", BARE), ("cmd", cmd)):
            seconds, cpu, peak, completed = measure_cpu(argv)
            check(completed)
            walls[key].append(seconds)
            if cpu is not None:
                cpus[key].append(cpu)
            if key == "cmd" and peak is not None:
                peaks.append(peak)
    return {
        "seconds": statistics.median(walls["cmd"]),
        "baseline": statistics.median(walls["bare"]),
        "cpu": statistics.median(cpus["cmd"]) if cpus["cmd"] else None,
        "cpu_baseline": statistics.median(cpus["bare"]) if cpus["bare"] else None,
        "peak": max(peaks) if peaks else None,
    }


def _row(name: str, cmd: list[str], target: float, what: str) -> BenchResult:
    m = paired(cmd)
    cpu = ""
    if m["cpu"] is not None and m["cpu_baseline"]:
        cpu = f"; CPU {m['cpu']:.2f} s vs {m['cpu_baseline']:.2f} s = {m['cpu'] / m['cpu_baseline']:.2f}×"
    return BenchResult(
        name,
        float(m["seconds"] or 0.0),
        baseline_seconds=m["baseline"],
        target_ratio=target,
        peak_mb=m["peak"],
        note=f"{what} vs `python -c 'import typer, rich'`, alternated, median of {REPEATS}{cpu}",
    )


def demo_db(ctx: BenchContext):
    """The demo book in the work dir, built once per run."""
    db = ctx.work_dir / "demo.db"
    if not db.exists():
        for stale in ctx.work_dir.glob("demo.db*"):
            stale.unlink()
        check(measure_cpu(kacrm_command("demo", "--db", str(db)))[3])  # demo's own --db
    return db


def run(ctx: BenchContext) -> list[BenchResult]:
    # kacrm's bytecode, as an installed package has it: with PYTHONDONTWRITEBYTECODE set and no __pycache__ (a
    # fresh checkout), every run would compile each kacrm module again, ~0.25 s of CPU on a read command
    compileall.compile_dir(REPO_ROOT / "kacrm", quiet=1)
    results = [
        guarded(
            "demo_help",
            lambda: _row("demo_help", kacrm_command("--help"), HELP_TARGET, "kacrm --help"),
        ),
        guarded(
            "typer_help_floor",
            lambda: _row(
                "typer_help_floor",
                [sys.executable, "-c", TYPER_APP, "--help"],
                HELP_TARGET,
                "floor: a one-command Typer app's --help",
            ),
        ),
        guarded(
            "typer_command_floor",
            lambda: _row(
                "typer_command_floor",
                [sys.executable, "-c", TYPER_APP],
                READ_TARGET,
                "floor: a one-command Typer app running its command",
            ),
        ),
    ]
    try:
        db = demo_db(ctx)
    except Exception as exc:
        return [*results, BenchResult("demo_book", float("nan"), note=f"failed: {exc}")]
    with closing(sqlite3.connect(db)) as conn:
        code = conn.execute("SELECT code FROM customer ORDER BY code LIMIT 1").fetchone()[0]
    copy = ctx.work_dir / "demo-writes.db"
    with closing(sqlite3.connect(db)) as source, closing(sqlite3.connect(copy)) as target:
        source.backup(target)
    for name, args, book in (
        *((name, args, db) for name, args in COMMANDS),
        *((name, args, copy) for name, args in WRITES),
    ):
        argv = [a.format(code=code) for a in args]
        cmd = kacrm_command("--as-of", TODAY, *argv, db=book)
        results.append(
            guarded(name, lambda n=name, c=cmd, a=argv: _row(n, c, READ_TARGET, " ".join(a)))
        )
    return results

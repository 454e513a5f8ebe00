"""What every benchmark module uses: the context (data, work dir, a populated database) and the result type.

A benchmark module is ``bench/bench_<name>.py`` with ``run(ctx: BenchContext) -> BenchResult | list[BenchResult]``.
Commands are timed as subprocesses (``python -m kacrm ...``), each one measured on its own by a small wrapper
process: wall time with ``time.perf_counter`` around the child, and the peak resident memory of exactly that
child from ``os.wait4`` (where RUSAGE_CHILDREN would report the largest child so far). Where ``os.wait4`` does not
exist (Windows), the time is taken from here and the peak is not measured.

With ``--postgresql`` or ``--pg-url`` (``ctx.pg``), benchmarks also build the same populated database on
PostgreSQL (``ctx.populated_pg()``), run the same commands there and compare the answers with SQLite's
(``diff_rows``): a difference makes the ``[pg]`` row fail (``BenchResult.mismatch``).
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.pg import Databases

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
# Import order: the other files name customers.
IMPORT_KINDS = ("customers", "contacts", "orders", "payments", "interactions")


class BenchError(RuntimeError):
    """A benchmarked command failed; the message carries its stderr."""


@dataclass
class BenchResult:
    name: str
    seconds: float  # NaN when the benchmark failed
    baseline_seconds: float | None = None
    target_ratio: float | None = None  # seconds / baseline must not exceed it
    target_seconds: float | None = None  # seconds must not exceed it
    peak_mb: float | None = None
    target_peak_mb: float | None = (
        None  # peak_mb must not exceed it (an unmeasured peak does not meet it)
    )
    note: str = ""
    mismatch: str = ""  # what differs from the SQLite answer ([pg] rows); non-empty means not ok

    @property
    def ratio(self) -> float | None:
        if self.baseline_seconds is None or self.baseline_seconds <= 0 or math.isnan(self.seconds):
            return None
        return self.seconds / self.baseline_seconds

    @property
    def ok(self) -> bool:
        """Met every target it has and gave the expected answers (a failed run is never ok; no target means ok)."""
        if math.isnan(self.seconds) or self.mismatch:
            return False
        if self.target_ratio is not None and (self.ratio is None or self.ratio > self.target_ratio):
            return False
        if self.target_peak_mb is not None and (
            self.peak_mb is None or self.peak_mb > self.target_peak_mb
        ):
            return False
        return self.target_seconds is None or self.seconds <= self.target_seconds

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = asdict(self)
        data["seconds"] = None if math.isnan(self.seconds) else self.seconds
        data.update(ratio=self.ratio, ok=self.ok)
        return data


def subprocess_env() -> dict[str, str]:
    """The environment for measured commands: this checkout importable, no user database or config."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("KACRM_DB", "KACRM_CONFIG", "KACRM_TODAY")
    }
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return env


# Runs one command and writes its wall time and peak RSS to a file. Measuring from this small process matters:
# on Linux a child's ru_maxrss starts from the RSS of the process that spawned it (exec keeps the high-water
# mark), so measured straight from a large parent (pytest, a benchmark holding data) it would report that size.
_WRAPPER = """\
import json, os, subprocess, sys, time
report, cmd = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
proc = subprocess.Popen(cmd)
_, status, usage = os.wait4(proc.pid, 0)
seconds = time.perf_counter() - start
with open(report, "w", encoding="utf-8") as fh:
    json.dump({"seconds": seconds, "maxrss": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime}, fh)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _peak_mb(maxrss: float) -> float:
    return (
        maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024
    )  # bytes on macOS, KiB elsewhere


def measure(cmd: Sequence[str]) -> tuple[float, float | None, subprocess.CompletedProcess[str]]:
    """Run one command; (wall seconds, peak RSS in MB of that process or None, the completed process)."""
    seconds, _, peak, completed = measure_cpu(cmd)
    return seconds, peak, completed


def measure_cpu(
    cmd: Sequence[str],
) -> tuple[float, float | None, float | None, subprocess.CompletedProcess[str]]:
    """As measure(), with the process's CPU seconds (user + system; None where not measured) second: on a
    shared machine the CPU time moves far less than the wall time."""
    with (
        tempfile.TemporaryDirectory() as tmp,
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
    ):
        report = Path(tmp) / "rusage.json"
        wrapped = hasattr(os, "wait4")
        argv = [sys.executable, "-c", _WRAPPER, str(report), *cmd] if wrapped else list(cmd)
        start = time.perf_counter()
        returncode = subprocess.run(
            argv, stdout=out, stderr=err, env=subprocess_env(), cwd=REPO_ROOT
        ).returncode
        seconds, peak, cpu = time.perf_counter() - start, None, None
        if wrapped and report.exists():
            measured = json.loads(report.read_text(encoding="utf-8"))
            seconds, peak, cpu = measured["seconds"], _peak_mb(measured["maxrss"]), measured["cpu"]
        out.seek(0)
        err.seek(0)
        completed = subprocess.CompletedProcess(
            list(cmd),
            returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )
    return seconds, cpu, peak, completed


def median_cpu_of(
    cmd: Sequence[str], repeats: int = 3, warmup: int = 1
) -> tuple[float, float | None, float | None]:
    """As median_of(), with the median CPU seconds (user + system) second: (wall, cpu or None, peak MB)."""
    for _ in range(warmup):
        check(measure(cmd)[2])
    times, cpus, peaks = [], [], []
    for _ in range(repeats):
        seconds, cpu, peak, completed = measure_cpu(cmd)
        check(completed)
        times.append(seconds)
        if cpu is not None:
            cpus.append(cpu)
        if peak is not None:
            peaks.append(peak)
    cpu_median = statistics.median(cpus) if cpus else None
    return statistics.median(times), cpu_median, (max(peaks) if peaks else None)


def cpu_note(cpu: float | None) -> str:
    """``CPU 1.23 s; `` (user + system of the process), or nothing where it was not measured."""
    return "" if cpu is None else f"CPU {cpu:.2f} s; "


_BOX = " │╭╮╰╯─┃━"  # Rich's error panel, as Typer draws usage errors


def check(completed: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    """The process, or a BenchError with the end of its stderr when it failed."""
    if completed.returncode != 0:
        lines = [line.strip(_BOX).strip() for line in completed.stderr.splitlines()]
        tail = [line for line in lines if line][-2:]
        command = " ".join(str(a) for a in completed.args[2:])  # without the interpreter and "-m"
        raise BenchError(f"`{command[:120]}` exited {completed.returncode}: " + " ".join(tail))
    return completed


def median_of(cmd: Sequence[str], repeats: int = 5, warmup: int = 1) -> tuple[float, float | None]:
    """Median wall seconds over ``repeats`` runs after ``warmup`` unmeasured ones, and the largest peak MB."""
    for _ in range(warmup):
        check(measure(cmd)[2])
    times, peaks = [], []
    for _ in range(repeats):
        seconds, peak, completed = measure(cmd)
        check(completed)
        times.append(seconds)
        if peak is not None:
            peaks.append(peak)
    return statistics.median(times), (max(peaks) if peaks else None)


def kacrm_command(*args: str, db: Path | str | None = None) -> list[str]:
    return [sys.executable, "-m", "kacrm", *(["--db", str(db)] if db is not None else []), *args]


def guarded(name: str, build: Callable[[], BenchResult]) -> BenchResult:
    """``build()``, or a failed result named ``name`` with the error in its note: a [pg] row that fails must not
    take its module's SQLite rows with it."""
    try:
        return build()
    except Exception as exc:
        if not isinstance(exc, BenchError):
            import traceback

            traceback.print_exc(file=sys.stderr)
        return BenchResult(name, math.nan, note=f"failed: {exc}")


def _canonical(row: Any, drop: Sequence[str] = ()) -> str:
    if isinstance(row, Mapping):
        row = {k: v for k, v in row.items() if k not in drop}
    return json.dumps(row, sort_keys=True, ensure_ascii=False)


def _clip(text: str, width: int = 100) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def diff_rows(
    sqlite_rows: Sequence[Any],
    pg_rows: Sequence[Any],
    key: str | None = None,
    ids: Sequence[str] = ("id",),
) -> str:
    """ "" when both backends gave the same rows in the same order; else a short account of what differs.

    ``key`` pairs rows on the two sides to name the fields that differ; ``ids`` are database-assigned fields
    (row ids inside due item ids) reported apart, since they may differ where the content does not.
    """
    if list(sqlite_rows) == list(pg_rows):
        return ""
    left, right = Counter(map(_canonical, sqlite_rows)), Counter(map(_canonical, pg_rows))
    if left == right:
        return f"same {len(sqlite_rows)} rows in another order"
    if Counter(_canonical(r, ids) for r in sqlite_rows) == Counter(
        _canonical(r, ids) for r in pg_rows
    ):
        return f"same rows but different {'/'.join(ids)} values"
    only_sqlite, only_pg = left - right, right - left
    parts = [f"{len(sqlite_rows)} rows on SQLite, {len(pg_rows)} on PG"]
    if key is not None:
        by_key = {}
        for text in only_sqlite:
            row = json.loads(text)
            if isinstance(row, dict) and key in row:
                by_key[row[key]] = row
        fields: Counter[str] = Counter()
        paired, example = 0, ""
        for text in list(only_pg):
            row = json.loads(text)
            other = by_key.get(row.get(key)) if isinstance(row, dict) else None
            if other is None:
                continue
            changed = sorted(k for k in set(row) | set(other) if row.get(k) != other.get(k))
            fields.update(changed)
            paired += 1
            example = example or (
                f"{key}={row[key]}: "
                + ", ".join(f"{k} {other.get(k)!r} vs {row.get(k)!r}" for k in changed[:2])
            )
            only_sqlite[_canonical(other)] -= 1
            only_pg[text] -= 1
        if fields:
            parts.append(f"{paired} differ in " + ", ".join(fields) + f" (e.g. {_clip(example)})")
        only_sqlite, only_pg = +only_sqlite, +only_pg
    for label, rest in (("only on SQLite", only_sqlite), ("only on PG", only_pg)):
        if rest:
            parts.append(f"{sum(rest.values())} {label} (e.g. {_clip(next(iter(rest)))})")
    return "; ".join(parts)


def diff_objects(
    sqlite_obj: Mapping[str, Any], pg_obj: Mapping[str, Any], keys: Mapping[str, str] | None = None
) -> str:
    """diff_rows over each list of two json objects (``keys``: the pairing key of each list), and the scalars."""
    keys = keys or {}
    parts = []
    for name in dict.fromkeys([*sqlite_obj, *pg_obj]):
        left, right = sqlite_obj.get(name), pg_obj.get(name)
        if isinstance(left, list) and isinstance(right, list):
            difference = diff_rows(left, right, keys.get(name))
        else:
            difference = "" if left == right else f"{left!r} vs {right!r}"
        if difference:
            parts.append(f"{name}: {difference}")
    return "; ".join(parts)


@dataclass
class BenchContext:
    data_dir: Path  # the generated CSV files (bench/generate.py)
    work_dir: Path  # databases and scratch files of this run
    scale: float
    pg: Databases | None = (
        None  # a PostgreSQL server to run the [pg] rows on (--postgresql, --pg-url)
    )
    keep: bool = False  # keep the populated databases for the next run (--keep)
    pg_error: BenchError | None = (
        None  # the server could not be started: every [pg] row fails with this
    )
    _populate_error: BenchError | None = field(default=None, init=False, repr=False)
    _pg_populate_error: BenchError | None = field(default=None, init=False, repr=False)
    _pg_dropped_at_end: list[str] = field(default_factory=list, init=False, repr=False)

    @property
    def with_pg(self) -> bool:
        """Whether the [pg] rows are wanted (they fail with pg_error when the server is missing)."""
        return self.pg is not None or self.pg_error is not None

    def data_file(self, kind: str) -> Path:
        return self.data_dir / f"{kind}.csv"

    def run_kacrm(
        self, *args: str, db: Path | str | None = None
    ) -> tuple[float, float | None, subprocess.CompletedProcess[str]]:
        """Time ``python -m kacrm [--db DB] ARGS`` as its own process."""
        return measure(kacrm_command(*args, db=db))

    def import_all(self, db: Path | str) -> float:
        """Import every generated file into ``db`` (one `kacrm import` per file, in order); total seconds."""
        total = 0.0
        for kind in IMPORT_KINDS:
            seconds, _, completed = self.run_kacrm(
                "import", "--kind", kind, str(self.data_file(kind)), db=db
            )
            check(completed)
            total += seconds
        return total

    def populated_db(self) -> Path:
        """A SQLite database with all generated files imported; built once and cached in the work dir."""
        final = self.work_dir / "populated.db"
        if final.exists():
            return final
        if self._populate_error is not None:  # failed once in this run: do not import it all again
            raise self._populate_error
        building = self.work_dir / "populated.building.db"
        for stale in self.work_dir.glob("populated.building.db*"):
            stale.unlink()
        try:
            self.import_all(building)
        except BenchError as exc:
            self._populate_error = exc
            raise
        with closing(
            sqlite3.connect(building)
        ) as conn:  # fold any WAL into the file before renaming it
            conn.execute("PRAGMA journal_mode=DELETE")
        building.rename(final)
        return final

    def _pg_server(self) -> Databases:
        if self.pg is None:
            raise self.pg_error or BenchError(
                "no PostgreSQL server (run with --postgresql or --pg-url URL)"
            )
        return self.pg

    def pg_name(self, tag: str) -> str:
        """A database name of this run (dropped at the end): kacrm_bench_<pid>_<tag>."""
        return f"kacrm_bench_{os.getpid()}_{tag}"

    def _pg_populated_name(self) -> str:
        if self.keep:
            return "kacrm_bench_" + "".join(c if c.isalnum() else "_" for c in self.data_dir.name)
        return self.pg_name("populated")

    def populated_pg(self) -> str:
        """The URL of a PostgreSQL database with all generated files imported, as populated_db() on SQLite; built
        once per run, or kept on the server with --keep (named after the data set)."""
        pg, name = self._pg_server(), self._pg_populated_name()
        if not self.keep and name not in self._pg_dropped_at_end:
            self._pg_dropped_at_end.append(name)
        if pg.exists(name):
            return pg.url(name)
        if self._pg_populate_error is not None:
            raise self._pg_populate_error
        building = name + "_building"
        pg.drop(building)
        try:
            self.import_all(pg.create(building))
        except BenchError as exc:
            self._pg_populate_error = exc
            pg.drop(building)
            raise
        pg.rename(building, name)
        return pg.url(name)

    @contextmanager
    def pg_database(self, tag: str, copy_of_populated: bool = False) -> Iterator[str]:
        """A new PostgreSQL database for one benchmark (empty, or a copy of the populated one), dropped after."""
        pg = self._pg_server()
        template = None
        if copy_of_populated:
            self.populated_pg()
            template = self._pg_populated_name()
        name = self.pg_name(tag)
        pg.drop(name)
        url = pg.create(name, template=template)
        try:
            yield url
        finally:
            pg.drop(name)

    def cleanup(self) -> None:
        """Drop this run's PostgreSQL databases (the populated one unless kept)."""
        if self.pg is not None:
            for name in self._pg_dropped_at_end:
                self.pg.drop(name)

"""What every benchmark module uses: the context (data, work dir, a populated database) and the result type.

A benchmark module is ``bench/bench_<name>.py`` with ``run(ctx: BenchContext) -> BenchResult | list[BenchResult]``.
Commands are timed as subprocesses (``python -m kacrm ...``), each one measured on its own by a small wrapper
process: wall time with ``time.perf_counter`` around the child, and the peak resident memory of exactly that
child from ``os.wait4`` (where RUSAGE_CHILDREN would report the largest child so far). Where ``os.wait4`` does not
exist (Windows), the time is taken from here and the peak is not measured.
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
from collections.abc import Sequence
from contextlib import closing
from dataclasses import asdict, dataclass, field
from pathlib import Path

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
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline_seconds is None or self.baseline_seconds <= 0 or math.isnan(self.seconds):
            return None
        return self.seconds / self.baseline_seconds

    @property
    def ok(self) -> bool:
        """Met every target it has (a failed run is never ok; no target means ok)."""
        if math.isnan(self.seconds):
            return False
        if self.target_ratio is not None and (self.ratio is None or self.ratio > self.target_ratio):
            return False
        return self.target_seconds is None or self.seconds <= self.target_seconds

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = asdict(self)
        data["seconds"] = None if math.isnan(self.seconds) else self.seconds
        data.update(ratio=self.ratio, ok=self.ok)
        return data


def subprocess_env() -> dict[str, str]:
    """The environment for measured commands: this checkout importable, no user database or config."""
    env = {k: v for k, v in os.environ.items() if k not in ("KACRM_DB", "KACRM_CONFIG", "KACRM_TODAY")}
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
    json.dump({"seconds": seconds, "maxrss": usage.ru_maxrss}, fh)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _peak_mb(maxrss: float) -> float:
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024  # bytes on macOS, KiB elsewhere


def measure(cmd: Sequence[str]) -> tuple[float, float | None, subprocess.CompletedProcess[str]]:
    """Run one command; (wall seconds, peak RSS in MB of that process or None, the completed process)."""
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        report = Path(tmp) / "rusage.json"
        wrapped = hasattr(os, "wait4")
        argv = [sys.executable, "-c", _WRAPPER, str(report), *cmd] if wrapped else list(cmd)
        start = time.perf_counter()
        returncode = subprocess.run(argv, stdout=out, stderr=err, env=subprocess_env(), cwd=REPO_ROOT).returncode
        seconds, peak = time.perf_counter() - start, None
        if wrapped and report.exists():
            measured = json.loads(report.read_text(encoding="utf-8"))
            seconds, peak = measured["seconds"], _peak_mb(measured["maxrss"])
        out.seek(0)
        err.seek(0)
        completed = subprocess.CompletedProcess(list(cmd), returncode, out.read().decode("utf-8", "replace"),
                                                err.read().decode("utf-8", "replace"))
    return seconds, peak, completed


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


@dataclass
class BenchContext:
    data_dir: Path  # the generated CSV files (bench/generate.py)
    work_dir: Path  # databases and scratch files of this run
    scale: float
    _populate_error: BenchError | None = field(default=None, init=False, repr=False)

    def data_file(self, kind: str) -> Path:
        return self.data_dir / f"{kind}.csv"

    def run_kacrm(self, *args: str, db: Path | str | None = None) -> tuple[float, float | None,
                                                                          subprocess.CompletedProcess[str]]:
        """Time ``python -m kacrm [--db DB] ARGS`` as its own process."""
        return measure(kacrm_command(*args, db=db))

    def import_all(self, db: Path) -> float:
        """Import every generated file into ``db`` (one `kacrm import` per file, in order); total seconds."""
        total = 0.0
        for kind in IMPORT_KINDS:
            seconds, _, completed = self.run_kacrm("import", "--kind", kind, str(self.data_file(kind)), db=db)
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
        with closing(sqlite3.connect(building)) as conn:  # fold any WAL into the file before renaming it
            conn.execute("PRAGMA journal_mode=DELETE")
        building.rename(final)
        return final

"""Run the benchmarks: ``python -m bench.run [--scale 1.0] [--only import,tier] [--keep] [--strict]``.

Generates the data once (cached in bench/data/), runs every bench/bench_*.py module's ``run(ctx)``, prints a
table and writes bench/results/latest.json. Exit code 0 even when a target is missed (it is a report), unless
``--strict``; 2 when an --only name matches no module.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import pkgutil
import platform
import shutil
import sys
import tempfile
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

from bench.common import BENCH_DIR, BenchContext, BenchError, BenchResult
from bench.generate import ensure_data

DATA_ROOT = BENCH_DIR / "data"
RESULTS_DIR = BENCH_DIR / "results"


def bench_modules() -> list[str]:
    """Names of the benchmark modules (bench_help -> "help"), sorted."""
    return sorted(m.name.removeprefix("bench_") for m in pkgutil.iter_modules([str(BENCH_DIR)])
                  if m.name.startswith("bench_"))


def run_module(name: str, ctx: BenchContext) -> list[BenchResult]:
    """The module's results; a failure becomes one failed result with the error in its note."""
    try:
        module = importlib.import_module(f"bench.bench_{name}")
        results = module.run(ctx)
    except Exception as exc:  # one broken benchmark must not stop the report
        if not isinstance(exc, BenchError):  # a failed command already says why; a bug needs its traceback
            traceback.print_exc(file=sys.stderr)
        return [BenchResult(name, math.nan, note=f"failed: {exc}")]
    return results if isinstance(results, list) else [results]


def _fmt(value: float | None, digits: int = 3) -> str:
    return "" if value is None or math.isnan(value) else f"{value:,.{digits}f}"


def print_table(results: list[BenchResult]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="kacrm benchmarks", title_justify="left")
    for header in ("name", "seconds", "baseline", "ratio", "target", "peak MB", "ok", "note"):
        table.add_column(header, justify="left" if header in ("name", "note", "ok") else "right")
    for r in results:
        targets = [f"≤{r.target_ratio:g}×" if r.target_ratio is not None else "",
                   f"≤{r.target_seconds:g}s" if r.target_seconds is not None else ""]
        table.add_row(r.name, _fmt(r.seconds), _fmt(r.baseline_seconds), _fmt(r.ratio, 2),
                      " ".join(t for t in targets if t), _fmt(r.peak_mb, 0), "yes" if r.ok else "NO", r.note)
    Console(width=None if sys.stdout.isatty() else 160).print(table)


def write_results(results: list[BenchResult], scale: float, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": scale,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "results": [r.as_dict() for r in results],
    }
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description="Time kacrm against its targets.")
    parser.add_argument("--scale", type=float, default=1.0, help="data size; 1.0 = 1,000,000 orders (default)")
    parser.add_argument("--only", default="", help="comma-separated benchmarks, e.g. import,tier")
    parser.add_argument("--keep", action="store_true",
                        help="keep the work dir (populated database) in bench/data/ for the next run")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated data")
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error("--scale must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    available = bench_modules()
    names = [n.strip() for n in args.only.split(",") if n.strip()] or available
    unknown = sorted(set(names) - set(available))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available)}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    data_dir, generated = ensure_data(DATA_ROOT, args.scale, args.seed)
    verb = "generated" if generated else "cached"
    print(f"data {verb} in {data_dir} ({time.perf_counter() - start:.1f} s)", file=sys.stderr)
    if args.keep:
        work_dir = DATA_ROOT / f"work-{data_dir.name}"
        work_dir.mkdir(parents=True, exist_ok=True)
    else:
        work_dir = Path(tempfile.mkdtemp(prefix="kacrm-bench-"))
    ctx = BenchContext(data_dir=data_dir, work_dir=work_dir, scale=args.scale)
    try:
        results = [r for name in names for r in run_module(name, ctx)]
    finally:
        if not args.keep:
            shutil.rmtree(work_dir, ignore_errors=True)
    print_table(results)
    write_results(results, args.scale, RESULTS_DIR / "latest.json")
    return 1 if args.strict and not all(r.ok for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())

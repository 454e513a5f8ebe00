"""Run the benchmarks: ``python -m bench.run [--scale 1.0] [--only import,tier] [--keep] [--strict]
[--postgresql | --pg-url URL]``.

Generates the data once (cached in bench/data/), runs every bench/bench_*.py module's ``run(ctx)``, prints a
table and writes bench/results/latest.json. With ``--postgresql`` (a throwaway server, bench/pg.py) or ``--pg-url``
the modules add ``[pg]`` rows: the same commands on PostgreSQL, their answers compared with SQLite's. Exit code 0
even when a target is missed (it is a report), unless ``--strict``; 2 when an --only name matches no module.
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
from bench.pg import Databases, ThrowawayServer

DATA_ROOT = BENCH_DIR / "data"
RESULTS_DIR = BENCH_DIR / "results"


def bench_modules() -> list[str]:
    """Names of the benchmark modules (bench_help -> "help"), sorted."""
    return sorted(
        m.name.removeprefix("bench_")
        for m in pkgutil.iter_modules([str(BENCH_DIR)])
        if m.name.startswith("bench_")
    )


def run_module(name: str, ctx: BenchContext) -> list[BenchResult]:
    """The module's results; a failure becomes one failed result with the error in its note."""
    try:
        module = importlib.import_module(f"bench.bench_{name}")
        results = module.run(ctx)
    except Exception as exc:  # one broken benchmark must not stop the report
        if not isinstance(
            exc, BenchError
        ):  # a failed command already says why; a bug needs its traceback
            traceback.print_exc(file=sys.stderr)
        return [BenchResult(name, math.nan, note=f"failed: {exc}")]
    return results if isinstance(results, list) else [results]


def _fmt(value: float | None, digits: int = 3) -> str:
    return "" if value is None or math.isnan(value) else f"{value:,.{digits}f}"


def print_table(results: list[BenchResult]) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table(title="kacrm benchmarks", title_justify="left")
    for header in ("name", "seconds", "baseline", "ratio", "target", "peak MB", "ok", "note"):
        table.add_column(header, justify="left" if header in ("name", "note", "ok") else "right")
    for r in results:
        targets = [
            f"≤{r.target_ratio:g}×" if r.target_ratio is not None else "",
            f"≤{r.target_seconds:g}s" if r.target_seconds is not None else "",
            f"≤{r.target_peak_mb:g}MB" if r.target_peak_mb is not None else "",
        ]
        note = f"DIFFERS from SQLite: {r.mismatch}; {r.note}" if r.mismatch else r.note
        table.add_row(
            escape(r.name),
            _fmt(r.seconds),
            _fmt(r.baseline_seconds),
            _fmt(r.ratio, 2),  # "[pg]"
            " ".join(t for t in targets if t),
            _fmt(r.peak_mb, 0),
            "yes" if r.ok else "NO",
            escape(note),
        )
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
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description="Time kacrm against its targets."
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="data size; 1.0 = 1,000,000 orders (default)"
    )
    parser.add_argument("--only", default="", help="comma-separated benchmarks, e.g. import,tier")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the work dir (populated databases, the --postgresql server) in bench/data/ "
        "for the next run",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 when a target is missed or a [pg] answer differs from SQLite's",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated data")
    pg = parser.add_mutually_exclusive_group()
    pg.add_argument(
        "--postgresql",
        action="store_true",
        help="also run on PostgreSQL: a throwaway server (initdb + pg_ctl) in a temporary directory, "
        "or in the work dir with --keep",
    )
    pg.add_argument(
        "--pg-url",
        metavar="URL",
        help="also run on PostgreSQL, on this server: postgresql+psycopg://USER@HOST:PORT/DB of a "
        "role allowed to CREATE DATABASE",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=RESULTS_DIR / "latest.json",
        help="where to write the json results (default bench/results/latest.json)",
    )
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error("--scale must be positive")
    return args


def _start_postgresql(
    args: argparse.Namespace, work_dir: Path
) -> tuple[ThrowawayServer | None, Databases | None, BenchError | None]:
    """(the server this run started, the databases, None) or, when there is none, (None, None, the error)."""
    start = time.perf_counter()
    server = None
    try:
        if args.pg_url:
            url = args.pg_url
        else:
            server = ThrowawayServer(work_dir / "postgresql" if args.keep else None, keep=args.keep)
            url = server.start()
        databases = Databases(url)
        databases.exists("postgres")  # connects: a wrong URL fails here, once
    except Exception as exc:
        if server is not None:
            server.stop()
        print(f"PostgreSQL: {exc}", file=sys.stderr)
        return None, None, exc if isinstance(exc, BenchError) else BenchError(f"PostgreSQL: {exc}")
    where = f"started in {server.root}" if server is not None else "given"
    print(f"PostgreSQL server {where} ({time.perf_counter() - start:.1f} s)", file=sys.stderr)
    return server, databases, None


def _compile_checkout() -> None:
    """Byte-compile the checkout's kacrm, as `pip install` does for an installed one: where PYTHONDONTWRITEBYTECODE
    is set (this project's build machines), every run would otherwise compile kacrm's modules from source again,
    about 0.05 s of each command's start-up that no installed copy pays."""
    import compileall

    compileall.compile_dir(Path(__file__).resolve().parent.parent / "kacrm", quiet=1)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    available = bench_modules()
    names = [n.strip() for n in args.only.split(",") if n.strip()] or available
    unknown = sorted(set(names) - set(available))
    if unknown:
        print(
            f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available)}",
            file=sys.stderr,
        )
        return 2
    _compile_checkout()
    start = time.perf_counter()
    data_dir, generated = ensure_data(DATA_ROOT, args.scale, args.seed)
    verb = "generated" if generated else "cached"
    print(f"data {verb} in {data_dir} ({time.perf_counter() - start:.1f} s)", file=sys.stderr)
    if args.keep:
        work_dir = DATA_ROOT / f"work-{data_dir.name}"
        work_dir.mkdir(parents=True, exist_ok=True)
    else:
        work_dir = Path(tempfile.mkdtemp(prefix="kacrm-bench-"))
    ctx = BenchContext(data_dir=data_dir, work_dir=work_dir, scale=args.scale, keep=args.keep)
    server = None
    try:
        if args.postgresql or args.pg_url:
            server, ctx.pg, ctx.pg_error = _start_postgresql(args, work_dir)
        results = [r for name in names for r in run_module(name, ctx)]
    finally:
        try:
            ctx.cleanup()
        finally:
            if server is not None:
                server.stop()
            if not args.keep:
                shutil.rmtree(work_dir, ignore_errors=True)
    print_table(results)
    write_results(results, args.scale, args.output)
    return 1 if args.strict and not all(r.ok for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())

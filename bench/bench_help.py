"""`kacrm --help` against the floor any Typer CLI pays: a one-command Typer app's --help (target ≤ 2×).

The lazy-import rule (pandas, SQLAlchemy, SciPy only inside commands) is what keeps the ratio low.
"""

from __future__ import annotations

import sys

from bench.common import BenchContext, BenchResult, kacrm_command, median_of

REPEATS = 5
MINIMAL_APP = """\
import typer, rich

app = typer.Typer()

@app.command()
def hello(name: str = "world") -> None:
    print(name)

app()
"""


def run(ctx: BenchContext) -> BenchResult:
    seconds, peak = median_of(kacrm_command("--help"), REPEATS)
    baseline, _ = median_of([sys.executable, "-c", MINIMAL_APP, "--help"], REPEATS)
    return BenchResult(
        "help",
        seconds,
        baseline_seconds=baseline,
        target_ratio=2.0,
        peak_mb=peak,
        note=f"kacrm --help vs a one-command Typer app's --help; median of {REPEATS}",
    )

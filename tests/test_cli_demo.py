"""`kacrm demo`: builds a database from the shipped sample data and shows it.

Expected figures come from reading the sample files directly with pandas, not from kacrm's importer.
"""

from __future__ import annotations

import importlib.util
import re
import tempfile
import time
from pathlib import Path

import pandas as pd
import pytest
import typer
from sqlalchemy import func, select
from typer.testing import CliRunner

from kacrm.app.demo import ERP_SAMPLE_FILES, SAMPLE_FILES, SAMPLE_TODAY, DemoContext, Step, run_demo
from kacrm.cli.app import app as kacrm_app
from kacrm.cli.demo import register
from kacrm.config import Settings
from kacrm.store.engine import make_engine
from kacrm.store.models import Customer, Order
from kacrm.store.records import add_customer

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
needs_importer = pytest.mark.skipif(
    importlib.util.find_spec("kacrm.io.importer") is None,
    reason="kacrm.io.importer has not landed yet",
)


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    """The real kacrm app, with `demo` registered (app.py does it once the lead wires it in)."""
    if not any(command.name == "demo" for command in kacrm_app.registered_commands):
        register(kacrm_app)
    return kacrm_app


def count(db: Path, model: type) -> int:
    engine = make_engine(db)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(model)).scalar_one())
    finally:
        engine.dispose()


def sample_cents(text: str) -> int:
    text = text.replace("¥", "").replace(",", "")
    if text.endswith("万"):
        return round(float(text[:-1]) * 1_000_000)  # 1万 = 10,000 yuan = 1,000,000 cents
    return round(float(text) * 100)


@pytest.fixture(scope="module")
def demo_run(
    app: typer.Typer, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, object, float]:
    """One demo into a fresh SQLite file: (db, CliRunner result, seconds)."""
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    start = time.perf_counter()
    result = CliRunner().invoke(app, ["demo", "--db", str(db)])
    return db, result, time.perf_counter() - start


@needs_importer
def test_demo_imports_every_sample_customer(demo_run: tuple[Path, object, float]) -> None:
    db, result, _ = demo_run
    assert result.exit_code == 0, result.stderr
    customers = pd.read_csv(SAMPLE_DIR / SAMPLE_FILES["customers"], encoding="gbk", dtype=str)
    # and the ERP-style set: 6 customers, 11 orders (its 小计 and 合计 rows skipped)
    assert count(db, Customer) == customers["客户编号"].nunique() + 6
    orders = pd.read_csv(SAMPLE_DIR / SAMPLE_FILES["orders"], encoding="utf-8-sig", dtype=str)
    assert count(db, Order) == orders["订单号"].nunique() + 11


@needs_importer
def test_demo_lists_the_biggest_customer_first(demo_run: tuple[Path, object, float]) -> None:
    _, result, _ = demo_run
    orders = pd.read_csv(SAMPLE_DIR / SAMPLE_FILES["orders"], encoding="utf-8-sig", dtype=str)
    orders["cents"] = orders["金额"].map(sample_cents)
    biggest = orders.groupby("客户编号")["cents"].sum().idxmax()
    listing = result.stdout.split("Top 10 customers", 1)[1]
    assert re.findall(r"KH\d{4}", listing)[0] == biggest
    assert "Import of the sample data" in result.stdout


@needs_importer
def test_demo_is_quick_and_uses_the_sample_today(demo_run: tuple[Path, object, float]) -> None:
    _, result, seconds = demo_run
    assert f"--as-of {SAMPLE_TODAY.isoformat()}" in result.stderr
    assert seconds < 30  # "a few seconds" on a quiet machine; loose for a loaded CI runner


@needs_importer
def test_demo_again_with_force_changes_nothing(
    app: typer.Typer, demo_run: tuple[Path, object, float]
) -> None:
    db, _, _ = demo_run
    before = count(db, Customer), count(db, Order)
    result = CliRunner().invoke(app, ["demo", "--db", str(db), "--force"])
    assert result.exit_code == 0, result.stderr
    assert (count(db, Customer), count(db, Order)) == before


@needs_importer
def test_demo_without_db_builds_a_fresh_temporary_file(app: typer.Typer) -> None:
    result = CliRunner().invoke(app, ["demo"])
    assert result.exit_code == 0, result.stderr
    found = re.search(r"Demo database: (\S+)", result.stderr)
    assert found is not None
    path = Path(found[1])
    assert path.is_file() and path.is_relative_to(tempfile.gettempdir())
    assert count(path, Customer) == 200 + 6  # the sample customers and the ERP-style set's
    for leftover in path.parent.iterdir():
        leftover.unlink()
    path.parent.rmdir()


def test_demo_refuses_a_database_that_has_customers(app: typer.Typer, tmp_path: Path) -> None:
    db = tmp_path / "mine.db"
    engine = make_engine(db)
    add_customer(engine, "MY001", {"name": "我的客户"})
    engine.dispose()
    result = CliRunner().invoke(app, ["demo", "--db", str(db)])
    assert result.exit_code == 1
    assert "already has 1 customer;" in result.stderr and "--force" in result.stderr
    assert "Traceback" not in result.stderr
    assert count(db, Customer) == 1


def test_demo_rejects_a_malformed_as_of(app: typer.Typer, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["demo", "--db", str(tmp_path / "x.db"), "--as-of", "2026-13-01"]
    )
    assert result.exit_code == 2
    assert "--as-of" in result.stderr


@needs_importer
def test_a_step_whose_feature_is_missing_is_skipped(sqlite_url: str) -> None:
    def future_feature(ctx: DemoContext) -> None:
        importlib.import_module("kacrm.analysis.not_landed_yet")

    engine = make_engine(sqlite_url)
    try:
        sections = run_demo(
            engine, SAMPLE_TODAY, Settings(), steps=[Step("future", future_feature)]
        )
    finally:
        engine.dispose()
    assert [s.title for s in sections] == ["import", "future"]
    assert sections[0].listing is not None and len(sections[0].listing.rows) == len(
        SAMPLE_FILES
    ) + len(ERP_SAMPLE_FILES)
    assert sections[1].listing is None and "kacrm.analysis.not_landed_yet" in (
        sections[1].skipped or ""
    )


def test_demo_in_chinese(app: typer.Typer, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--lang", "zh", "demo", "--db", str(tmp_path / "zh.db")])
    assert result.exit_code == 0, result.stderr
    assert "示例数据库：" in result.stderr and "继续体验：kacrm --db" in result.stderr
    for title in (
        "导入示例数据",
        "近 12 个月销售额 ABC 分级",
        "信用等级（kacrm credit review）",
        "销售额前 10 名客户",
        "本周待办：共",
        "应收账龄，金额大的在前",
    ):
        assert title in result.stdout, title
    assert "客户资料" in result.stdout and "未到期" in result.stdout


def test_the_global_db_before_demo_is_where_the_demo_is_built(tmp_path: Path, monkeypatch) -> None:
    """`kacrm --db mydemo.db demo` builds there (it built in the temp dir, so the next `kacrm --db mydemo.db due`
    said "no database"); KACRM_DB, the user's own database, is never the demo's."""
    own = tmp_path / "own.db"
    monkeypatch.setenv("KACRM_DB", str(own))
    runner = CliRunner()

    built = runner.invoke(kacrm_app, ["--db", str(tmp_path / "mydemo.db"), "demo"])
    assert built.exit_code == 0, built.output
    assert f"--db {tmp_path / 'mydemo.db'} " in built.output
    listed = runner.invoke(kacrm_app, ["--db", str(tmp_path / "mydemo.db"), "customer", "list"])
    assert listed.exit_code == 0 and "KH0001" in listed.output

    from_env = runner.invoke(kacrm_app, ["demo"])
    assert from_env.exit_code == 0, from_env.output
    assert not own.exists()  # KACRM_DB untouched: the demo went to a fresh temporary file
    assert str(own) not in from_env.output and "demo.db" in from_env.output

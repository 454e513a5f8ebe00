"""Three `kacrm pool release` processes started at once on the same database (a real SQLite file, a real
PostgreSQL server) release each account once: one ownership row per account, and the two outputs together
name every account exactly once. (The same race on one stale reading, deterministic: test_pool.py,
test_a_release_from_a_stale_reading_takes_nothing.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
ACCOUNTS = 300
PROCESSES = 3


def test_two_processes_release_each_account_once(db_url: str, engine, run, tmp_path: Path) -> None:
    rows = "\n".join(f"R{i:04d},公司{i},销售{i % 7},A" for i in range(ACCOUNTS))
    (tmp_path / "c.csv").write_text(f"code,name,owner,tier\n{rows}\n", encoding="utf-8")
    assert run("import", str(tmp_path / "c.csv")).exit_code == 0
    cfg = tmp_path / "pool.toml"
    cfg.write_text("[pool]\nrelease_after_days = { A = 30 }\n", encoding="utf-8")
    # no contact, no order, owner_since unknown: the clock counts from the creation (today, when the test
    # runs); years later every account is due
    command = [
        sys.executable, "-m", "kacrm", "--db", db_url, "--config", str(cfg), "--as-of", "2036-01-01",
        "pool", "release", "--format", "json",
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(PROCESSES)
    ]
    outcomes = [(*p.communicate(timeout=180), p.returncode) for p in procs]
    assert [code for _out, _err, code in outcomes] == [0] * PROCESSES, outcomes
    released = [[r["customer_code"] for r in json.loads(out)] for out, _err, _code in outcomes]
    together = [code for codes in released for code in codes]
    assert sorted(together) == [f"R{i:04d}" for i in range(ACCOUNTS)]  # each once, none lost
    with engine.connect() as conn:
        history = conn.execute(
            text(
                "SELECT COUNT(*), COUNT(DISTINCT customer_id) FROM ownership WHERE reason = 'released'"
            )
        ).one()
        owned = conn.execute(text("SELECT COUNT(*) FROM customer WHERE owner IS NOT NULL")).scalar()
    assert tuple(history) == (ACCOUNTS, ACCOUNTS)
    assert owned == 0

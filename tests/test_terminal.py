"""Tables on a terminal (issue 16): at 80 and 120 columns the ids, codes and amounts people act on are whole.

The demo book is built once; each command is run twice, as json (the reference values) and as a table with
kacrm's console replaced by one of that width, as a terminal of 80 or 120 columns would give. A value "appears
whole" when its text, formatted as the table formats it (thousands separators, 2 decimals), is a substring of the
table's output. Lines must not be wider than the terminal, and nothing may be shortened with an ellipsis.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import typer
from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner

from kacrm.cli import common
from kacrm.cli.app import app as kacrm_app
from kacrm.cli.common import _console
from kacrm.cli.demo import register
from kacrm.due_facts import DueItem
from kacrm.render.credit import overview_listing
from kacrm.render.due import due_listing
from kacrm.render.listing import Column, Listing
from kacrm.render.output import emit_object, plan_table, rich_table, wrap_cell

AS_OF = "2026-11-20"  # the demo's today
WIDTHS = [80, 120]


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    if not any(command.name == "demo" for command in kacrm_app.registered_commands):
        register(kacrm_app)
    return kacrm_app


@pytest.fixture(scope="module")
def demo_db(app: typer.Typer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("terminal") / "demo.db"
    result = CliRunner().invoke(app, ["demo", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture
def kacrm(app: typer.Typer, demo_db: Path):
    def invoke(*args: str, width: int = 200, lang: str = "en") -> str:
        def console(stderr: bool) -> Console:
            # what kacrm builds for a pipe (no colour), at the terminal's width
            return Console(
                stderr=stderr, width=width, no_color=True, highlight=False, soft_wrap=False
            )

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(common, "_console", console)
            # the tables drawn without a console take the width of a pipe
            patch.setattr(common, "_pipe_width", lambda: width)
            result = CliRunner().invoke(
                app, ["--db", str(demo_db), "--as-of", AS_OF, "--lang", lang, *args]
            )
        assert result.exit_code == 0, result.output
        return result.stdout

    return invoke


def money_text(value: float) -> str:
    return f"{value:,.2f}"


def assert_fits(table: str, width: int) -> None:
    for line in table.splitlines():
        assert cell_len(line.rstrip()) <= width, line
    assert "…" not in table


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", WIDTHS)
def test_due_shows_every_id_and_code_whole(kacrm, width: int, lang: str) -> None:
    # One owner's week (the whole book's has more overdue items than a day's table shows, 100 by default).
    rows = json.loads(kacrm("due", "--week", "--owner", "张伟", "--format", "json"))
    table = kacrm("due", "--week", "--owner", "张伟", width=width, lang=lang)
    assert_fits(table, width)
    assert len(rows) > 50, "the demo's week has many items"
    for row in rows:
        assert row["id"] in table, row["id"]
        assert row["customer_code"] in table
        assert row["due_on"] in table


@pytest.mark.parametrize("width", WIDTHS)
def test_credit_overview_keeps_codes_limits_and_outstanding(kacrm, width: int) -> None:
    rows = json.loads(kacrm("credit", "--format", "json"))
    table = kacrm("credit", width=width)
    assert_fits(table, width)
    for row in rows:
        assert row["customer_code"] in table
        if row["limit"] is not None:  # no limit yet: an empty cell
            assert money_text(row["limit"]) in table
        assert money_text(row["outstanding"]) in table


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", WIDTHS)
def test_credit_aging_keeps_codes_totals_and_the_oldest_debts(kacrm, width: int, lang: str) -> None:
    data = json.loads(kacrm("credit", "aging", "--format", "json"))
    rows = data["rows"] if isinstance(data, dict) else data
    table = kacrm("credit", "aging", width=width, lang=lang)
    assert_fits(table, width)
    grand_total = 0.0
    for row in rows:
        assert row["customer_code"] in table
        assert money_text(row["total"]) in table
        assert money_text(row["over_180"]) in table
        grand_total += row["total"]
    # the totals row: the sum of the customers' totals, added up here
    assert money_text(round(grand_total, 2)) in table
    if (
        width == 80
    ):  # 7 amount columns of up to 12 characters cannot all fit: the youngest bucket goes
        assert money_text(rows[0]["not_due"]) not in table.splitlines()[3]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", WIDTHS)
def test_customer_list_keeps_codes_revenue_and_outstanding(kacrm, width: int, lang: str) -> None:
    rows = json.loads(kacrm("customer", "list", "--format", "json"))
    table = kacrm("customer", "list", width=width, lang=lang)
    assert_fits(table, width)
    assert len(rows) == 206  # the demo book's customers
    for row in rows:
        assert f"{row['customer_code']}  " in table  # whole, followed by the column gap
        assert money_text(row["revenue"]) in table
        assert money_text(row["outstanding"]) in table


@pytest.mark.parametrize("width", WIDTHS)
def test_tier_summary_shows_each_tiers_whole_revenue(kacrm, width: int) -> None:
    rows = json.loads(kacrm("tier", "--dry-run", "--format", "json"))
    table = kacrm("tier", "--dry-run", width=width)
    assert_fits(table, width)
    per_tier: dict[str, float] = defaultdict(float)
    for row in rows:
        per_tier[row["tier"]] += row["value"]
    assert set(per_tier) == {"A", "B", "C"}
    for total in per_tier.values():  # each tier's revenue, summed here from the customers' rows
        assert money_text(round(total, 2)) in table


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", WIDTHS)
def test_report_keeps_codes_and_amounts(kacrm, width: int, lang: str) -> None:
    data = json.loads(kacrm("report", "--format", "json"))
    table = kacrm("report", width=width, lang=lang)
    assert_fits(table, width)
    assert money_text(data["revenue"]) in table
    assert money_text(data["receivables"]["total"]) in table
    assert money_text(data["receivables"]["overdue"]) in table
    for tier in data["tiers"]:
        assert money_text(tier["revenue"]) in table
    assert data["at_risk"]
    for row in data["at_risk"] + data["upcoming"]:
        assert row["customer_code"] in table


def render(listing: Listing, width: int) -> str:
    console = Console(width=width, file=StringIO(), no_color=True)
    console.print(rich_table(listing, "en", width=width))
    return console.file.getvalue()


def test_a_table_that_fits_keeps_its_box_and_all_columns() -> None:
    listing = Listing(
        [Column("customer_code", "Code"), Column("customer_name", "Name")],
        [{"customer_code": "KH0001", "customer_name": "Acme"}],
    )
    text = render(listing, 80)
    assert "┏" in text and "KH0001" in text and "Acme" in text


def test_columns_of_highest_drop_rank_go_first_and_undroppable_ones_stay() -> None:
    # 6 money columns of 12 characters: compact, they need 6 * 12 + 5 * 2 = 82 > 80 columns, so exactly one
    # goes: the one of highest drop rank (c), not b (rank 1) nor the never-dropped ones.
    columns = [
        Column("a", "A", kind="money"),
        Column("b", "B", kind="money", drop=1),
        Column("c", "C", kind="money", drop=2),
        Column("d", "D", kind="money"),
        Column("e", "E", kind="money"),
        Column("f", "F", kind="money"),
    ]
    listing = Listing(columns, [{k: 1_234_567.891 + i for i, k in enumerate("abcdef")}])
    plan = plan_table(listing, "en", 80)
    assert [c.key for c in plan.columns] == ["a", "b", "d", "e", "f"]
    assert plan.compact
    text = render(listing, 80)
    assert "1,234,567.89" in text  # a: 1,234,567.891 rounded to cents
    assert "1,234,568.89" in text  # b = a + 1
    assert "1,234,569.89" not in text  # c = a + 2, dropped
    assert "1,234,572.89" in text  # f = a + 5
    assert_fits(text, 80)


def test_a_long_name_folds_instead_of_pushing_the_code_out() -> None:
    name = "深圳市鑫通化工有限公司" * 4  # 44 characters, 88 columns: wider than the terminal alone
    listing = Listing(
        [
            Column("customer_code", "Code"),
            Column("customer_name", "Name"),
            Column("x", "X", kind="money"),
        ],
        [{"customer_code": "KH0052", "customer_name": name, "x": 2_526_752.57}],
    )
    text = render(listing, 80)
    assert_fits(text, 80)
    assert "KH0052" in text and "2,526,752.57" in text
    assert (
        "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff") == name
    )  # every character, folded


@pytest.mark.parametrize(
    ("args", "en", "zh"),
    [
        (
            ["due", "--days", "1", "--kind", "pool"],  # the demo has no [pool]: nothing is released
            "Nothing due in this window (look further ahead with --days 30).\n",
            "这段时间没有待办事项（可用 --days 30 看得更远）。\n",
        ),
        (
            ["customer", "list", "--search", "no such customer"],
            "No customers match (see every customer with `kacrm customer list`).\n",
            "没有符合条件的客户（`kacrm customer list` 列出全部客户）。\n",
        ),
    ],
)
def test_an_empty_answer_is_one_line_on_stderr(
    app: typer.Typer, demo_db: Path, args: list[str], en: str, zh: str
) -> None:
    for lang, line in (("en", en), ("zh", zh)):
        result = CliRunner().invoke(
            app, ["--db", str(demo_db), "--as-of", AS_OF, "--lang", lang, *args]
        )
        assert result.exit_code == 0
        assert result.stdout == ""
        assert result.stderr == line
    as_json = CliRunner().invoke(
        app, ["--db", str(demo_db), "--as-of", AS_OF, *args, "--format", "json"]
    )
    assert (as_json.stdout, as_json.stderr) == ("[]\n", "")
    as_csv = CliRunner().invoke(
        app, ["--db", str(demo_db), "--as-of", AS_OF, *args, "--format", "csv"]
    )
    assert as_csv.stdout.count("\n") == 1 and as_csv.stdout.startswith(("id,", "customer_code,"))
    assert as_csv.stderr == ""


def coloured(listing: Listing, **console_options: Any) -> list[str]:
    """The table's lines as a colour terminal (8 colours) shows them, escape codes included."""
    options = {"force_terminal": True, "color_system": "standard", **console_options}
    console = Console(width=200, file=StringIO(), **options)
    console.print(rich_table(listing, "en", width=200))
    return console.file.getvalue().splitlines()


RED, YELLOW, GREEN = "\x1b[31m", "\x1b[33m", "\x1b[32m"  # SGR 31, 33, 32: the standard colours


def due_item(item_id: str, due_on: date, overdue_days: int) -> DueItem:
    return DueItem(
        id=item_id,
        due_on=due_on,
        event_on=None,
        kind="follow_up",
        customer_code="KH0001",
        customer_name="Acme",
        contact=None,
        reason="follow up",
        reason_zh="跟进",
        overdue_days=overdue_days,
        owner=None,
        tier=None,
        customer_id=1,
    )


def test_due_colours_overdue_red_and_today_yellow_on_a_terminal() -> None:
    today = date(2026, 11, 20)
    items = [
        due_item("late-1", date(2026, 11, 17), 3),  # 3 days overdue
        due_item("today-1", today, 0),
        due_item("later-1", date(2026, 11, 23), 0),
    ]
    listing = due_listing(items, "en", table=True, today=today)
    lines = {item.id: "" for item in items}
    for line in coloured(listing):
        for item_id in lines:
            if item_id in line:
                lines[item_id] = line
    assert RED in lines["late-1"] and YELLOW not in lines["late-1"]
    assert YELLOW in lines["today-1"] and RED not in lines["today-1"]
    assert "\x1b[3" not in lines["later-1"]  # no colour at all


def test_credit_colours_over_limit_and_overdue_customers_red() -> None:
    rows = [
        # outstanding 2,000 > limit 1,000: over the limit
        {"customer_code": "KH0001", "limit": 1000.0, "outstanding": 2000.0, "overdue": 0.0},
        # within the limit, 10 overdue
        {"customer_code": "KH0002", "limit": 1000.0, "outstanding": 500.0, "overdue": 10.0},
        {"customer_code": "KH0003", "limit": 1000.0, "outstanding": 500.0, "overdue": 0.0},
        {"customer_code": "KH0004", "limit": None, "outstanding": 500.0, "overdue": 0.0},
    ]
    lines = coloured(overview_listing(rows, "en"))
    by_code = {
        code: next(line for line in lines if code in line)
        for code in ("KH0001", "KH0002", "KH0003", "KH0004")
    }
    assert RED in by_code["KH0001"] and RED in by_code["KH0002"]
    assert "\x1b[3" not in by_code["KH0003"] and "\x1b[3" not in by_code["KH0004"]


def test_no_colour_with_no_color_or_in_a_pipe(
    monkeypatch: pytest.MonkeyPatch, app: typer.Typer, demo_db: Path
) -> None:
    items = [due_item("late-1", date(2026, 11, 17), 3)]
    listing = due_listing(items, "en", table=True, today=date(2026, 11, 20))
    assert any(RED in line for line in coloured(listing))
    monkeypatch.setenv("NO_COLOR", "1")
    assert not any("\x1b[3" in line for line in coloured(listing))  # bold stays, no colour
    # kacrm's own consoles: a terminal gets colour unless NO_COLOR is set; a pipe never does
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    assert _console(stderr=False).no_color is True  # NO_COLOR=1
    monkeypatch.delenv("NO_COLOR")
    assert _console(stderr=False).no_color is False
    result = CliRunner().invoke(app, ["--db", str(demo_db), "--as-of", AS_OF, "due", "--week"])
    assert result.exit_code == 0 and "\x1b[" not in result.stdout


def test_a_refused_credit_check_has_a_red_title_on_a_terminal() -> None:
    console = Console(width=100, file=StringIO(), force_terminal=True, color_system="standard")

    class Screen:
        out = console
        lang = "en"
        plain_width = None  # a terminal

    emit_object(
        {"customer_code": "KH0001", "approved": False},
        "table",
        Screen(),
        title="Refused",
        tone="bad",
    )
    title = console.file.getvalue().splitlines()[0]
    assert RED in title and "Refused" in title


def test_folded_reasons_break_between_chinese_characters_never_inside_a_number() -> None:
    reason = "销售额较前12个月下降39%（754,436.98 对 1,242,594.96）, 逾期应收 287,598.08（最长逾期104天）"
    # from 15 columns, the widest unit: "1,242,594.96）," (12 + 2 + 1); a table gives the column at least that
    for width in range(15, 60):
        lines = wrap_cell(reason, width).split("\n")
        assert all(cell_len(line) <= width for line in lines), (width, lines)
        joined = "\n".join(lines)
        for number in ("754,436.98", "1,242,594.96", "287,598.08"):
            assert number in joined, (width, lines)
        # nothing lost but the spaces where lines break
        assert "".join(lines).replace(" ", "") == reason.replace(" ", "")
        assert not any(line.startswith(("）", "，", ",")) for line in lines)


def test_a_code_in_a_reason_gets_a_column_wide_enough() -> None:
    reason = "collect 10,724.37 on order SO20240130-001 (due 2024-02-29)"
    listing = Listing(
        [Column("id", "ID"), Column("reason", "Reason")], [{"id": "col-1", "reason": reason}]
    )
    text = render(
        listing, 30
    )  # narrow: the reason folds, but at 14 columns, the order number's width
    assert "SO20240130-001" in text and "2024-02-29" in text and "10,724.37" in text


def _run_with_terminal_stderr(demo_db: Path, columns: int, env_columns: str | None) -> list[str]:
    """kacrm as `kacrm due --week | less` typed at a terminal: stdout a pipe, stderr a real pseudo-terminal of
    ``columns`` columns (its size set with TIOCSWINSZ, as a terminal emulator does)."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    if env_columns is not None:
        env["COLUMNS"] = env_columns
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "kacrm",
                "--db",
                str(demo_db),
                "--as-of",
                AS_OF,
                "due",
                "--week",
            ],
            stdout=subprocess.PIPE,
            stderr=follower,
            stdin=subprocess.DEVNULL,
            env=env,
            timeout=120,
            check=True,
        )
    finally:
        os.close(follower)
        os.close(leader)
    return done.stdout.decode().splitlines()


def test_a_pipe_typed_at_a_terminal_gets_the_terminals_width(demo_db: Path) -> None:
    lines = _run_with_terminal_stderr(demo_db, 80, None)
    assert len(lines) > 20 and max(cell_len(line) for line in lines) <= 80
    wider = _run_with_terminal_stderr(
        demo_db, 120, "80"
    )  # the terminal's size, not an exported COLUMNS
    assert 80 < max(cell_len(line) for line in wider) <= 120


def _run_without_a_terminal(demo_db: Path, columns: str | None) -> list[int]:
    """The widths of `kacrm due --week`'s lines with stdout and stderr piped and no controlling terminal (a new
    session: /dev/tty opens nothing), as cron runs it; ``columns``: COLUMNS exported, or not set."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    if columns is not None:
        env["COLUMNS"] = columns
    done = subprocess.run(
        [sys.executable, "-m", "kacrm", "--db", str(demo_db), "--as-of", AS_OF, "due", "--week"],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        env=env,
        timeout=120,
        check=True,
        start_new_session=True,
    )
    return [cell_len(line) for line in done.stdout.decode().splitlines()]


def test_a_pipe_without_a_terminal_is_200_columns_wide(demo_db: Path) -> None:
    """cron and scripts: no terminal anywhere and no COLUMNS, so the table is laid out 200 columns wide (no
    folded reasons)."""
    assert 80 < max(_run_without_a_terminal(demo_db, None)) <= 200


def test_a_pipe_of_both_streams_honours_an_exported_columns(demo_db: Path) -> None:
    """`kacrm due --week 2>&1 | head` with COLUMNS exported (a shell does not export it unless asked): no stream
    is a terminal, so COLUMNS is the width the user asked for."""
    widths = _run_without_a_terminal(demo_db, "80")
    assert len(widths) > 20 and max(widths) <= 80


@pytest.mark.parametrize("width", WIDTHS)
def test_columns_left_out_are_named_on_stderr(app: typer.Typer, demo_db: Path, width: int) -> None:
    """At 80 columns credit aging leaves out the name and the youngest buckets, so a row's total is more than
    the buckets shown: stderr names what is missing. What fits is not named."""

    def console(stderr: bool) -> Console:
        return Console(stderr=stderr, width=width, no_color=True, highlight=False, soft_wrap=False)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(common, "_console", console)
        patch.setattr(common, "_pipe_width", lambda: width)
        result = CliRunner().invoke(
            app, ["--db", str(demo_db), "--as-of", AS_OF, "--lang", "zh", "credit", "aging"]
        )
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[1]
    note = " ".join(result.stderr.split())
    assert note.startswith("终端宽度不足，未显示：") or (width > 80 and note == "")
    named = note.removeprefix("终端宽度不足，未显示：").split("（")[0].split("、") if note else []
    for shown_or_not in ["客户名称", "未到期", "1–30天", "31–60天", ">180天"]:
        # every bucket is either in the table's header or named as left out, never both
        assert (shown_or_not in header) != (shown_or_not in named), shown_or_not
    assert ("未到期" in named) == (width == 80)
    # nothing is said when everything fits
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(common, "_console", lambda stderr: Console(stderr=stderr, width=200))
        patch.setattr(common, "_pipe_width", lambda: 200)
        wide = CliRunner().invoke(app, ["--db", str(demo_db), "--as-of", AS_OF, "credit", "aging"])
    assert "Not shown" not in wide.stderr


def test_the_import_summary_drops_seconds_before_squeezing_the_unknown_columns() -> None:
    """At 80 columns the English summary of one file needs more than the terminal (9 columns, 2-space gaps): the
    timing goes first, so the unknown headers a user must act on keep a readable column ("Unknown columns" was
    squeezed to three characters a line)."""
    from kacrm.io.importer import FileSummary
    from kacrm.render.imports import import_listing

    summary = FileSummary(
        "订单导出.csv",
        "orders",
        rows_read=3,
        inserted=2,
        rejected=1,
        seconds=0.553,
        unknown_columns=["备注"],
    )
    listing = import_listing([summary], "en", table=True)
    plan = plan_table(listing, "en", 80)
    assert "seconds" not in [c.key for c in plan.columns]
    assert "unknown_columns" in [c.key for c in plan.columns]
    text = render(listing, 80)
    assert_fits(text, 80)
    assert "Unknown" in text and "columns" in text and "备注" in text
    assert "0.553" not in text
    assert "0.553" in render(listing, 120)  # a wide terminal keeps it


def test_a_pipe_of_both_streams_gets_the_controlling_terminals_width(demo_db: Path) -> None:
    """`kacrm due --week 2>&1 | head` typed at a 70-column terminal, COLUMNS not exported: no stream is a
    terminal, but the session's controlling terminal (/dev/tty, here a pseudo-terminal set to 70 columns) is
    the screen the lines land on."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 70, 0, 0))

    def take_the_terminal() -> None:
        """In the child: a new session whose controlling terminal is the pty."""
        os.setsid()
        fcntl.ioctl(follower, termios.TIOCSCTTY, 0)

    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    command = ["-m", "kacrm", "--db", str(demo_db), "--as-of", AS_OF, "due", "--week"]
    try:
        done = subprocess.run(
            [sys.executable, *command],
            capture_output=True,
            stdin=subprocess.DEVNULL,
            env=env,
            timeout=120,
            check=True,
            pass_fds=(follower,),
            preexec_fn=take_the_terminal,
        )
    finally:
        os.close(follower)
        os.close(leader)
    widths = [cell_len(line) for line in done.stdout.decode().splitlines()]
    assert len(widths) > 20 and 60 < max(widths) <= 70


_NO_CUSTOMER = (
    "log",
    "KH9999",
    "visit",
)  # a customer the demo does not have: a two-line error at 60 columns


def _error_at_a_terminal(demo_db: Path, columns: int, lang: str) -> list[str]:
    """The lines stderr shows for `kacrm log` of a customer that does not exist, stderr a pseudo-terminal of
    ``columns`` columns."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    try:
        done = subprocess.run(
            [sys.executable, "-m", "kacrm", "--db", str(demo_db), "--lang", lang, *_NO_CUSTOMER],
            stdout=subprocess.PIPE,
            stderr=follower,
            stdin=subprocess.DEVNULL,
            timeout=120,
        )
        shown = os.read(leader, 65536).decode()
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 1
    return shown.replace("\r\n", "\n").rstrip("\n").split("\n")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_error_at_a_narrow_terminal_folds_between_words(demo_db: Path, lang: str) -> None:
    """A terminal breaks a long line at its edge, inside a word (`customer l` / `ist`): the message is folded
    before it is written, so the command it names stays whole on one line."""
    lines = _error_at_a_terminal(demo_db, 60, lang)
    assert len(lines) >= 2 and all(cell_len(line) <= 60 for line in lines)
    assert "KH9999" in "".join(lines) and "customer list --search" in "\n".join(lines)


def test_an_error_in_a_pipe_stays_one_line(demo_db: Path) -> None:
    """cron and logs read a message as one line: only a terminal folds it."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "kacrm", "--db", str(demo_db), "--lang", "zh", *_NO_CUSTOMER],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "customer list --search" in done.stderr

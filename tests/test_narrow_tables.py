"""Tables at 80 and 60 columns (round 8): no amount and no header is cut, and a column left out is named.

A table wider than the terminal used to be drawn past its edge and cut there by the console: the statement's
balance read 1,250,310 for 1,250,310.04, the tier history lost Rank and Pinned unnamed. Each listing here is
built from rows written by hand and drawn by print_table on a console of a fixed width, as on a terminal; the
expected texts (amounts with separators and two decimals, headers) are written out by hand.
"""

from __future__ import annotations

import re
from contextlib import redirect_stdout
from datetime import date
from decimal import Decimal
from io import StringIO
from types import SimpleNamespace

import pytest
from rich.cells import cell_len
from rich.console import Console

from kacrm.render.collections import schedule_listing
from kacrm.render.credit import aging_listing, review_listing, statement_listings
from kacrm.render.imports import import_listing
from kacrm.render.listing import Column, Listing
from kacrm.render.output import print_table, wrap_cell
from kacrm.render.tier import history_listing

NAME = "上海通达通信设备股份有限公司"
HIDDEN_NOTE = {"en": "Not shown at this width: ", "zh": "终端宽度不足，未显示："}


class Screen:
    """What print_table draws on: stdout and stderr consoles of one width, without colour (a pipe's console);
    ``plain``: it says it is plain text (plain_width), so that tables are drawn without Rich where they can be,
    on sys.stdout (the console writes there too)."""

    def __init__(self, width: int, lang: str, plain: bool = False) -> None:
        self.lang = lang
        self.plain_width = width if plain else None
        self.out = Console(
            file=None if plain else StringIO(),
            width=width,
            no_color=True,
            highlight=False,
            soft_wrap=False,
        )
        self.err = Console(
            file=StringIO(), width=1000, no_color=True, highlight=False, soft_wrap=False
        )


def draw(listing: Listing, width: int, lang: str) -> tuple[str, str]:
    """stdout and stderr of print_table; drawn twice, by Rich and as plain lines, the same text."""
    screen = Screen(width, lang)
    print_table(listing, screen)
    plain = Screen(width, lang, plain=True)
    with redirect_stdout(StringIO()) as written:
        print_table(listing, plain)
    assert written.getvalue() == screen.out.file.getvalue()
    assert plain.err.file.getvalue() == screen.err.file.getvalue()
    return screen.out.file.getvalue(), screen.err.file.getvalue()


def left_out(note: str, lang: str) -> list[str]:
    """The headers the note on stderr names."""
    if not note:
        return []
    assert note.startswith(HIDDEN_NOTE[lang]), note
    names = note.removeprefix(HIDDEN_NOTE[lang]).split("（" if lang == "zh" else " (")[0]
    return names.split("、" if lang == "zh" else ", ")


def check(listing: Listing, width: int, lang: str, values: dict[str, list[str]]) -> list[str]:
    """Draw ``listing``: no line wider than ``width``; each column either shown, its header's words whole and
    each of its ``values`` whole, or named on stderr (or, empty in every row, left out unnamed); returns the
    headers left out."""
    out, err = draw(listing, width, lang)
    lines = out.splitlines()
    assert all(cell_len(line) <= width for line in lines), out
    assert "…" not in out
    dropped = left_out(err.strip(), lang)
    for col in listing.columns:
        if col.key in listing.hidden:
            continue
        header = col.header(lang)
        if header in dropped:
            continue
        if all(row.get(col.key) in (None, "", []) for row in listing.rows) and header not in out:
            continue  # empty in every row: left out first, and not named (it hides nothing)
        words = set(" ".join(lines).split())
        assert all(word in words for word in header.split()), (header, out)
        for value in values.get(col.key, []):
            assert value in out, (col.key, value, out)
    return dropped


def statement(lang: str) -> Listing:
    """A statement from 2026-10-01: opening 334,793.82, a payment of 182,600.00, an order of 1,098,116.22;
    balances 334,793.82 − 182,600.00 = 152,193.82, + 1,098,116.22 = 1,250,310.04."""
    result = {
        "customer_code": "KH0101",
        "customer_name": NAME,
        "from": date(2026, 10, 1),
        "to": date(2026, 11, 20),
        "opening_balance": Decimal("334793.82"),
        "closing_balance": Decimal("1250310.04"),
        "lines": [
            {
                "date": date(2026, 10, 4),
                "kind": "payment",
                "ref": "SK20261004-001",
                "debit": Decimal("0"),
                "credit": Decimal("182600.00"),
                "balance": Decimal("152193.82"),
            },
            {
                "date": date(2026, 11, 13),
                "kind": "instalment",
                "ref": "SO20261007-002#1",
                "debit": Decimal("1098116.22"),
                "credit": Decimal("0"),
                "balance": Decimal("1250310.04"),
            },
        ],
        "open_items": [],
    }
    return statement_listings(result, lang)[0]


STATEMENT_VALUES = {
    "date": ["2026-10-01", "2026-10-04", "2026-11-13"],
    "ref": ["SK20261004-001", "SO20261007-002#1"],
    "debit": ["1,098,116.22"],
    "credit": ["182,600.00"],
    "balance": ["334,793.82", "152,193.82", "1,250,310.04"],
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", [80, 60])
def test_the_statement_keeps_every_balance_whole(width: int, lang: str) -> None:
    dropped = check(statement(lang), width, lang, STATEMENT_VALUES)
    out, _ = draw(statement(lang), width, lang)
    # the balance and the amounts stay; the reference, then the kind, give way first
    assert "1,250,310.04" in out and "334,793.82" in out and "182,600.00" in out
    assert not {"Balance", "余额", "Debit", "Credit", "应收", "已收"} & set(dropped)
    title_words = " ".join(out.splitlines()[:3])
    assert "2026-11-20" in title_words  # the title folds, never cut at the edge


def test_the_statement_at_80_columns_leaves_out_only_the_reference() -> None:
    assert check(statement("en"), 80, "en", STATEMENT_VALUES) == ["Ref"]
    assert check(statement("en"), 200, "en", STATEMENT_VALUES) == []


SCHEDULE_ROWS = [
    {
        "customer_code": "KH0101",
        "customer_name": NAME,
        "order_no": "SO20260710-004",
        "order_amount": Decimal("308708.74"),
        "instalment": n,
        "due_on": date(2026, 7 + n, 9),
        "amount": Decimal(amount),
    }
    for n, amount in ((1, "102902.91"), (2, "102902.91"), (3, "102902.92"))
]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", [80, 60])
def test_the_payment_plan_keeps_its_amounts(width: int, lang: str) -> None:
    values = {
        "customer_code": ["KH0101"],
        "order_no": ["SO20260710-004"],
        "order_amount": ["308,708.74"],
        "due_on": ["2026-08-09", "2026-09-09", "2026-10-09"],
        "amount": ["102,902.91", "102,902.92"],
    }
    dropped = check(schedule_listing(SCHEDULE_ROWS, lang), width, lang, values)
    assert {"Amount", "计划回款金额"}.isdisjoint(dropped)
    # the name, which folded over five lines, is the first to give way
    assert dropped[0] in ("Customer", "客户名称")


def tier_rows() -> list[dict[str, object]]:
    return [
        {
            "customer_code": "KH0052",
            "customer_name": "深圳市鑫通化工有限公司",
            "run": run,
            "as_of": date(2026, 11, 20),
            "method": "abc",
            "metric": "revenue",
            "window": "12m",
            "tier": "A",
            "value": Decimal("4137304.07"),
            "share": 0.0712,
            "rank": 1,
            "pinned": "no",
        }
        for run in (1, 2)
    ]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", [80, 60])
def test_the_tier_history_keeps_share_rank_and_pinned(width: int, lang: str) -> None:
    listing = history_listing(tier_rows(), "KH0052", lang, labelled=True)
    values = {"value": ["4,137,304.07"], "share": ["7.1%"], "as_of": ["2026-11-20"]}
    dropped = check(listing, width, lang, values)
    kept = {"en": ["Share", "Rank", "Pinned"], "zh": ["占比", "排名", "锁定"]}[lang]
    assert set(kept).isdisjoint(dropped), dropped
    assert dropped  # the run's method, metric or window give way, named


def test_the_import_table_keeps_file_names_and_counts_at_80_and_60() -> None:
    summaries = [
        SimpleNamespace(
            file=name,
            kind=kind,
            rows_read=rows,
            inserted=rows,
            updated=0,
            unchanged=0,
            rejected=0,
            seconds=seconds,
            unknown_columns=unknown,
            unknown_columns_zh=[],
        )
        for name, kind, rows, seconds, unknown in (
            ("客户资料.csv", "customers", 200, 0.449, []),
            ("用友U8客户档案.xlsx", "customers", 6, 0.07, []),
            ("客户联系记录.xlsx", "interactions", 2161, 0.03, ["金额-不含税金额"]),
        )
    ]
    for lang in ("en", "zh"):
        for width in (80, 60):
            listing = import_listing(summaries, lang, table=True)
            values = {"rows_read": ["200", "2,161"], "seconds": ["0.449", "0.070", "0.030"]}
            check(listing, width, lang, values)
            out, _ = draw(listing, width, lang)
            # a file name folds between characters, never before its extension
            assert ".cs\n" not in out and "\nv " not in out
            for line in out.splitlines():
                assert not line.lstrip().startswith(("xlsx", "csv", ".xlsx", ".csv")), out


def test_the_seconds_have_one_format_down_the_column() -> None:
    summary = SimpleNamespace(
        file="a.csv",
        kind="orders",
        rows_read=1,
        inserted=1,
        updated=0,
        unchanged=0,
        rejected=0,
        seconds=0.03,
        unknown_columns=[],
        unknown_columns_zh=[],
    )
    assert import_listing([summary], "en", table=True).rows[0]["seconds"] == "0.030"
    assert import_listing([summary], "en", table=False).rows[0]["seconds"] == 0.03  # json: a number


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_credit_review_keeps_its_last_column(lang: str) -> None:
    rows = [
        {
            "customer_code": "KH0163",
            "customer_name": "昆明金恒新能源有限公司",
            "score": 97.49,
            "grade": "AAA",
            "previous_grade": None,
            "limit": Decimal("358354.00"),
            "previous_limit": None,
            "change": "new",
            "manual": False,
        }
    ]
    for width in (80, 60):
        dropped = check(review_listing(rows, lang), width, lang, {"limit": ["358,354.00"]})
        assert {"Limit", "信用额度"}.isdisjoint(dropped)


def test_columns_without_a_drop_priority_are_left_out_whole_and_named() -> None:
    """Eight amounts of 13 characters and no drop priority: 60 columns cannot hold them; the last ones are left
    out whole (the first column stays) and named, never cut at the edge."""
    columns = [Column("code", "Code")] + [
        Column(f"m{i}", f"Month {i}", kind="money") for i in range(8)
    ]
    row = {"code": "KH0001", **{f"m{i}": Decimal("1234567.89") * (i + 1) for i in range(8)}}
    listing = Listing(columns, [row])
    dropped = check(
        listing, 60, "en", {f"m{i}": [f"{1234567.89 * (i + 1):,.2f}"] for i in range(8)}
    )
    assert dropped and dropped == [f"Month {i}" for i in range(8 - len(dropped), 8)]
    out, _ = draw(listing, 60, "en")
    assert "Code" in out and "KH0001" in out


def test_words_give_way_before_numbers() -> None:
    columns = [
        Column("code", "Code"),
        Column("amount", "Amount", kind="money"),
        Column("note", "Note"),
    ]
    row = {"code": "KH0001", "amount": Decimal("1250310.04"), "note": "x" * 30}
    assert check(Listing(columns, [row]), 40, "en", {"amount": ["1,250,310.04"]}) == ["Note"]


def test_a_file_name_folds_before_its_extension_only_with_the_character_before_it() -> None:
    assert wrap_cell("金蝶K3销售订单列表.xlsx", 16).splitlines() == ["金蝶K3销售订单列", "表.xlsx"]
    assert wrap_cell("end. Next", 4).splitlines() == ["end.", "Next"]


def test_a_bracketed_amount_and_date_break_after_the_chinese_comma_not_inside_the_date() -> None:
    """`due`'s after-sale reason at 80 columns: the bracket was one word of 24 columns in a column of 23, cut
    before its closing bracket, which stood alone on the next line. A line may break after a Chinese comma or
    bracket that ends a run; never inside the amount (its ASCII commas) or the date."""
    reason = "感谢下单：订单 SO20261113-001（15,370.52，2026-11-13）"
    assert wrap_cell(reason, 23).splitlines() == [
        "感谢下单：订单",
        "SO20261113-001",
        "（15,370.52，",
        "2026-11-13）",
    ]
    assert wrap_cell("金额 1,234,567.89。", 14).splitlines() == ["金额", "1,234,567.89。"]


# Shapes the plain drawing must give back to Rich, or draw as Rich does (draw() compares the two): a title with
# markup or an emoji code, one wider than the table, a cell with a tab or spaces at its ends, a header that wraps,
# groups with a cut, a footer after a section, an empty table, Chinese names folded.
SHAPE_TITLES = [
    None,
    "Credit",
    "[bold]Due[/bold] soon",
    "Late :warning: 3",
    "客户：逾期",
    "x" * 120,
]
SHAPE_ROWS = [
    {"code": "KH0001", "name": NAME, "amount": 1234567.89, "day": date(2026, 11, 20), "note": "ok"},
    {
        "code": "KH0002",
        "name": "Acme Trading Co. Ltd",
        "amount": 0.0,
        "day": None,
        "note": "tab\there",
    },
    {"code": "KH0003", "name": "  spaces  ", "amount": -12.5, "day": date(2026, 1, 2), "note": ""},
    {
        "code": "KH0004",
        "name": "上海\n浦东",
        "amount": 9.0,
        "day": date(2026, 1, 2),
        "note": "a b c",
    },
]


def shape(title: str | None, rows: list[dict[str, object]], **options: object) -> Listing:
    columns = [
        Column("code", "Code", "编号"),
        Column("name", "Customer name", "客户名称"),
        Column("amount", "Outstanding amount", "未收金额", "money"),
        Column("day", "Last order day", "最近下单日", "date", drop=1),
        Column("note", "Note", "备注"),
    ]
    return Listing(columns, rows, title=title, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", [30, 45, 60, 80, 200])
@pytest.mark.parametrize("title", SHAPE_TITLES)
def test_plain_lines_are_riches(width: int, lang: str, title: str | None) -> None:
    for rows in (SHAPE_ROWS[:1], SHAPE_ROWS[3:], SHAPE_ROWS, []):
        draw(shape(title, rows), width, lang)
        draw(shape(title, rows, footer={"code": "Total", "amount": 1234564.39}), width, lang)
    grouped = shape(
        title, SHAPE_ROWS, group_by="day", group_limit=1, cut_hint="[see all] with --all"
    )
    draw(grouped, width, lang)
    draw(shape(title, SHAPE_ROWS, group_by="code", cut_hint="more"), width, lang)


def test_a_pipe_draws_a_plain_listing_without_its_console() -> None:
    class NoConsole:
        lang, plain_width = "en", 200

        @property
        def out(self) -> Console:
            raise AssertionError("the console was made")

    with redirect_stdout(StringIO()) as written:
        print_table(shape("Credit", SHAPE_ROWS[:1]), NoConsole())  # type: ignore[arg-type]
    assert written.getvalue().splitlines()[0].rstrip() == "Credit"
    assert "1,234,567.89" in written.getvalue()


LINES = [
    "Tiers in force, of the primary method abc (`kacrm tier primary`).",
    "note: no [pool] release_after_days in the config: nothing is ever released",
    "[bold]Due[/bold] soon",
    "Late :warning: 3",
    "a:b:c",
    "  spaces at the start",
    "长" * 50,
    "\n== Summary ==",
    "tab\there",
    "",
]


@pytest.mark.parametrize("err", [False, True], ids=["stdout", "stderr"])
@pytest.mark.parametrize("markup", [True, False])
@pytest.mark.parametrize("width", [30, 200])
def test_print_line_writes_what_rich_prints(width: int, markup: bool, err: bool) -> None:
    """print_line on plain streams writes each line as the consoles print it (markup read or not, emoji codes,
    lines Rich wraps), through Rich where it must."""
    from contextlib import redirect_stderr

    from kacrm.render.output import print_line

    def console(file: StringIO | None) -> Console:
        return Console(file=file, width=width, no_color=True, highlight=False, soft_wrap=False)

    class Plain:
        lang, plain_width, plain_err_width = "en", width, width
        out, err = (
            console(None),
            Console(stderr=True, width=width, no_color=True, highlight=False, soft_wrap=False),
        )

    for line in LINES:
        rich = console(StringIO())
        rich.print(line, markup=markup)
        with redirect_stdout(StringIO()) as out, redirect_stderr(StringIO()) as errs:
            print_line(line, Plain(), markup=markup, err=err)  # type: ignore[arg-type]
        assert (errs if err else out).getvalue() == rich.file.getvalue(), line
        assert (out if err else errs).getvalue() == ""


def test_a_column_empty_in_every_row_is_left_out_first() -> None:
    """A due list whose contacts are all blank kept its Contact column at 80 columns and squeezed the reasons to
    12 (rows 7-8 lines tall); an empty column shows nothing but its header and goes before any other."""
    from kacrm.render.output import plan_table

    columns = [
        Column("id", "Id"),
        Column("customer_name", "Customer"),
        Column("contact", "Contact"),
        Column("reason", "Reason"),
        Column("amount", "Amount", kind="money"),
    ]
    reason = "last contact 2026-10-01; untiered: every 90 days"
    rows = [
        {
            "id": f"cad-{n}-20261120",
            "customer_name": "东莞市博安医疗器械有限公司",
            "contact": None,
            "reason": reason,
            "amount": 1234.5,
        }
        for n in range(3)
    ]
    # the widths by hand: id 15, name 26 (13 Chinese characters), amount 8, reason 48 whole: 15+26+8+48 and 2
    # between each of the 4 columns = 103 > 80, so something goes; Contact (empty) first, then the reason folds
    plan = plan_table(Listing(columns, rows), "en", 80)
    shown = [c.key for c in plan.columns]
    assert "contact" not in shown and "reason" in shown
    assert plan.fold_widths.get("reason", 0) > 12


def test_a_column_left_out_for_being_empty_is_not_named_as_hidden() -> None:
    """The import table of a file without unknown columns, at 80 columns: the empty Unknown columns column goes,
    and the note must not say it holds something a wider terminal would show; a column left out with values in
    it is still named."""
    columns = [
        Column("file", "File"),
        Column("kind", "Kind"),
        Column("reason", "Reason"),
        Column("unknown", "Unknown columns"),
    ]
    rows = [
        {"file": "orders.csv", "kind": "orders", "reason": "x " * 40, "unknown": ""},
        {"file": "payments.csv", "kind": "payments", "reason": "y " * 40, "unknown": None},
    ]
    out, err = draw(Listing(columns, rows), 40, "en")
    assert "Unknown" not in out and "Unknown" not in err
    rows[0]["unknown"] = "备注"
    out, err = draw(Listing(columns, rows), 40, "en")
    assert "Unknown columns" in " ".join(err.split()) or "Unknown" in out


def test_a_tight_boxed_table_is_not_widened_past_the_terminal_by_a_header() -> None:
    """`kacrm credit` at 120 columns: the plan fitted a boxed table with "Oldest overdue days" over three lines,
    Rich put that header on one line and drew 126 columns, and the console cut the flags (over limit, overdue,
    bi… with no right edge). Each column is now as wide as planned: every line within the width, the flags whole."""
    from kacrm.render.credit import overview_listing

    flags = ["over_limit", "overdue", "big_debtor", "hold"]
    rows = [
        {
            "customer_code": "KH0052",
            "customer_name": "深圳市鑫通化工有限公司",
            "grade": "BB",
            "limit": Decimal("344775.00"),
            "outstanding": Decimal("2584752.57"),
            "utilization": 7.4969,
            "overdue": Decimal("1568481.61"),
            "oldest_overdue_days": 173,
            "flags": flags,
        }
    ]
    for width in (120, 110, 100):
        out, _ = draw(overview_listing(rows, "en"), width, "en")
        assert all(cell_len(line) <= width for line in out.splitlines()), out
        words = " ".join(out.split())
        assert all(word in words for word in ("over", "limit,", "big", "debtor,", "on", "hold"))


def aging(lang: str) -> Listing:
    """Two customers' aging: G1 8,765,432.10 not due, 123,456,789.00 1–30, 77,777,777.77 31–60, 456,789,012.34
    61–90, 9,876,543,210.99 >180, total 10,543,332,222.20 (added up by hand); G2 0.01 not due."""
    buckets = ("not_due", "d1_30", "d31_60", "d61_90", "d91_180", "over_180")
    g1 = dict(
        zip(
            buckets,
            ("8765432.10", "123456789.00", "77777777.77", "456789012.34", "0", "9876543210.99"),
            strict=True,
        )
    )
    g2 = dict(zip(buckets, ("0.01", "0", "0", "0", "0", "0"), strict=True))
    rows = [
        {"customer_code": "G1", "customer_name": NAME, **g1, "total": "10543332222.20"},
        {"customer_code": "G2", "customer_name": "小", **g2, "total": "0.01"},
    ]
    rows = [{k: Decimal(v) if k in (*buckets, "total") else v for k, v in r.items()} for r in rows]
    totals = {k: rows[0][k] + rows[1][k] for k in (*buckets, "total")}
    return aging_listing(rows, {"customer_code": None, **totals}, lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_aging_at_80_columns_keeps_the_oldest_buckets_and_says_the_total_includes_the_rest(
    lang: str,
) -> None:
    """Round 11: the total stays with the oldest buckets, and the note on stderr says it includes the buckets
    left out (they no longer add up to it on screen); folded at the terminal's width, "--format" whole."""
    listing = aging(lang)
    dropped = check(
        listing, 80, lang, {"over_180": ["9,876,543,210.99"], "total": ["10,543,332,222.20"]}
    )
    young = {"en": ["Not due", "1–30", "31–60"], "zh": ["未到期", "1–30天", "31–60天"]}[lang]
    assert dropped[1:] == young  # the name first, then the youngest buckets
    for width in range(60, 101):
        screen = Screen(width, lang)
        screen.err = Console(
            file=StringIO(), width=width, no_color=True, highlight=False, soft_wrap=False
        )
        print_table(listing, screen)
        lines = screen.err.file.getvalue().splitlines()
        assert all(cell_len(line) <= width for line in lines), lines
        options = [option for line in lines for option in re.findall(r"--\w*", line)]
        assert options == ["--format"], lines  # whole on one line
        note = "".join(lines) if lang == "zh" else " ".join(lines)
        separator = "、" if lang == "zh" else ", "
        total = {"en": "Total includes ", "zh": "合计已含"}[lang]
        hidden = left_out(note, lang)
        parts = [h for h in hidden if h not in ("Name", "客户名称")]  # the buckets left out
        assert parts and note.endswith(
            total + separator.join(parts) + ("。" if lang == "zh" else ".")
        )


def test_an_import_note_on_a_terminal_keeps_an_option_whole() -> None:
    """The import's notes go through print_note, as the hidden-columns note does: on an 80-column terminal a
    Chinese note is folded between words and Chinese characters, its option whole and no line past the edge."""
    from kacrm.cli.imports import _notes
    from kacrm.io.importer import FileSummary

    summary = FileSummary("金蝶导出.xlsx", "customers")
    summary.other_sheets = ("销售订单",)
    err = StringIO()
    state = SimpleNamespace(
        lang="zh",
        err=Console(file=err, width=80, soft_wrap=False, force_terminal=True, color_system=None),
    )
    _notes(state, [summary])
    lines = err.getvalue().splitlines()
    assert any("--sheet" in line for line in lines), lines
    assert all(len(line) <= 80 for line in lines)

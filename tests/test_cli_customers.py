"""`kacrm customer`, `log` and `plan` through the CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import json
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session

from kacrm.store.models import Contact, Customer, Order, Payment, TierSnapshot
from kacrm.store.repo import customer_by_code

LIST_KEYS = {
    "customer_code",
    "customer_name",
    "type",
    "status",
    "region",
    "owner",
    "phone",
    "tier",
    "credit_grade",
    "orders",
    "revenue",
    "paid",
    "outstanding",
    "first_order_on",
    "last_order_on",
    "last_contact_on",
    "tiers",  # issue 15: each method's latest tier
}


def _seed_orders(engine, code: str) -> None:
    with Session(engine) as s:
        cid = customer_by_code(s, code).id
        s.add(
            Order(
                order_no="O1", customer_id=cid, order_date=date(2026, 1, 10), amount_cents=1_234_550
            )
        )
        s.add(
            Order(order_no="O2", customer_id=cid, order_date=date(2026, 3, 5), amount_cents=65_450)
        )
        s.add(
            Order(order_no="O3", customer_id=cid, order_date=date(2026, 12, 1), amount_cents=99_999)
        )  # future
        s.add(
            Payment(
                payment_no="P1", customer_id=cid, paid_on=date(2026, 2, 1), amount_cents=1_000_000
            )
        )
        s.commit()


def test_add_list_and_aggregates(run, engine) -> None:
    r = run(
        "customer",
        "add",
        "C001",
        "深圳市华南电子有限公司",
        "--region",
        "华南",
        "--owner",
        "张伟",
        "--type",
        "企业",
        "--terms",
        "30天",
        "--credit-limit",
        "¥50,000",
        "--phone",
        "+86 138-0013-8000",
    )
    assert r.exit_code == 0, r.stderr
    run("customer", "add", "C002", "Acme Ltd", "--owner", "李娜")
    _seed_orders(engine, "C001")
    r = run("--as-of", "2026-11-22", "customer", "list", "--format", "json")
    assert r.exit_code == 0, r.stderr
    rows = json.loads(r.stdout)
    assert [row["customer_code"] for row in rows] == ["C001", "C002"]  # biggest revenue first
    first = rows[0]
    assert set(first) == LIST_KEYS
    # orders up to as-of: 12,345.50 + 654.50 = 13,000.00; paid 10,000.00; outstanding 3,000.00
    assert (first["orders"], first["revenue"], first["paid"], first["outstanding"]) == (
        2,
        13000.0,
        10000.0,
        3000.0,
    )
    assert (first["first_order_on"], first["last_order_on"]) == ("2026-01-10", "2026-03-05")
    assert (first["type"], first["region"], first["phone"]) == (
        "business",
        "华南",
        "13800138000",  # given as +86 138…: a Chinese mobile is stored as its 11 digits
    )
    assert rows[1]["orders"] == 0 and rows[1]["revenue"] == 0.0 and rows[1]["last_order_on"] is None


def test_list_filters(run) -> None:
    run("customer", "add", "C001", "华南电子", "--owner", "张伟")
    run("customer", "add", "C002", "Acme Ltd", "--owner", "李娜")
    by_owner = json.loads(run("customer", "list", "--owner", "李娜", "--format", "json").stdout)
    assert [r["customer_code"] for r in by_owner] == ["C002"]
    by_text = json.loads(run("customer", "list", "--search", "华南", "--format", "json").stdout)
    assert [r["customer_code"] for r in by_text] == ["C001"]


def test_search_matches_percent_and_underscore_as_typed(run) -> None:
    """--search is text, not a LIKE pattern: "%" finds only names with a percent sign, "A_1" not "AB1"."""
    run("customer", "add", "A_1", "Acme 100% Ltd")
    run("customer", "add", "AB1", "Abc Ltd")
    run("customer", "add", "C\\1", "Back\\slash Co")

    def codes(text: str) -> list[str]:
        rows = json.loads(run("customer", "list", "--search", text, "--format", "json").stdout)
        return sorted(r["customer_code"] for r in rows)

    assert codes("%") == ["A_1"]
    assert codes("a_1") == ["A_1"]
    assert codes("_") == ["A_1"]
    assert codes("\\") == ["C\\1"]
    assert codes("ltd") == ["AB1", "A_1"]  # sorted: "B" comes before "_"


def test_show_card_with_key_persons(run, engine) -> None:
    run("customer", "add", "C001", "华南电子", "--terms", "45")
    run("customer", "add", "C002", "推荐方", "--owner", "李娜")
    run("customer", "edit", "C001", "--referred-by", "C002")
    with Session(engine) as s:
        cid = customer_by_code(s, "C001").id
        s.add(
            Contact(
                customer_id=cid,
                name="王总",
                title="总经理",
                role="decision_maker",
                is_primary=True,
                birthday=date(2000, 3, 5),
                birthday_has_year=False,
                lunar_birthday_month=4,
                lunar_birthday_day=8,
                lunar_birthday_leap=True,
                anniversary=date(2001, 10, 1),
                hobbies="高尔夫",
            )
        )
        s.add(Contact(customer_id=cid, name="李工", birthday=date(1985, 7, 9)))
        s.commit()
    r = run("customer", "show", "C001", "--format", "json")
    assert r.exit_code == 0, r.stderr
    card = json.loads(r.stdout)
    assert LIST_KEYS <= set(card)
    assert card["payment_terms_days"] == 45 and card["referred_by"] == "C002"
    wang, li = card["contacts"]
    assert (
        wang["name"] == "王总"
        and wang["birthday"] == "--03-05"
        and wang["lunar_birthday"] == "L04-08"
    )
    assert wang["anniversary"] == "2001-10-01" and wang["role"] == "decision_maker"
    assert li["birthday"] == "1985-07-09" and li["lunar_birthday"] is None
    table = run("customer", "show", "C001")
    # the role and the lunar day as words (json keeps the codes)
    assert "王总" in table.stdout and "闰四月初八" in table.stdout
    assert "decision maker" in table.stdout and "decision_maker" not in table.stdout
    # Markdown (for a meeting's notes) carries the key persons too, as a table of their own, and the tiers line
    md = run("--lang", "zh", "customer", "show", "C001", "--format", "md").stdout
    persons = [
        line
        for line in md.splitlines()
        if line.startswith("| 王总 |") or line.startswith("| 李工 |")
    ]
    assert len(persons) == 2 and "总经理" in persons[0] and "闰四月初八" in persons[0]
    assert "各方法等级：" in md


def test_edit_and_remove(run, engine) -> None:
    run("customer", "add", "C001", "华南电子")
    run("customer", "add", "C002", "留下的客户")
    _seed_orders(engine, "C001")
    assert (
        run("tier").exit_code == 0 and run("tier").exit_code == 0
    )  # two runs: two snapshots per customer
    assert run("owner", "set", "王五", "--email", "ww@example.com").exit_code == 0  # known first
    r = run("customer", "edit", "C001", "--status", "dormant", "--owner", "王五")
    assert r.exit_code == 0, r.stderr
    with Session(engine) as s:
        c = customer_by_code(s, "C001")
        assert (c.status, c.owner) == ("dormant", "王五")
    r = run("customer", "rm", "C001", input="n\n")
    assert r.exit_code == 1
    r = run("customer", "rm", "C001", "--yes")
    assert r.exit_code == 0, r.stderr
    with Session(engine) as s:
        for model in (Order, Payment):
            assert s.scalar(select(func.count()).select_from(model)) == 0
        assert s.scalars(select(Customer.code)).all() == ["C002"]
        kept = s.scalars(select(TierSnapshot.customer_id)).all()
        assert len(kept) == 2 and set(kept) == {customer_by_code(s, "C002").id}


def test_user_errors_are_one_line_and_exit_1(run) -> None:
    run("customer", "add", "C001", "华南电子")
    for args, needle in [
        (("customer", "show", "NOPE"), "no customer with code 'NOPE'"),
        (("customer", "add", "C001", "again"), "exists already"),
        (("customer", "edit", "C001", "--referred-by", "C001"), "cannot refer itself"),
        (("customer", "add", "C009", "x", "--referred-by", "C009"), "cannot refer itself"),
        (("customer", "edit", "C001"), "Nothing to update"),
        (("plan", "done", "99"), "no plan #99"),
    ]:
        r = run(*args)
        assert r.exit_code == 1, (args, r.stdout, r.stderr)
        assert needle in r.stderr and "Traceback" not in r.stderr
        assert len(r.stderr.strip().splitlines()) <= 2


def test_values_not_allowed_or_not_of_their_form_are_usage_errors(run) -> None:
    """SPEC §2: exit 2, under the command's usage line, like the values Typer itself refuses."""
    run("customer", "add", "C001", "华南电子")
    for args, needle in [
        (("customer", "add", "C009", "x", "--type", "martian"), "--type"),
        (("customer", "edit", "C001", "--status", "weird"), "--status 'weird'"),
        (("customer", "add", "C009", "x", "--credit-limit", "lots"), "--credit-limit"),
        (("customer", "add", "C009", "x", "--terms", "abc"), "--terms 'abc'"),
        (("log", "C001", "teleport"), "kind 'teleport'"),
    ]:
        r = run(*args)
        assert r.exit_code == 2, (args, r.stdout, r.stderr)
        assert needle in r.stderr and "Traceback" not in r.stderr
        assert r.stderr.startswith(f"Usage: kacrm {args[0]}"), r.stderr
    r = run("--lang", "zh", "log", "C001", "teleport")
    assert r.exit_code == 2 and r.stderr.startswith("用法：kacrm log"), r.stderr
    assert "kind 'teleport'：不是有效的联系类型" in r.stderr, r.stderr


def test_messages_in_chinese(run, tmp_path) -> None:
    """--lang zh: the error line and the commonest errors' text are Chinese (SPEC §2: labels and messages)."""
    r = run("--lang", "zh", "customer", "show", "NOPE")
    assert r.exit_code == 1 and r.stderr.startswith("错误：没有编号为 'NOPE' 的客户")
    path = tmp_path / "o.csv"
    path.write_text(
        "order_no,customer_code,order_date,amount\nA1,NOPE,2024-01-05,10\n", encoding="utf-8"
    )
    r = run("--lang", "zh", "import", str(path))
    assert r.exit_code == 3 and "第 2 行" in r.stderr and "1 行有误，未导入任何数据" in r.stderr
    r = run("--lang", "zh", "done", "cad-1-20260101")
    assert r.exit_code == 1 and "没有未完成的待办事项" in r.stderr
    assert run("customer", "show", "NOPE").stderr.startswith("Error: no customer with code 'NOPE'")


def test_bad_as_of_is_a_usage_error(run) -> None:
    r = run("--as-of", "22/11/2026", "customer", "list")
    assert r.exit_code == 2


def test_log_restarts_contact_and_plans(run) -> None:
    run("customer", "add", "C001", "华南电子")
    r = run(
        "--as-of",
        "2026-11-22",
        "log",
        "C001",
        "拜访",
        "--note",
        "季度回顾",
        "--next",
        "2026-12-15",
        "--cost",
        "680",
    )
    assert r.exit_code == 0, r.stderr
    early = run(
        "--as-of", "2026-11-22", "log", "C001", "电话", "--next", "2026-11-21"
    )  # follow-up before the call
    assert early.exit_code == 2 and "--next" in early.stderr
    # a year typed wrong: a contact "on" 2027-11-22 would stand as the last one for a year, the customer never
    # going quiet in the meantime
    future = run("--as-of", "2026-11-22", "log", "C001", "电话", "--on", "2027-11-22")
    assert future.exit_code == 2
    assert "2027-11-22 is after today (2026-11-22)" in " ".join(future.stderr.split())
    rows = json.loads(run("customer", "list", "--format", "json").stdout)
    assert rows[0]["last_contact_on"] == "2026-11-22"
    r = run(
        "plan",
        "add",
        "C001",
        "--horizon",
        "中期",
        "--goal",
        "进入二期供应商名单",
        "--target",
        "2027-03-31",
    )
    assert r.exit_code == 0, r.stderr
    plans = json.loads(run("plan", "list", "--format", "json").stdout)
    assert [(p["customer_code"], p["horizon"], p["target_date"]) for p in plans] == [
        ("C001", "mid", "2027-03-31")
    ]
    assert run("--as-of", "2026-11-23", "plan", "done", str(plans[0]["id"])).exit_code == 0
    assert json.loads(run("plan", "list", "--format", "json").stdout) == []
    done = json.loads(run("plan", "list", "--all", "--format", "json").stdout)
    assert done[0]["status"] == "done" and done[0]["done_on"] == "2026-11-23"


def test_output_formats_csv_and_md(run) -> None:
    run("customer", "add", "C001", "华南电子", "--owner", "张伟")
    csv_out = run("customer", "list", "--format", "csv").stdout.splitlines()
    assert csv_out[0].split(",")[:2] == ["customer_code", "customer_name"]
    assert csv_out[1].startswith("C001,华南电子")
    run("customer", "add", "C002", '=HYPERLINK("http://x")')
    rows = list(csv.reader(run("customer", "list", "--format", "csv").stdout.splitlines()))
    assert rows[2][:2] == [
        "C002",
        '\'=HYPERLINK("http://x")',
    ]  # a spreadsheet shows it as text, never runs it
    md = run("--lang", "zh", "customer", "list", "--format", "md").stdout
    assert md.startswith("| 编号 | 客户名称 |") and "| C001 | 华南电子 |" in md


# GB 32100-2015's own example. Check character by hand: the first 17 characters' values (M = 21, Y = 30) times
# the weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28 sum to 1640; 1640 mod 31 = 28; 31 - 28 = 3.
VALID_USCC = "91350100M000100Y43"


def test_short_name_and_uscc_by_hand(run, engine) -> None:
    """customer add/edit set the short name (简称) and the unified social credit code that the importer matches
    on; a mistyped code or one another customer holds is refused, naming the option and the holder."""
    r = run("customer", "add", "C001", "深圳市华南电子有限公司", "--short-name", "华南电子")
    assert r.exit_code == 0, r.stderr
    r = run("customer", "edit", "华南电子", "--uscc", "9135 0100 M000 100Y 43")
    assert r.exit_code == 0, r.stderr
    with Session(engine) as s:
        c = customer_by_code(s, "C001")
        assert (c.short_name, c.uscc) == ("华南电子", VALID_USCC)
    shown = json.loads(run("customer", "show", "华南电子", "--format", "json").stdout)
    assert (shown["customer_code"], shown["uscc"]) == ("C001", VALID_USCC)

    r = run("customer", "add", "C002", "另一家", "--uscc", VALID_USCC)
    assert r.exit_code == 1 and "--uscc" in r.stderr and "C001" in r.stderr, r.stderr
    r = run("customer", "add", "C002", "另一家", "--uscc", VALID_USCC[:-1] + "4")
    assert r.exit_code == 2 and "check character" in r.stderr and "expected 3" in r.stderr
    r = run("--lang", "zh", "customer", "add", "C002", "另一家", "--uscc", VALID_USCC)
    assert r.exit_code == 1 and "已用此统一社会信用代码" in r.stderr
    with Session(engine) as s:
        assert s.scalars(select(Customer.code)).all() == ["C001"]
    r = run("customer", "edit", "C001", "--uscc", VALID_USCC)  # its own code again: no conflict
    assert r.exit_code == 0, r.stderr


def test_the_card_shows_moments_to_the_minute_in_local_time(run) -> None:
    """json keeps created_at as ISO 8601 in UTC; the table shows it as a person reads a clock: local time, no
    seconds, no microseconds, no offset."""
    from datetime import datetime

    assert run("customer", "add", "C001", "华南电子").exit_code == 0
    stored = json.loads(run("customer", "show", "C001", "--format", "json").stdout)["created_at"]
    moment = datetime.fromisoformat(stored)
    assert moment.utcoffset() is not None and moment.utcoffset().total_seconds() == 0
    table = run("customer", "show", "C001").stdout
    assert moment.astimezone().strftime("%Y-%m-%d %H:%M") in table
    assert stored not in table and stored[:19] not in table


def test_fax_by_hand(run) -> None:
    """SPEC §3's fax, which the importer reads from 传真, set by customer add and edit: its digits kept, as the
    importer keeps a phone's; a value with no number in it is a usage error naming --fax, in en and zh."""
    r = run("customer", "add", "C001", "华南电子", "--fax", "0755-8888 6666")
    assert r.exit_code == 0, r.stderr
    assert json.loads(run("customer", "show", "C001", "-f", "json").stdout)["fax"] == "075588886666"
    r = run("customer", "edit", "C001", "--fax", "(021) 5555-0000")
    assert r.exit_code == 0, r.stderr
    assert json.loads(run("customer", "show", "C001", "-f", "json").stdout)["fax"] == "02155550000"
    for lang, usage in (("en", "Usage: kacrm customer edit"), ("zh", "用法：kacrm customer edit")):
        r = run("--lang", lang, "customer", "edit", "C001", "--fax", "none")
        assert r.exit_code == 2 and r.stderr.startswith(usage), r.stderr
        assert "--fax 'none'" in r.stderr
    assert json.loads(run("customer", "show", "C001", "-f", "json").stdout)["fax"] == "02155550000"


def test_email_by_hand_is_checked_as_an_owners_is(run) -> None:
    """customer add/edit --email: a malformed address is a usage error naming --email and the value, in en and
    zh (as `owner set --email`), and nothing is stored; a good one is kept in its normal form (the domain in
    lower case, the blanks around it gone); '' clears it."""
    r = run("customer", "add", "C001", "华南电子", "--email", "x@")
    assert r.exit_code == 2 and r.stderr.startswith("Usage: kacrm customer add"), r.stderr
    assert "--email 'x@': not a valid email address" in r.stderr, r.stderr
    assert run("customer", "show", "C001").exit_code == 1  # not added
    r = run("customer", "add", "C001", "华南电子", "--email", " Li.Na@Example.COM ")
    assert r.exit_code == 0, r.stderr
    assert json.loads(run("customer", "show", "C001", "-f", "json").stdout)["email"] == (
        "Li.Na@example.com"
    )
    for lang, usage, reason in (
        ("en", "Usage: kacrm customer edit", ": not a valid email address"),
        ("zh", "用法：kacrm customer edit", "：不是有效的电子邮件地址"),
    ):
        for bad in ("x@", "li na@example.com", "lina.example.com"):
            r = run("--lang", lang, "customer", "edit", "C001", "--email", bad)
            assert r.exit_code == 2 and r.stderr.startswith(usage), r.stderr
            assert f"--email {bad!r}{reason}" in r.stderr, r.stderr
    assert json.loads(run("customer", "show", "C001", "-f", "json").stdout)["email"] == (
        "Li.Na@example.com"
    )
    assert run("customer", "edit", "C001", "--email", "").exit_code == 0
    assert json.loads(run("customer", "show", "C001", "-f", "json").stdout)["email"] is None

"""Credit (SPEC §7): load the book from the store, build the ledger and score it with kacrm.analysis.receivables
and .credit, store reviews and manual decisions; rows for the views, money in yuan."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from kacrm.analysis import collections as ladder_rules
from kacrm.analysis import credit as model
from kacrm.analysis import receivables as recv
from kacrm.analysis.credit import CreditScore, Exposure, Override
from kacrm.analysis.receivables import Ledger, Table, records
from kacrm.app.owners import owner_codes
from kacrm.domain import money
from kacrm.errors import UsageError, input_error, worded
from kacrm.store.credit_store import (
    CustomerCredit,
    customer_credit,
    latest_review,
    load_decisions,
    load_frames,
    load_holds,
    newest_review_on,
    save_decision,
    save_reviews,
)
from kacrm.store.schedule_store import load_schedules

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kacrm.config import Settings
    from kacrm.store.reader import SqliteBook


@dataclass(frozen=True)
class Book:
    """Everything the credit commands compute from, on one day (for all customers or one)."""

    customers: (
        Table  # customer_id, customer_code, customer_name, payment_terms_days, credit_grade, …
    )
    ledger: Ledger
    open_items: Table  # receivables.RECEIVABLE_COLUMNS
    exposures: dict[int, Exposure]
    orders: Table  # as stored (store.credit_store.load_frames), up to the day
    payments: Table


def load_book(
    db: SqliteBook | Engine, settings: Settings, today: date, customer_id: int | None = None
) -> Book:
    customers, orders, payments = load_frames(db, today, customer_id)
    schedules = load_schedules(db, customer_id)
    ledger = recv.build_ledger(orders, payments, customers, settings, today, schedules)
    items = recv.open_items(ledger, today)
    return Book(customers, ledger, items, model.exposures(items, ledger.credits), orders, payments)


def exposure_of(
    db: SqliteBook | Engine, settings: Settings, customer_id: int, today: date
) -> Exposure | None:
    """One customer's outstanding and overdue on ``today`` (None without any open order)."""
    return load_book(db, settings, today, customer_id).exposures.get(customer_id)


def held_customers(
    db: SqliteBook | Engine, settings: Settings, book: Book, today: date
) -> set[int]:
    """The customers of ``book`` on credit hold on ``today``: an open item at the ladder's hold level (unless
    released by hand since), or a hold by hand (SPEC §15)."""
    levels = ladder_rules.ladder(settings)
    due: dict[int, list[date]] = {}
    for cid, on in zip(book.open_items["customer_id"], book.open_items["due_date"], strict=True):
        due.setdefault(int(cid), []).append(on)
    ids = {int(c) for c in book.customers["customer_id"]}
    one = next(iter(ids)) if len(ids) == 1 else None
    manual = load_holds(db, one)
    return {
        cid
        for cid in ids
        if ladder_rules.on_hold(due.get(cid, []), levels, manual.get(cid, []), today)
    }


def _int_or_none(value: Any) -> int | None:
    return None if value is None or value != value else int(value)


def _names(book: Book) -> dict[int, tuple[str, str]]:
    c = book.customers
    return {
        int(cid): (code, name)
        for cid, code, name in zip(
            c["customer_id"], c["customer_code"], c["customer_name"], strict=True
        )
    }


AGING_BASES = ("due", "order")


def aging_rows(
    db: SqliteBook | Engine,
    settings: Settings,
    today: date,
    buckets: list[int],
    owner: str | None = None,
    basis: str = "due",
) -> tuple[list[dict], dict]:
    """Rows of `credit aging` (SPEC keys, money in yuan), largest total first, and the totals row; ``basis``
    ``due`` ages by days past the due date, ``order`` by days since the order date; with ``owner``, that
    salesperson's customers only (and their totals)."""
    if owner is not None:
        codes = owner_codes(db, owner)
        rows, _ = aging_rows(db, settings, today, buckets, basis=basis)
        rows = [r for r in rows if r["customer_code"] in codes]
        keys = [*recv.bucket_keys(buckets), "total"]
        return rows, {"customer_code": "Total", **{k: sum(r[k] for r in rows) for k in keys}}

    recv.check_buckets(buckets)
    if basis not in AGING_BASES:
        raise input_error("credit_bad_basis", basis=basis)
    keys = recv.bucket_keys(buckets)
    book = load_book(db, settings, today)
    names = _names(book)
    items = book.open_items
    if basis == "order":
        items = {**items, "days_past_due": [(today - on).days for on in items["order_date"]]}
    table = sorted(recv.aging(items, buckets), key=lambda record: -record["total"])
    rows = []
    for record in table:
        code, name = names[record["customer_id"]]
        rows.append(
            {
                "customer_code": code,
                "customer_name": name,
                **{k: money(record[k]) for k in [*keys, "total"]},
            }
        )
    totals = {
        "customer_code": "Total",
        **{k: money(sum(record[k] for record in table)) for k in [*keys, "total"]},
    }
    return rows, totals


def overview_rows(
    db: SqliteBook | Engine, settings: Settings, today: date, owner: str | None = None
) -> list[dict[str, Any]]:
    """Rows of `kacrm credit`: customers with orders or a credit decision, most outstanding first; with
    ``owner``, that salesperson's customers only."""
    if owner is not None:
        codes = owner_codes(db, owner)
        return [r for r in overview_rows(db, settings, today) if r["customer_code"] in codes]

    book = load_book(db, settings, today)
    names = _names(book)
    purchases = model.purchases_since(book.ledger.items, model.year_before(today), today)
    top = model.top_revenue_tier(
        purchases, {cid: code for cid, (code, _) in names.items()}, settings.tier.abc_thresholds[0]
    )
    with_orders = set(int(c) for c in book.ledger.items["customer_id"])
    held = held_customers(db, settings, book, today)
    rows = []
    for r in records(book.customers):
        cid, limit = int(r["customer_id"]), _int_or_none(r["credit_limit_cents"])
        if (
            cid not in with_orders
            and limit is None
            and r["credit_grade"] is None
            and cid not in held
        ):
            continue
        exposure = book.exposures.get(cid, Exposure())
        used = exposure.outstanding_cents / limit if limit else None
        rows.append(
            {
                "customer_code": r["customer_code"],
                "customer_name": r["customer_name"],
                "grade": r["credit_grade"],
                "limit": money(limit),
                "outstanding": money(exposure.outstanding_cents),
                "utilization": None if used is None else max(0.0, used),
                "overdue": money(exposure.overdue_cents),
                "oldest_overdue_days": exposure.oldest_overdue_days,
                "flags": model.credit_flags(exposure, limit, cid in top, cid in held),
            }
        )
    rows.sort(key=lambda row: (-row["outstanding"], row["customer_code"]))
    return rows


def _review_row(
    score: CreditScore, today: date, terms: int | None, previous: dict[str, Any]
) -> dict[str, Any]:
    """The credit_review row of a review; ``previous``: the grade, limit and terms in force before it, which a
    customers file's next import reads when it is the customer's first review (kacrm.analysis.credit_file)."""
    details = {
        "factors": {
            f.name: {"raw": f.raw, "sub_score": f.sub_score, "weight": f.weight, "points": f.points}
            for f in score.factors
        },
        "computed_grade": score.computed_grade,
        "computed_limit_cents": score.computed_limit_cents,
        "purchases_12m_cents": score.purchases_12m_cents,
        "override": {k: v for k, v in asdict(score.override).items() if v is not None},
        "previous": previous,
    }
    return {
        "customer_id": score.customer_id,
        "reviewed_on": today,
        "grade": score.grade,
        "score": score.score,
        "limit_cents": score.limit_cents,
        "payment_terms_days": terms,
        "factors": json.dumps(details),
        "manual": False,
    }


def _scores(
    db: SqliteBook | Engine, book: Book, settings: Settings, today: date
) -> list[CreditScore]:
    overrides = {cid: model.fold_overrides(d) for cid, d in load_decisions(db).items()}
    c = book.customers
    limits = {
        int(cid): _int_or_none(limit)
        for cid, limit in zip(c["customer_id"], c["credit_limit_cents"], strict=True)
    }
    return model.score_customers(
        book.ledger, book.open_items, limits, settings.credit, today, overrides
    )


def newer_review(db: SqliteBook | Engine, today: date) -> date | None:
    """The day of a stored review newer than ``today``, if any: a review as of ``today`` is then kept as history
    and leaves the grades and limits of that day in force (the command says so)."""
    newest = newest_review_on(db)
    return newest if newest is not None and newest > today else None


def review(engine: Engine, settings: Settings, today: date) -> list[dict[str, Any]]:
    """Score every customer with orders, store a credit_review each, set grades and limits; rows show changes.

    A review as of a day before the newest stored one (``--as-of`` in the past) is stored as history only: the
    grades and limits in force stay those of the newest review, which `credit explain` and `credit set --clear`
    read (putting older grades in force would make them disagree with it)."""
    in_force = newer_review(engine, today) is None
    book = load_book(engine, settings, today)
    names = _names(book)
    before = {
        int(r["customer_id"]): (
            r["credit_grade"],
            _int_or_none(r["credit_limit_cents"]),
            _int_or_none(r["payment_terms_days"]),
        )
        for r in records(book.customers)
    }
    rows, reviews, grades = [], [], []
    for s in _scores(engine, book, settings, today):
        old_grade, old_limit, old_terms = before[s.customer_id]
        terms = s.override.terms_days if s.override.terms_days is not None else old_terms
        previous = {"grade": old_grade, "limit_cents": old_limit, "terms_days": old_terms}
        reviews.append(_review_row(s, today, terms, previous))
        grades.append(
            {"id": s.customer_id, "credit_grade": s.grade, "credit_limit_cents": s.limit_cents}
        )
        code, name = names[s.customer_id]
        rows.append(
            {
                "customer_code": code,
                "customer_name": name,
                "score": s.score,
                "grade": s.grade,
                "previous_grade": old_grade,
                "limit": money(s.limit_cents),
                "previous_limit": money(old_limit),
                "change": model.review_change(
                    old_grade, s.grade, old_limit, s.limit_cents, model.grades(settings.credit)
                ),
                "manual": s.override.grade is not None or s.override.limit_cents is not None,
            }
        )
    save_reviews(engine, reviews, grades if in_force else [])
    rows.sort(key=lambda row: (-row["score"], row["customer_code"]))
    return rows


def explain(db: SqliteBook | Engine, settings: Settings, code: str, today: date) -> dict[str, Any]:
    """The factors behind a customer's latest stored review up to ``today`` (or a fresh score if none)."""
    customer = customer_credit(db, code)
    stored = latest_review(db, customer.id, today)
    if stored is not None:
        details = stored["details"]
        result = {
            "reviewed_on": stored["reviewed_on"],
            "score": stored["score"],
            "grade": stored["grade"],
            "limit": money(stored["limit_cents"]),
            "computed_grade": details["computed_grade"],
            "computed_limit": money(details["computed_limit_cents"]),
            "manual": _manual(details["override"]),
            "factors": [model.shown_factor(k, **v) for k, v in details["factors"].items()],
        }
    else:
        book = load_book(db, settings, today)
        scored = {s.customer_id: s for s in _scores(db, book, settings, today)}
        if customer.id not in scored:
            raise input_error("credit_nothing_to_score", code=code, today=today.isoformat())
        s = scored[customer.id]
        result = {
            "reviewed_on": None,
            "score": s.score,
            "grade": s.grade,
            "limit": money(s.limit_cents),
            "computed_grade": s.computed_grade,
            "computed_limit": money(s.computed_limit_cents),
            "manual": _manual(asdict(s.override)),
            "factors": [
                model.shown_factor(f.name, f.raw, f.sub_score, f.weight, f.points)
                for f in s.factors
            ],
        }
    return {"customer_code": customer.code, "customer_name": customer.name, **result}


def _manual(override: dict[str, Any]) -> dict[str, Any] | None:
    """The manual decisions in force, with the SPEC's names (limit in yuan), or None."""
    names = {"grade": "grade", "limit_cents": "limit", "terms_days": "payment_terms_days"}
    shown = {
        names[k]: money(v) if k == "limit_cents" else v
        for k, v in override.items()
        if v is not None
    }
    return shown or None


def check(
    db: SqliteBook | Engine,
    settings: Settings,
    code: str,
    amount_cents: int,
    grace_days: int,
    today: date,
    lang: str = "en",
) -> dict[str, Any]:
    """Approve or refuse a new order (SPEC §7); the json object of `credit check`, its reasons in ``lang``."""
    if amount_cents <= 0:
        raise worded(UsageError, "credit_bad_amount", amount=money(amount_cents))
    if grace_days < 0:
        raise worded(UsageError, "credit_bad_grace", days=grace_days)
    customer = customer_credit(db, code)
    book = load_book(db, settings, today, customer.id)
    # the grade and limit in force on ``today`` (a review made after it is not yet), as `credit explain` reads
    customer = replace(
        customer,
        grade=book.customers["credit_grade"][0],
        limit_cents=_int_or_none(book.customers["credit_limit_cents"][0]),
    )
    exposure = book.exposures.get(customer.id, Exposure())
    overdue = [
        (int(d), int(c), str(n))
        for d, c, n in zip(
            book.open_items["days_past_due"],
            book.open_items["outstanding_cents"],
            [
                recv.item_ref(no, k)
                for no, k in zip(
                    book.open_items["order_no"], book.open_items["instalment"], strict=True
                )
            ],
            strict=True,
        )
    ]
    result = model.check_order(
        customer.code,
        amount_cents,
        exposure,
        overdue,
        customer.limit_cents,
        customer.grade,
        grace_days,
        hold=customer.id in held_customers(db, settings, book, today),
    )
    return {
        "customer_code": customer.code,
        "customer_name": customer.name,
        "approved": result.approved,
        "amount": money(amount_cents),
        "outstanding": money(exposure.outstanding_cents),
        "limit": money(customer.limit_cents),
        "headroom": money(result.headroom_cents),
        "reasons": result.reasons_zh if lang == "zh" else result.reasons,
    }


def set_decision(
    engine: Engine,
    settings: Settings,
    code: str,
    today: date,
    *,
    limit_cents: int | None = None,
    terms_days: int | None = None,
    grade: str | None = None,
    note: str | None = None,
    clear: bool = False,
) -> dict[str, Any]:
    """Record a manual decision (or clear all of them) and apply it to the customer; returns what is in force."""
    if grade is not None and grade not in model.grades(settings.credit):
        raise worded(
            UsageError,
            "credit_bad_grade",
            grade=grade,
            grades=", ".join(model.grades(settings.credit)),
        )
    if limit_cents is not None and limit_cents < 0:
        raise worded(UsageError, "credit_bad_limit")
    if terms_days is not None and terms_days < 0:
        raise worded(UsageError, "credit_bad_terms")
    decided = {
        k: v
        for k, v in (("grade", grade), ("limit_cents", limit_cents), ("terms_days", terms_days))
        if v is not None
    }
    if clear == bool(decided):
        raise worded(UsageError, "credit_set_what")
    customer = customer_credit(engine, code)
    decisions = load_decisions(engine, customer.id).get(customer.id, [])
    previous = {
        "grade": customer.grade,
        "limit_cents": customer.limit_cents,
        "terms_days": customer.terms_days,
    }
    if clear:
        if model.fold_overrides(decisions).empty:
            raise input_error("credit_nothing_to_clear", code=code)
        terms = _restored(engine, customer, decisions)
        record: dict[str, Any] = {"cleared": True, "previous": previous}
    else:
        override = model.fold_overrides([*decisions, {"set": decided}])
        terms = _applied(engine, settings, customer, override, today)
        record = {"set": decided, "previous": previous}
    saved = save_decision(engine, customer.id, today, terms, record, note)
    return {
        "customer_code": saved.code,
        "customer_name": saved.name,
        "grade": saved.grade,
        "limit": money(saved.limit_cents),
        "payment_terms_days": saved.terms_days,
        "manual": not clear,
        "note": note,
    }


def redated_orders(db: SqliteBook | Engine, settings: Settings, code: str, today: date) -> int:
    """How many open orders of the customer follow its payment terms (no due date of their own): the orders a
    change of its terms re-dates (`credit set --terms` says so)."""
    customer = customer_credit(db, code)
    book = load_book(db, settings, today, customer.id)
    return len(recv.open_by_terms(book.open_items, book.orders))


def _applied(
    engine: Engine, settings: Settings, customer: CustomerCredit, override: Override, today: date
) -> tuple[str | None, int | None, int | None]:
    """The grade, limit and terms with a manual decision in force: a grade without a limit brings that grade's
    limit."""
    grade, limit, terms = customer.grade, customer.limit_cents, customer.terms_days
    if override.terms_days is not None:
        terms = override.terms_days
    if override.grade is not None:
        grade = override.grade
    if override.limit_cents is not None:
        limit = override.limit_cents
    elif override.grade is not None:
        items = load_book(engine, settings, today, customer.id).ledger.items
        bought = model.purchases_since(items, model.year_before(today), today).get(customer.id, 0)
        limit = model.limit_for(override.grade, bought, settings.credit.limit_multiples)
    return grade, limit, terms


def _restored(
    engine: Engine, customer: CustomerCredit, decisions: list[dict[str, Any]]
) -> tuple[str | None, int | None, int | None]:
    """Back to the latest computed review's grade and limit (else to the values before the manual decisions),
    and to the payment terms from before them."""
    run = decisions[max((i for i, d in enumerate(decisions) if d.get("cleared")), default=-1) + 1 :]
    # the values before the first decision by hand (not a hold, nor a customers file's values)
    before = next(d for d in run if d.get("set"))["previous"]
    terms_before = next(
        (d["previous"]["terms_days"] for d in run if "terms_days" in d["set"]),
        customer.terms_days,
    )
    latest = latest_review(engine, customer.id)
    if latest is not None:
        details = latest["details"]
        return details["computed_grade"], details["computed_limit_cents"], terms_before
    return before["grade"], before["limit_cents"], terms_before


def set_hold(
    engine: Engine, settings: Settings, code: str, today: date, hold: bool, note: str | None
) -> dict[str, Any]:
    """`credit hold|release CODE`: record a hold or a release by hand in the credit history; returns the
    customer and whether they are on hold afterwards (a release does not lift a hold an item reaches today)."""
    customer = customer_credit(engine, code)
    terms = (customer.grade, customer.limit_cents, customer.terms_days)
    previous = {
        "grade": customer.grade,
        "limit_cents": customer.limit_cents,
        "terms_days": customer.terms_days,
    }
    save_decision(
        engine, customer.id, today, terms, {"set": {}, "previous": previous, "hold": hold}, note
    )
    book = load_book(engine, settings, today, customer.id)
    return {
        "customer_code": customer.code,
        "customer_name": customer.name,
        "hold": customer.id in held_customers(engine, settings, book, today),
        "note": note,
    }


def statement(
    db: SqliteBook | Engine, settings: Settings, code: str, start: date | None, today: date
) -> dict[str, Any]:
    """`credit statement CODE` (对账单, SPEC §15): opening balance on ``start``, the lines from ``start`` to
    ``today`` (orders or their instalments as debits, payments and credit notes as credits, refunds as debits)
    with the running balance, the closing balance and the open items with their age and ladder action. Money in
    yuan; a negative balance is money the customer paid beyond what is owed (a credit on the account)."""
    if start is not None and start > today:  # a period that ends before it begins (exit 2)
        raise worded(UsageError, "stmt_from_after_end", start=start, end=today)
    customer = customer_credit(db, code)
    book = load_book(db, settings, today, customer.id)
    items = book.ledger.items
    entries: list[
        tuple[date, int, str, str, int, int]
    ] = []  # (date, order, kind, ref, debit, credit)
    for r in records(items):
        if r["signed_cents"] < 0:  # a credit note: its own line below, no order of 0.00 beside it
            continue
        kind = "order" if r["instalment"] is None else "instalment"
        ref = recv.item_ref(r["order_no"], r["instalment"])
        entries.append((r["order_date"], 0, kind, ref, r["amount_cents"], 0))
    orders, payments = book.orders, book.payments
    for no, on, cents in zip(
        orders["order_no"], orders["order_date"], orders["amount_cents"], strict=True
    ):
        if int(cents) < 0:  # a credit note, a return
            entries.append((recv.as_date(on), 0, "credit_note", str(no), 0, -int(cents)))
    for no, on, cents in zip(
        payments["payment_no"], payments["paid_on"], payments["amount_cents"], strict=True
    ):
        cents = int(cents)
        if cents > 0:
            entries.append((recv.as_date(on), 1, "payment", str(no), 0, cents))
        elif cents < 0:
            entries.append((recv.as_date(on), 1, "refund", str(no), -cents, 0))
    entries.sort(key=lambda e: (e[0], e[1], e[3]))
    start = start or min((e[0] for e in entries), default=today)
    opening = sum(d - c for on, _, _, _, d, c in entries if on < start)
    balance, lines = opening, []
    for on, _, kind, ref, debit, credit in entries:
        if on < start:
            continue
        balance += debit - credit
        lines.append(
            {
                "date": on,
                "kind": kind,
                "ref": ref,
                "debit": money(debit),
                "credit": money(credit),
                "balance": money(balance),
            }
        )
    levels = ladder_rules.ladder(settings)
    manual = load_holds(db, customer.id).get(customer.id, [])
    lifted = ladder_rules.released(list(book.open_items["due_date"]), levels, manual, today)
    open_items = []
    for r in records(book.open_items):
        index = ladder_rules.level_index(r["days_past_due"], levels)
        open_items.append(
            {
                "ref": recv.item_ref(r["order_no"], r["instalment"]),
                "due_on": r["due_date"],
                "amount": money(r["outstanding_cents"]),
                "days_overdue": max(0, r["days_past_due"]),
                "action": ladder_rules.action_of(index, levels, lifted) if index >= 0 else None,
            }
        )
    open_items.sort(key=lambda i: (i["due_on"], i["ref"]))
    return {
        "customer_code": customer.code,
        "customer_name": customer.name,
        "from": start,
        "to": today,
        "opening_balance": money(opening),
        "lines": lines,
        "closing_balance": money(balance),
        "open_items": open_items,
    }

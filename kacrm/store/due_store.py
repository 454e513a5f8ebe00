"""What `kacrm due` needs from the database, loaded with aggregate SQL; and the records `done` and `snooze` write.

Loading is textual SQL with named ``:params``, written once and run by kacrm.store.reader on either backend (the
stdlib driver on a current SQLite file, SQLAlchemy's connection otherwise), so that the due list imports neither
SQLAlchemy (on SQLite) nor pandas nor SQLModel, and never reads a million orders into Python: per customer only the
aggregates (last interaction, first/last order, distinct order days, balance), and only the few rows that can
become items (open follow-ups, tasks, complaints, plans, recent big orders, open orders of customers who owe).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from kacrm.due_facts import (
    GREETING_KINDS,
    ContactFacts,
    CustomerFacts,
    DueData,
    DueItem,
    OpenRecord,
    OrderFacts,
    after_sale_since,
    collections_until,
)
from kacrm.store.clock import log_key, utcnow
from kacrm.store.credit_store import manual_holds
from kacrm.store.raw import DAYS, added_day
from kacrm.store.reader import Reader, SqliteBook, reading, writing
from kacrm.values import normalize_text

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kacrm.config import Settings

# `done` on a collection without a next ladder level hides it this long while the money is still owed.
COLLECTION_RECALL_DAYS = 7
_GREETINGS = ", ".join(f"'{k}'" for k in GREETING_KINDS)
# The loaders of a whole book's hundred thousand customers read their dates as the driver gives them and make them
# days in the loop they run anyway (DAYS, the reader's own conversion): the reader's column-wise conversion copies
# every cell of a row twice, which cost a third of reading the contacts or the customers.
_day = DAYS.__getitem__


@dataclass(frozen=True)
class Scope:
    """The customers a due list (or one owner's digest: digest_store, report_store) is made for: everyone
    (``ids`` None) or those ids.

    Every rule works customer by customer, so the items of a scope are exactly its customers' items in the whole
    list. A salesperson's `due --owner` (2,000 of 100,000 customers) and `done ID` (one customer) then read the
    index ranges of their own customers instead of every order and interaction of the book.
    """

    ids: tuple[int, ...] | None = None

    @cached_property
    def _listed(self) -> str:
        """The ids as SQL, written once for the dozen queries of a list (the ids are integers read from the
        database)."""
        return ", ".join(str(int(i)) for i in self.ids or ()) or "NULL"

    def and_(self, column: str) -> str:
        """`` AND column IN (ids)``, or nothing for everyone."""
        if self.ids is None:
            return ""
        return f" AND {column} IN ({self._listed})"

    def where(self, column: str) -> str:
        """`` WHERE column IN (ids)``, or nothing for everyone."""
        return self.and_(column).replace(" AND ", " WHERE ", 1)


EVERYONE = Scope()  # the whole book: a default argument for the loaders of other modules


@dataclass(frozen=True)
class CustomerFilter:
    """`due --owner/--tier`, or the one customer of an item: the customers to load (all None: everyone)."""

    owner: str | None = None
    tier: str | None = None  # the tier shown in the list: a pinned tier wins
    customer_id: int | None = None

    @property
    def everyone(self) -> bool:
        return self.owner is None and self.tier is None and self.customer_id is None

    def sql(self) -> tuple[str, dict[str, Any]]:
        """The WHERE clause on the customer table and its bind parameters."""
        given = {
            "owner = :owner": ("owner", self.owner),
            "COALESCE(tier_pinned, tier) = :tier": ("tier", self.tier),
            "id = :customer_id": ("customer_id", self.customer_id),
        }
        given = {condition: bind for condition, bind in given.items() if bind[1] is not None}
        where = " WHERE " + " AND ".join(given) if given else ""
        return where, dict(given.values())


_CUSTOMERS = (
    "SELECT id, code, name, created_at, COALESCE(tier_pinned, tier) AS tier, owner, status, type, cadence_days, "
    "payment_terms_days, owner_since, pool_locked, tier_pinned, added_on FROM customer{where}"
)


def _customers(reader: Reader, only: CustomerFilter) -> list[tuple]:
    """The customer rows ``only`` selects, as _CUSTOMERS lists their columns (created_at, owner_since and
    added_on as the driver gives them: _customer_facts reads their days)."""
    where, params = only.sql()
    return reader.tuples(_CUSTOMERS.format(where=where), **params)


# Per customer with an interaction up to today: the day of the last one, of any kind (what restarts the cadence)
_LAST_INTERACTION = (
    "SELECT customer_id, MAX(happened_on) AS last_any FROM interaction WHERE happened_on <= :today{scope} "
    "GROUP BY customer_id"
)
# ... and for the customers the after-sale and follow-up rules ask about: the last of any kind, of any kind but
# complaint and of surveys, and the last conversation (a kind outside GREETING_KINDS: its day and the newest id of
# that day), in one pass
_INTERACTIONS = (
    "SELECT a.customer_id, a.last_any, a.last_touch, a.last_survey, a.last_conv, MAX(i.id) AS last_id FROM "
    "(SELECT customer_id, MAX(happened_on) AS last_any, "
    "MAX(CASE WHEN kind <> 'complaint' THEN happened_on END) AS last_touch, "
    "MAX(CASE WHEN kind = 'survey' THEN happened_on END) AS last_survey, "
    f"MAX(CASE WHEN kind NOT IN ({_GREETINGS}) THEN happened_on END) AS last_conv "
    "FROM interaction WHERE happened_on <= :today{scope} GROUP BY customer_id) a "
    "LEFT JOIN interaction i ON i.customer_id = a.customer_id AND i.happened_on = a.last_conv "
    f"AND i.kind NOT IN ({_GREETINGS}) "
    "GROUP BY a.customer_id, a.last_any, a.last_touch, a.last_survey, a.last_conv"
)


def _interaction_facts(
    reader: Reader, scope: Scope, today: date, asked: Scope
) -> dict[int, tuple[date | None, date | None, date | None, tuple[date, int] | None]]:
    """customer_id -> (last interaction, last touch, last survey, last conversation as (day, id)) for the
    customers of ``scope``; the last three only for those of ``asked`` (None for the others).

    Only a customer with an open follow-up (the last conversation) or a recent big order (the last touch and
    survey) is asked about them: a few thousand of a hundred thousand, whose three conditional maxima and the
    look-up of the conversation's id cost three quarters of reading every customer's last day (issue 19)."""
    last = reader.tuples(_LAST_INTERACTION.format(scope=scope.and_("customer_id")), today=today)
    facts = {cid: (_day(last_any), None, None, None) for cid, last_any in last}
    if not asked.ids:
        return facts
    wanted = set(asked.ids)
    # when most customers are asked about, the scope's one pass costs less than the look-ups of a long id list
    read = asked if len(wanted) * _ASKED_SHARE <= len(facts) else scope
    rows = reader.tuples(
        _INTERACTIONS.format(scope=read.and_("customer_id")),
        ("last_any", "last_touch", "last_survey", "last_conv"),
        today=today,
    )
    for cid, last_any, touch, survey, conv, last_id in rows:
        if cid in wanted:
            facts[cid] = (last_any, touch, survey, None if conv is None else (conv, last_id))
    return facts


_ASKED_SHARE = 4  # ids listed up to a quarter of the customers with interactions


_NO_INTERACTION = (None, None, None, None)
# Per customer with orders up to today: the first and last order day, the distinct order days, and the balance
# (orders − payments up to today, every amount signed: a refund raises it), read with the orders in one pass
_ORDER_FACTS = (
    "SELECT o.customer_id, o.first_on, o.last_on, o.days, o.total - COALESCE((SELECT SUM(p.amount_cents) "
    "FROM payment p WHERE p.customer_id = o.customer_id AND p.paid_on <= :today), 0) "
    "AS balance FROM (SELECT customer_id, MIN(order_date) AS first_on, MAX(order_date) AS last_on, "
    "COUNT(DISTINCT order_date) AS days, SUM(amount_cents) AS total FROM orders "
    "WHERE order_date <= :today{scope} GROUP BY customer_id) o"
)


def _order_facts(
    reader: Reader, scope: Scope, today: date
) -> tuple[dict[int, tuple[date, date, int]], dict[int, int]]:
    """customer_id -> (first order day, last order day, distinct order days) up to today; and the balances of
    those who owe anything (orders − payments up to today > 0)."""
    rows = reader.tuples(_ORDER_FACTS.format(scope=scope.and_("customer_id")), today=today)
    facts = {cid: (_day(first), _day(last), int(days)) for cid, first, last, days, _ in rows}
    return facts, {cid: int(balance) for cid, *_, balance in rows if balance > 0}


def _p_alive(reader: Reader, scope: Scope, today: date) -> dict[int, tuple[float, date]]:
    """customer_id -> (p_alive, the run's day) in the newest clv tiering run up to today (none without one)."""
    runs = reader.rows(
        "SELECT id, as_of FROM tier_run WHERE method = 'clv' AND as_of <= :today ORDER BY as_of DESC, id DESC",
        ("as_of",),
        today=today,
    )
    if not runs:
        return {}
    run_id, as_of = runs[0]
    sql = f"SELECT customer_id, details FROM tier_snapshot WHERE run_id = :rid{scope.and_('customer_id')}"
    found: dict[int, tuple[float, date]] = {}
    for cid, details in reader.tuples(sql, rid=run_id):
        try:
            p_alive = json.loads(details or "{}").get("p_alive")
        except (ValueError, AttributeError):
            p_alive = None
        if isinstance(p_alive, (int, float)):
            found[cid] = (float(p_alive), as_of)
    return found


def _primary_contacts(reader: Reader, scope: Scope) -> tuple[dict[int, str], list[ContactFacts]]:
    """The primary (else alphabetically first, by code point on both backends) key person of each customer, and
    the people with dates to keep.

    The rows are read unsorted and the key person chosen in one pass: sorting 150,000 contacts by customer, flag
    and name cost the database as much as reading them (issue 19)."""
    rows = reader.tuples(
        "SELECT id, customer_id, name, birthday, birthday_has_year, lunar_birthday_month, "
        "lunar_birthday_day, lunar_birthday_leap, anniversary, anniversary_has_year, is_primary "
        f"FROM contact{scope.where('customer_id')}"
    )
    best: dict[int, tuple[bool, str]] = {}  # customer_id -> (not primary, name): the smallest wins
    dated: list[ContactFacts] = []
    keep = dated.append
    for (
        cid,
        customer_id,
        name,
        birthday,
        has_year,
        month,
        day,
        leap,
        anniversary,
        anniversary_has_year,
        is_primary,
    ) in rows:
        rank = (not is_primary, name)
        held = best.get(customer_id)
        if held is None or rank < held:
            best[customer_id] = rank
        if birthday or month or anniversary:
            keep(
                ContactFacts(
                    cid,
                    customer_id,
                    name,
                    _day(birthday),
                    bool(has_year),
                    month,
                    day,
                    bool(leap),
                    _day(anniversary),
                    bool(anniversary_has_year),
                )
            )
    return {customer_id: name for customer_id, (_, name) in best.items()}, dated


def _open_records(
    reader: Reader, scope: Scope, today: date, end: date
) -> dict[str, list[OpenRecord]]:
    follow_ups = reader.rows(
        "SELECT i.id, i.customer_id, i.happened_on, i.next_due, i.summary, c.name AS contact FROM interaction i "
        "LEFT JOIN contact c ON c.id = i.contact_id WHERE i.next_due IS NOT NULL AND i.happened_on <= :today"
        f"{scope.and_('i.customer_id')} AND NOT EXISTS (SELECT 1 FROM interaction y "
        "WHERE y.customer_id = i.customer_id AND y.happened_on > i.happened_on AND y.happened_on <= :today "
        f"AND y.kind NOT IN ({_GREETINGS}))",
        ("happened_on", "next_due"),
        today=today,
    )
    complaints = reader.rows(
        "SELECT i.id, i.customer_id, i.happened_on, i.summary, c.name AS contact FROM interaction i "
        "LEFT JOIN contact c ON c.id = i.contact_id "
        "WHERE i.kind = 'complaint' AND i.resolved_on IS NULL AND i.happened_on <= :today"
        f"{scope.and_('i.customer_id')}",
        ("happened_on",),
        today=today,
    )
    tasks = reader.rows(
        "SELECT id, customer_id, due_on, note FROM task WHERE item_id IS NULL AND done_on IS NULL"
        f"{scope.and_('customer_id')}",
        ("due_on",),
    )
    return {
        "follow_ups": [
            OpenRecord(r.id, r.customer_id, r.next_due, r.summary, r.contact, (r.happened_on, r.id))
            for r in follow_ups
        ],
        "complaints": [
            OpenRecord(r.id, r.customer_id, r.happened_on, r.summary, r.contact) for r in complaints
        ],
        "tasks": [OpenRecord(r.id, r.customer_id, r.due_on, r.note) for r in tasks],
        "plans": _open_plans(reader, scope, end),
    }


def _open_plans(reader: Reader, scope: Scope, end: date) -> list[OpenRecord]:
    rows = reader.rows(
        "SELECT id, customer_id, goal, target_date FROM plan WHERE status <> 'done' AND target_date IS NOT NULL "
        f"AND target_date <= :end{scope.and_('customer_id')}",
        ("target_date",),
        end=end,
    )
    return [OpenRecord(r.id, r.customer_id, r.target_date, r.goal) for r in rows]


def _big_orders(reader: Reader, settings: Settings, scope: Scope, today: date) -> list[OrderFacts]:
    rows = reader.rows(
        "SELECT order_no, customer_id, order_date, amount_cents FROM orders "
        f"WHERE amount_cents > :threshold AND order_date >= :since AND order_date <= :today{scope.and_('customer_id')}",
        ("order_date",),
        threshold=round(settings.due.after_sale_threshold * 100),
        since=after_sale_since(settings, today),
        today=today,
    )
    return [OrderFacts(r.order_no, r.customer_id, r.order_date, int(r.amount_cents)) for r in rows]


def _plans(reader: Reader, scope: Scope) -> dict[str, list[tuple[int, date, int]]]:
    """The payment plans of the scope's orders: order_no -> [(instalment, due_on, cents)] by instalment."""
    rows = reader.rows(
        # the plans first (CROSS JOIN keeps that order on SQLite): few orders have one, and a scope's orders
        # are thousands
        "SELECT o.order_no, s.instalment, s.due_on, s.amount_cents FROM payment_schedule s "
        f"CROSS JOIN orders o WHERE o.id = s.order_id{scope.and_('o.customer_id')} "
        "ORDER BY o.order_no, s.instalment",
        ("due_on",),
    )
    plans: dict[str, list[tuple[int, date, int]]] = {}
    for r in rows:
        plans.setdefault(r.order_no, []).append((int(r.instalment), r.due_on, int(r.amount_cents)))
    return plans


def _open_parts(
    order_no: str,
    amount: int,
    due: date,
    owed: int,
    plan: list[tuple[int, date, int]] | None,
) -> list[tuple[str, date, int]]:
    """(ref, due day, owed cents) of what is open of an order that owes ``owed``: the order itself, or its
    newest instalments (payments settle them oldest first; the rest a plan leaves uncovered is settled last,
    due on the order's due date), as kacrm.analysis.receivables orders them."""
    if not plan:
        return [(order_no, due, owed)]
    parts = [(f"{order_no}#{n}", on, cents) for n, on, cents in plan]
    rest = amount - sum(cents for _, _, cents in plan)
    if rest > 0:
        parts.append((order_no, due, rest))
    result = []
    for ref, on, cents in reversed(parts):
        part = min(cents, owed)
        if part <= 0:
            break
        result.append((ref, on, part))
        owed -= part
    return result


def open_orders(
    reader: Reader,
    terms: dict[int, int | None],
    default_terms: int,
    today: date,
    end: date,
    scope: Scope,
    balances: dict[int, int],
) -> list[OrderFacts]:
    """Orders with money owed on ``today`` and due by ``end``, by the rule of kacrm.analysis.receivables.

    Payments settle a named order first and otherwise the oldest open orders, so what stays open is the newest
    part of each customer's book: walking a customer's orders newest first, each order keeps its balance after
    payments naming it until the customer's total balance (orders − payments) is used up. The balances come
    from index-only sums; the walk reads the last RECENT_DAYS of orders, and goes further back, in steps, only for
    the customers whose balance the newer orders do not use up (old debts), so a million-order book is never read
    whole.
    ``balances``: customer_id -> orders − payments up to ``today`` of the scope's customers who owe anything.
    """
    if not balances:
        return []
    plans = _plans(reader, scope)
    since = today - timedelta(days=RECENT_DAYS)
    left: dict[int, int] = {}

    def walk(rows: list[tuple], into: list[OrderFacts]) -> None:
        """Rows as _ORDERS_NEWEST_FIRST lists their columns (plain tuples: 90,000 rows of a whole book)."""
        for cid, order_no, order_date, due_date, amount, named_paid in rows:
            remaining = left.get(cid, balances.get(cid, 0))
            if remaining <= 0:
                continue
            amount = int(amount)
            # what the payments naming it cover: their signed sum, never below 0 (a refund) nor above the amount
            owed = min(max(amount - max(int(named_paid or 0), 0), 0), remaining)
            left[cid] = remaining - owed
            days = terms.get(cid)  # terms of 0 days (cash) are terms: only none fall back
            due = due_date or order_date + timedelta(days=default_terms if days is None else days)
            for ref, part_due, part_owed in _open_parts(
                order_no, amount, due, owed, plans.get(order_no)
            ):
                if part_owed > 0 and part_due <= end:
                    into.append(OrderFacts(ref, cid, order_date, amount, part_due, part_owed))

    recent = "o.order_date > :since AND o.order_date <= :today" + scope.and_("o.customer_id")
    recent_parts: list[OrderFacts] = []
    walk(
        reader.tuples(
            _ORDERS_NEWEST_FIRST.format(where=recent),
            ("order_date", "due_date"),
            since=since,
            today=today,
        ),
        recent_parts,
    )
    older_parts: list[OrderFacts] = []
    # Old debts: back in steps, each only for the customers whose balance the newer orders did not use up (a
    # customer's walk ends on average after a sixth of their older orders: most are settled by name)
    older = sorted(cid for cid, owed in balances.items() if left.get(cid, owed) > 0)
    upper = since
    for days in (*OLDER_STEPS_DAYS, None):
        lower = None if days is None else since - timedelta(days=days)
        step = "o.order_date <= :upper" + ("" if lower is None else " AND o.order_date > :lower")
        bounds = {"upper": upper} if lower is None else {"upper": upper, "lower": lower}
        for start in range(0, len(older), _ID_CHUNK):
            ids = ", ".join(str(int(cid)) for cid in older[start : start + _ID_CHUNK])
            rows = reader.tuples(
                _ORDERS_NEWEST_FIRST.format(where=f"{step} AND o.customer_id IN ({ids})"),
                ("order_date", "due_date"),
                today=today,
                **bounds,
            )
            walk(rows, older_parts)
        older = [cid for cid in older if left.get(cid, balances[cid]) > 0]
        if not older or lower is None:
            break
        upper = lower
    # each customer's older parts together, newest first, customers in id order: as one walk would list them
    older_parts.sort(key=attrgetter("customer_id"))
    return recent_parts + older_parts


# How far back the collection walk reads every customer's orders before it looks further for the rest.
RECENT_DAYS = 120
# ... and then the older orders of the rest, back from that day: up to 60 days more, 180, 420, 900, then all
OLDER_STEPS_DAYS = (60, 180, 420, 900)
_ID_CHUNK = 500
# The unary plus keeps SQLite from looking the payments up by customer (thousands for a big customer, per order)
# instead of by order_no (ix_payment_order_no); on PostgreSQL it is a no-op.
_ORDERS_NEWEST_FIRST = (
    "SELECT * FROM (SELECT o.customer_id, o.order_no, o.order_date, o.due_date, o.amount_cents, "
    "(SELECT SUM(p.amount_cents) FROM payment p WHERE p.order_no = o.order_no AND +p.customer_id = o.customer_id "
    "AND p.paid_on <= :today) AS named_paid FROM orders o WHERE {where}) book "
    # an order its named payments settled owes nothing and leaves the balance as it is: not worth reading
    "WHERE amount_cents > COALESCE(named_paid, 0) ORDER BY customer_id, order_date DESC, order_no DESC"
)


def _markers(reader: Reader, scope: Scope, today: date) -> tuple[set[str], dict[str, date]]:
    """Item ids marked done, and snoozed ids with the day they come back (the newest snooze counts), by the marks
    made up to ``today`` (a replay as of an earlier day ignores the later ones, as it ignores later
    interactions)."""
    done: set[str] = set()
    snoozed: dict[str, date] = {}
    rows = reader.rows(
        "SELECT item_id, kind, due_on FROM task WHERE item_id IS NOT NULL "
        f"AND (marked_on IS NULL OR marked_on <= :today){scope.and_('customer_id')} ORDER BY id",
        ("due_on",),
        today=today,
    )
    for r in rows:
        if r.kind == "done":
            done.add(r.item_id)
        else:
            snoozed[r.item_id] = r.due_on
    return done, snoozed


def load_due_data(
    book: SqliteBook | Engine,
    settings: Settings,
    today: date,
    end: date,
    only: CustomerFilter = CustomerFilter(),
) -> DueData:
    """Everything the due rules read for the window ending ``end``, as of ``today``, for the customers ``only``
    selects."""
    with reading(book) as reader:
        rows = _customers(reader, only)
        if not rows:
            return DueData(customers=[])
        scope = Scope() if only.everyone else Scope(tuple(sorted(r[0] for r in rows)))
        orders, balances = _order_facts(reader, scope, today)
        alive = _p_alive(reader, scope, today)
        primary, contacts = _primary_contacts(reader, scope)
        records = _open_records(reader, scope, today, end)
        big = _big_orders(reader, settings, scope, today)
        asked = {r.customer_id for r in records["follow_ups"]} | {o.customer_id for o in big}
        interactions = _interaction_facts(reader, scope, today, Scope(tuple(sorted(asked))))
        terms = {r[0]: r[9] for r in rows}  # id -> payment_terms_days, as _CUSTOMERS lists them
        collections = open_orders(
            reader,
            terms,
            settings.credit.default_terms_days,
            today,
            collections_until(settings, end),
            scope,
            balances,
        )
        done, snoozed = _markers(reader, scope, today)
        holds = manual_holds(reader, scope.and_("customer_id"))
    # the pool's warnings need to know who owes (issue 18)
    owing = balances if settings.pool.release_after_days else {}
    return DueData(
        customers=_customer_facts(rows, today, interactions, orders, alive, primary, owing),
        contacts=contacts,
        big_orders=big,
        open_orders=collections,
        done=done,
        snoozed=snoozed,
        balances=balances,
        holds=holds,
        **records,
    )


def load_occasion_data(book: SqliteBook | Engine, today: date, end: date) -> DueData:
    """What the occasion and plan rules (kacrm.analysis.due.OCCASION_RULES) read for the window ending ``end``:
    the customers, their key persons, the open plans and the items marked done or snoozed. `report`'s next days
    list only these kinds, and skip the queries over orders, payments and interactions the other rules need."""
    with reading(book) as reader:
        rows = _customers(reader, CustomerFilter())
        if not rows:
            return DueData(customers=[])
        everyone = Scope()
        primary, contacts = _primary_contacts(reader, everyone)
        plans = _open_plans(reader, everyone, end)
        done, snoozed = _markers(reader, everyone, today)
    return DueData(
        customers=_customer_facts(rows, today, {}, {}, {}, primary, {}),
        contacts=contacts,
        plans=plans,
        done=done,
        snoozed=snoozed,
    )


def _customer_facts(
    rows: list[tuple],
    today: date,
    interactions: dict[int, tuple],
    orders: dict[int, tuple],
    alive: dict[int, tuple],
    primary: dict[int, str],
    owing: dict[int, int],
) -> list[CustomerFacts]:
    """One CustomerFacts per customer row, from the aggregates loaded by customer id."""
    no_orders, not_in_run = (None, None, 0), (None, None)
    facts = []
    for (
        cid,
        code,
        name,
        created,
        tier,
        owner,
        status,
        type_,
        cadence,
        _,
        since,
        locked,
        pin,
        added,
    ) in rows:
        last_any, touch, survey, conversation = interactions.get(cid, _NO_INTERACTION)
        first_on, last_on, days = orders.get(cid, no_orders)
        p_alive, clv_as_of = alive.get(cid, not_in_run)
        facts.append(
            CustomerFacts(  # by position, in the fields' order: a third of the cost of keywords
                cid,
                code,
                name,
                added_day(added, created) or today,
                tier,
                owner,
                status,
                type_,
                cadence,
                primary.get(cid),
                last_any,
                touch,
                survey,
                conversation,
                first_on,
                last_on,
                days,
                p_alive,
                clv_as_of,
                _day(since),
                bool(locked),
                pin is not None,
                cid in owing,
            )
        )
    return facts


# Item id prefixes (kacrm.analysis.due) by what follows the first "-": the customer, a contact, an interaction, a
# task, a plan or an order number; the SQL finds the customer of the last five.
_CUSTOMER_PREFIXES = ("cad", "fest", "wb", "pool")
_OWNER_OF = {
    "bday": "SELECT customer_id FROM contact WHERE id = :ref",
    "anniv": "SELECT customer_id FROM contact WHERE id = :ref",
    "fu": "SELECT customer_id FROM interaction WHERE id = :ref",
    "cmp": "SELECT customer_id FROM interaction WHERE id = :ref",
    "task": "SELECT customer_id FROM task WHERE id = :ref",
    "plan": "SELECT customer_id FROM plan WHERE id = :ref",
}
_ORDER_PREFIXES = ("thx", "sat", "col")


def customer_of_item(book: SqliteBook | Engine, item_id: str) -> int | None:
    """The customer an item id names (None for an id of no known form or of nothing on file)."""
    prefix, _, rest = item_id.partition("-")
    number = rest.split("-", 1)[0]
    if number.isdigit() and int(number) >= 2**63:
        return None  # no row has such an id (and the database could not even compare it)
    if prefix in _CUSTOMER_PREFIXES:
        return int(number) if number.isdigit() else None
    if prefix in _OWNER_OF and number.isdigit():
        sql, params = _OWNER_OF[prefix], {"ref": int(number)}
    elif prefix in _ORDER_PREFIXES and rest:
        sql, params = "SELECT customer_id FROM orders WHERE order_no = :ref", {"ref": rest}
    else:
        return None
    with reading(book) as reader:
        found = reader.scalar(sql, **params)
        if found is None and prefix == "col" and "#" in rest:  # an instalment: col-SO-1#2
            found = reader.scalar(sql, ref=rest.rsplit("#", 1)[0])
        return found


# What `done` logs for each kind: (interaction kind, English summary); `--kind` changes the kind.
DONE_INTERACTION = {
    "complaint": ("service", "complaint resolved"),
    "plan": ("meeting", "plan goal reached"),
    "task": ("call", "task done"),
    "cadence": ("call", "regular contact"),
    "follow_up": ("call", "follow-up"),
    "birthday": ("card", "birthday greetings"),
    "anniversary": ("card", "wedding anniversary greetings"),
    "festival": ("card", "festival greetings"),
    "after_sale": ("call", "after-sale contact"),
    "collection": ("call", "collection call"),
    "pool": ("call", "contact before the release to the pool"),
    "win_back": ("call", "win-back call"),
}


def record_done(
    book: SqliteBook | Engine,
    item: DueItem,
    today: date,
    note: str | None = None,
    kind: str | None = None,
) -> str:
    """Record what ``item`` asked for; return the interaction kind logged.

    Every item logs an interaction (SPEC §8: it restarts the cadence), with the note as its summary. Complaints
    are also resolved, plans and tasks closed; the other kinds also get a done marker, except collections, which
    come back after COLLECTION_RECALL_DAYS while the money is owed. One transaction of textual SQL
    (kacrm.store.reader.writing): a current SQLite file is written without importing SQLAlchemy.
    """
    note = (
        normalize_text(note) or None if note is not None else None
    )  # as log and import store texts
    closes = "task" if item.id.startswith("task-") else item.kind
    logged, summary = DONE_INTERACTION[closes]
    logged = kind or logged
    with writing(book) as writer:
        writer.insert(
            "interaction",
            key=log_key(),
            customer_id=item.customer_id,
            contact_id=int(item.ref) if item.kind in ("birthday", "anniversary") else None,
            happened_on=today,
            kind=logged,
            summary=note or f"{summary}: {item.reason}",
        )
        ref = int(item.ref or 0) if closes in ("complaint", "plan", "task") else None
        if closes == "complaint":
            writer.run(
                "UPDATE interaction SET resolved_on = :today WHERE id = :id", today=today, id=ref
            )
        elif closes == "plan":
            writer.run(
                "UPDATE plan SET status = 'done', done_on = :today WHERE id = :id",
                today=today,
                id=ref,
            )
        elif closes == "task":
            writer.run("UPDATE task SET done_on = :today WHERE id = :id", today=today, id=ref)
        else:
            recall = item.kind == "collection"
            back_on = item.recall_on or today + timedelta(days=COLLECTION_RECALL_DAYS)
            writer.insert(
                "task",
                customer_id=item.customer_id,
                item_id=item.id,
                note=note,
                created_at=utcnow(),
                kind="snooze" if recall else "done",
                due_on=back_on if recall else today,
                done_on=today,  # a collection's snooze says it came of a done (done_until)
                marked_on=today,
            )
    return logged


def done_until(book: SqliteBook | Engine, item_id: str, today: date) -> tuple[date, date] | None:
    """(the day it was done, the day it comes back) when the newest marker of ``item_id`` is a `done` that hides it
    after ``today`` (a collection comes back while the money is owed); None otherwise."""
    with reading(book) as reader:
        rows = reader.rows(
            "SELECT kind, done_on, due_on FROM task WHERE item_id = :item ORDER BY id DESC LIMIT 1",
            ("done_on", "due_on"),
            item=item_id,
        )
    if rows and rows[0].kind == "snooze" and rows[0].done_on is not None and rows[0].due_on > today:
        return rows[0].done_on, rows[0].due_on
    return None


def record_snooze(
    book: SqliteBook | Engine, item: DueItem, until: date, today: date, note: str | None = None
) -> None:
    """Hide ``item`` until the day ``until`` (it comes back then, due that day); marked ``today``."""
    with writing(book) as writer:
        writer.insert(
            "task",
            customer_id=item.customer_id,
            due_on=until,
            kind="snooze",
            note=note,
            item_id=item.id,
            marked_on=today,
            created_at=utcnow(),
        )

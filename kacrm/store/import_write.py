"""Write one validated import file: map its fields to the tables and upsert them in bulk (``kacrm.store.bulk``).

The file arrives as ``kacrm.io.importer.PreparedFile`` (its typed, keyed rows and the summary whose counts are
filled in here); ``kacrm.app.imports`` hands it over, with how to look up customers by code or name.

Counts are per row of the file: inserted when its record is new, updated when any value it gives differs from the
stored one (for a customers file, also its key person or referrer), unchanged otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, bindparam, func, insert, select, update

from kacrm.domain import pin_method
from kacrm.store import bulk, void_orders
from kacrm.store.birthday_kind import clear_other_kind
from kacrm.store.clock import utcnow
from kacrm.store.models import (
    Contact,
    Customer,
    ImportBatch,
    Interaction,
    Order,
    Owner,
    Payment,
    TierPin,
)
from kacrm.store.raw import driver_rows, raw_rows
from kacrm.values import name_key

if TYPE_CHECKING:
    import pandas as pd

CUSTOMER_COLUMNS = {
    "code": "code",
    "name": "name",
    "name_key": "name_key",
    "short_name": "short_name",
    "uscc": "uscc",
    "type": "type",
    "status": "status",
    "region": "region",
    "industry": "industry",
    "owner": "owner",
    "address": "address",
    "phone": "phone",
    "fax": "fax",
    "email": "email",
    "source": "source",
    "notes": "notes",
    "payment_terms_days": "payment_terms_days",
    "credit_limit": "credit_limit_cents",
    "credit_grade": "credit_grade",
    "stage": "stage",
    "cadence_days": "cadence_days",
}
PERSON_COLUMNS = {
    "title": "title",
    "role": "role",
    "phone": "phone",
    "email": "email",
    "birthday": "birthday",
    "birthday_has_year": "birthday_has_year",
    "lunar_birthday_month": "lunar_birthday_month",
    "lunar_birthday_day": "lunar_birthday_day",
    "lunar_birthday_leap": "lunar_birthday_leap",
    "anniversary": "anniversary",
    "anniversary_has_year": "anniversary_has_year",
    "hobbies": "hobbies",
    "notes": "notes",
    "is_primary": "is_primary",
}
INLINE_PERSON = {
    "contact_title": "title",
    "contact_role": "role",
    "contact_phone": "phone",
    "contact_email": "email",
}
ORDER_COLUMNS = {
    "order_no": "order_no",
    "order_date": "order_date",
    "amount": "amount_cents",
    "quantity": "quantity",
    "product": "product",
    "cost": "cost_cents",
    "due_date": "due_date",
    "salesperson": "salesperson",
    "status": "status",
}
PAYMENT_COLUMNS = {
    "payment_no": "payment_no",
    "order_no": "order_no",
    "paid_on": "paid_on",
    "amount": "amount_cents",
    "method": "method",
}
INTERACTION_COLUMNS = {
    "key": "key",
    "happened_on": "happened_on",
    "kind": "kind",
    "summary": "summary",
    "outcome": "outcome",
    "cost": "cost_cents",
    "resolved_on": "resolved_on",
    "next_due": "next_due",
}
OWNER_COLUMNS = {"owner": "name", "email": "email", "capacity": "capacity"}
# Values of NOT NULL columns for new rows where the file gives none.
CUSTOMER_DEFAULTS = {"type": "business", "status": "active"}
CONTACT_DEFAULTS = {
    "birthday_has_year": True,
    "anniversary_has_year": True,
    "lunar_birthday_leap": False,
    "is_primary": False,
}


def customer_count(engine: Engine) -> int:
    """How many customers the database holds (the demo imports only into an empty one, unless forced)."""
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(Customer)).scalar_one())


def customer_names(conn: Connection) -> list[tuple[str, str, str | None, str | None]]:
    """Every customer's (code, name, short name, USCC): what an import may name a customer by."""
    query = select(Customer.code, Customer.name, Customer.short_name, Customer.uscc)
    return raw_rows(conn, query)[1]  # plain tuples: no SQLAlchemy Row for each of 100,000 customers


# Order numbers looked up per statement: SQLite allows 999 bound variables in old builds.
ORDER_LOOKUP_BATCH = 500


def order_customers(conn: Connection, order_nos: list[str]) -> dict[str, str]:
    """The customer code of each of ``order_nos`` that is on file (written earlier in this transaction too): a
    payments file's order numbers, checked against the payment's customer."""
    found: dict[str, str] = {}
    for start in range(0, len(order_nos), ORDER_LOOKUP_BATCH):
        part = order_nos[start : start + ORDER_LOOKUP_BATCH]
        sql = (
            "SELECT o.order_no, c.code FROM orders o JOIN customer c ON c.id = o.customer_id "
            f"WHERE o.order_no IN ({', '.join('?' * len(part))})"
        )
        found.update(driver_rows(conn, sql, part))
    return found


def order_plans(conn: Connection) -> dict[str, tuple[int, int]]:
    """(stored amount, the sum of its instalments) of every order with a payment plan (few beside the orders):
    an orders file's revised amounts are checked against them."""
    sql = (
        "SELECT o.order_no, o.amount_cents, SUM(p.amount_cents) FROM payment_schedule p "
        "JOIN orders o ON o.id = p.order_id GROUP BY o.order_no, o.amount_cents"
    )
    return {no: (int(amount), int(plan)) for no, amount, plan in driver_rows(conn, sql, [])}


def key_person_codes(conn: Connection) -> set[str]:
    """The codes of the customers with a primary contact (who takes a customers file's person fields)."""
    query = (
        select(Customer.code)
        .join(Contact, Contact.customer_id == Customer.id)
        .where(Contact.is_primary.is_(True))
        .distinct()
    )
    return set(conn.execute(query).scalars())


def write_file(
    conn: Connection,
    prepared: Any,
    *,
    record_batch: bool,
    index_of: Callable[[Connection], Any],
    primary: str,
    today: date,
) -> None:
    """Upsert the file's rows and fill in its summary counts (and its import_batch row when ``record_batch``).

    ``index_of(conn)`` gives the customers as they stand (``kacrm.io.customers_index.CustomerIndex``): a
    customers file's referrers are resolved by it once the file's own customers are written. ``primary``: the
    primary tiering method, whose pins a customers file's tiers set in force (_tier_pins). ``today``: the day
    the customers it creates are added on (``customer.added_on``).
    """
    batch_id = start_file(conn, prepared, record_batch=record_batch, today=today)
    write_rows(
        conn, prepared, prepared.frame, batch_id, index_of=index_of, primary=primary, today=today
    )
    prepared.summary.unchanged += prepared.repeats
    finish_file(conn, prepared, batch_id)


def start_file(conn: Connection, prepared: Any, *, record_batch: bool, today: date) -> int | None:
    """The file's import_batch row (its id), when ``record_batch``; the customers it creates (added ``today``)."""
    batch_id = None
    if record_batch:
        summary = prepared.summary
        batch_id = conn.execute(
            ImportBatch.__table__.insert().values(
                file_name=summary.file,
                sha256=prepared.raw.sha256,
                kind=prepared.kind,
                started_at=utcnow(),
            )
        ).inserted_primary_key[0]
    _create_customers(conn, prepared.new_customers, today)
    return batch_id


def write_rows(
    conn: Connection,
    prepared: Any,
    frame: pd.DataFrame,
    batch_id: int | None,
    *,
    index_of: Callable[[Connection], Any],
    primary: str,
    today: date,
    customers: pd.DataFrame | None = None,
    upto: int | None = None,
) -> None:
    """Upsert ``frame`` (the file's keyed rows, or one chunk of them) and add its counts to the summary.

    ``customers`` (``customer_ids``), when given, saves reading them again for every chunk of a file; with
    ``upto`` (``last_id`` before the file), only rows stored before the file are compared with."""
    if frame.empty:
        return
    # one birthday column (生日, or 农历生日 alone): a birthday it gives replaces the other kind
    one = ("birthday" in prepared.columns) != ("lunar_birthday" in prepared.columns)
    writer = {
        "customers": partial(
            _customers, index_of=index_of, primary=primary, one_birthday=one, today=today
        ),
        "contacts": partial(_contacts, one_birthday=one),
        "orders": partial(_orders, customers=customers, upto=upto),
        "payments": partial(_payments, customers=customers, upto=upto),
        "interactions": partial(_interactions, customers=customers, upto=upto),
        "owners": _owners,
    }[prepared.kind]
    status = writer(conn, frame, batch_id)
    summary = prepared.summary
    summary.inserted += int((status == bulk.INSERTED).sum())
    summary.updated += int((status == bulk.UPDATED).sum())
    summary.unchanged += int((status == bulk.UNCHANGED).sum())
    summary.removed += int((status == void_orders.REMOVED).sum())
    summary.voided += int(status.isin([void_orders.VOIDED, void_orders.REMOVED]).sum())


def finish_file(conn: Connection, prepared: Any, batch_id: int | None) -> None:
    """Its counts into the file's import_batch row."""
    if batch_id is None:
        return
    summary = prepared.summary
    conn.execute(
        update(ImportBatch)
        .where(ImportBatch.id == batch_id)
        .values(
            rows_read=summary.rows_read,
            inserted=summary.inserted,
            updated=summary.updated,
            unchanged=summary.unchanged,
            rejected=summary.rejected,
            finished_at=utcnow(),
        )
    )


def last_id(conn: Connection, table: Any) -> int:
    """The highest id in ``table`` (0 when empty)."""
    return int(conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one())


def bulk_table(kind: str) -> Any:
    """The table a file of this kind fills in bulk (whose plain indexes a long file rebuilds), else None."""
    model = {"orders": Order, "payments": Payment, "interactions": Interaction}.get(kind)
    return model.__table__ if model is not None else None


def _table_frame(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """The file's fields renamed to table columns (only the fields the file has)."""
    present = {f: c for f, c in columns.items() if f in frame.columns}
    return frame[list(present)].rename(columns=present)


def customer_ids(conn: Connection) -> pd.DataFrame:
    """Every customer's id, by code."""
    import pandas as pd

    # plain tuples: a DataFrame built from 100,000 SQLAlchemy rows spends most of its time probing each row
    rows = raw_rows(conn, select(Customer.code, Customer.id))[1]
    frame = pd.DataFrame.from_records(rows, columns=["code", "id"])
    # an object index: looking a chunk's codes up in it costs half what it does in pandas' str dtype
    return frame.set_index(pd.Index(frame.pop("code"), dtype=object, name="code"))


def _create_customers(conn: Connection, new: dict[str, str], today: date) -> None:
    if not new:
        return
    now = utcnow()
    known = set(conn.execute(select(Customer.code)).scalars())
    records = [
        {
            "code": code,
            "name": name,
            "name_key": name_key(name),
            **CUSTOMER_DEFAULTS,
            "added_on": today,
            "created_at": now,
            "updated_at": now,
        }
        for code, name in new.items()
        if code not in known
    ]
    if records:
        conn.execute(Customer.__table__.insert(), records)


def _upsert(
    conn: Connection,
    table: Any,
    rows: pd.DataFrame,
    key: list[str],
    *,
    fast: bool,
    defaults: dict[str, Any] | None = None,
    stamp: bool = False,
    extra_update: dict[str, Any] | None = None,
    upto: int | None = None,
) -> pd.Series:
    """Compare, insert and update; the per-row status."""
    columns = [c for c in rows.columns if c != "import_batch_id"]
    same = None
    if fast and len(key) == 1:  # rows stored as they are need no typed comparison
        same = bulk.unchanged_rows(conn, table, key[0], rows[columns], upto)
        rows, whole = rows[~same], rows.index
    old = bulk.existing_rows(conn, table, key, rows[key], columns, like=rows, upto=upto)
    change = bulk.diff(rows, old, key, columns)
    if same is not None:
        change.status = change.status.reindex(whole, fill_value=bulk.UNCHANGED)
    inserts = change.inserts
    for col, value in (defaults or {}).items():
        inserts = inserts.assign(
            **{col: inserts[col].where(inserts[col].notna(), value) if col in inserts else value}
        )
    if stamp:
        now = utcnow()
        inserts = inserts.assign(created_at=now, updated_at=now)
    if fast:
        bulk.insert_rows(conn, table, inserts)
    elif not inserts.empty:
        conn.execute(table.insert(), bulk.records(inserts))
    extra = dict(extra_update or {})
    if stamp:
        extra["updated_at"] = utcnow()
    bulk.update_rows(conn, table, change.updates, extra)
    return change.status


def _customers(
    conn: Connection,
    frame: pd.DataFrame,
    _batch: int | None,
    *,
    index_of: Callable[[Connection], Any],
    primary: str,
    today: date,
    one_birthday: bool = False,
) -> pd.Series:
    table = Customer.__table__
    if "name" in frame:
        frame = frame.assign(name_key=frame["name"].map(name_key, na_action="ignore"))
    rows = _table_frame(frame, CUSTOMER_COLUMNS)
    status = _upsert(
        conn,
        table,
        rows,
        ["code"],
        fast=False,
        defaults=CUSTOMER_DEFAULTS,
        stamp=True,
    )
    # the day the new rows were added, set by one statement: a date in every inserted row's record cost 1.3 s of
    # CPU and 30 MB at 100,000 customers (issue 19); every other writer of customers sets it itself
    conn.execute(table.update().where(table.c.added_on.is_(None)).values(added_on=today))
    ids = customer_ids(conn)["id"]
    if "referred_by" in frame:
        status = _merge_status(status, _referrers(conn, frame, ids, index_of(conn)))
    if "contact_name" in frame:
        status = _merge_status(status, _inline_people(conn, frame, ids, one_birthday))
    if _PERSON_CELLS & set(frame.columns):
        status = _merge_status(status, _primary_people(conn, frame, ids, one_birthday))
    if "tier" in frame:
        status = _merge_status(status, _tier_pins(conn, frame, ids, primary))
    return status


def _tier_pins(conn: Connection, frame: pd.DataFrame, ids: pd.Series, primary: str) -> pd.Series:
    """A customers file's tier (客户级别) is a pin (SPEC §3: the manual tier re-tiering leaves alone) of the method
    whose tier it is: the tier in force is set only by runs of the primary method and its pins (SPEC §6), so the
    file never writes it directly. A tier that is the customer's tier in force already changes nothing (an exported
    file imports back unchanged); another one is pinned as `kacrm tier pin` pins it, setting the tier in force when
    it is of the primary method. A blank cell unpins nothing."""
    given = frame[frame["tier"].notna()]
    status = frame["code"].map(lambda _: bulk.UNCHANGED)
    if given.empty:
        return status
    # every customer's and every pin's row, as _primary_people reads the primary contacts: an IN list of a long
    # file's ids would pass SQLite's limit of bound variables
    in_force = dict(
        conn.execute(select(Customer.id, func.coalesce(Customer.tier_pinned, Customer.tier))).all()
    )
    pins = {
        (cid, method): tier
        for cid, method, tier in conn.execute(
            select(TierPin.customer_id, TierPin.method, TierPin.tier)
        ).all()
    }
    new_pins, moved_pins, in_force_now = [], [], []  # a file names each customer once (its key)
    for row, cid, tier in zip(given.index, given["code"].map(ids), given["tier"], strict=True):
        method = pin_method(tier, primary)
        if in_force.get(cid) == tier or pins.get((cid, method)) == tier:
            continue
        pinned = {"cid": cid, "pin_method": method, "pin_tier": tier}
        (moved_pins if (cid, method) in pins else new_pins).append(pinned)
        if method == primary:
            in_force_now.append(pinned)
        status[row] = bulk.UPDATED
    which = (TierPin.customer_id == bindparam("cid"), TierPin.method == bindparam("pin_method"))
    if moved_pins:
        conn.execute(update(TierPin).where(*which).values(tier=bindparam("pin_tier")), moved_pins)
    if new_pins:
        values = {"customer_id": bindparam("cid"), "method": bindparam("pin_method")}
        conn.execute(insert(TierPin).values(**values, tier=bindparam("pin_tier")), new_pins)
    if in_force_now:
        conn.execute(
            update(Customer)
            .where(Customer.id == bindparam("cid"))
            .values(
                tier_pinned=bindparam("pin_tier"),
                tier=bindparam("pin_tier"),
                tier_method=bindparam("pin_method"),
                updated_at=utcnow(),
            ),
            in_force_now,
        )
    return status


def _merge_status(status: pd.Series, more: pd.Series) -> pd.Series:
    """A row whose customer was unchanged but whose referrer or key person changed counts as updated."""
    changed = more.reindex(status.index).isin([bulk.INSERTED, bulk.UPDATED]) & (
        status == bulk.UNCHANGED
    )
    return status.mask(changed, bulk.UPDATED)


def _referrers(conn: Connection, frame: pd.DataFrame, ids: pd.Series, index: Any) -> pd.Series:
    refs = frame["referred_by"].dropna()
    ref_codes = refs.map(lambda r: r if r in index.codes else index.code_of_name(r)[0])
    rows = frame.loc[refs.index, ["code"]].assign(referred_by_id=ref_codes.map(ids).astype("Int64"))
    return _upsert(
        conn,
        Customer.__table__,
        rows,
        ["code"],
        fast=False,
        stamp=False,
        extra_update={"updated_at": utcnow()},
    )


_INLINE_FIELDS = {
    **INLINE_PERSON,
    **{
        f: c
        for f, c in PERSON_COLUMNS.items()
        if f not in ("phone", "email", "notes", "is_primary")
    },
}
# the typed columns of a customers file's person fields other than the contact's name
_PERSON_CELLS = frozenset(_INLINE_FIELDS) - {
    "birthday_has_year",
    "anniversary_has_year",
    "lunar_birthday_leap",
}


def _person_rows(
    conn: Connection,
    people: pd.DataFrame,
    ids: pd.Series,
    names: pd.Series,
    one_birthday: bool,
    primary: bool = False,
) -> tuple[pd.DataFrame, pd.Series]:
    """Upsert the person fields of ``people`` into the contacts ``names`` of their customers (made primary when
    ``primary``): the rows written and their status."""
    rows = _table_frame(people, _INLINE_FIELDS)
    rows.insert(0, "name", names)
    rows.insert(0, "customer_id", people["code"].map(ids).astype("int64"))
    if primary:
        rows["is_primary"] = True
    if one_birthday:
        clear_other_kind(conn, rows)
    status = _upsert(
        conn,
        Contact.__table__,
        rows,
        ["customer_id", "name"],
        fast=False,
        defaults=CONTACT_DEFAULTS,
    )
    return rows, status


def _primary_people(
    conn: Connection, frame: pd.DataFrame, ids: pd.Series, one_birthday: bool
) -> pd.Series:
    """Person fields without a contact name go to the customer's primary contact (the check rejected the rows of
    customers without one)."""
    people = frame if "contact_name" not in frame else frame[frame["contact_name"].isna()]
    given = [c for c in _PERSON_CELLS if c in people]
    people = people[people[given].notna().any(axis=1)]
    if people.empty:
        return people["code"].map(lambda _: bulk.UNCHANGED)
    primary = dict(
        conn.execute(
            select(Contact.customer_id, func.min(Contact.name))
            .where(Contact.is_primary.is_(True))
            .group_by(Contact.customer_id)
        ).all()
    )
    names = people["code"].map(ids).map(primary)
    people, names = people[names.notna()], names[names.notna()]
    return _person_rows(conn, people, ids, names, one_birthday)[1]


def _inline_people(
    conn: Connection, frame: pd.DataFrame, ids: pd.Series, one_birthday: bool
) -> pd.Series:
    """A customers file's key person becomes that customer's primary contact (the others stop being primary)."""
    people = frame[frame["contact_name"].notna()]
    rows, status = _person_rows(conn, people, ids, people["contact_name"], one_birthday, True)
    for cid, name in zip(rows["customer_id"].tolist(), rows["name"].tolist(), strict=True):
        conn.execute(
            update(Contact)
            .where(Contact.customer_id == cid, Contact.name != name, Contact.is_primary.is_(True))
            .values(is_primary=False)
        )
    return status


def _contacts(
    conn: Connection, frame: pd.DataFrame, _batch: int | None, *, one_birthday: bool = False
) -> pd.Series:
    ids = customer_ids(conn)["id"]
    rows = _table_frame(frame, {"name": "name", **PERSON_COLUMNS})
    rows.insert(0, "customer_id", frame["customer_code"].map(ids).astype("int64"))
    if one_birthday:
        clear_other_kind(conn, rows)
    return _upsert(
        conn,
        Contact.__table__,
        rows,
        ["customer_id", "name"],
        fast=False,
        defaults=CONTACT_DEFAULTS,
    )


def _orders(
    conn: Connection,
    frame: pd.DataFrame,
    batch: int | None,
    customers: pd.DataFrame | None = None,
    upto: int | None = None,
) -> pd.Series:
    import pandas as pd

    customers = customer_ids(conn) if customers is None else customers
    rows = _table_frame(frame, ORDER_COLUMNS)
    at = customers.index.get_indexer(frame["customer_code"].to_numpy(dtype=object))
    if (at < 0).any():  # every code was resolved against the customers on file
        raise LookupError("an order names a customer not on file")
    rows.insert(1, "customer_id", customers["id"].to_numpy(dtype="int64")[at])
    # only a due date the file gives is stored: the others follow the customer's terms in force, read by the
    # ledger, so that a change of terms re-dates every such order alike (docs/credit.md "Due date")
    rows["import_batch_id"] = batch
    rows, voided = void_orders.set_aside(conn, rows)
    if rows.empty:
        return voided
    # an order keeps the batch that first brought it: the digest's late arrivals are new orders, not amended ones
    status = _upsert(conn, Order.__table__, rows, ["order_no"], fast=True, upto=upto)
    return pd.concat([status, voided]) if len(voided) else status


def _payments(
    conn: Connection,
    frame: pd.DataFrame,
    batch: int | None,
    customers: pd.DataFrame | None = None,
    upto: int | None = None,
) -> pd.Series:
    customers = customer_ids(conn) if customers is None else customers
    rows = _table_frame(frame, PAYMENT_COLUMNS)
    rows.insert(1, "customer_id", frame["customer_code"].map(customers["id"]).astype("int64"))
    rows["import_batch_id"] = batch
    return _upsert(
        conn,
        Payment.__table__,
        rows,
        ["payment_no"],
        fast=True,
        extra_update={"import_batch_id": batch},
        upto=upto,
    )


def _interactions(
    conn: Connection,
    frame: pd.DataFrame,
    batch: int | None,
    customers: pd.DataFrame | None = None,
    upto: int | None = None,
) -> pd.Series:
    customers = customer_ids(conn) if customers is None else customers
    rows = _table_frame(frame, INTERACTION_COLUMNS)
    owners = frame["customer_code"].map(customers["id"]).astype("int64")
    rows.insert(1, "customer_id", owners)
    if "kind" not in rows:
        rows["kind"] = "other"
    if "contact" in frame:
        rows["contact_id"] = _contact_ids(conn, owners, frame["contact"])
    rows["import_batch_id"] = batch
    return _upsert(
        conn,
        Interaction.__table__,
        rows,
        ["key"],
        fast=True,
        defaults={"kind": "other"},
        extra_update={"import_batch_id": batch},
        upto=upto,
    )


def _contact_ids(conn: Connection, customer_ids: pd.Series, names: pd.Series) -> pd.Series:
    """The contact named in each interaction; a person not yet on file is added as a contact of that customer."""
    import pandas as pd

    names = names.astype(object).where(
        names.notna(), None
    )  # a blank cell may arrive as NaN, not None
    wanted = {
        (int(c), n)
        for c, n in zip(customer_ids.tolist(), names.tolist(), strict=True)
        if n is not None
    }
    if not wanted:
        return pd.Series(pd.NA, index=names.index, dtype="Int64")
    query = select(Contact.id, Contact.customer_id, Contact.name)
    known = {(c, n): i for i, c, n in conn.execute(query)}
    missing = [
        {"customer_id": c, "name": n, **CONTACT_DEFAULTS} for c, n in sorted(wanted - set(known))
    ]
    if missing:
        conn.execute(Contact.__table__.insert(), missing)
        known = {(c, n): i for i, c, n in conn.execute(query)}
    ids = [
        known.get((int(c), n)) if n is not None else None
        for c, n in zip(customer_ids.tolist(), names.tolist(), strict=True)
    ]
    return pd.Series(ids, index=names.index, dtype="Int64")


def _owners(conn: Connection, frame: pd.DataFrame, _batch: int | None) -> pd.Series:
    """The team's salespeople (issue 15), keyed by name: what `kacrm export owners` writes comes back."""
    rows = _table_frame(frame, OWNER_COLUMNS)
    return _upsert(conn, Owner.__table__, rows, ["name"], fast=False, stamp=True)

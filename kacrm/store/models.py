"""The database tables (SPEC §3).

Conventions that every module relies on:
- money is an integer number of cents in columns named ``*_cents`` (exact, fast to sum);
- dates are ``datetime.date``; timestamps are timezone-aware UTC ``datetime`` (use ``kacrm.store.clock.utcnow()``);
- a customer is referenced by ``customer_id`` (the surrogate key); users see ``customer.code``;
- enumerations are plain strings whose allowed values live in ``kacrm.domain``.

The order table is called ``orders`` because ``order`` is reserved in SQL.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Index, UniqueConstraint, event
from sqlmodel import Field, SQLModel

from kacrm.store.clock import log_key
from kacrm.values import name_key


def _cents(nullable: bool = False):
    return Column(BigInteger, nullable=nullable)


class Customer(SQLModel, table=True):
    __tablename__ = "customer"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True)
    name: str = Field(index=True)
    # issue 14: the name as matched (kacrm.values.name_key), the short name (简称) and the unified social credit
    # code (统一社会信用代码), the strongest key across files
    name_key: str | None = Field(default=None, index=True)
    short_name: str | None = None
    uscc: str | None = Field(default=None, index=True)
    type: str = "business"
    status: str = "active"
    region: str | None = None
    industry: str | None = None
    owner: str | None = Field(default=None, index=True)
    address: str | None = None
    phone: str | None = None
    fax: str | None = None
    email: str | None = None
    source: str | None = None
    notes: str | None = None
    tier: str | None = None
    tier_method: str | None = None
    tier_pinned: str | None = None
    cadence_days: int | None = None
    credit_grade: str | None = None
    credit_limit_cents: int | None = Field(default=None, sa_column=_cents(nullable=True))
    payment_terms_days: int | None = None
    stage: str | None = None
    referred_by_id: int | None = Field(default=None, foreign_key="customer.id", ondelete="SET NULL")
    # issue 18, the public pool (公海): the day the current owner got the account (claim or assignment; NULL
    # for owners set before the pool or by an import: the pool clock then starts at added_on), and the lock
    # that keeps an account out of the pool
    owner_since: date | None = None
    pool_locked: bool = False
    # the day the customer was added, as "today" read then (--as-of, else the local date): the cadence of a
    # customer never contacted and the pool clock start there (schema 0010; created_at is the UTC moment)
    added_on: date | None = None
    created_at: datetime
    updated_at: datetime


@event.listens_for(Customer, "before_insert")
@event.listens_for(Customer, "before_update")
def _set_name_key(_mapper: object, _connection: object, customer: Customer) -> None:
    """Records written through the ORM (customer add/edit) keep their name key; bulk imports set it themselves."""
    customer.name_key = name_key(customer.name) if customer.name else None


class Contact(SQLModel, table=True):
    """A key person at a customer."""

    __tablename__ = "contact"
    __table_args__ = (UniqueConstraint("customer_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True, ondelete="CASCADE")
    name: str
    title: str | None = None
    role: str | None = None
    phone: str | None = None
    email: str | None = None
    birthday: date | None = None
    birthday_has_year: bool = True  # False: only month and day are known (year stored as 2000)
    lunar_birthday_month: int | None = None
    lunar_birthday_day: int | None = None
    lunar_birthday_leap: bool = False
    anniversary: date | None = None
    anniversary_has_year: bool = True  # False: only month and day are known (year stored as 2000)
    hobbies: str | None = None
    notes: str | None = None
    is_primary: bool = False


class Order(SQLModel, table=True):
    __tablename__ = "orders"
    # covering the per-customer sums of due, credit, tier and the digest (schema 0002)
    __table_args__ = (
        Index("ix_orders_customer_date", "customer_id", "order_date", "amount_cents"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_no: str = Field(unique=True)
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE")
    order_date: date = Field(index=True)
    amount_cents: int = Field(sa_column=_cents())
    quantity: float | None = None
    product: str | None = None
    cost_cents: int | None = Field(default=None, sa_column=_cents(nullable=True))
    due_date: date | None = None
    salesperson: str | None = None
    status: str | None = None
    import_batch_id: int | None = None


class PaymentSchedule(SQLModel, table=True):
    """One instalment (期) of an order's payment plan (回款计划, SPEC §15; schema 0007)."""

    __tablename__ = "payment_schedule"
    __table_args__ = (
        UniqueConstraint("order_id", "instalment", name="uq_payment_schedule_order_instalment"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", ondelete="CASCADE")
    instalment: int
    due_on: date
    amount_cents: int = Field(sa_column=_cents())
    import_batch_id: int | None = None


class Payment(SQLModel, table=True):
    __tablename__ = "payment"
    # covering the per-customer and per-order payment sums (schema 0002)
    __table_args__ = (
        Index("ix_payment_customer_date", "customer_id", "paid_on", "amount_cents", "order_no"),
        Index("ix_payment_order_no", "order_no"),
    )

    id: int | None = Field(default=None, primary_key=True)
    payment_no: str = Field(unique=True)
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE")
    order_no: str | None = None
    paid_on: date
    amount_cents: int = Field(sa_column=_cents())
    method: str | None = None
    import_batch_id: int | None = None


class Interaction(SQLModel, table=True):
    """A service record: a visit, call, meal, gift, complaint..."""

    __tablename__ = "interaction"
    # covering the due list's last-contact dates per customer and kind (schema 0002)
    __table_args__ = (Index("ix_interaction_customer_date", "customer_id", "happened_on", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    # Unique, so that re-import never duplicates: a content key (``~``…) for imported rows without one of their own
    # (kacrm.io.keys), ``log-``… for rows entered by hand (log, done); export writes it, import matches on it.
    key: str | None = Field(default_factory=log_key, unique=True)
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE")
    contact_id: int | None = Field(default=None, foreign_key="contact.id", ondelete="SET NULL")
    happened_on: date
    kind: str = "other"
    summary: str | None = None
    outcome: str | None = None
    cost_cents: int | None = Field(default=None, sa_column=_cents(nullable=True))
    resolved_on: date | None = None
    next_due: date | None = None
    import_batch_id: int | None = None


class Task(SQLModel, table=True):
    """An explicit follow-up, or a snooze of a due item (``item_id`` names the item)."""

    __tablename__ = "task"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True, ondelete="CASCADE")
    due_on: date
    kind: str = "follow_up"
    note: str | None = None
    item_id: str | None = Field(default=None, index=True)
    done_on: date | None = None
    # the day a done or snooze mark was made, as "today" read then (--as-of, else the local date): a replay as
    # of an earlier day ignores it (schema 0010; NULL for plain snoozes made before, which always count)
    marked_on: date | None = None
    created_at: datetime


class Plan(SQLModel, table=True):
    """A development plan goal for a customer."""

    __tablename__ = "plan"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True, ondelete="CASCADE")
    horizon: str
    goal: str
    target_date: date | None = None
    status: str = "open"
    done_on: date | None = None
    created_at: datetime


class TierRun(SQLModel, table=True):
    __tablename__ = "tier_run"

    id: int | None = Field(default=None, primary_key=True)
    method: str = Field(index=True)
    metric: str
    window: str
    by: str = "customer"
    as_of: date
    parameters: str = "{}"  # JSON text
    created_at: datetime


class TierSnapshot(SQLModel, table=True):
    __tablename__ = "tier_snapshot"
    # One index, in insert order: a run appends its snapshots at the end of it. One customer's history is a seek
    # per run (migration 0003 says why not (customer_id, run_id)).
    __table_args__ = (Index("ix_tier_snapshot_run_customer", "run_id", "customer_id"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="tier_run.id", ondelete="CASCADE")
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE")
    tier: str
    value: float = 0.0
    share: float = 0.0
    rank: int | None = None
    pinned: bool = False
    details: str | None = None  # JSON text: rfm scores, clv figures


class CreditReview(SQLModel, table=True):
    __tablename__ = "credit_review"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True, ondelete="CASCADE")
    reviewed_on: date
    grade: str | None = None
    score: float | None = None
    limit_cents: int | None = Field(default=None, sa_column=_cents(nullable=True))
    payment_terms_days: int | None = None
    factors: str = "{}"  # JSON text: factor -> contribution
    manual: bool = False  # a decision by hand (`credit set`), respected by later reviews
    note: str | None = None
    created_at: datetime


class ImportBatch(SQLModel, table=True):
    __tablename__ = "import_batch"

    id: int | None = Field(default=None, primary_key=True)
    file_name: str
    sha256: str = Field(index=True)
    kind: str
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    started_at: datetime
    finished_at: datetime | None = None


class DigestRun(SQLModel, table=True):
    __tablename__ = "digest_run"

    id: int | None = Field(default=None, primary_key=True)
    period_start: date
    period_end: date
    channel: str
    # issue 15: periods are kept per recipient and scope. ``recipient`` is the email address (lower case) or ''
    # for a digest printed or written to a file; ``owner`` the salesperson whose customers it covers, '' for the
    # whole book. Rows of schema 0005 and before are the whole book's, recipient ''.
    recipient: str = Field(default="", index=True)
    owner: str = Field(default="")
    status: str  # running | sent | written | skipped | failed
    detail: str | None = None
    started_at: datetime
    finished_at: datetime | None = None


class Ownership(SQLModel, table=True):
    """The ownership history (issue 18): every release to the public pool, claim from it and assignment."""

    __tablename__ = "ownership"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True, ondelete="CASCADE")
    changed_on: date  # the day it happened (`--as-of`)
    reason: str  # released | claimed | assigned (kacrm.domain.OWNERSHIP_REASONS)
    owner: str | None = None  # the owner from then on (None: in the pool)
    previous_owner: str | None = None
    note: str | None = None
    created_at: datetime


class Owner(SQLModel, table=True):
    """A salesperson named in customers' ``owner`` (issue 15): the email their digest goes to, their capacity."""

    __tablename__ = "owner"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    email: str | None = None
    capacity: int | None = None  # how many accounts they may hold (None: no cap of their own)
    created_at: datetime
    updated_at: datetime


class Setting(SQLModel, table=True):
    """A choice stored in the database so that the whole team shares it (the primary tier method)."""

    __tablename__ = "setting"

    key: str = Field(primary_key=True)
    value: str
    updated_at: datetime


class TierPin(SQLModel, table=True):
    """A tier fixed by hand, per method (issue 15); ``customer.tier_pinned`` mirrors the primary method's pin."""

    __tablename__ = "tier_pin"
    __table_args__ = (UniqueConstraint("customer_id", "method"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE")
    method: str
    tier: str


class TierMovement(SQLModel, table=True):
    """A change of the tier in force that no run of the primary method recorded: switching the primary method
    (``kacrm tier primary``) moves customers from the old method's tiers to the new one's."""

    __tablename__ = "tier_movement"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True, ondelete="CASCADE")
    changed_on: date
    method: str  # the primary method after the change
    previous_tier: str | None = None
    tier: str | None = None
    reason: str = "primary"
    created_at: datetime

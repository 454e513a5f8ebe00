"""The words of key-account practice that kacrm stores: allowed values and their Chinese labels."""

from __future__ import annotations

from decimal import Decimal

CUSTOMER_TYPES = ("consumer", "business", "channel", "internal")
CUSTOMER_STATUSES = ("prospect", "contacted", "target", "active", "dormant", "lost")
CONTACT_ROLES = ("decision_maker", "influencer", "user", "gatekeeper", "other")
INTERACTION_KINDS = (
    "visit",
    "call",
    "meal",
    "email",
    "message",
    "gift",
    "card",
    "survey",
    "complaint",
    "service",
    "meeting",
    "other",
)
STAGES = ("find", "attack", "hold", "defend")
# The kinds of due item (SPEC §8), also their order within a day: complaints first.
# What an import file holds, and what `kacrm export` writes (io/header_rules.KINDS, store/export_rows.KINDS).
FILE_KINDS = ("customers", "contacts", "orders", "payments", "interactions", "owners", "schedules")
EXPORT_KINDS = (*FILE_KINDS, "tier_history", "credit_reviews")

DUE_KINDS = (
    "complaint",
    "follow_up",
    "collection",
    "pool",
    "cadence",
    "after_sale",
    "birthday",
    "anniversary",
    "festival",
    "win_back",
    "plan",
)
PLAN_HORIZONS = ("short", "mid", "long")
# The public pool (公海, SPEC §14): what `kacrm pool` lists and why an account changed hands.
POOL_STATUSES = ("due", "warning", "pooled")
OWNERSHIP_REASONS = ("released", "claimed", "assigned", "imported")
# The follow-up ladder's actions (SPEC §15), mildest first; an item at a `hold` or later action puts its customer
# on credit hold.
COLLECTION_ACTIONS = ("reminder", "call", "letter", "hold", "escalate")
HOLD_ACTIONS = ("hold", "escalate")
# Tiers and methods (SPEC §6): one vocabulary for the rules, the reports and the CLI's choices.
METHODS = ("abc", "pyramid", "rfm", "clv")
METRICS = ("revenue", "profit", "orders", "quantity")
MONEY_METRICS = ("revenue", "profit")
ABC_TIERS = ("A", "B", "C")
PYRAMID_TIERS = ("platinum", "gold", "iron", "lead")
SEGMENTS = (
    "champions",
    "loyal",
    "potential",
    "new",
    "at_risk",
    "cannot_lose",
    "hibernating",
    "lost",
    "other",
)
TIERS: dict[str, tuple[str, ...]] = {
    "abc": ABC_TIERS,
    "pyramid": PYRAMID_TIERS,
    "rfm": SEGMENTS,
    "clv": ABC_TIERS,
}
ALL_TIERS = frozenset(ABC_TIERS + PYRAMID_TIERS + SEGMENTS)
TIER_FAMILIES: tuple[tuple[str, ...], ...] = (ABC_TIERS, PYRAMID_TIERS)  # the ranked families


def pin_method(tier: str, primary: str) -> str:
    """The method a tier given by hand (`kacrm tier pin`, a customers file's tier) is a pin of: the primary method
    when it is one of its tiers (A under clv), else the method whose tiers hold it."""
    if tier in TIERS[primary]:
        return primary
    return next(method for method in ("abc", "pyramid", "rfm") if tier in TIERS[method])


KEY_TIERS: tuple[str, ...] = ("A", "platinum", "gold")  # key accounts
TIER_BYS = ("customer", "region")
TIME_UNITS = ("week", "day")
# The longest span in days anything may give (payment terms, contact cadence, --days, --horizon): ten years, so that
# every date computed from one exists.
MAX_SPAN_DAYS = 3660


def money(cents: int | None) -> Decimal | None:
    """Integer cents (how money is stored) to exact yuan (how it is shown and put in json)."""
    if cents is None:
        return None
    return (Decimal(int(cents)) / 100).quantize(Decimal("0.01"))

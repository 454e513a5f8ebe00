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
PLAN_HORIZONS = ("short", "mid", "long")
# The longest span in days anything may give (payment terms, contact cadence, --days, --horizon): ten years, so that
# every date computed from one exists.
MAX_SPAN_DAYS = 3660


def money(cents: int | None) -> Decimal | None:
    """Integer cents (how money is stored) to exact yuan (how it is shown and put in json)."""
    if cents is None:
        return None
    return (Decimal(int(cents)) / 100).quantize(Decimal("0.01"))

"""The tier in force (SPEC §6): which tiering is primary, and the tiers a `--tier` filter may name. Light (no
pandas, no SQLAlchemy), so that `due --tier` and `customer list --tier` check their filter without loading the
tiering runs."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from kacrm.domain import ALL_TIERS, TIERS
from kacrm.errors import UsageError, worded
from kacrm.i18n import label, t
from kacrm.i18n.tier import SEGMENT_WORDS_ZH
from kacrm.store.settings import stored_primary
from kacrm.store.tier_dimensions import tiers_held

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kacrm.config import TierSettings
    from kacrm.store.reader import SqliteBook

PRIMARY_METHODS = ("abc", "pyramid", "clv")  # rfm is a segmentation, never a tier in force


class Primary(NamedTuple):
    """The primary tiering: its method's runs and pins alone set the tier in force (SPEC §6). A NamedTuple,
    not a dataclass: made on import by `kacrm due`, where a dataclass costs milliseconds."""

    method: str
    metric: str
    window: str
    source: str  # "database" (kacrm tier primary), the config file's path, or "default"


def check_primary_method(method: str, option: str = "primary") -> None:
    """A UsageError (exit 2) with the reason unless ``method`` may be primary."""
    if method == "rfm":
        raise UsageError(t("tier_rfm_not_primary", "en"), t("tier_rfm_not_primary", "zh"))
    if method not in PRIMARY_METHODS:
        raise UsageError(f"{option}: {method!r} is not one of {', '.join(PRIMARY_METHODS)}")


def primary(book: SqliteBook | Engine, settings: TierSettings, sources: dict[str, str]) -> Primary:
    """The primary tiering: the one `kacrm tier primary` stored in the database wins (the whole team shares
    it), else the config's ``[tier] primary``, ``metric``, ``window`` (default abc, revenue, 12m)."""
    stored = stored_primary(book)
    if stored is not None:
        return Primary(stored["method"], stored["metric"], stored["window"], "database")
    check_primary_method(settings.primary, "tier.primary")
    return Primary(
        settings.primary, settings.metric, settings.window, sources.get("tier.primary", "default")
    )


def tier_filter(
    book: SqliteBook | Engine, settings: TierSettings, sources: dict[str, str], tier: str | None
) -> str | None:
    """The tier a ``--tier`` filter names: one the primary method can give or one a customer has (a pin, a tier
    left by an earlier primary method), matched in any case (``a`` is ``A``, ``Gold`` is ``gold``) or by its
    Chinese name (黄金 is ``gold``). Anything else is a usage error naming those tiers, never an empty list."""
    if tier is None:
        return None
    method = primary(book, settings, sources).method
    there = list(TIERS[method]) + sorted(tiers_held(book) - set(TIERS[method]))
    wanted = tier.strip()
    for known in there:
        if known.casefold() == wanted.casefold():
            return known
    for known in there:
        if known in ALL_TIERS and wanted in (label(known, "zh"), SEGMENT_WORDS_ZH.get(known)):
            return known
    raise worded(UsageError, "tier_filter_unknown", tier=wanted, tiers=", ".join(there))

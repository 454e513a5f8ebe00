"""The tiers a `--tier` filter may name (SPEC §6: the tier in force drives the `--tier` filters). Light (no
pandas, no SQLAlchemy), so that `due --tier` and `customer list --tier` check their filter without loading the
tiering task."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kacrm.app.primary import primary
from kacrm.domain import ALL_TIERS, TIERS
from kacrm.errors import UsageError, worded
from kacrm.i18n import label
from kacrm.i18n.tier import SEGMENT_WORDS_ZH
from kacrm.store.tier_dimensions import tiers_held

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kacrm.config import TierSettings
    from kacrm.store.reader import SqliteBook


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

"""The primary tiering (SPEC §6): the method whose runs and pins alone set the tier in force, as stored by `kacrm
tier primary` or configured. Its own module, apart from app.tiering, so that `kacrm report` and `customer show`,
which only name the tiers in force, do not import the tiering task (its rules, ranking and history: ~5 ms of
their start, issue 19)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kacrm.config_check import PRIMARY_METHODS
from kacrm.errors import UsageError
from kacrm.i18n import t
from kacrm.store.settings import stored_primary

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kacrm.config import TierSettings
    from kacrm.store.reader import SqliteBook


@dataclass(frozen=True)
class Primary:
    """The primary tiering: its method's runs and pins alone set the tier in force (SPEC §6)."""

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

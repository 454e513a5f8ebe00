"""The view of `kacrm config show`: every setting, its value and where it came from."""

from __future__ import annotations

from kacrm.config import Settings
from kacrm.i18n import text
from kacrm.render.listing import Column, Listing

COLUMNS = [
    Column(key, text(f"col_{name}", "en"), text(f"col_{name}", "zh"))
    for key, name in (("key", "setting"), ("value", "value"), ("source", "source"))
]


def settings_listing(settings: Settings, stored: dict[str, str] | None = None) -> Listing:
    """Every setting; ``stored`` (issue 15): values the database holds for the whole team, which win over the
    file (the primary tiering set by `kacrm tier primary`), shown with the source "database"."""
    rows = [{"key": k, "value": v, "source": src} for k, v, src in settings.flat()]
    for row in rows:
        if stored and row["key"] in stored:
            row["value"], row["source"] = stored[row["key"]], "database (kacrm tier primary)"
    return Listing(COLUMNS, rows)

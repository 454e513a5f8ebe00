"""The view of `kacrm config show`: every setting, its value and where it came from."""

from __future__ import annotations

from kacrm.config import Settings
from kacrm.i18n import text
from kacrm.render.listing import Column, Listing

COLUMNS = [
    Column(key, text(f"col_{name}", "en"), text(f"col_{name}", "zh"))
    for key, name in (("key", "setting"), ("value", "value"), ("source", "source"))
]


def settings_listing(settings: Settings) -> Listing:
    rows = [{"key": k, "value": v, "source": src} for k, v, src in settings.flat()]
    return Listing(COLUMNS, rows)

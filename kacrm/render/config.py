"""The view of `kacrm config show`: every setting, its value and where it came from."""

from __future__ import annotations

import os

from kacrm.config import Settings
from kacrm.i18n import t, text
from kacrm.render.listing import Column, Listing

DATABASE_SOURCE = "database (kacrm tier primary)"


def source_words(source: str, lang: str) -> str:
    """Where a setting comes from as a person reads it: default, env KACRM_…, the database, or a file's path."""
    if source == "default":
        return text("config_source_default", lang)
    if source == DATABASE_SOURCE:
        return text("config_source_database", lang)
    if source.startswith("env "):
        return t("config_source_env", lang, name=source.removeprefix("env "))
    return _home_as_tilde(source)


def _home_as_tilde(path: str) -> str:
    """A file under the home directory written from ``~`` (``~/.config/kacrm/config.toml``), as short as a person
    reads it, so that the source fits beside the value on a narrow terminal."""
    home = os.path.expanduser("~")
    if os.path.isabs(home) and home != "/" and path.startswith(home + os.sep):
        return "~" + path[len(home) :]
    return path


# The keys and values are what a TOML file holds (excused from translation); the source is in words.
COLUMNS = [
    Column("key", text("col_setting", "en"), text("col_setting", "zh")),
    Column("value", text("col_value", "en"), text("col_value", "zh")),
    Column("source", text("col_source", "en"), text("col_source", "zh"), coded=source_words),
]


def settings_listing(settings: Settings, stored: dict[str, str] | None = None) -> Listing:
    """Every setting; ``stored`` (issue 15): values the database holds for the whole team, which win over the
    file (the primary tiering set by `kacrm tier primary`), shown with the source "database"."""
    rows = [{"key": k, "value": v, "source": src} for k, v, src in settings.flat()]
    for row in rows:
        if stored and row["key"] in stored:
            row["value"], row["source"] = stored[row["key"]], DATABASE_SOURCE
    return Listing(COLUMNS, rows)

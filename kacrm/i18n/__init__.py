"""Every word a user reads, in English and Chinese, looked up one way.

- ``t(key, lang, **values)`` / ``text(key, lang)``: a message (one module per area holds its ``MESSAGES``);
- ``label(value, lang)``: a stored English code (business, decision_maker, over_limit, A…) in the user's language.

Import vocabulary (header aliases, the Chinese spellings the importer reads) stays with the importer, and calendar
data (festival names) with the calendar: they are what the code reads, not what the user is shown.
"""

from __future__ import annotations

from kacrm.i18n import (
    cli,
    cli_help,
    config,
    credit,
    digest,
    due,
    fields,
    imports,
    labels,
    messages,
    pool,
    report,
    team,
    tier,
)

_AREAS = (
    messages,
    cli,
    cli_help,
    config,
    fields,
    tier,
    credit,
    due,
    report,
    digest,
    imports,
    team,
    pool,
)


def _merge(parts: list[dict], what: str) -> dict:
    merged: dict = {}
    for part in parts:
        clash = merged.keys() & part.keys()
        if clash:
            raise RuntimeError(f"{what} defined twice: {sorted(clash)}")
        merged.update(part)
    return merged


MESSAGES: dict[str, dict[str, str]] = _merge([area.MESSAGES for area in _AREAS], "message")
ZH_LABELS: dict[str, str] = _merge(
    [labels.ZH_LABELS, *(getattr(area, "LABELS_ZH", {}) for area in _AREAS)], "label"
)


def text(key: str, lang: str = "en") -> str:
    """The message as written, in ``lang`` (English where it has no translation)."""
    entry = MESSAGES[key]
    return entry.get(lang, entry["en"])


def t(key: str, lang: str = "en", **values: object) -> str:
    """The message in ``lang`` with ``values`` filled in."""
    return text(key, lang).format(**values)


def label(value: str | None, lang: str) -> str | None:
    """The value in the user's language (stored values are always English)."""
    if value is None or lang != "zh":
        return value
    return ZH_LABELS.get(value, value)


def help_zh(english: str) -> str | None:
    """The Chinese of a command's or option's help text (whitespace folded), or None when it has none."""
    return cli_help.HELP_ZH.get(" ".join(english.split()))

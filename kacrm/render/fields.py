"""One record as a person reads it: field names and values in the user's language (customer show, credit check,
credit explain, tier fit). Only for table/md/csv; json keeps the SPEC's keys and codes."""

from __future__ import annotations

from typing import Any

from kacrm.i18n import MESSAGES, label, text
from kacrm.i18n.fields import VALUES_ZH


def shown_record(record: dict[str, Any], lang: str) -> dict[str, Any]:
    """``record`` with its keys named and its coded values (business, active, abc, yes/no) in ``lang``."""
    if lang != "zh":
        return record
    shown: dict[str, Any] = {}
    for key, value in record.items():
        name = text(f"field_{key}", lang) if f"field_{key}" in MESSAGES else key
        if isinstance(value, bool):
            value = text("value_yes" if value else "value_no", lang)
        elif isinstance(value, str):
            value = VALUES_ZH.get(value) or label(value, lang)
        shown[name] = value
    return shown

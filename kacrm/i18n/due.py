"""The words of due in English and Chinese."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {}
LABELS_ZH: dict[str, str] = {}

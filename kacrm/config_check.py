"""What every setting of config.toml may hold (type, range, allowed values), checked when the file is read.

A rule takes the value the file gives and returns it (ints where floats are meant made floats), or raises
``Wanted`` with what it must be; ``config.load_settings`` turns that into one ConfigError naming the file, the key
(``[cadence.days] A``), the value and the expectation, in English and Chinese. Where a command-line option sets the
same thing, the rule is the option's: the same bounds (``MAX_SPAN_DAYS`` of ``--horizon``), the same predicates
(``abc_thresholds_ok`` of ``--thresholds``, ``pyramid_ok``, ``window_months`` of ``--window``, ``PRIMARY_METHODS``
of ``tier primary``). Unknown entries of a table keyed by tier or grade are not errors but warnings (they were
ignored silently); an unknown key anywhere else is an error (config.py).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from itertools import pairwise
from typing import Any

from kacrm.domain import (
    ABC_TIERS,
    COLLECTION_ACTIONS,
    MAX_SPAN_DAYS,
    METRICS,
    PYRAMID_TIERS,
)
from kacrm.errors import ConfigError, worded
from kacrm.i18n import t

LANGS = ("en", "zh")
PRIMARY_METHODS = ("abc", "pyramid", "clv")  # rfm is a segmentation, never a tier in force
TIERS_IN_FORCE = ABC_TIERS + PYRAMID_TIERS  # what cadence, festivals and the pool are keyed by
CREDIT_FACTORS = ("punctuality", "overdue_share", "utilization", "tenure", "volume")
LOWEST_GRADE = "C"  # every score below the last cut-off: it has a limit multiple, never a cut-off
MAX_MONTHS = 1200  # the longest order window, 100 years
YEAR_DAYS = 366  # an occasion comes back every year: no lead reaches further
_WINDOW = r"^\s*(\d{1,4})\s*m\s*$"  # compiled on first use (re caches it), not at every start


class Wanted(ValueError):
    """What a value must be: the i18n phrase ``key`` (config_want_…) and its values."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key)
        self.key, self.values = key, values

    def text(self, lang: str) -> str:
        return t(self.key, lang, **self.values)


Rule = Callable[[Any], Any]


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _real(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def days(low: int, high: int = MAX_SPAN_DAYS) -> Rule:
    def rule(value: Any) -> int:
        if _whole(value) and low <= value <= high:
            return value
        raise Wanted("config_want_days", low=low, high=high)

    return rule


def whole(low: int, high: int | None = None) -> Rule:
    def rule(value: Any) -> int:
        if _whole(value) and low <= value and (high is None or value <= high):
            return value
        if high is None:
            raise Wanted("config_want_whole_min", low=low)
        raise Wanted("config_want_whole", low=low, high=high)

    return rule


def number(low: float, high: float | None = None, *, above: bool = False) -> Rule:
    """A number from ``low`` (or above it) up to ``high``, made a float."""

    def rule(value: Any) -> float:
        in_range = _real(value) and (value > low if above else value >= low)
        if in_range and (high is None or value <= high):
            return float(value)
        if high is not None:
            raise Wanted("config_want_number", low=_plain(low), high=_plain(high))
        raise Wanted("config_want_above" if above else "config_want_min", low=_plain(low))

    return rule


def choice(options: tuple[str, ...]) -> Rule:
    def rule(value: Any) -> str:
        if isinstance(value, str) and value in options:
            return value
        raise Wanted("config_want_choice", choices=", ".join(options))

    return rule


def text(example: str, *, empty: bool = True) -> Rule:
    def rule(value: Any) -> str:
        if isinstance(value, str) and (empty or value.strip()):
            return value
        raise Wanted("config_want_text", example=example)

    return rule


def flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise Wanted("config_want_flag")


def primary(value: Any) -> str:
    if isinstance(value, str) and value in PRIMARY_METHODS:
        return value
    raise Wanted("config_want_primary")


def window_months(value: Any) -> int | None:
    """'12m' -> 12 (also ' 24M ', '6 m'), 'all' -> None: the order windows of --window and [tier] window."""
    if isinstance(value, str):
        if value.strip().lower() == "all":
            return None
        match = re.match(_WINDOW, value, re.IGNORECASE)
        if match and 0 < int(match.group(1)) <= MAX_MONTHS:
            return int(match.group(1))
    raise Wanted("config_want_window", most=MAX_MONTHS)


def window(value: Any) -> str:
    """The window as `kacrm tier primary` stores one: 12m or all."""
    months = window_months(value)
    return "all" if months is None else f"{months}m"


def country(value: Any) -> str:
    """A country code's form; whether the holidays library knows it is found when festivals are listed."""
    code = value.strip() if isinstance(value, str) else ""
    if code.isascii() and code.isalpha() and 2 <= len(code) <= 3:
        return value
    raise Wanted("config_want_country")


def abc_thresholds_ok(values: tuple[float, ...] | list[float]) -> bool:
    """Two cumulative percentages where A and B end: 0 < A <= B <= 100 (--thresholds, [tier])."""
    return len(values) == 2 and 0 < values[0] <= values[1] <= 100


def pyramid_ok(values: tuple[float, ...] | list[float]) -> bool:
    """Four shares of buying customers (platinum, gold, iron, lead), each above 0, adding up to 100."""
    return len(values) == 4 and all(p > 0 for p in values) and math.isclose(sum(values), 100.0)


def thresholds(value: Any) -> list[float]:
    if isinstance(value, list) and all(_real(v) for v in value) and abc_thresholds_ok(value):
        return [float(v) for v in value]
    raise Wanted("config_want_thresholds")


def percentages(value: Any) -> list[float]:
    if isinstance(value, list) and all(_real(v) for v in value) and pyramid_ok(value):
        return [float(v) for v in value]
    raise Wanted("config_want_percentages")


def buckets(value: Any) -> list[int]:
    """Aging buckets: whole days above 0, increasing (as --buckets)."""
    whole_days = isinstance(value, list) and all(_whole(v) and v > 0 for v in value)
    if whole_days and value and all(a < b for a, b in pairwise(value)):
        return value
    raise Wanted("config_want_buckets")


def tier_list(value: Any) -> list[str]:
    if isinstance(value, list) and all(isinstance(v, str) and v in TIERS_IN_FORCE for v in value):
        return value
    raise Wanted("config_want_tiers", tiers=", ".join(TIERS_IN_FORCE))


class Table:
    """A setting that is a table of name = value: each value by ``entry``; a name outside ``names`` is an error
    (``strict``) or a warning, and any name goes where ``names`` is None. (A plain class: a dataclass costs
    a millisecond of every command's start, issue 19.)"""

    __slots__ = ("entry", "example", "names", "strict")

    def __init__(
        self,
        entry: Rule,
        example: str,
        names: tuple[str, ...] | None = None,
        *,
        strict: bool = False,
    ) -> None:
        self.entry, self.example, self.names, self.strict = entry, example, names, strict


RULES: dict[tuple[str, str], Rule | Table] = {
    ("", "lang"): choice(LANGS),
    ("tier", "abc_thresholds"): thresholds,
    ("tier", "pyramid_percentages"): percentages,
    ("tier", "clv_horizon_days"): days(1),  # as --horizon
    ("tier", "primary"): primary,
    ("tier", "metric"): choice(METRICS),
    ("tier", "window"): window,
    ("cadence", "days"): Table(days(1), "{ A = 14, B = 30 }", TIERS_IN_FORCE),
    ("cadence", "untiered_days"): days(1),
    ("due", "lead_days"): days(0, YEAR_DAYS),
    ("due", "festival_country"): country,
    ("due", "festival_tiers"): tier_list,
    ("due", "festival_lead_days"): days(0, YEAR_DAYS),
    ("due", "after_sale_threshold"): number(0),
    ("due", "after_sale_thanks_days"): days(0),
    ("due", "after_sale_call_days"): days(0),
    ("due", "complaint_days"): days(0),
    ("due", "win_back_factor"): number(0, above=True),
    ("due", "win_back_p_alive"): number(0, 1),
    ("due", "table_rows_per_day"): whole(0),
    ("credit", "weights"): Table(
        number(0), "{ punctuality = 35, volume = 15 }", CREDIT_FACTORS, strict=True
    ),
    ("credit", "grade_cutoffs"): Table(number(0, 100), "{ AAA = 90, AA = 80 }"),
    ("credit", "limit_multiples"): Table(number(0), "{ AAA = 3.0, C = 0.0 }"),
    ("credit", "grace_days"): days(0),
    ("credit", "aging_buckets"): buckets,
    ("credit", "default_terms_days"): days(0),
    ("smtp", "host"): text("smtp.example.com", empty=False),
    ("smtp", "port"): whole(1, 65535),
    ("smtp", "user"): text("me@example.com"),
    ("smtp", "sender"): text("kacrm@example.com", empty=False),
    ("smtp", "starttls"): flag,
    ("smtp", "timeout_seconds"): number(0, above=True),
    ("pool", "release_after_days"): Table(days(1), "{ A = 30, B = 60 }", TIERS_IN_FORCE),
    ("pool", "warn_days"): days(0),
    ("pool", "exempt_open_receivables"): flag,
    ("pool", "exempt_pinned"): flag,
    ("pool", "cooldown_days"): days(0),
    ("pool", "capacity"): whole(0),
}


def toml_value(value: Any) -> str:
    """A value as config.toml writes it: "14" (text), 14, [95, 80], { AAA = "90" }, true."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        inside = ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items())
        return "{ " + inside + " }" if inside else "{}"
    return str(value)


def toml_key(name: str) -> str:
    bare = name.isascii() and name.replace("_", "a").replace("-", "a").isalnum()
    return name if bare else toml_value(name)


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def setting_name(section: str, key: str, entry: str | None = None) -> str:
    """``lang``, ``[tier] window``, ``[cadence.days] A``: a key as the file's reader finds it."""
    if entry is not None:
        return f"[{section}.{key}] {toml_key(entry)}"
    return f"[{section}] {key}" if section else key


def refused(where: str, setting: str, value: Any, wanted: Wanted) -> ConfigError:
    """The ConfigError of a value that breaks its rule, in English and Chinese."""
    words = {"where": where, "setting": setting, "value": toml_value(value)}
    return ConfigError(
        t("config_bad_value", "en", **words, expected=wanted.text("en")),
        t("config_bad_value", "zh", **words, expected=wanted.text("zh")),
    )


Note = tuple[str, dict[str, Any]]  # an i18n key and its values, worded in the user's language


def checked(
    section: str, key: str, value: Any, default: Any, where: str, warnings: list[Note]
) -> Any:
    """The value of ``[section] key`` as the file gives it, checked by its rule: a table merged over its
    default, ints made floats where numbers are meant. A ConfigError names the file, the key and the value."""
    if (section, key) == ("collections", "levels"):
        check_levels(value, where)
        return value
    rule = RULES[(section, key)]
    if not isinstance(rule, Table):
        try:
            return rule(value)
        except Wanted as wanted:
            raise refused(where, setting_name(section, key), value, wanted) from None
    if not isinstance(value, dict):
        wanted = Wanted("config_want_table", example=rule.example)
        raise refused(where, setting_name(section, key), value, wanted)
    merged = dict(default)
    for name, entry in value.items():
        if rule.names is not None and name not in rule.names:
            known = {"choices": ", ".join(rule.names)}
            setting = setting_name(section, key, name)
            if rule.strict:
                raise worded(
                    ConfigError, "config_unknown_entry", where=where, setting=setting, **known
                )
            warnings.append(("config_ignored_tier", {"where": where, "setting": setting, **known}))
            continue
        try:
            merged[name] = rule.entry(entry)
        except Wanted as wanted:
            raise refused(where, setting_name(section, key, name), entry, wanted) from None
    return merged


def check_credit(
    weights: dict[str, float],
    cutoffs: dict[str, float],
    multiples: dict[str, float],
    where: str,
    warnings: list[Note],
) -> None:
    """[credit] as a whole: weights that add up to more than 0, no cut-off for C, a limit multiple for every
    grade (those of grade_cutoffs, and C); a multiple of no grade is ignored, with a warning."""
    if sum(weights.values()) <= 0:
        raise refused(where, "[credit] weights", weights, Wanted("config_want_weights"))
    if LOWEST_GRADE in cutoffs:
        setting = setting_name("credit", "grade_cutoffs", LOWEST_GRADE)
        raise worded(ConfigError, "config_cutoff_of_c", where=where, setting=setting)
    grades = (*cutoffs, LOWEST_GRADE)
    for grade in grades:
        if grade not in multiples:
            raise worded(ConfigError, "config_no_multiple", where=where, grade=toml_key(grade))
    for grade in [g for g in multiples if g not in grades]:
        del multiples[grade]
        words = {
            "where": where,
            "setting": setting_name("credit", "limit_multiples", grade),
            "choices": ", ".join(grades),
        }
        warnings.append(("config_ignored_grade", words))


def check_levels(levels: Any, where: str) -> None:
    """``[[collections.levels]]``: a non-empty list of {after_days: int, action: one of COLLECTION_ACTIONS}, in
    strictly ascending ``after_days``; a ConfigError naming the offending key otherwise."""
    if not isinstance(levels, list) or not levels:
        raise worded(ConfigError, "config_levels_list", where=where)
    previous = None
    for n, level in enumerate(levels):
        level_key = f"collections.levels[{n}]"
        if not isinstance(level, dict):
            raise worded(ConfigError, "config_level_table", where=where, level=level_key)
        unknown = sorted(set(level) - {"after_days", "action"})
        if unknown:
            raise worded(
                ConfigError, "config_level_unknown", where=where, level=f"{level_key}.{unknown[0]}"
            )
        after, action = level.get("after_days"), level.get("action")
        if not _whole(after) or not -MAX_SPAN_DAYS <= after <= MAX_SPAN_DAYS:
            raise worded(
                ConfigError,
                "config_level_days",
                where=where,
                level=level_key,
                value=toml_value(after),
                most=MAX_SPAN_DAYS,
            )
        if action not in COLLECTION_ACTIONS:
            raise worded(
                ConfigError,
                "config_level_action",
                where=where,
                level=level_key,
                value=toml_value(action),
                actions=", ".join(COLLECTION_ACTIONS),
            )
        if previous is not None and after <= previous:
            raise worded(
                ConfigError,
                "config_level_order",
                where=where,
                level=level_key,
                days=after,
                previous=previous,
            )
        previous = after

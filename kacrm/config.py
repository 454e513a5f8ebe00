"""Settings: built-in defaults, overlaid by the TOML config file, overlaid by environment variables.

Every section is a ``SettingsGroup``; ``load_settings`` fills them and remembers where each value came from, so that
``kacrm config show`` can print it. An unknown key, or a value its rule (``config_check``) refuses, is a
``ConfigError`` naming the file and the key.
"""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from kacrm.config_check import LANGS, Note, check_credit, checked, setting_name
from kacrm.errors import ConfigError, worded
from kacrm.i18n import t


class Fresh:
    """A section's default made anew for each instance (a list or a dict, which must not be shared)."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


class SettingsGroup:
    """A group of settings: its fields are its class annotations, in order, each with the class attribute as
    its default (a ``Fresh`` one made per instance); built by keyword, compared and shown field by field.

    A plain class rather than a dataclass: making the eight dataclasses of the settings cost ~5 ms at the start
    of every command (their methods are compiled from source), more than reading the config does (issue 19)."""

    FIELDS: ClassVar[tuple[str, ...]] = ()
    UNSHOWN: ClassVar[tuple[str, ...]] = ()  # fields left out of repr()

    def __init_subclass__(cls) -> None:
        cls.FIELDS = tuple(inspect.get_annotations(cls))

    def __init__(self, **values: Any) -> None:
        for name in self.FIELDS:
            if name in values:
                setattr(self, name, values.pop(name))
            else:
                default = getattr(type(self), name)
                setattr(self, name, default.make() if isinstance(default, Fresh) else default)
        if values:
            raise TypeError(
                f"{type(self).__name__}() got an unexpected keyword argument {next(iter(values))!r}"
            )

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.FIELDS)

    __hash__ = None  # type: ignore[assignment]  # mutable, as a dataclass's

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{name}={getattr(self, name)!r}" for name in self.FIELDS if name not in self.UNSHOWN
        )
        return f"{type(self).__name__}({shown})"


class TierSettings(SettingsGroup):
    """[tier]: ABC thresholds, pyramid shares, the CLV horizon and the primary tiering."""

    abc_thresholds: list[float] = Fresh(lambda: [80.0, 95.0])
    # platinum, gold, iron, lead: shares of buying customers, in percent
    pyramid_percentages: list[float] = Fresh(lambda: [1.0, 4.0, 15.0, 80.0])
    clv_horizon_days: int = 365
    # the primary tiering (issue 15): its runs and pins alone set the tier in force; never rfm. `kacrm tier
    # primary` stores a choice in the database, which then wins over these (the team shares it).
    primary: str = "abc"
    metric: str = "revenue"
    window: str = "12m"


class CadenceSettings(SettingsGroup):
    """[cadence]: days between contacts per tier, and for customers not tiered yet."""

    days: dict[str, int] = Fresh(
        lambda: {
            "A": 14,
            "B": 30,
            "C": 90,
            "platinum": 7,
            "gold": 14,
            "iron": 30,
            "lead": 90,
        }
    )
    untiered_days: int = 90  # customers that no tiering has reached yet


class DueSettings(SettingsGroup):
    """[due]: lead days of occasions and festivals, after-sale and complaint follow-ups, win-back."""

    lead_days: int = 3  # birthdays and anniversaries are listed this many days ahead
    festival_country: str = "CN"
    festival_tiers: list[str] = Fresh(lambda: ["A", "platinum", "gold"])
    festival_lead_days: int = 7
    after_sale_threshold: float = (
        10000.0  # money: orders above it get a thank-you and a satisfaction call
    )
    after_sale_thanks_days: int = 3
    after_sale_call_days: int = 30
    complaint_days: int = 2
    win_back_factor: float = 2.0
    win_back_p_alive: float = 0.3
    table_rows_per_day: int = (
        100  # the terminal table shows at most this many items per day (0: all)
    )


class CreditSettings(SettingsGroup):
    """[credit]: score weights, grade cut-offs, limit multiples, aging buckets, default terms."""

    weights: dict[str, float] = Fresh(
        lambda: {
            "punctuality": 35.0,
            "overdue_share": 25.0,
            "utilization": 15.0,
            "tenure": 10.0,
            "volume": 15.0,
        }
    )
    grade_cutoffs: dict[str, float] = Fresh(
        lambda: {
            "AAA": 90.0,
            "AA": 80.0,
            "A": 70.0,
            "BBB": 60.0,
            "BB": 50.0,
            "B": 40.0,
        }
    )
    # credit limit = multiple x average monthly purchases; C (below the last cut-off) is cash only
    limit_multiples: dict[str, float] = Fresh(
        lambda: {
            "AAA": 3.0,
            "AA": 2.5,
            "A": 2.0,
            "BBB": 1.5,
            "BB": 1.0,
            "B": 0.5,
            "C": 0.0,
        }
    )
    grace_days: int = 30
    aging_buckets: list[int] = Fresh(lambda: [30, 60, 90, 180])
    default_terms_days: int = 30  # payment terms of customers that have none


def _default_levels() -> list[dict[str, Any]]:
    return [
        {"after_days": -3, "action": "reminder"},
        {"after_days": 1, "action": "call"},
        {"after_days": 15, "action": "letter"},
        {"after_days": 30, "action": "hold"},
        {"after_days": 60, "action": "escalate"},
    ]


class CollectionsSettings(SettingsGroup):
    """[collections]: the follow-up ladder of overdue money."""

    # the follow-up ladder (SPEC §15): days past the due date (negative: before it) → action, ascending
    levels: list[dict[str, Any]] = Fresh(_default_levels)


class SmtpSettings(SettingsGroup):
    """[smtp]: the mail server of the digest (the password only from KACRM_SMTP_PASSWORD)."""

    host: str = "localhost"
    port: int = 587
    user: str = ""
    sender: str = "kacrm@localhost"
    starttls: bool = True
    timeout_seconds: float = 30.0


class PoolSettings(SettingsGroup):
    """The public pool (公海, SPEC §14). Without a number of days for a tier, nothing of that tier is released:
    the defaults release nothing, so a single user's book is not affected."""

    release_after_days: dict[str, int] = Fresh(dict)  # tier in force -> days
    warn_days: int = 7
    exempt_open_receivables: bool = True
    exempt_pinned: bool = False  # accounts with a tier pinned by hand are never released when true
    cooldown_days: int = 30  # a previous owner cannot claim the account back before
    capacity: int = (
        0  # most customers one owner may hold; 0 = no cap (per owner: `kacrm owner set`)
    )


class Settings(SettingsGroup):
    """Every section, and where each value came from (``sources``)."""

    lang: str = "en"
    tier: TierSettings = Fresh(TierSettings)
    cadence: CadenceSettings = Fresh(CadenceSettings)
    due: DueSettings = Fresh(DueSettings)
    credit: CreditSettings = Fresh(CreditSettings)
    collections: CollectionsSettings = Fresh(CollectionsSettings)
    smtp: SmtpSettings = Fresh(SmtpSettings)
    pool: PoolSettings = Fresh(PoolSettings)
    # dotted key -> "default" | "<config file path>" | "env KACRM_..."
    sources: dict[str, str] = Fresh(dict)
    UNSHOWN = ("sources",)

    def flat(self) -> list[tuple[str, Any, str]]:
        """Every setting as (dotted key, value, source), for `kacrm config show`."""
        out: list[tuple[str, Any, str]] = []
        for name in self.FIELDS:
            if name == "sources":
                continue
            value = getattr(self, name)
            if isinstance(value, SettingsGroup):
                for sub in value.FIELDS:
                    key = f"{name}.{sub}"
                    out.append((key, getattr(value, sub), self.sources.get(key, "default")))
            else:
                out.append((name, value, self.sources.get(name, "default")))
        return out


def default_config_path() -> Path:
    """``config.toml`` in the user's config directory, as platformdirs names it. On Linux its rule is read here
    (``$XDG_CONFIG_HOME/kacrm`` when that is an absolute path, else ``~/.config/kacrm`` under an absolute
    ``$HOME``), because importing platformdirs cost ~3 ms of every command (issue 19); on other systems, on
    Android and with an unusual environment, platformdirs answers."""
    xdg, home = os.environ.get("XDG_CONFIG_HOME", ""), os.environ.get("HOME", "")
    android = hasattr(sys, "getandroidapilevel") or os.environ.get("ANDROID_DATA") == "/data"
    if sys.platform == "linux" and not android:
        if os.path.isabs(xdg):
            return Path(xdg, "kacrm", "config.toml")
        if os.path.isabs(home):
            return Path(home, ".config", "kacrm", "config.toml")
    from platformdirs import user_config_path

    return user_config_path("kacrm", appauthor=False) / "config.toml"


def _did_you_mean(typed: str, names: dict[str, str]) -> dict[str, str]:
    """The message's hint naming the setting that ``typed`` most likely misspells (``names``: each key or section
    as a file writes it -> as a message names it), in English and Chinese; empty when none is close."""
    from difflib import get_close_matches

    close = get_close_matches(typed, list(names), n=1, cutoff=0.6)
    if not close:
        return {"hint": "", "hint_zh": ""}
    return {"hint": f"did you mean {names[close[0]]}? ", "hint_zh": f"是不是 {names[close[0]]}？"}


def _apply(settings: Settings, data: dict[str, Any], where: str, notes: list[Note]) -> None:
    """The file's values over the defaults, each checked by its rule (config_check); the first mistake is a
    ConfigError naming the file and the key."""
    for section, content in data.items():
        if section not in settings.FIELDS or section == "sources":
            known = {name: name for name in settings.FIELDS if name != "sources"}
            raise worded(
                ConfigError,
                "config_unknown_section",
                where=where,
                section=section,
                **_did_you_mean(section, known),
            )
        target = getattr(settings, section)
        if not isinstance(target, SettingsGroup):
            setattr(settings, section, checked("", section, content, target, where, notes))
            settings.sources[section] = where
            continue
        if not isinstance(content, dict):
            raise worded(ConfigError, "config_not_table", where=where, section=section)
        for key, value in content.items():
            if (section, key) == ("smtp", "password"):
                raise worded(ConfigError, "config_no_password", where=where)
            if key not in target.FIELDS:
                raise worded(
                    ConfigError,
                    "config_unknown_key",
                    where=where,
                    setting=setting_name(section, key),
                    **_did_you_mean(key, {k: setting_name(section, k) for k in target.FIELDS}),
                )
            setattr(target, key, checked(section, key, value, getattr(target, key), where, notes))
            settings.sources[f"{section}.{key}"] = where
    if "credit" in data:
        credit = settings.credit
        check_credit(credit.weights, credit.grade_cutoffs, credit.limit_multiples, where, notes)


def _mistake_lang(lang: str | None, data: dict[str, Any]) -> str | None:
    """The language of a mistake in the file, as the settings would have had it: --lang, else KACRM_LANG, else
    the file's own lang when it is one (a bad lang itself, or none, leaves it to the command line: English)."""
    for wanted in (lang, os.environ.get("KACRM_LANG"), data.get("lang")):
        if isinstance(wanted, str) and wanted in LANGS:
            return wanted
    return None


def load_settings(
    config_path: str | os.PathLike[str] | None = None, *, lang: str | None = None
) -> Settings:
    """Defaults, then the config file (explicit path, KACRM_CONFIG, or the user config dir), then the env."""
    settings, notes = Settings(), []
    explicit = config_path or os.environ.get("KACRM_CONFIG")
    path = Path(explicit).expanduser() if explicit else default_config_path()
    if path.exists():
        import tomllib  # here: without a config file (the usual case) its parser is not loaded

        try:  # utf-8-sig: Notepad saves "UTF-8" with a byte-order mark, which TOML does not allow
            data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
        except UnicodeDecodeError as exc:  # saved as ANSI (GBK) with a Chinese comment
            raise worded(ConfigError, "config_not_utf8", path=path) from exc
        except tomllib.TOMLDecodeError as exc:
            raise worded(ConfigError, "config_not_toml", path=path, detail=exc) from exc
        except OSError as exc:
            raise worded(ConfigError, "config_cannot_read", path=path, reason=exc.strerror) from exc
        try:
            _apply(settings, data, str(path), notes)
        except ConfigError as exc:
            exc.lang = _mistake_lang(lang, data)
            raise
    elif explicit:
        raise worded(ConfigError, "config_not_found", path=path)
    env_lang = os.environ.get("KACRM_LANG")
    if env_lang:
        settings.lang, settings.sources["lang"] = env_lang, "env KACRM_LANG"
    if lang:
        settings.lang, settings.sources["lang"] = lang, "--lang"
    if settings.lang not in LANGS:
        raise worded(ConfigError, "config_bad_lang", langs=", ".join(LANGS), asked=settings.lang)
    for key, values in notes:  # unknown tiers and grades, once ignored silently
        print(t(key, settings.lang, **values), file=sys.stderr)
    return settings

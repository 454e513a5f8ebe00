"""Settings: defaults, the TOML file, the environment, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from kacrm.config import load_settings
from kacrm.errors import ConfigError


def test_defaults_follow_the_spec() -> None:
    s = load_settings()
    assert s.tier.abc_thresholds == [80.0, 95.0]
    assert s.tier.pyramid_percentages == [1.0, 4.0, 15.0, 80.0]
    assert s.cadence.days == {
        "A": 14,
        "B": 30,
        "C": 90,
        "platinum": 7,
        "gold": 14,
        "iron": 30,
        "lead": 90,
    }
    assert s.due.lead_days == 3
    assert s.credit.grace_days == 30
    assert s.credit.aging_buckets == [30, 60, 90, 180]
    assert s.credit.grade_cutoffs["AAA"] == 90 and s.credit.grade_cutoffs["B"] == 40
    assert s.lang == "en"


def test_file_overrides_defaults_and_records_its_source(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text(
        'lang = "zh"\n[smtp]\nhost = "mail.example.com"\nport = 2525\n[cadence.days]\nA = 10\n',
        encoding="utf-8",
    )
    s = load_settings(cfg)
    assert (s.lang, s.smtp.host, s.smtp.port) == ("zh", "mail.example.com", 2525)
    assert (
        s.cadence.days["A"] == 10 and s.cadence.days["B"] == 30
    )  # a partial table keeps the other defaults
    sources = {k: src for k, _, src in s.flat()}
    assert sources["smtp.port"] == str(cfg) and sources["smtp.user"] == "default"


def test_env_language_beats_file_and_option_beats_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('lang = "en"\n', encoding="utf-8")
    monkeypatch.setenv("KACRM_LANG", "zh")
    assert load_settings(cfg).lang == "zh"
    assert load_settings(cfg, lang="en").lang == "en"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "[smtp]\npassword = 'x'\n",
            "smtp.password is not read from files; set the environment variable KACRM_SMTP",
        ),
        ("[smtp]\nport = 'x'\n", r'\[smtp\] port = "x": expected a whole number from 1 to 65535'),
        ("[nosuch]\na = 1\n", "unknown setting nosuch"),
        ("lang = 'fr'\n", 'lang = "fr": expected one of en, zh'),
        ("[smtp\n", "not valid TOML"),
    ],
)
def test_bad_config_is_one_clear_error(tmp_path: Path, content: str, message: str) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_settings(cfg)


def test_explicit_missing_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "none.toml")


@pytest.mark.parametrize(
    ("xdg", "home"),
    [
        (None, "/home/wang"),
        ("", "/home/wang/"),
        ("/srv/conf", "/home/wang"),
        ("/srv/conf/", None),
        ("relative/conf", "/home/wang"),  # a relative XDG_CONFIG_HOME is ignored
        (None, "/"),
    ],
)
def test_default_config_path_is_platformdirs_answer(
    monkeypatch: pytest.MonkeyPatch, xdg: str | None, home: str | None
) -> None:
    # kacrm reads the XDG rule itself on Linux (no platformdirs import at start-up): the same path
    from platformdirs import user_config_path

    from kacrm.config import default_config_path

    for name, value in (("XDG_CONFIG_HOME", xdg), ("HOME", home)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert default_config_path() == user_config_path("kacrm", appauthor=False) / "config.toml"


def test_settings_groups_are_built_compared_and_listed_by_field() -> None:
    from kacrm.config import PoolSettings, Settings

    a, b = Settings(), Settings()
    assert a == b and a.tier.abc_thresholds is not b.tier.abc_thresholds  # a fresh list each
    b.due.lead_days = 5
    assert a != b
    assert PoolSettings(warn_days=3).warn_days == 3
    with pytest.raises(TypeError, match="unexpected keyword argument 'warn'"):
        PoolSettings(warn=3)
    keys = [key for key, _, _ in a.flat()]
    assert keys[:3] == ["lang", "tier.abc_thresholds", "tier.pyramid_percentages"]
    assert "sources" not in repr(a) and "PoolSettings(release_after_days={}" in repr(a)

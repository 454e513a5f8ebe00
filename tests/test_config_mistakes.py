"""A config.toml with a mistake, as users write them: one message naming the file, the key, the value and what is
expected, in English and Chinese, exit 1 (an error the user fixes in a file), never a traceback; an entry of a
tier table that no tier has is ignored with a warning; a valid config works as before.

Every case runs the command the mistake used to break, through the CLI, on the demo book, with a real file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kacrm.cli.app import app
from kacrm.config import Settings, load_settings
from kacrm.config_check import RULES

AS_OF = "2026-11-20"
README = Path(__file__).resolve().parent.parent / "README.md"
runner = CliRunner()

# (the file, the command, the message in English, in Chinese): the messages written by hand from the rule of each
# setting (README "Configuration") and the command-line option that sets the same thing.
MISTAKES = {
    # a value of the wrong type: was a TypeError or KeyError traceback
    "text_for_days": (
        '[cadence.days]\nA = "14"\n',
        ["due", "--week"],
        '[cadence.days] A = "14": expected a whole number of days from 1 to 3660',
        '[cadence.days] A = "14"：应为 1 到 3660 之间的整数天数',
    ),
    "text_for_cutoff": (
        '[credit]\ngrade_cutoffs = { AAA = "90" }\n',
        ["credit", "review"],
        '[credit.grade_cutoffs] AAA = "90": expected a number from 0 to 100',
        '[credit.grade_cutoffs] AAA = "90"：应为 0 到 100 之间的数',
    ),
    "text_for_weight": (
        '[credit]\nweights = { punctuality = "35" }\n',
        ["credit", "review"],
        '[credit.weights] punctuality = "35": expected a number of 0 or more',
        '[credit.weights] punctuality = "35"：应为不小于 0 的数',
    ),
    "unknown_metric": (
        '[tier]\nmetric = "profits"\n',
        ["tier", "--dry-run"],
        '[tier] metric = "profits": expected one of revenue, profit, orders, quantity',
        '[tier] metric = "profits"：应为 revenue, profit, orders, quantity 之一',
    ),
    # nonsense that was accepted silently
    "negative_cadence": (
        "[cadence.days]\nA = -5\n",
        ["due", "--week"],
        "[cadence.days] A = -5: expected a whole number of days from 1 to 3660",
        "[cadence.days] A = -5：应为 1 到 3660 之间的整数天数",
    ),
    "fractional_cadence": (
        "[cadence.days]\nB = 30.5\n",
        ["due", "--week"],
        "[cadence.days] B = 30.5: expected a whole number of days from 1 to 3660",
        "[cadence.days] B = 30.5：应为 1 到 3660 之间的整数天数",
    ),
    "thresholds_backwards": (
        "[tier]\nabc_thresholds = [95, 80]\n",
        ["tier", "--dry-run"],
        "[tier] abc_thresholds = [95, 80]: expected two cumulative percentages [A, B] with "
        "0 < A <= B <= 100, like [80, 95]",
        "[tier] abc_thresholds = [95, 80]：应为两个累计百分数 [A, B]，且 0 < A <= B <= 100，如 [80, 95]",
    ),
    "rfm_primary": (
        '[tier]\nprimary = "rfm"\n',
        ["customer", "list"],
        '[tier] primary = "rfm": expected abc, pyramid or clv (rfm is a segmentation, not a tier: '
        "it cannot be primary)",
        '[tier] primary = "rfm"：应为 abc、pyramid 或 clv（rfm 是客户分群，不是等级，不能作为主分级方法）',
    ),
    "festival_tier_misspelt": (
        '[due]\nfestival_tiers = ["A", "Platinum"]\n',
        ["due", "--week"],
        '[due] festival_tiers = ["A", "Platinum"]: expected a list of tiers among A, B, C, platinum, '
        'gold, iron, lead, like ["A", "platinum"]',
        '[due] festival_tiers = ["A", "Platinum"]：应为由 A, B, C, platinum, gold, iron, lead '
        '中的等级组成的列表，如 ["A", "platinum"]',
    ),
    "negative_lead": (
        "[due]\nlead_days = -3\n",
        ["due", "--week"],
        "[due] lead_days = -3: expected a whole number of days from 0 to 366",
        "[due] lead_days = -3：应为 0 到 366 之间的整数天数",
    ),
    # mistakes once reported as command-line options, or without saying where
    "negative_grace": (
        "[credit]\ngrace_days = -10\n",
        ["credit", "check", "KH0001", "--amount", "100"],
        "[credit] grace_days = -10: expected a whole number of days from 0 to 3660",
        "[credit] grace_days = -10：应为 0 到 3660 之间的整数天数",
    ),
    "zero_horizon": (
        "[tier]\nclv_horizon_days = 0\n",
        ["tier", "--method", "clv", "--dry-run"],
        "[tier] clv_horizon_days = 0: expected a whole number of days from 1 to 3660",
        "[tier] clv_horizon_days = 0：应为 1 到 3660 之间的整数天数",
    ),
    "window_in_words": (
        '[tier]\nwindow = "12 months"\n',
        ["tier", "--dry-run"],
        '[tier] window = "12 months": expected a window like "12m" (1m to 1200m) or "all"',
        '[tier] window = "12 months"：应为形如 "12m" 的期间（1m 到 1200m）或 "all"',
    ),
    "buckets_backwards": (
        "[credit]\naging_buckets = [60, 30]\n",
        ["credit", "aging"],
        "[credit] aging_buckets = [60, 30]: expected increasing whole days above 0, "
        "like [30, 60, 90, 180]",
        "[credit] aging_buckets = [60, 30]：应为递增的正整数天数，如 [30, 60, 90, 180]",
    ),
    "unknown_language": (
        'lang = "cn"\n',
        ["due", "--week"],
        'lang = "cn": expected one of en, zh',
        'lang = "cn"：应为 en, zh 之一',
    ),
    # unknown keys stay errors
    "unknown_key": (
        "[credit]\nzzz = 10\n",
        ["credit"],
        "unknown setting [credit] zzz (kacrm config show lists every setting)",
        "没有 [credit] zzz 这个设置（kacrm config show 会列出所有设置）",
    ),
    # a misspelt key or section names the setting it is close to
    "misspelt_key": (
        "[due]\nlead_day = 5\n",
        ["due"],
        "unknown setting [due] lead_day (did you mean [due] lead_days? kacrm config show lists every setting)",
        "没有 [due] lead_day 这个设置（是不是 [due] lead_days？kacrm config show 会列出所有设置）",
    ),
    "misspelt_section": (
        "[candence.days]\nA = 7\n",
        ["due"],
        "unknown setting candence (did you mean cadence? kacrm config show lists every setting)",
        "没有 candence 这个设置（是不是 cadence？kacrm config show 会列出所有设置）",
    ),
    "unknown_factor": (
        "[credit.weights]\nloyalty = 5\n",
        ["credit", "review"],
        "unknown setting [credit.weights] loyalty (expected one of punctuality, overdue_share, "
        "utilization, tenure, volume)",
        "没有 [credit.weights] loyalty 这个设置（应为 punctuality, overdue_share, utilization, tenure, "
        "volume 之一）",
    ),
    # a grade without a limit multiple: was a ConfigError at the first credit review, without the file
    "grade_without_multiple": (
        "[credit.grade_cutoffs]\nAAAA = 95\n",
        ["credit", "review"],
        "[credit.limit_multiples] has no AAAA: every grade of [credit.grade_cutoffs], and C, "
        "needs a limit multiple",
        "[credit.limit_multiples] 缺少 AAAA：[credit.grade_cutoffs] 中的每个等级以及 C 都需要额度倍数",
    ),
    # the follow-up ladder's messages were English only
    "ladder_action": (
        '[[collections.levels]]\nafter_days = 10\naction = "sue"\n',
        ["due", "--week"],
        'collections.levels[0].action = "sue": expected one of reminder, call, letter, hold, escalate',
        'collections.levels[0].action = "sue"：应为 reminder, call, letter, hold, escalate 之一',
    ),
}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("config mistakes") / "demo.db"
    made = runner.invoke(app, ["--as-of", AS_OF, "demo", "--db", str(db)])
    assert made.exit_code == 0, made.output
    return db


def _kacrm(db: Path, config: Path | None, lang: str, *args: str):
    options = ["--config", str(config)] if config else []
    return runner.invoke(app, ["--lang", lang, "--db", str(db), *options, "--as-of", AS_OF, *args])


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("case", list(MISTAKES))
def test_a_mistake_is_one_message_naming_file_key_value_and_expectation(
    demo_db: Path, tmp_path: Path, case: str, lang: str
) -> None:
    content, command, english, chinese = MISTAKES[case]
    config = tmp_path / "config.toml"
    config.write_text(content, encoding="utf-8")
    result = _kacrm(demo_db, config, lang, *command)
    prefix = "Error: " if lang == "en" else "错误："
    where = f"{config}: " if lang == "en" else f"{config}："
    expected = english if lang == "en" else chinese
    assert (result.exit_code, result.stdout) == (1, ""), result.output
    assert result.stderr == f"{prefix}{where}{expected}\n"


def test_an_unknown_tier_in_a_tier_table_is_ignored_with_a_warning(
    demo_db: Path, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[cadence.days]\nA = 14\nPlatinum = 7\n", encoding="utf-8")
    tiers = "A, B, C, platinum, gold, iron, lead"
    english = _kacrm(demo_db, config, "en", "due", "--week", "-f", "json")
    assert english.exit_code == 0, english.output
    assert english.stderr.splitlines()[0] == (
        f"Warning: {config}: [cadence.days] Platinum is ignored: no tier is called so (tiers: {tiers})"
    )
    chinese = _kacrm(demo_db, config, "zh", "due", "--week", "-f", "json")
    assert chinese.stderr.splitlines()[0] == (
        f"警告：{config}：[cadence.days] Platinum 被忽略：没有这个等级（等级：{tiers}）"
    )
    # ignored: the due list is the one of the defaults (Platinum is no tier; A = 14 is the default)
    plain = _kacrm(demo_db, None, "en", "due", "--week", "-f", "json")
    assert json.loads(english.stdout) == json.loads(plain.stdout) != []


def test_a_limit_multiple_of_no_grade_is_ignored_with_a_warning(tmp_path: Path, capsys) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[credit.limit_multiples]\nAAAA = 5.0\n", encoding="utf-8")
    settings = load_settings(config)
    assert "AAAA" not in settings.credit.limit_multiples
    assert capsys.readouterr().err == (
        f"Warning: {config}: [credit.limit_multiples] AAAA is ignored: no grade is called so "
        "(the grades of [credit.grade_cutoffs] and C: AAA, AA, A, BBB, BB, B, C)\n"
    )


def _readme_config() -> str:
    """The config of README "Configuration": every key with its default, [smtp] with example values."""
    section = README.read_text(encoding="utf-8").split("### Configuration")[1]
    return re.search(r"```toml\n(.*?)```", section, re.S).group(1)


def test_the_readme_config_is_valid_and_changes_nothing_but_smtp(
    demo_db: Path, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(_readme_config(), encoding="utf-8")
    shown = _kacrm(demo_db, config, "en", "config", "show", "-f", "json")
    default = _kacrm(demo_db, None, "en", "config", "show", "-f", "json")
    assert (shown.exit_code, shown.stderr) == (0, ""), shown.output
    values = {row["key"]: row["value"] for row in json.loads(shown.stdout)}
    defaults = {row["key"]: row["value"] for row in json.loads(default.stdout)}
    changed = {key for key in values if values[key] != defaults[key]}
    # the README's [smtp] values are examples (host, user, sender); port, starttls and timeout are the defaults
    assert changed == {"smtp.host", "smtp.user", "smtp.sender"}
    # "every key": each one comes from the file, none is left to the default
    assert [row["key"] for row in json.loads(shown.stdout) if row["source"] == "default"] == []
    for command in (["due", "--week"], ["credit"], ["tier", "--dry-run"], ["credit", "aging"]):
        with_file = _kacrm(demo_db, config, "en", *command, "-f", "json")
        without = _kacrm(demo_db, None, "en", *command, "-f", "json")
        assert with_file.exit_code == 0, with_file.output
        assert json.loads(with_file.stdout) == json.loads(without.stdout)


def test_every_setting_has_a_rule() -> None:
    settings = Settings()
    keys = {("", "lang")}
    for name in settings.FIELDS:
        group = getattr(settings, name)
        keys |= {(name, key) for key in getattr(group, "FIELDS", ())}
    # [[collections.levels]] is checked level by level (config_check.check_levels)
    assert set(RULES) == keys - {("collections", "levels")}


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            'Error: [due] festival_country = "XX": the holidays package knows no such country code',
        ),
        ("zh", '错误：[due] festival_country = "XX"：holidays 库不认识这个国家代码'),
    ],
)
def test_a_country_the_holidays_package_does_not_know(
    demo_db: Path, tmp_path: Path, lang: str, expected: str
) -> None:
    """A code of the right form is only found unknown when festivals are listed (the holidays package is not
    loaded to read the config): still one message naming the key, exit 1."""
    config = tmp_path / "config.toml"
    config.write_text('[due]\nfestival_country = "XX"\n', encoding="utf-8")
    result = _kacrm(demo_db, config, lang, "due", "--week")
    assert (result.exit_code, result.stderr) == (1, expected + "\n")


def test_a_mistake_is_reported_in_the_language_the_config_asks_for(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A config that says lang = "zh" reports its own mistakes in Chinese (it was English: the settings were never
    read), unless --lang or KACRM_LANG asks otherwise, as they win over the file's lang; a bad lang itself,
    which says no language, is reported in English."""
    monkeypatch.delenv("KACRM_LANG", raising=False)
    config = tmp_path / "config.toml"
    cases = [
        (
            'lang = "zh"\n[tiers.abc]\nA = "14"\n',
            f"错误：{config}：没有 tiers 这个设置（是不是 tier？kacrm config show 会列出所有设置）\n",
        ),
        (
            'lang = "zh"\n[cadence.days]\nA = "14"\n',
            f'错误：{config}：[cadence.days] A = "14"：应为 1 到 3660 之间的整数天数\n',
        ),
        (
            'lang = "zh"\n[credit]\nweights = { punctuality = "35" }\n',
            f'错误：{config}：[credit.weights] punctuality = "35"：应为不小于 0 的数\n',
        ),
        ('lang = "cn"\n', f'Error: {config}: lang = "cn": expected one of en, zh\n'),
        (
            'lang = ["zh"]\n[cadence.days]\nA = 0\n',
            f'Error: {config}: lang = ["zh"]: expected one of en, zh\n',
        ),
    ]
    for content, expected in cases:
        config.write_text(content, encoding="utf-8")
        args = ["--db", str(demo_db), "--config", str(config), "--as-of", AS_OF, "due"]
        result = runner.invoke(app, args)
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", expected), content
    config.write_text('lang = "zh"\n[cadence.days]\nA = "14"\n', encoding="utf-8")
    english = f'Error: {config}: [cadence.days] A = "14": expected a whole number of days from 1 to 3660\n'
    result = _kacrm(demo_db, config, "en", "due")  # --lang en wins over the file
    assert (result.exit_code, result.stderr) == (1, english)
    monkeypatch.setenv("KACRM_LANG", "en")  # and so does the environment
    result = runner.invoke(app, ["--db", str(demo_db), "--config", str(config), "due"])
    assert (result.exit_code, result.stderr) == (1, english)
    config.write_text('lang = "en"\n[cadence.days]\nA = "14"\n', encoding="utf-8")
    result = _kacrm(demo_db, config, "zh", "due")  # --lang zh wins over the file's en
    assert (
        result.stderr == f'错误：{config}：[cadence.days] A = "14"：应为 1 到 3660 之间的整数天数\n'
    )


def test_a_config_saved_by_notepad_with_a_bom_is_read(demo_db: Path, tmp_path: Path) -> None:
    """Notepad's "UTF-8" writes a byte-order mark, which TOML does not allow: kacrm reads past it."""
    config = tmp_path / "config.toml"
    config.write_bytes("\ufeff# 提前天数\n[due]\nlead_days = 9\n".encode())
    assert load_settings(config).due.lead_days == 9
    assert _kacrm(demo_db, config, "en", "due", "--week").exit_code == 0


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Error: {path}: not UTF-8 text (saved as ANSI/GBK?); save it again as UTF-8\n"),
        ("zh", "错误：{path}：不是 UTF-8 文本（可能以 ANSI/GBK 保存）；请另存为 UTF-8 编码\n"),
    ],
)
def test_a_config_saved_as_gbk_says_so(
    demo_db: Path, tmp_path: Path, lang: str, expected: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_bytes("# 提前天数\n[due]\nlead_days = 9\n".encode("gbk"))
    result = _kacrm(demo_db, config, lang, "due")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == expected.format(path=config)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_config_show_at_80_columns_keeps_where_each_setting_came_from(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """The Source column is the point of `config show`: at 80 columns it was left out ("Not shown at this width:
    Source"); the config file under the home directory is written from ~."""
    home = tmp_path / "home" / "a-rather-long-user-name"
    (home / ".config" / "kacrm").mkdir(parents=True)
    (home / ".config" / "kacrm" / "config.toml").write_text(
        "[due]\nlead_days = 5\n", encoding="utf-8"
    )
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv("KACRM_CONFIG", raising=False)
    result = runner.invoke(
        app, ["--lang", lang, "--db", str(demo_db), "config", "show"], env={"COLUMNS": "80"}
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    # the path may fold at 80 columns (a narrow terminal); it is there, from ~, on the setting's line
    assert any("due.lead_days" in line and "~/.config/kacrm/" in line for line in lines)
    assert ("Source" if lang == "en" else "来源") in lines[1]
    assert "Not shown" not in result.stderr and "未显示" not in result.stderr

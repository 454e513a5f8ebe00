"""The words of a config file kacrm cannot use (config.py, config_check.py), in English and Chinese.

A mistake names the file, the key as the file's reader finds it (``[cadence.days] A``), the value as the file
writes it and what is expected (a ``config_want_…`` phrase, which completes "expected …" / "应为…").
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "config_bad_value": {
        "en": "{where}: {setting} = {value}: expected {expected}",
        "zh": "{where}：{setting} = {value}：应为{expected}",
    },
    "config_want_days": {
        "en": "a whole number of days from {low} to {high}",
        "zh": " {low} 到 {high} 之间的整数天数",
    },
    "config_want_whole": {
        "en": "a whole number from {low} to {high}",
        "zh": " {low} 到 {high} 之间的整数",
    },
    "config_want_whole_min": {"en": "a whole number of {low} or more", "zh": "不小于 {low} 的整数"},
    "config_want_number": {
        "en": "a number from {low} to {high}",
        "zh": " {low} 到 {high} 之间的数",
    },
    "config_want_min": {"en": "a number of {low} or more", "zh": "不小于 {low} 的数"},
    "config_want_above": {"en": "a number above {low}", "zh": "大于 {low} 的数"},
    "config_want_choice": {"en": "one of {choices}", "zh": " {choices} 之一"},
    "config_want_text": {
        "en": 'text in quotes, like "{example}"',
        "zh": '带引号的文本，如 "{example}"',
    },
    "config_want_flag": {"en": "true or false", "zh": " true 或 false"},
    "config_want_primary": {
        "en": "abc, pyramid or clv (rfm is a segmentation, not a tier: it cannot be primary)",
        "zh": " abc、pyramid 或 clv（rfm 是客户分群，不是等级，不能作为主分级方法）",
    },
    "config_want_window": {
        "en": 'a window like "12m" (1m to {most}m) or "all"',
        "zh": '形如 "12m" 的期间（1m 到 {most}m）或 "all"',
    },
    "config_want_country": {
        "en": 'a country code of 2 or 3 letters, like "CN"',
        "zh": '2 或 3 个字母的国家代码，如 "CN"',
    },
    "config_want_thresholds": {
        "en": "two cumulative percentages [A, B] with 0 < A <= B <= 100, like [80, 95]",
        "zh": "两个累计百分数 [A, B]，且 0 < A <= B <= 100，如 [80, 95]",
    },
    "config_want_percentages": {
        "en": "four percentages above 0 (platinum, gold, iron, lead) adding up to 100, "
        "like [1, 4, 15, 80]",
        "zh": "四个大于 0 的百分数（platinum、gold、iron、lead），合计 100，如 [1, 4, 15, 80]",
    },
    "config_want_buckets": {
        "en": "increasing whole days above 0, like [30, 60, 90, 180]",
        "zh": "递增的正整数天数，如 [30, 60, 90, 180]",
    },
    "config_want_tiers": {
        "en": 'a list of tiers among {tiers}, like ["A", "platinum"]',
        "zh": '由 {tiers} 中的等级组成的列表，如 ["A", "platinum"]',
    },
    "config_want_table": {"en": "a table like {example}", "zh": "形如 {example} 的表"},
    "config_want_weights": {
        "en": "weights of 0 or more that add up to more than 0",
        "zh": "不小于 0 且合计大于 0 的权重",
    },
    "config_unknown_country": {
        "en": "[due] festival_country = {value}: the holidays package knows no such country code",
        "zh": "[due] festival_country = {value}：holidays 库不认识这个国家代码",
    },
    "config_unknown_section": {
        "en": "{where}: unknown setting {section} ({hint}kacrm config show lists every setting)",
        "zh": "{where}：没有 {section} 这个设置（{hint_zh}kacrm config show 会列出所有设置）",
    },
    "config_unknown_key": {
        "en": "{where}: unknown setting {setting} ({hint}kacrm config show lists every setting)",
        "zh": "{where}：没有 {setting} 这个设置（{hint_zh}kacrm config show 会列出所有设置）",
    },
    "config_unknown_entry": {
        "en": "{where}: unknown setting {setting} (expected one of {choices})",
        "zh": "{where}：没有 {setting} 这个设置（应为 {choices} 之一）",
    },
    "config_ignored_tier": {
        "en": "Warning: {where}: {setting} is ignored: no tier is called so (tiers: {choices})",
        "zh": "警告：{where}：{setting} 被忽略：没有这个等级（等级：{choices}）",
    },
    "config_ignored_grade": {
        "en": "Warning: {where}: {setting} is ignored: no grade is called so "
        "(the grades of [credit.grade_cutoffs] and C: {choices})",
        "zh": "警告：{where}：{setting} 被忽略：没有这个信用等级"
        "（[credit.grade_cutoffs] 中的等级及 C：{choices}）",
    },
    "config_cutoff_of_c": {
        "en": "{where}: {setting}: C is every score below the last cut-off and has no cut-off; "
        "remove it",
        "zh": "{where}：{setting}：C 是低于最后一个分界的所有分数，没有分界；请删除它",
    },
    "config_no_multiple": {
        "en": "{where}: [credit.limit_multiples] has no {grade}: every grade of "
        "[credit.grade_cutoffs], and C, needs a limit multiple",
        "zh": "{where}：[credit.limit_multiples] 缺少 {grade}：[credit.grade_cutoffs] 中的每个等级"
        "以及 C 都需要额度倍数",
    },
    "config_not_table": {
        "en": "{where}: [{section}] must be a table",
        "zh": "{where}：[{section}] 必须是一个表",
    },
    "config_no_password": {
        "en": "{where}: smtp.password is not read from files; set the environment variable "
        "KACRM_SMTP_PASSWORD instead (and remove the password from the file)",
        "zh": "{where}：不从文件读取 smtp.password；请改用环境变量 KACRM_SMTP_PASSWORD（并从文件中删除密码）",
    },
    "config_not_utf8": {
        "en": "{path}: not UTF-8 text (saved as ANSI/GBK?); save it again as UTF-8",
        "zh": "{path}：不是 UTF-8 文本（可能以 ANSI/GBK 保存）；请另存为 UTF-8 编码",
    },
    "config_not_toml": {
        "en": "{path}: not valid TOML: {detail}",
        "zh": "{path}：不是有效的 TOML 文件（{detail}）",
    },
    "config_cannot_read": {
        "en": "{path}: cannot read: {reason}",
        "zh": "{path}：无法读取（{reason}）",
    },
    "config_not_found": {"en": "config file not found: {path}", "zh": "找不到配置文件：{path}"},
    "config_bad_lang": {
        "en": "language must be one of {langs}, not {asked!r}",
        "zh": "语言须为 {langs} 之一，而不是 {asked!r}",
    },
    # [[collections.levels]], the follow-up ladder (SPEC §15)
    "config_levels_list": {
        "en": "{where}: collections.levels must be a list of [[collections.levels]] tables",
        "zh": "{where}：collections.levels 应为由 [[collections.levels]] 表组成的列表",
    },
    "config_level_table": {
        "en": "{where}: {level} must be a table with after_days and action",
        "zh": "{where}：{level} 应为含 after_days 和 action 的表",
    },
    "config_level_unknown": {
        "en": "{where}: unknown setting {level} (the settings of a level: after_days, action)",
        "zh": "{where}：没有 {level} 这个设置（每一级的设置：after_days、action）",
    },
    "config_level_days": {
        "en": "{where}: {level}.after_days = {value}: expected a whole number of days from "
        "-{most} to {most} (negative: before the due date)",
        "zh": "{where}：{level}.after_days = {value}：应为 -{most} 到 {most} 之间的整数天数"
        "（负数：到期日之前）",
    },
    "config_level_action": {
        "en": "{where}: {level}.action = {value}: expected one of {actions}",
        "zh": "{where}：{level}.action = {value}：应为 {actions} 之一",
    },
    "config_level_order": {
        "en": "{where}: {level}.after_days ({days}) must be greater than the level before it "
        "({previous}): list the levels in ascending after_days",
        "zh": "{where}：{level}.after_days（{days}）须大于上一级的（{previous}）：请按 after_days 升序排列",
    },
}

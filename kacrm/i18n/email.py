"""Why an email address is not one, in Chinese: email-validator's English reasons (kacrm.values.parse_email)
matched by their words; a reason no rule knows reads as a plain "format is wrong", never as English."""

from __future__ import annotations

import re

# (a pattern searched in email-validator's reason, the Chinese; {0} is the pattern's group, if any)
_RULES: list[tuple[str, str]] = [
    (r"\"full-width\" at-sign", "用了全角 ＠，请改用半角 @"),
    (r"must have an @-sign", "缺少 @"),
    (r"something before the @-sign", "@ 前面不能为空"),
    (r"something after the @-sign", "@ 后面不能为空"),
    (r"after the @-sign contains invalid characters: (.+?)\.?$", "@ 后面含有无效字符：{0}"),
    (r"after the @-sign contains invalid characters", "@ 后面含有无效字符"),
    (r"invalid characters before the @-sign: (.+?)\.?$", "@ 前面含有无效字符：{0}"),
    (r"invalid characters before the @-sign", "@ 前面含有无效字符"),
    (r"Internationalized characters before the @-sign", "@ 前面不能有中文等非 ASCII 字符"),
    (r"It should have a period", "@ 后面的域名应含句点，如 example.com"),
    (r"not within a valid top-level domain", "@ 后面的域名不在有效的顶级域名下"),
    (r"special-use or reserved name", "@ 后面是保留的特殊用途域名，不能收发邮件"),
    (r"two periods in a row", "不能有两个连续的句点"),
    (r"period and a hyphen", "句点和连字符不能相邻"),
    (r"too long", "地址太长"),
    (r"anything after the email address", "地址后面不能再有其他内容"),
    (r"display name and angle brackets", "只写地址本身，不要显示名称和尖括号"),
    (r"(?:invalid|unsafe) character", "含有无效字符"),
]


# the names email-validator gives the characters it quotes (unicodedata's, in capitals)
_CHARACTER_NAMES = {
    "SPACE": "空格",
    "NO-BREAK SPACE": "不间断空格",
    "IDEOGRAPHIC SPACE": "全角空格",
}


def email_reason_zh(reason: str) -> str:
    """email-validator's reason ``reason`` in Chinese."""
    for pattern, words in _RULES:
        if m := re.search(pattern, reason):
            return words.format(*(_CHARACTER_NAMES.get(g, g) for g in m.groups()))
    return "格式不对"

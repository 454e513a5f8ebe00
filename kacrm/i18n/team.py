"""The words of the team (owners, per-owner digests) and of the tier in force, in English and Chinese."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "owner_saved": {
        "en": "Saved owner {name}: email {email}, capacity {capacity}.",
        "zh": "已保存负责人 {name}：邮箱 {email}，容量 {capacity}。",
    },
    "owner_unknown": {
        "en": "No customer names {name!r} as owner and `kacrm owner set` did not store it; "
        "see `kacrm owner list`.",
        "zh": "没有客户的负责人是 {name!r}，也没有用 `kacrm owner set` 保存过；请查看 `kacrm owner list`。",
    },
    "owner_no_email": {
        "en": "Owner {name} has no email; give --email or store one with "
        "`kacrm owner set {name} --email ADDR`.",
        "zh": "负责人 {name} 没有邮箱；请加 --email，或用 `kacrm owner set {name} --email 地址` 保存。",
    },
    "bad_address": {
        "en": "{option} {value!r}: {reason}",
        "zh": "{option} {value!r}：{reason}",
    },
    "capacity_negative": {
        "en": "--capacity {value}: give 0 or more (0 = no cap).",
        "zh": "--capacity {value}：应为 0 或更大（0 表示不限）。",
    },
    "nothing_set": {
        "en": "Nothing to change: give --email or --capacity.",
        "zh": "没有要修改的内容：请给出 --email 或 --capacity。",
    },
}

"""Messages in English and Chinese: t("key", lang, **values)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "customer_added": {"en": "Added customer {code} {name}.", "zh": "已添加客户 {code} {name}。"},
    "customer_updated": {"en": "Updated customer {code}.", "zh": "已更新客户 {code}。"},
    "customer_removed": {"en": "Removed customer {code} and its records.", "zh": "已删除客户 {code} 及其记录。"},
    "confirm_remove": {
        "en": "Remove customer {code} {name} with all its contacts, orders, payments and interactions?",
        "zh": "删除客户 {code} {name} 及其全部联系人、订单、回款和联系记录？",
    },
    "nothing_to_update": {"en": "Nothing to update: give at least one option.", "zh": "没有要更新的内容。"},
    "logged": {"en": "Logged {kind} with {code} on {on}.", "zh": "已记录 {code} 的{kind}（{on}）。"},
    "plan_added": {"en": "Added plan #{id} for {code}.", "zh": "已为 {code} 添加计划 #{id}。"},
    "plan_done": {"en": "Plan #{id} done.", "zh": "计划 #{id} 已完成。"},
}


def t(key: str, lang: str = "en", **values: object) -> str:
    entry = MESSAGES[key]
    return entry.get(lang, entry["en"]).format(**values)

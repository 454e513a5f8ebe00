"""The words of the public pool (公海, issue 18) in English and Chinese."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # column headers of `kacrm pool`
    "pool_col_customer_code": {"en": "Code", "zh": "客户编号"},
    "pool_col_customer_name": {"en": "Customer", "zh": "客户"},
    "pool_col_owner": {"en": "Owner", "zh": "负责人"},
    "pool_col_tier": {"en": "Tier", "zh": "等级"},
    "pool_col_last_touch_on": {"en": "Last touch", "zh": "最近跟进"},
    "pool_col_release_on": {"en": "Release", "zh": "释放日"},
    "pool_col_status": {"en": "Status", "zh": "状态"},
    "pool_title": {"en": "Public pool", "zh": "公海"},
    "pool_status_due": {"en": "due", "zh": "待释放"},
    "pool_status_warning": {"en": "warning", "zh": "预警"},
    "pool_status_pooled": {"en": "pooled", "zh": "在公海"},
    "pool_other_family": {
        "en": "note: [pool] release_after_days names {keys}, but the tier in force is {method}'s ({tiers}): "
        "nothing is released until it names those tiers (see docs/pool.md)",
        "zh": "提示：[pool] release_after_days 设置的是 {keys}，而当前生效的分级是 {method}（{tiers}），"
        "在改为这些级别之前不会释放任何客户（见 docs/pool.md）",
    },
    "pool_off": {
        "en": "note: no [pool] release_after_days in the config: nothing is ever released (see docs/pool.md)",
        "zh": "提示：配置中没有 [pool] release_after_days，不会释放任何客户（见 docs/pool.md）",
    },
    # pool release
    "pool_released_one": {
        "en": "released {code} {name} (owner {owner}, tier {tier}, last touch {last}, release day {on})",
        "zh": "已释放 {code} {name}（负责人 {owner}，{tier} 级，最近跟进 {last}，释放日 {on}）",
    },
    "pool_would_release_one": {
        "en": "would release {code} {name} (owner {owner}, tier {tier}, last touch {last}, release day {on})",
        "zh": "将释放 {code} {name}（负责人 {owner}，{tier} 级，最近跟进 {last}，释放日 {on}）",
    },
    "pool_released_count": {
        "en": "{n} account(s) released to the pool",
        "zh": "{n} 个客户已释放到公海",
    },
    "pool_would_release_count": {
        "en": "{n} account(s) would be released to the pool (dry run: nothing changed)",
        "zh": "将有 {n} 个客户释放到公海（试运行：未做任何更改）",
    },
    # claim and assign
    "pool_claimed": {
        "en": "{code} {name} claimed by {owner}",
        "zh": "{owner} 已领取 {code} {name}",
    },
    "pool_assigned": {
        "en": "{code} {name} assigned to {owner} (was {previous})",
        "zh": "{code} {name} 已分配给 {owner}（原负责人 {previous}）",
    },
    "pool_assigned_from_pool": {
        "en": "{code} {name} assigned to {owner} from the pool",
        "zh": "{code} {name} 已从公海分配给 {owner}",
    },
    "pool_refused_capacity": {
        "en": "refused: {owner} holds {holding} customers and may hold at most {capacity} "
        "(release or hand over one first)",
        "zh": "已拒绝：{owner} 已有 {holding} 个客户，上限为 {capacity} 个（请先释放或移交客户）",
    },
    "pool_refused_cooldown": {
        "en": "refused: {code} was released from {owner} on {on}; {owner} may claim it back from {until} "
        "({days}-day cooldown)",
        "zh": "已拒绝：{code} 于 {on} 从 {owner} 名下释放；{owner} 须等到 {until} 才能重新领取"
        "（冷却期 {days} 天）",
    },
    "pool_refused_owned": {
        "en": "refused: {code} belongs to {owner}, not to the pool (a manager reassigns it with "
        "`kacrm customer assign {code} --owner NAME`)",
        "zh": "已拒绝：{code} 属于 {owner}，不在公海（主管可用 `kacrm customer assign {code} --owner 姓名` 重新分配）",
    },
    "pool_refused_taken": {
        "en": "refused: {code} was claimed by someone else a moment ago",
        "zh": "已拒绝：{code} 刚刚已被他人领取",
    },
    "pool_same_owner": {
        "en": "{code} already belongs to {owner}; nothing changed",
        "zh": "{code} 已属于 {owner}，未做更改",
    },
    "pool_no_owner_name": {
        "en": "--owner: give a name",
        "zh": "--owner：请给出姓名",
    },
    # lock
    "pool_locked": {
        "en": "{code} {name} locked: it is never released to the pool",
        "zh": "已锁定 {code} {name}：不会被释放到公海",
    },
    "pool_unlocked": {
        "en": "{code} {name} unlocked: the pool rules apply again",
        "zh": "已解锁 {code} {name}：重新适用公海规则",
    },
    # ownership history (customer show)
    "own_title": {"en": "Ownership history", "zh": "归属记录"},
    "own_col_on": {"en": "Date", "zh": "日期"},
    "own_col_reason": {"en": "Change", "zh": "变更"},
    "own_col_owner": {"en": "Owner", "zh": "负责人"},
    "own_col_previous_owner": {"en": "Previous owner", "zh": "原负责人"},
    "own_col_note": {"en": "Note", "zh": "备注"},
    # report
    "report_pool_pooled": {"en": "Accounts in the pool", "zh": "公海客户数"},
    "report_pool_released": {"en": "Released to the pool in the window", "zh": "期间释放到公海"},
}

# Stored values shown in the user's language.
LABELS_ZH: dict[str, str] = {
    "released": "释放到公海",
    "claimed": "领取",
    "assigned": "分配",
    "imported": "导入",
    "pooled": "在公海",
}

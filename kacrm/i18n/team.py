"""The words of the team (owners, per-owner digests) and of the tier in force, in English and Chinese."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "owner_name_missing": {"en": "give the owner's name", "zh": "请给出负责人姓名"},
    "owner_saved": {
        "en": "Saved owner {name}: email {email}, capacity {capacity}.",
        "zh": "已保存负责人 {name}：邮箱 {email}，容量 {capacity}。",
    },
    "owner_not_set": {"en": "not set", "zh": "未设置"},
    "owner_no_cap": {"en": "no cap", "zh": "不设上限"},
    "owner_unknown": {
        "en": "No customer names {name!r} as owner and `kacrm owner set` did not store it; "
        "see `kacrm owner list`.",
        "zh": "没有客户的负责人是 {name!r}，也没有用 `kacrm owner set` 保存过；请查看 `kacrm owner list`。",
    },
    "owner_unknown_close": {
        "en": "--owner {name!r}: no such owner; did you mean {close}? Owners: {owners}. A new salesperson is "
        "added first with `kacrm owner set NAME --email ADDR`.",
        "zh": "--owner {name!r}：没有这位负责人；是不是 {close}？现有负责人：{owners}。"
        "新的销售员请先用 `kacrm owner set 姓名 --email 地址` 添加。",
    },
    "owner_unknown_new": {
        "en": "--owner {name!r}: no such owner (no customer names it and `kacrm owner set` did not store it). "
        "Owners: {owners}. A new salesperson is added first with `kacrm owner set {name} --email ADDR`.",
        "zh": "--owner {name!r}：没有这位负责人（没有客户以其为负责人，也未用 `kacrm owner set` 保存）。"
        "现有负责人：{owners}。新的销售员请先用 `kacrm owner set {name} --email 地址` 添加。",
    },
    "owner_none_yet": {"en": "none yet", "zh": "暂无"},
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

MESSAGES.update(
    {
        "tier_rfm_not_primary": {
            "en": "rfm is a segmentation (champions, at risk…), not a tier: it cannot be the primary method; "
            "use abc, pyramid or clv",
            "zh": "rfm 是客户分群（冠军客户、流失风险…），不是等级，不能作为主分级方法；请用 abc、pyramid 或 clv",
        },
        "tier_not_in_force": {
            "en": "The tier in force is unchanged: the primary method is {primary} ({source}); this {method} "
            "run is stored as the customers' {method} dimension. Switch with `kacrm tier primary {method}`.",
            "zh": "现行等级未变：主分级方法是{primary_zh}（{source}）；本次{method_zh}结果已另存为客户的"
            "{method_zh}维度。如需切换：`kacrm tier primary {method}`。",
        },
        "tier_history_run": {
            "en": "The tier in force is unchanged: this run is of a day before the newest {method} run "
            "({newer}), whose tiers stay in force; it is stored as history (`kacrm report movement`, "
            "`kacrm tier history`).",
            "zh": "现行等级未变：本次批次的日期早于最新的{method_zh}批次（{newer}），现行等级仍以该批次为准；"
            "本次结果已存为历史（`kacrm report movement`、`kacrm tier history`）。",
        },
        "tier_clv_win_back": {
            "en": "Win-back items in `kacrm due` (and `kacrm report churn`) now use this run's purchase "
            "probability: a customer with p_alive below {p_alive} is listed for win-back.",
            "zh": "`kacrm due` 中的挽回事项（以及 `kacrm report churn`）现在采用本次运行的购买概率："
            "p_alive 低于 {p_alive} 的客户列为挽回对象。",
        },
        "tier_rfm_not_in_force": {
            "en": "The tier in force is unchanged: the primary method is {primary} ({source}); rfm segments are "
            "stored as the customers' rfm dimension.",
            "zh": "现行等级未变：主分级方法是{primary_zh}（{source}）；RFM 分群已另存为客户的 RFM 维度。",
        },
        "tier_primary_set": {
            "en": "The primary tiering is now {method} by {metric}, window {window} (stored in the database "
            "for everyone on it). {moved} customers changed tier in force{run}.",
            "zh": "主分级现为{method_zh}（按{metric_zh}，期间{window_zh}，已保存在数据库中，所有人共用）。"
            "{moved} 个客户的现行等级发生变化{run}。",
        },
        "tier_primary_from_run": {"en": " (from run #{id})", "zh": "（依据批次 #{id}）"},
        "tier_primary_no_run": {
            "en": "{method} has never run: as the primary tiering it would leave {lost} customers without a tier "
            "in force (no cadence by tier, no festival greetings, no key accounts). Run `kacrm tier --method "
            "{method}` first, then `kacrm tier primary {method}`; nothing was changed.",
            "zh": "{method_zh}尚未运行过：设为主分级会使 {lost} 个客户失去现行等级（不再按等级安排联系周期、节日问候，"
            "也没有重点客户）。请先执行 `kacrm tier --method {method}`，再执行 `kacrm tier primary {method}`；"
            "未作任何更改。",
        },
        "tier_primary_never_run": {
            "en": "{method} has never run: no customer has a tier in force until `kacrm tier --method {method}`.",
            "zh": "{method_zh}尚未运行过：在执行 `kacrm tier --method {method}` 之前，没有客户有现行等级。",
        },
        "tier_primary_show": {
            "en": "Primary tiering: {method} by {metric}, window {window} (from {source}).",
            "zh": "主分级：{method_zh}，按{metric_zh}，期间{window_zh}（来源：{source}）。",
        },
        "tier_pinned_method": {
            "en": "Pinned {code} at {tier} for {method}; {method} runs leave it there until "
            "`kacrm tier unpin`.{note}",
            "zh": "已将 {code} 的{method_zh}等级锁定为{tier}；{method_zh}分级不会改变它，直到执行 "
            "`kacrm tier unpin`。{note}",
        },
        "tier_pin_not_in_force": {
            "en": " The tier in force is unchanged ({primary} is primary).",
            "zh": " 现行等级未变（主分级方法是{primary_zh}）。",
        },
        "tiers_line": {"en": "Tiers by method: {tiers}", "zh": "各方法等级：{tiers}"},
        "tiers_primary_mark": {"en": "{part} (primary, in force)", "zh": "{part}（主分级，现行）"},
        "report_tiers_primary": {
            "en": "{title} ({method}, the primary method)",
            "zh": "{title}（{method}，主分级方法）",
        },
        "report_tiers_note": {
            "en": "Tiers in force, of the primary method {method} (`kacrm tier primary`).",
            "zh": "现行等级，来自主分级方法 {method}（`kacrm tier primary`）。",
        },
        "source_database": {"en": "the database", "zh": "数据库"},
        "source_default": {"en": "the default", "zh": "默认值"},
    }
)

MESSAGES.update(
    {
        "digest_team_alone": {
            "en": "--team sends each owner their own digest by email: it goes without --owner and --output.",
            "zh": "--team 会按邮件给每位负责人发送各自的日报，不能与 --owner 或 --output 同用。",
        },
        "digest_team_nobody": {
            "en": "No owner has an email and no --email was given: nobody to send to "
            "(store addresses with `kacrm owner set NAME --email ADDR`).",
            "zh": "没有负责人保存了邮箱，也没有给出 --email：没有收件人"
            "（用 `kacrm owner set 姓名 --email 地址` 保存）。",
        },
        "digest_no_address": {
            "en": "{n} owner(s) get no digest of their own: no email stored: {owners}. "
            "Add one with `kacrm owner set NAME --email ADDR`.",
            "zh": "{n} 位负责人收不到自己的日报：未保存邮箱：{owners}。"
            "请用 `kacrm owner set 姓名 --email 地址` 添加。",
        },
        "digest_no_address_item": {
            "en": "{owner} ({n} customer(s))",
            "zh": "{owner}（{n} 个客户）",
        },
        "digest_failed_for": {
            "en": "The digest for {who} failed: {reason}",
            "zh": "发给 {who} 的日报失败：{reason}",
        },
        "digest_covered_for": {
            "en": "The digest for {who} up to {day} has been produced already; nothing new. "
            "Use --dry-run to see it again.",
            "zh": "截至 {day} 发给 {who} 的日报已生成，没有新内容。用 --dry-run 可再次查看。",
        },
        "digest_some_failed": {
            "en": "{n} digest(s) failed ({who}); they are caught up by the next run, the others were sent.",
            "zh": "{n} 份日报失败（{who}）；下次运行会补发，其余已发送。",
        },
        "digest_all_failed": {
            "en": "All {n} digests failed ({who}); nothing was sent. They are caught up by the next run.",
            "zh": "全部 {n} 份日报均失败（{who}），一份也没有发出；下次运行会补发。",
        },
        "digest_who_owner": {
            "en": "{where} ({owner}'s customers)",
            "zh": "{where}（{owner} 的客户）",
        },
        "digest_who_book": {"en": "{where} (whole book)", "zh": "{where}（全部客户）"},
    }
)

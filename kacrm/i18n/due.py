"""The words of due in English and Chinese."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "due_one_window": {
        "en": "give one of --today, --week, --days",
        "zh": "--today、--week、--days 只能给出其中一个",
    },
    "due_no_item": {
        "en": "no open due item {id!r} (see `kacrm due --days 30`; done items are not listed)",
        "zh": "没有未完成的待办事项 {id!r}（见 `kacrm due --days 30`；已完成的事项不再列出）",
    },
    # column headers of `kacrm due`
    "due_col_id": {"en": "ID", "zh": "编号"},
    "due_col_due_on": {"en": "Due", "zh": "办理日"},
    "due_col_event_on": {"en": "Event", "zh": "事件日"},
    "due_col_kind": {"en": "Kind", "zh": "类别"},
    "due_col_customer_code": {"en": "Code", "zh": "客户编号"},
    "due_col_customer_name": {"en": "Customer", "zh": "客户"},
    "due_col_contact": {"en": "Contact", "zh": "联系人"},
    "due_col_reason": {"en": "Reason", "zh": "事由"},
    "due_col_overdue_days": {"en": "Overdue", "zh": "逾期天数"},
    "due_col_action": {"en": "Action", "zh": "催款动作"},
    # the reasons of due items (the English is the json `reason`)
    "due_reason_cadence_contact": {
        "en": "last contact {base}; tier {tier}: every {days} days",
        "zh": "上次联系 {base}；{tier} 级每 {days} 天联系",
    },
    "due_reason_cadence_first_order": {
        "en": "first order, no contact logged {base}; tier {tier}: every {days} days",
        "zh": "首单，未记录联系 {base}；{tier} 级每 {days} 天联系",
    },
    "due_reason_cadence_never": {
        "en": "added, never contacted {base}; tier {tier}: every {days} days",
        "zh": "建档，从未联系 {base}；{tier} 级每 {days} 天联系",
    },
    # ... for a customer without a tier (never tiered, or a tier of another family): the untiered cadence
    "due_reason_cadence_contact_untiered": {
        "en": "last contact {base}; untiered: every {days} days",
        "zh": "上次联系 {base}；未分级，每 {days} 天联系",
    },
    "due_reason_cadence_first_order_untiered": {
        "en": "first order, no contact logged {base}; untiered: every {days} days",
        "zh": "首单，未记录联系 {base}；未分级，每 {days} 天联系",
    },
    "due_reason_cadence_never_untiered": {
        "en": "added, never contacted {base}; untiered: every {days} days",
        "zh": "建档，从未联系 {base}；未分级，每 {days} 天联系",
    },
    # ... for a customer with a cadence of their own (customer.cadence_days), every day or every N days
    "due_reason_cadence_contact_own": {
        "en": "last contact {base}; own cadence: every {days} days",
        "zh": "上次联系 {base}；自定联系周期：每 {days} 天",
    },
    "due_reason_cadence_contact_own_one": {
        "en": "last contact {base}; own cadence: every day",
        "zh": "上次联系 {base}；自定联系周期：每 1 天",
    },
    "due_reason_cadence_first_order_own": {
        "en": "first order, no contact logged {base}; own cadence: every {days} days",
        "zh": "首单，未记录联系 {base}；自定联系周期：每 {days} 天",
    },
    "due_reason_cadence_first_order_own_one": {
        "en": "first order, no contact logged {base}; own cadence: every day",
        "zh": "首单，未记录联系 {base}；自定联系周期：每 1 天",
    },
    "due_reason_cadence_never_own": {
        "en": "added, never contacted {base}; own cadence: every {days} days",
        "zh": "建档，从未联系 {base}；自定联系周期：每 {days} 天",
    },
    "due_reason_cadence_never_own_one": {
        "en": "added, never contacted {base}; own cadence: every day",
        "zh": "建档，从未联系 {base}；自定联系周期：每 1 天",
    },
    "due_reason_pool": {
        "en": "released to the pool on {on} unless contacted (last touch {last}; tier {tier}: {days} days)",
        "zh": "若不联系，将于 {on} 释放到公海（最近跟进 {last}；{tier} 级 {days} 天）",
    },
    "due_reason_pool_due": {
        "en": "due for release to the pool since {on} (last touch {last}; tier {tier}: {days} days): "
        "contact now to keep it",
        "zh": "自 {on} 起应释放到公海（最近跟进 {last}；{tier} 级 {days} 天）：立即联系可保留",
    },
    "due_reason_follow_up": {"en": "follow up: {text}", "zh": "跟进：{text}"},
    "due_reason_task": {"en": "task: {text}", "zh": "任务：{text}"},
    "due_reason_complaint": {
        "en": "unresolved complaint of {on}: {text}",
        "zh": "未解决投诉（{on}）：{text}",
    },
    "due_reason_plan": {"en": "plan goal: {text}", "zh": "计划目标：{text}"},
    "due_reason_anniversary": {
        "en": "wedding anniversary of {name} ({years} years)",
        "zh": "{name}结婚纪念日（{years} 周年）",
    },
    "due_reason_anniversary_no_year": {
        "en": "wedding anniversary of {name}",
        "zh": "{name}结婚纪念日",
    },
    "due_reason_lunar_birthday": {
        "en": "lunar birthday ({label}) of {name}",
        "zh": "{name}农历生日（{label}）",
    },
    "due_reason_birthday_age": {
        "en": "birthday of {name} (turns {age})",
        "zh": "{name}生日（{age} 岁）",
    },
    "due_reason_birthday": {"en": "birthday of {name}", "zh": "{name}生日"},
    "due_reason_festival": {"en": "{name} greetings", "zh": "{name_zh}问候"},
    "due_reason_thanks": {
        "en": "thank-you for order {order} ({amount}, {on})",
        "zh": "感谢下单：订单 {order}（{amount}，{on}）",
    },
    "due_reason_satisfaction": {
        "en": "satisfaction call: order {order} of {on}",
        "zh": "满意度回访：订单 {order}（{on}）",
    },
    "due_reason_collection": {
        "en": "collect {amount} on order {order} (due {on})",
        "zh": "催收订单 {order} 欠款 {amount}（{on} 到期）",
    },
    "due_reason_collection_reminder": {
        "en": "reminder: {amount} on order {order} falls due {on}",
        "zh": "提醒付款：订单 {order} 的 {amount} 将于 {on} 到期",
    },
    "due_reason_collection_call": {
        "en": "call to collect {amount} on order {order} (due {on})",
        "zh": "电话催款：订单 {order} 欠款 {amount}（{on} 到期）",
    },
    "due_reason_collection_letter": {
        "en": "send a dunning letter: {amount} on order {order} (due {on})",
        "zh": "发催款函：订单 {order} 欠款 {amount}（{on} 到期）",
    },
    "due_reason_collection_hold": {
        "en": "credit hold: {amount} on order {order} (due {on}); no new orders until paid",
        "zh": "信用冻结：订单 {order} 欠款 {amount}（{on} 到期），回款前停止发货",
    },
    "due_reason_collection_escalate": {
        "en": "escalate (manager / legal): {amount} on order {order} (due {on})",
        "zh": "升级处理（上报主管/法务）：订单 {order} 欠款 {amount}（{on} 到期）",
    },
    "due_reason_p_alive": {
        "en": "purchase probability {p:.2f} (last order {last})",
        "zh": "购买概率 {p:.2f}（上次下单 {last}）",
    },
    "due_reason_quiet": {
        "en": "no order for {quiet} days (usually every {usual:.0f})",
        "zh": "已 {quiet} 天未下单（平时约每 {usual:.0f} 天）",
    },
    # ... listed ahead, before the customer has gone quiet: from its due date
    "due_reason_quiet_from": {
        "en": "quiet from {on}: last order {last}, usually orders every {usual} days",
        "zh": "{on} 起视为久未下单：上次下单 {last}，平时约每 {usual} 天下单",
    },
    "due_reason_quiet_from_one": {
        "en": "quiet from {on}: last order {last}, usually orders every day",
        "zh": "{on} 起视为久未下单：上次下单 {last}，平时约每 1 天下单",
    },
    "due_weekdays": {
        "en": "Mon Tue Wed Thu Fri Sat Sun",
        "zh": "周一 周二 周三 周四 周五 周六 周日",
    },
    "due_ics": {"en": "Wrote {n} items to {path}.", "zh": "已将 {n} 项写入 {path}。"},
    # the calendar file's events (render/ics.py)
    "ics_summary": {"en": "{kind}: {customer}{who}", "zh": "{kind}：{customer}{who}"},
    "ics_contact": {"en": " ({contact})", "zh": "（{contact}）"},
    "ics_event_on": {"en": "event: {on}", "zh": "日期：{on}"},
    "ics_overdue": {"en": "overdue: {days} days (due {on})", "zh": "已逾期 {days} 天（应于 {on}）"},
    "due_done_already": {
        "en": "{id} was done on {on}; it comes back on {back} while the money is owed (another contact: kacrm log)",
        "zh": "{id} 已于 {on} 完成，欠款未清时将于 {back} 再次列出（其他联系请用 kacrm log）",
    },
    "due_done": {"en": "Done: {id} ({what}).", "zh": "已完成：{id}（{what}）。"},
    "due_snoozed": {"en": "Snoozed {id} until {until}.", "zh": "{id} 已推迟到 {until}。"},
    "due_overdue": {"en": "Overdue", "zh": "逾期"},
    "due_more": {
        "en": "… {more:,} more of {total:,} not shown",
        "zh": "……另有 {more:,} 项未显示（共 {total:,} 项）",
    },
    "due_empty_window": {
        "en": "Nothing due in this window (look further ahead with --days 30).",
        "zh": "这段时间没有待办事项（可用 --days 30 看得更远）。",
    },
    "due_cut": {
        "en": "Narrow the list with --owner, --tier or --kind, or see every item with --format csv, json or "
        "md (due.table_rows_per_day sets how many a day shows).",
        "zh": "可用 --owner、--tier 或 --kind 缩小范围，或用 --format csv、json、md 查看全部"
        "（每天显示的条数由 due.table_rows_per_day 设置）。",
    },
}
LABELS_ZH: dict[str, str] = {}
# The kinds of item as the zh table, md, html and xlsx show them (json and csv keep the English code).
KIND_LABELS_ZH: dict[str, str] = {
    "complaint": "投诉",
    "follow_up": "跟进",
    "collection": "催收",
    "pool": "公海预警",
    "cadence": "例行联系",
    "after_sale": "售后",
    "birthday": "生日",
    "anniversary": "纪念日",
    "festival": "节日问候",
    "win_back": "挽回",
    "plan": "计划",
}

# The follow-up ladder's actions (SPEC §15) as a Chinese table, md, html and xlsx show them.
ACTION_LABELS_ZH = {
    "reminder": "提醒",
    "call": "电话催款",
    "letter": "催款函",
    "hold": "信用冻结",
    "escalate": "升级处理",
}


def kind_word(code: str, lang: str) -> str:
    """A due item's kind as a person reads it in ``lang`` (the code in English)."""
    return KIND_LABELS_ZH.get(code, code) if lang == "zh" else code


def action_word(code: str, lang: str) -> str:
    """A ladder action as a person reads it in ``lang`` (the code in English)."""
    return ACTION_LABELS_ZH.get(code, code) if lang == "zh" else code

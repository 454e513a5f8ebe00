"""The words of credit in English and Chinese."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "credit_empty": {
        "en": "No customers with orders or receivables to show.",
        "zh": "没有可显示的有订单或应收款的客户。",
    },
    "credit_aging_empty": {"en": "No receivables outstanding.", "zh": "没有未收的应收款。"},
    "credit_title": {"en": "Credit", "zh": "信用"},
    "credit_review_title": {"en": "Credit review", "zh": "信用评审"},
    "credit_review_past": {
        "en": "note: reviewed as of {day}, before the newest review ({newer}): this review is kept as history; "
        "the grades and limits in force stay those of {newer}.",
        "zh": "注意：本次按 {day} 评审，早于最近一次评审（{newer}）：本次结果仅存为历史记录，"
        "现行信用等级和额度仍为 {newer} 的结果。",
    },
    "credit_reviewed": {
        "en": "Reviewed {n} customers; {changed} changed grade or limit.",
        "zh": "已评审 {n} 个客户，其中 {changed} 个的等级或额度有变化。",
    },
    "credit_explain_title": {
        "en": "{code} {name}: score {score:.2f}, grade {grade}, limit {limit:,}",
        "zh": "{code} {name}：评分 {score:.2f}，等级 {grade}，额度 {limit:,}",
    },
    "credit_from_review": {"en": "From the credit review of {on}.", "zh": "依据 {on} 的信用评审。"},
    "credit_not_stored": {
        "en": "Not stored yet: `kacrm credit review` stores it.",
        "zh": "尚未保存：运行 `kacrm credit review` 保存。",
    },
    "credit_manual": {
        "en": "Manual decision in force (kacrm credit set): {decided}; computed: grade {grade}, "
        "limit {limit:,}.",
        "zh": "人工决定生效中（kacrm credit set）：{decided}；计算结果：等级 {grade}，额度 {limit:,}。",
    },
    "credit_aging_title": {"en": "Receivables aging", "zh": "应收账龄"},
    "credit_check_title": {
        "en": "Credit check {code}: {verdict}",
        "zh": "信用检查 {code}：{verdict}",
    },
    "credit_approved": {"en": "approved", "zh": "批准"},
    "credit_refused": {"en": "refused", "zh": "拒绝"},
    "credit_headroom": {
        "en": "Approved: headroom after this order {headroom:,}.",
        "zh": "批准：本单之后剩余额度 {headroom:,}。",
    },
    "credit_decision_title": {"en": "Credit decision for {code}", "zh": "{code} 的信用决定"},
    "credit_refused_error": {
        "en": "credit refused for {code}: {reasons}",
        "zh": "{code} 的信用检查未通过：{reasons}",
    },
    # why `credit check` refuses an order
    "credit_no_limit": {
        "en": "no credit limit for {code}: run `kacrm credit review` or `kacrm credit set {code} --limit …`",
        "zh": "{code} 没有信用额度：请运行 `kacrm credit review` 或 `kacrm credit set {code} --limit …`",
    },
    "credit_cash_only": {"en": "grade {grade}: cash only", "zh": "信用等级 {grade}：只能现款交易"},
    "credit_over_limit": {
        "en": "over limit with this order: outstanding {outstanding} + order {amount} = {after} > limit {limit}",
        "zh": "加上本单超出额度：应收 {outstanding} + 本单 {amount} = {after} > 额度 {limit}",
    },
    "credit_overdue": {
        "en": "{total} overdue by more than {grace} days (oldest: order {order}, {days} days past due)",
        "zh": "{total} 逾期超过 {grace} 天（最早：订单 {order}，逾期 {days} 天）",
    },
    "credit_reason_sep": {"en": "; ", "zh": "；"},
    "credit_hold_reason": {"en": "credit hold", "zh": "信用冻结"},
    "schedule_no_order": {
        "en": "no order {order}: import the order before its payment plan",
        "zh": "没有订单 {order}：请先导入订单，再导入回款计划",
    },
    "schedule_over": {
        "en": "instalments of order {order} would add up to {total}, {over} more than its amount {amount}",
        "zh": "订单 {order} 的各期合计将为 {total}，比订单金额 {amount} 多 {over}",
    },
    "schedule_short": {
        "en": "instalments of order {order} add up to {total}, {short} less than its amount {amount}",
        "zh": "订单 {order} 的各期合计为 {total}，比订单金额 {amount} 少 {short}",
    },
    "schedule_bad_instalment": {
        "en": "--instalment must be 1 or more, not {n}",
        "zh": "--instalment 须为 1 或以上，不能是 {n}",
    },
    "schedule_bad_amount": {
        "en": "--amount must be more than 0, not {amount}",
        "zh": "--amount 须大于 0，不能是 {amount}",
    },
    "schedule_added": {
        "en": "Order {order}: instalment {n} of {amount} due {on}; planned {planned} of {total}.",
        "zh": "订单 {order}：第 {n} 期 {amount}，{on} 到期；已计划 {planned} / {total}。",
    },
    "sched_bad_cell": {"en": "{field}: {why}", "zh": "{field}：{why}"},
    "sched_unknown_order": {
        "en": "no order {order}: import the order before its payment plan",
        "zh": "没有订单 {order}：请先导入订单，再导入回款计划",
    },
    "sched_repeated": {
        "en": "instalment {n} of order {order} is given twice",
        "zh": "订单 {order} 的第 {n} 期重复",
    },
    "stmt_title": {
        "en": "Statement of account: {code} {name}, {start} to {end}",
        "zh": "对账单：{code} {name}（{start} 至 {end}）",
    },
    "stmt_written": {"en": "Statement written to {path}", "zh": "对账单已写入 {path}"},
    "stmt_from_after_end": {
        "en": "--from {start} is after the statement's last day, {end} (--as-of or today): give a first day on "
        "or before it",
        "zh": "--from {start} 晚于对账单的最后一天 {end}（--as-of 或今天）：请给出不晚于该日的起始日",
    },
    "stmt_opening": {"en": "opening balance", "zh": "期初余额"},
    "stmt_closing": {"en": "closing balance", "zh": "期末余额"},
    "stmt_open_items": {"en": "Open items", "zh": "未结清款项"},
    "stmt_credit_note": {
        "en": "Paid beyond what is owed: {amount} kept as a credit on the account.",
        "zh": "多付款项 {amount} 作为预收款保留在账上。",
    },
    "stmt_col_date": {"en": "Date", "zh": "日期"},
    "stmt_col_kind": {"en": "Kind", "zh": "类型"},
    "stmt_col_ref": {"en": "Ref", "zh": "单号"},
    "stmt_col_debit": {"en": "Debit", "zh": "应收"},
    "stmt_col_credit": {"en": "Credit", "zh": "已收"},
    "stmt_col_balance": {"en": "Balance", "zh": "余额"},
    "stmt_col_due_on": {"en": "Due", "zh": "到期日"},
    "stmt_col_amount": {"en": "Open", "zh": "未收金额"},
    "stmt_col_days_overdue": {"en": "Days overdue", "zh": "逾期天数"},
    "stmt_col_action": {"en": "Action", "zh": "催款动作"},
    "stmt_kind_order": {"en": "order", "zh": "订单"},
    "stmt_kind_instalment": {"en": "instalment", "zh": "分期"},
    "stmt_kind_payment": {"en": "payment", "zh": "回款"},
    "stmt_kind_refund": {"en": "refund", "zh": "退款"},
    "stmt_kind_credit_note": {"en": "credit note", "zh": "红字冲销"},
    "stmt_action_reminder": {"en": "reminder", "zh": "提醒"},
    "stmt_action_call": {"en": "call", "zh": "电话催款"},
    "stmt_action_letter": {"en": "letter", "zh": "催款函"},
    "stmt_action_hold": {"en": "hold", "zh": "信用冻结"},
    "stmt_action_escalate": {"en": "escalate", "zh": "升级处理"},
    "schedule_title": {"en": "Payment plans", "zh": "回款计划"},
    "schedule_col_customer_code": {"en": "Code", "zh": "编号"},
    "schedule_col_customer_name": {"en": "Customer", "zh": "客户名称"},
    "schedule_col_order_no": {"en": "Order", "zh": "订单号"},
    "schedule_col_order_amount": {"en": "Order amount", "zh": "订单金额"},
    "schedule_col_instalment": {"en": "Instalment", "zh": "期数"},
    "schedule_col_due_on": {"en": "Due", "zh": "计划回款日期"},
    "schedule_col_amount": {"en": "Amount", "zh": "计划回款金额"},
    "credit_held": {
        "en": "{code} {name} is on credit hold: `credit check` refuses every new order until released.",
        "zh": "{code} {name} 已冻结信用：解除前 `credit check` 拒绝所有新订单。",
    },
    "credit_released": {
        "en": "{code} {name}: credit hold released, until another item reaches the hold level.",
        "zh": "{code} {name}：已解除信用冻结，直到再有欠款达到冻结级别。",
    },
    "credit_released_still": {
        "en": "{code} {name}: released by hand, but still on hold (an item reached the hold level today).",
        "zh": "{code} {name}：已人工解除，但仍处于冻结（今天有欠款达到冻结级别）。",
    },
    "credit_bucket_not_due": {"en": "Not due", "zh": "未到期"},
    "credit_bucket_days": {"en": "{days}", "zh": "{days}天"},
    "credit_bucket_not_yet": {"en": "Today", "zh": "当日"},
    "credit_bucket_first_year": {"en": "Up to 1 year", "zh": "1年以内"},
    "credit_bucket_years": {"en": "{lo}–{hi} years", "zh": "{lo}–{hi}年"},
    "credit_bucket_over_years": {"en": "Over {n} years", "zh": "{n}年以上"},
    "credit_aging_by_order_title": {
        "en": "Receivables aging by order date",
        "zh": "应收账龄（按订单日期）",
    },
    # column headers
    "credit_col_customer_code": {"en": "Code", "zh": "编号"},
    "credit_col_customer_name": {"en": "Name", "zh": "客户名称"},
    "credit_col_grade": {"en": "Grade", "zh": "信用等级"},
    "credit_col_limit": {"en": "Limit", "zh": "信用额度"},
    "credit_col_outstanding": {"en": "Outstanding", "zh": "应收"},
    "credit_col_utilization": {"en": "Used", "zh": "额度使用"},
    "credit_col_overdue": {"en": "Overdue", "zh": "逾期"},
    "credit_col_oldest_overdue_days": {"en": "Oldest overdue days", "zh": "最长逾期天数"},
    "credit_col_flags": {"en": "Flags", "zh": "提示"},
    "credit_col_score": {"en": "Score", "zh": "评分"},
    "credit_col_previous_grade": {"en": "Was", "zh": "原等级"},
    "credit_col_change": {"en": "Change", "zh": "变化"},
    "credit_col_previous_limit": {"en": "Limit was", "zh": "原额度"},
    "credit_col_manual": {"en": "Manual", "zh": "人工"},
    "credit_col_factor": {"en": "Factor", "zh": "因素"},
    "credit_col_raw": {"en": "Raw value", "zh": "原始值"},
    "credit_col_sub_score": {"en": "Sub-score", "zh": "分项得分"},
    "credit_col_weight": {"en": "Weight", "zh": "权重"},
    "credit_col_points": {"en": "Points", "zh": "得分"},
    "credit_col_total": {"en": "Total", "zh": "合计"},
    # refused inputs (app/credit.py)
    "credit_bad_buckets": {
        "en": "aging buckets must be increasing positive whole days, like 30,60,90,180, not {buckets}",
        "zh": "账龄区间须为递增的正整数天数，如 30,60,90,180，而不是 {buckets}",
    },
    "credit_buckets_increasing": {
        "en": "{given!r}: use increasing positive whole days like 30,60,90,180",
        "zh": "{given!r}：请用递增的正整数天数，如 30,60,90,180",
    },
    "credit_buckets_whole_days": {
        "en": "{given!r}: use whole days like 30,60,90,180",
        "zh": "{given!r}：请用整数天数，如 30,60,90,180",
    },
    "credit_terms_redate": {
        "en": "{n} open order(s) of {code} without a due date of their own now fall due {days} days after "
        "their order date; a due date an order file gave is kept",
        "zh": "{code} 有 {n} 笔未结清且无自带到期日的订单，现按订单日期后 {days} 天到期；订单文件给出的到期日不变",
    },
    "credit_set_needs_note": {
        "en": "say why: a manual credit decision is kept in the review history with its note",
        "zh": "请说明原因：人工信用决定会连同说明记入评审历史",
    },
    "credit_statement_output": {
        "en": "--format html or xlsx writes the file --output names (and only they do)",
        "zh": "只有 --format html 或 xlsx 会写入 --output 指定的文件（且必须指定）",
    },
    "credit_hold_needs_note": {
        "en": "say why: it is kept in the credit history",
        "zh": "请说明原因：它会记入信用历史",
    },
    "credit_bad_basis": {
        "en": "--basis must be due or order, not {basis!r}",
        "zh": "--basis 须为 due（到期日）或 order（订单日），而不是 {basis!r}",
    },
    "credit_nothing_to_score": {
        "en": "{code} has no orders up to {today}: nothing to score",
        "zh": "{code} 在 {today} 之前没有订单，无法评分",
    },
    "credit_bad_amount": {
        "en": "--amount must be more than 0, not {amount}",
        "zh": "--amount 须大于 0，不能是 {amount}",
    },
    "credit_bad_grace": {
        "en": "--grace-days must be 0 or more, not {days}",
        "zh": "--grace-days 须为 0 或以上，不能是 {days}",
    },
    "credit_bad_grade": {
        "en": "--grade {grade!r}: use one of {grades}",
        "zh": "--grade {grade!r}：请使用以下之一：{grades}",
    },
    "credit_bad_limit": {
        "en": "--limit must be 0 (cash only) or more",
        "zh": "--limit 不能小于 0（0 表示只做现款）",
    },
    "credit_bad_terms": {"en": "--terms must be 0 days or more", "zh": "--terms 不能小于 0 天"},
    "credit_limit_negative": {
        "en": "a credit limit is 0 (cash only) or more",
        "zh": "信用额度不能小于 0（0 表示只做现款）",
    },
    "credit_set_what": {
        "en": "give --limit, --terms or --grade, or --clear alone",
        "zh": "请给出 --limit、--terms 或 --grade，或者只给 --clear",
    },
    "credit_nothing_to_clear": {
        "en": "{code} has no manual credit decision to clear",
        "zh": "{code} 没有可清除的人工信用决定",
    },
    # the codes shown in the credit tables (json keeps the codes)
    "credit_flag_over_limit": {"en": "over limit", "zh": "超额度"},
    "credit_flag_overdue": {"en": "overdue", "zh": "逾期"},
    "credit_flag_big_debtor": {"en": "big debtor", "zh": "大额欠款"},
    "credit_flag_hold": {"en": "on hold", "zh": "信用冻结"},
    "credit_change_new": {"en": "new", "zh": "首次评审"},
    "credit_change_up": {"en": "up", "zh": "上调"},
    "credit_change_down": {"en": "down", "zh": "下调"},
    "credit_factor_punctuality": {"en": "punctuality", "zh": "按时回款"},
    "credit_factor_overdue_share": {"en": "overdue_share", "zh": "逾期占比"},
    "credit_factor_utilization": {"en": "utilization", "zh": "额度使用"},
    "credit_factor_tenure": {"en": "tenure", "zh": "合作时长"},
    "credit_factor_volume": {"en": "volume", "zh": "交易额"},
    "credit_factor_score": {"en": "score", "zh": "总分"},
}
LABELS_ZH: dict[str, str] = {}

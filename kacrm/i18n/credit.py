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
        "en": "no credit limit for {code}: run {fix}",
        "zh": "{code} 没有信用额度：请运行 {fix}",
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
    "credit_bucket_not_due": {"en": "Not due", "zh": "未到期"},
    "credit_bucket_days": {"en": "{days}", "zh": "{days}天"},
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
}
LABELS_ZH: dict[str, str] = {}

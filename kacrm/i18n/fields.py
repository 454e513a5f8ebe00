"""The field names of one-record views (customer show, credit check, credit explain, tier fit) and the values
they show, in Chinese; render/fields.py reads them (json keeps the SPEC's English keys and codes)."""

from __future__ import annotations

_ZH = {
    "customer_code": "客户编号",
    "customer_name": "客户名称",
    "type": "类型",
    "status": "状态",
    "region": "区域",
    "owner": "业务员",
    "phone": "电话",
    "tier": "等级",
    "credit_grade": "信用等级",
    "orders": "订单数",
    "revenue": "销售额",
    "paid": "已回款",
    "outstanding": "应收余额",
    "first_order_on": "首单日期",
    "last_order_on": "末单日期",
    "last_contact_on": "最近联系",
    "short_name": "简称",
    "uscc": "统一社会信用代码",
    "pool_locked": "锁定（不进公海）",
    "industry": "行业",
    "address": "地址",
    "fax": "传真",
    "email": "邮箱",
    "source": "来源",
    "notes": "备注",
    "tier_method": "分级方法",
    "tier_pinned": "固定等级",
    "cadence_days": "联系周期（天）",
    "credit_limit": "信用额度",
    "payment_terms_days": "账期（天）",
    "stage": "阶段",
    "referred_by": "推荐人",
    "created_at": "建档时间",
    "updated_at": "更新时间",
    "approved": "批准",
    "amount": "金额",
    "limit": "额度",
    "headroom": "剩余额度",
    "reviewed_on": "评审日期",
    "score": "评分",
    "grade": "等级",
    "computed_grade": "计算等级",
    "computed_limit": "计算额度",
    "manual": "手工决定",
    "time_unit": "时间单位",
    "customers": "客户数",
    "r": "r",
    "alpha": "alpha",
    "a": "a",
    "b": "b",
    "log_likelihood": "对数似然",
    "p": "p",
    "q": "q",
    "v": "v",
    "converged": "已收敛",
    "hold": "信用冻结",
    "note": "说明",
    "iterations": "迭代次数",
}

MESSAGES: dict[str, dict[str, str]] = {
    f"field_{key}": {"en": key, "zh": zh} for key, zh in _ZH.items()
} | {
    "value_yes": {"en": "yes", "zh": "是"},
    "value_no": {"en": "no", "zh": "否"},
}

# Values these views show that have no label elsewhere (tier methods, time units).
VALUES_ZH: dict[str, str] = {
    "abc": "ABC 分级",
    "pyramid": "金字塔",
    "rfm": "RFM",
    "clv": "CLV",
    "week": "周",
    "day": "天",
}

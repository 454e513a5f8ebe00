"""The words of tier in English and Chinese: methods, groupings, metrics, rfm segments and movements.

They are messages (looked up with ``text``) rather than value labels: "new", "lost" and "other" mean one thing as an
rfm segment or a movement and another as a customer status or a contact role.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # column headers of render/tier.py
    "tier_col_value": {"en": "Value", "zh": "数值"},
    "tier_col_customers_by_customer": {"en": "Customers", "zh": "客户数"},
    "tier_col_customers_by_region": {"en": "Regions", "zh": "区域数"},
    "tier_col_value_share": {"en": "% {metric}", "zh": "{metric}占比"},
    "tier_col_recency": {"en": "Recency (days)", "zh": "最近购买(天)"},
    "tier_col_frequency": {"en": "Frequency", "zh": "频次"},
    "tier_col_monetary": {"en": "Monetary", "zh": "金额"},
    "tier_col_r": {"en": "R", "zh": "R"},
    "tier_col_f": {"en": "F", "zh": "F"},
    "tier_col_m": {"en": "M", "zh": "M"},
    "tier_col_segment": {"en": "Segment", "zh": "细分"},
    "tier_col_p_alive": {"en": "P(alive)", "zh": "活跃概率"},
    "tier_col_expected_purchases": {"en": "Expected purchases", "zh": "预期购买次数"},
    "tier_col_expected_order_value": {"en": "Expected order value", "zh": "预期单笔金额"},
    "tier_col_predicted_value": {"en": "Predicted value", "zh": "预测价值"},
    "tier_col_region": {"en": "Region", "zh": "区域"},
    "tier_col_customer_code": {"en": "Code", "zh": "编号"},
    "tier_col_customer_name": {"en": "Name", "zh": "客户名称"},
    "tier_col_tier": {"en": "Tier", "zh": "等级"},
    "tier_col_share": {"en": "Share", "zh": "占比"},
    "tier_col_cumulative_share": {"en": "Cumulative", "zh": "累计占比"},
    "tier_col_rank": {"en": "Rank", "zh": "排名"},
    "tier_col_previous_tier": {"en": "Previous", "zh": "上次等级"},
    "tier_col_customers_share": {"en": "% customers", "zh": "客户占比"},
    "tier_col_code": {"en": "Code", "zh": "编号"},
    "tier_col_name": {"en": "Name", "zh": "客户名称"},
    "tier_col_movement": {"en": "Movement", "zh": "变动"},
    "tier_col_history_customer_name": {"en": "Customer", "zh": "客户"},
    "tier_col_run": {"en": "Run", "zh": "批次"},
    "tier_col_as_of": {"en": "As of", "zh": "日期"},
    "tier_col_method": {"en": "Method", "zh": "方法"},
    "tier_col_metric": {"en": "Metric", "zh": "指标"},
    "tier_col_window": {"en": "Window", "zh": "期间"},
    "tier_bad_by": {
        "en": "--by: {by!r} must be customer or region",
        "zh": "--by: {by!r} 须为 customer（按客户）或 region（按区域）",
    },
    "tier_region_abc_only": {
        "en": "--by region: works with --method abc only (ABC sales areas)",
        "zh": "--by region: 只能与 --method abc 一起用（按区域的 ABC 分类）",
    },
    "tier_bad_method": {
        "en": "--method: {method!r} is not one of {methods}",
        "zh": "--method: {method!r} 不是 {methods} 之一",
    },
    "tier_filter_unknown": {
        "en": "--tier {tier!r}: use one of {tiers}",
        "zh": "--tier {tier!r}：请使用以下之一：{tiers}",
    },
    "tier_not_a_tier": {
        "en": "{tier!r} is not a tier; use A, B, C, platinum, gold, iron, lead or an rfm segment",
        "zh": "{tier!r} 不是等级；请用 A、B、C、白金、黄金、铁、铅或 RFM 分群（如核心客户）",
    },
    "tier_not_of_method": {
        "en": "{tier!r} is not a tier of {method}; use {tiers}",
        "zh": "{tier!r} 不是{method_zh}的等级；请用 {tiers}",
    },
    "tier_bad_thresholds": {
        "en": "--thresholds: {text!r} must be two percentages like 80,95",
        "zh": "--thresholds: {text!r} 须为两个百分数，如 80,95",
    },
    "tier_thresholds_order": {
        "en": "--thresholds: {text!r} must be two percentages 0 < A <= B <= 100, like 80,95",
        "zh": "--thresholds: {text!r} 须为两个百分数且 0 < A <= B <= 100，如 80,95",
    },
    "window_bad": {
        "en": "--window: {text!r} is not a window; use 12m, 24m (up to {most}m) or all",
        "zh": "--window: {text!r} 不是有效的期间；请用 12m、24m（最多 {most}m）、近12个月或全部",
    },
    "clv_bad_unit": {
        "en": "time unit must be week or day, not {unit!r}",
        "zh": "时间单位须为 week（周）或 day（天），而不是 {unit!r}",
    },
    "clv_no_orders": {
        "en": "no customer has an order to fit the BG/NBD model on",
        "zh": "没有客户有订单，无法拟合 BG/NBD 模型",
    },
    "clv_inconsistent": {
        "en": "purchase history is inconsistent: need 0 <= recency <= T and frequency >= 0",
        "zh": "购买记录不一致：须满足 0 <= 最近购买时间 <= 观察期 且 购买次数 >= 0",
    },
    "clv_few_repeaters": {
        "en": "fewer than two customers with repeat purchases: cannot fit the order-value model",
        "zh": "重复购买的客户不到两个，无法拟合客单价模型",
    },
    "clv_bad_horizon": {
        "en": "--horizon must be a positive number of days, not {days}",
        "zh": "--horizon 须为正的天数，而不是 {days}",
    },
    "tier_customers_deleted": {
        "en": "{n} customers were deleted while the tiering ran; nothing was stored, run it again",
        "zh": "分级运行期间有 {n} 个客户被删除；未保存任何内容，请重新运行",
    },
    "window_all": {"en": "all", "zh": "全部"},
    "window_months": {"en": "{n}m", "zh": "近 {n} 个月"},
    "tier_col_pinned": {"en": "Pinned", "zh": "锁定"},
    "method_abc": {"en": "abc", "zh": "ABC 分类"},
    "method_pyramid": {"en": "pyramid", "zh": "客户金字塔"},
    "method_rfm": {"en": "rfm", "zh": "RFM"},
    "method_clv": {"en": "clv", "zh": "CLV 购买概率"},
    "by_customer": {"en": "customer", "zh": "按客户"},
    "by_region": {"en": "region", "zh": "按区域"},
    "metric_revenue": {"en": "Revenue", "zh": "销售额"},
    "metric_profit": {"en": "Profit", "zh": "利润"},
    "metric_orders": {"en": "Orders", "zh": "订单数"},
    "metric_quantity": {"en": "Quantity", "zh": "数量"},
    "metric_predicted_value": {"en": "Predicted value", "zh": "预测价值"},
    "segment_champions": {"en": "champions", "zh": "核心客户"},
    "segment_loyal": {"en": "loyal", "zh": "忠诚客户"},
    "segment_potential": {"en": "potential", "zh": "潜力客户"},
    "segment_new": {"en": "new", "zh": "新客户"},
    "segment_at_risk": {"en": "at_risk", "zh": "有流失风险"},
    "segment_cannot_lose": {"en": "cannot_lose", "zh": "不可失去"},
    "segment_hibernating": {"en": "hibernating", "zh": "沉睡客户"},
    "segment_lost": {"en": "lost", "zh": "已流失"},
    "segment_other": {"en": "other", "zh": "其他"},
    "movement_up": {"en": "up", "zh": "升级"},
    "movement_down": {"en": "down", "zh": "降级"},
    "movement_new": {"en": "new", "zh": "新进"},
    "movement_same": {"en": "same", "zh": "不变"},
    "movement_changed": {"en": "changed", "zh": "变化"},
    "movement_separator": {"en": ", ", "zh": "，"},
}
LABELS_ZH: dict[str, str] = {}

# The rfm segments as a person types them for `tier pin` (核心客户 → champions).
SEGMENT_WORDS_ZH: dict[str, str] = {
    key.removeprefix("segment_"): words["zh"]
    for key, words in MESSAGES.items()
    if key.startswith("segment_")
}

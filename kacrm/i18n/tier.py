"""The words of tier in English and Chinese: methods, groupings, metrics, rfm segments and movements.

They are messages (looked up with ``text``) rather than value labels: "new", "lost" and "other" mean one thing as an
rfm segment or a movement and another as a customer status or a contact role.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
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

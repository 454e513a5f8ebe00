"""Chinese labels of the values kacrm stores (English codes in the database, in json and in code)."""

from __future__ import annotations

ZH_LABELS: dict[str, str] = {
    # customer types and statuses
    "consumer": "个人",
    "business": "企业",
    "channel": "渠道",
    "internal": "内部",
    "prospect": "潜在",
    "contacted": "已接触",
    "target": "目标",
    "active": "活跃",
    "dormant": "休眠",
    "lost": "流失",
    # roles
    "decision_maker": "决策人",
    "influencer": "影响者",
    "user": "使用者",
    "gatekeeper": "把关者",
    "other": "其他",
    # interaction kinds
    "visit": "拜访",
    "call": "电话",
    "meal": "宴请",
    "email": "邮件",
    "message": "微信/短信",
    "gift": "礼品",
    "card": "贺卡",
    "survey": "问卷",
    "complaint": "投诉",
    "service": "售后服务",
    "meeting": "会议",
    # stages and horizons
    "find": "发现",
    "attack": "攻关",
    "hold": "维持",
    "defend": "防守",
    "short": "短期",
    "mid": "中期",
    "long": "长期",
    # pyramid tiers
    "platinum": "白金",
    "gold": "黄金",
    "iron": "铁",
    "lead": "铅",
    # kinds of import file
    "customers": "客户资料",
    "contacts": "联系人",
    "orders": "订单",
    "payments": "回款",
    "interactions": "联系记录",
    "owners": "负责人",
    "schedules": "回款计划",
}

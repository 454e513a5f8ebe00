"""(Re)write sample_data/: the demo data set, as a Chinese sales office would export it from Excel or WPS.

Deterministic: everything comes from ``random.Random(seed)``, and the XLSX files get fixed timestamps, so the
same seed gives the same bytes. Run ``python -m bench.make_sample_data [--seed N] [--out DIR]``.

What the files exercise is described in sample_data/README.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import random
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from kacrm.app.demo import SAMPLE_FILES, SAMPLE_TODAY

DEFAULT_SEED = 20261120
N_CUSTOMERS = 200
START = SAMPLE_TODAY - timedelta(days=3 * 365)  # three years of orders
FOLLOW_UP_DAYS = 45  # interactions of the last 45 days may carry a 下次跟进 date
FIXED_TIME = datetime(2026, 11, 20, 8, 0, 0)  # XLSX document and zip-entry timestamps

CITIES = {
    "华南": ["深圳市", "广州市", "东莞市", "佛山市", "厦门市"],
    "华东": ["上海", "杭州", "苏州", "南京", "宁波"],
    "华北": ["北京", "天津", "青岛"],
    "西南": ["成都", "重庆", "昆明"],
    "华中": ["武汉", "长沙"],
    "西北": ["西安"],
}
REGION_WEIGHTS = {"华南": 30, "华东": 30, "华北": 15, "西南": 12, "华中": 9, "西北": 4}
BRANDS = list("华鑫恒博金泰宏盛远达新创中天瑞丰嘉信晨科安顺永和立德汇通")
INDUSTRIES = [
    "电子",
    "科技",
    "精密机械",
    "自动化设备",
    "建材",
    "医疗器械",
    "包装材料",
    "化工",
    "电器",
    "汽车配件",
    "光电",
    "新能源",
    "智能制造",
    "通信设备",
]
CHANNEL_SUFFIX = ["商贸有限公司", "贸易有限公司", "供应链有限公司", "实业有限公司"]
ENGLISH_NAMES = [
    "Pacific Rim Trading Ltd.",
    "Nordic Components GmbH",
    "Sunrise Electronics (HK) Ltd.",
    "Lion City Automation Pte. Ltd.",
    "Blue Harbor Supply Co.",
    "Kansai Precision K.K.",
    "Mekong Industrial JSC",
    "Atlas Medical Devices Inc.",
]
SURNAMES = list("王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高郑梁谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国志红文斌辉鹏玲宇浩凯晨欣怡子轩梓涵")
OWNERS = ["张伟", "李娜", "王磊", "刘洋", "陈静", "杨帆"]
# name, unit price (yuan), typical quantity, cost ratio
PRODUCTS = [
    ("工业控制主板", 1280.0, 40, 0.62),
    ("传感器模组", 86.5, 500, 0.55),
    ("电源适配器", 45.8, 800, 0.70),
    ("连接线束", 12.6, 3000, 0.66),
    ("伺服电机", 2350.0, 12, 0.68),
    ("触摸屏HMI", 1680.0, 15, 0.64),
    ("PLC控制器", 3200.0, 8, 0.60),
    ("维保服务", 8000.0, 1, 0.35),
    ("光电开关", 68.0, 300, 0.58),
    ("变频器", 4100.0, 5, 0.71),
]
SEASON = {
    1: 0.9,
    2: 0.45,
    3: 1.0,
    4: 1.0,
    5: 1.0,
    6: 1.25,
    7: 0.85,
    8: 0.85,
    9: 1.1,
    10: 0.8,
    11: 1.3,
    12: 1.45,
}
LUNAR_MONTHS = [
    "正月",
    "二月",
    "三月",
    "四月",
    "五月",
    "六月",
    "七月",
    "八月",
    "九月",
    "十月",
    "冬月",
    "腊月",
]
LUNAR_DAYS = [
    "初一",
    "初二",
    "初三",
    "初四",
    "初五",
    "初六",
    "初七",
    "初八",
    "初九",
    "初十",
    "十一",
    "十二",
    "十三",
    "十四",
    "十五",
    "十六",
    "十七",
    "十八",
    "十九",
    "二十",
    "廿一",
    "廿二",
    "廿三",
    "廿四",
    "廿五",
    "廿六",
    "廿七",
    "廿八",
    "廿九",
    "三十",
]
# Lunar birthdays that must appear: a festival day, leap months, the kitchen-god day, and two that fall in the
# week after the sample's today (2026-11-20 is the 12th day of the 10th lunar month), so the demo's due list
# shows lunar birthdays.
FIXED_LUNAR = [
    "八月十五",
    "闰四月初八",
    "腊月廿三",
    "正月初一",
    "闰六月十二",
    "农历十月十四",
    "十月十七",
    "闰二月十九",
]
HOBBIES = [
    "高尔夫",
    "茶",
    "钓鱼",
    "书法",
    "摄影",
    "羽毛球",
    "红酒",
    "登山",
    "围棋",
    "足球",
    "太极",
    "收藏",
]
TITLES = {
    "决策人": ["总经理", "董事长", "采购总监", "副总经理"],
    "影响者": ["技术总监", "财务经理", "生产经理", "研发经理"],
    "使用者": ["采购专员", "设备工程师", "仓库主管"],
    "把关者": ["总经理助理", "行政主管"],
}
KINDS = [
    ("电话", 30),
    ("拜访", 24),
    ("微信", 20),
    ("宴请", 8),
    ("礼品", 6),
    ("售后", 5),
    ("投诉", 4),
    ("会议", 3),
]
SUMMARIES = {
    "电话": ["电话沟通下季度需求", "确认交期", "催收货款", "报价跟进", "询问使用情况"],
    "拜访": ["上门拜访采购部", "拜访技术部介绍新品", "年度合作洽谈", "现场考察产线"],
    "微信": ["微信发送报价单", "微信确认发货信息", "节日问候"],
    "宴请": ["宴请采购总监", "商务晚宴", "年终答谢宴"],
    "礼品": ["中秋月饼礼盒", "春节茶叶礼盒", "生日礼物"],
    "售后": ["设备调试", "上门维修", "安装培训"],
    "投诉": ["到货延迟投诉", "产品质量问题投诉", "发票开错投诉", "包装破损投诉"],
    "会议": ["季度业务回顾会", "技术交流会"],
}


@dataclass
class Customer:
    code: str
    name: str
    type: str
    region: str
    owner: str
    terms: int
    weight: float  # relative size: revenue is roughly proportional to it
    first_day: date | None  # None: a prospect without orders
    last_day: date | None
    payer: str  # prompt | late | partial | lump | stopped
    referrer: str | None = None
    phone: str = ""
    fax: str = ""
    email: str = ""
    address: str = ""
    products: list[int] = field(default_factory=list)


@dataclass
class Order:
    order_no: str
    customer: Customer
    day: date
    product: str
    quantity: int
    amount_cents: int
    cost_cents: int | None
    round_quote: bool  # quoted in whole hundreds of yuan: may be written as 1.23万


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def mobile(rng: random.Random) -> str:
    digits = (
        rng.choice(("138", "139", "136", "158", "186", "133", "177"))
        + f"{rng.randrange(10**8):08d}"
    )
    style = rng.random()
    if style < 0.6:
        return digits
    if style < 0.85:
        return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    return f"+86 {digits[:3]} {digits[3:7]} {digits[7:]}"


def spell_date(rng: random.Random, d: date, weights: tuple[int, ...] = (50, 25, 10, 10, 5)) -> str:
    """A date as people type it: 2024-03-05, 2024/3/5, 2024年3月5日, 20240305, 2024.3.5."""
    styles = (
        f"{d:%Y-%m-%d}",
        f"{d.year}/{d.month}/{d.day}",
        f"{d.year}年{d.month}月{d.day}日",
        f"{d:%Y%m%d}",
        f"{d.year}.{d.month}.{d.day}",
    )
    return rng.choices(styles, weights=weights)[0]


def spell_money(rng: random.Random, cents: int, round_quote: bool = False) -> str:
    """Money as a sales office writes it: ¥12,345.60, 12345.60, 12,345.6, or 1.23万 for round quotes."""
    yuan = cents / 100
    if round_quote and cents % 10000 == 0 and cents >= 1_000_000:
        return f"{cents / 1_000_000:g}万"  # cents / (100 × 10,000)
    style = rng.random()
    if style < 0.35:
        return f"¥{yuan:,.2f}"
    if style < 0.8:
        return f"{yuan:.2f}"
    return f"{yuan:,.2f}".rstrip("0").rstrip(".")


def random_day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def company_names(rng: random.Random) -> Iterable[tuple[str, str, str, str]]:
    """Endless unique (name, type, region, city) tuples."""
    seen: set[str] = set()
    while True:
        roll = rng.random()
        region = rng.choices(list(REGION_WEIGHTS), weights=list(REGION_WEIGHTS.values()))[0]
        city = rng.choice(CITIES[region])
        brand = "".join(rng.sample(BRANDS, 2))
        if roll < 0.04:
            region = rng.choice(("华南", "华东"))
            name, kind, city = rng.choice(ENGLISH_NAMES), "企业", CITIES[region][0]
        elif roll < 0.10:
            name, kind = person_name(rng), "个人"
        elif roll < 0.26:
            name, kind = f"{city}{brand}{rng.choice(CHANNEL_SUFFIX)}", "经销商"
        else:
            suffix = "股份有限公司" if rng.random() < 0.15 else "有限公司"
            name, kind = f"{city}{brand}{rng.choice(INDUSTRIES)}{suffix}", "企业"
        if name not in seen:
            seen.add(name)
            yield name, kind, region, city


def make_customers(rng: random.Random) -> list[Customer]:
    customers: list[Customer] = []
    names = company_names(rng)
    for i in range(N_CUSTOMERS):
        name, kind, region, city = next(names)
        # Pareto-like sizes (alpha 1.2 gives roughly 80/20), capped so that one giant does not own the book.
        weight = min(rng.paretovariate(1.2), 80.0) * (0.3 if kind == "个人" else 1.0)
        life = rng.random()
        if life < 0.07:
            first, last = None, None  # a lead that never ordered
        elif life < 0.17:
            first = random_day(rng, START, START + timedelta(days=200))
            last = random_day(
                rng, START + timedelta(days=300), SAMPLE_TODAY - timedelta(days=250)
            )  # gone quiet
        elif life < 0.30:
            first, last = (
                random_day(
                    rng, SAMPLE_TODAY - timedelta(days=420), SAMPLE_TODAY - timedelta(days=60)
                ),
                SAMPLE_TODAY,
            )  # new this year
        else:
            first, last = START, SAMPLE_TODAY
        payer = rng.choices(("prompt", "late", "partial", "lump"), weights=(68, 16, 8, 8))[0]
        c = Customer(
            code=f"KH{i + 1:04d}",
            name=name,
            type=kind,
            region=region,
            owner=rng.choice(OWNERS),
            terms=rng.choices((30, 45, 60), weights=(5, 3, 2))[0],
            weight=weight,
            first_day=first,
            last_day=last,
            payer=payer,
            products=rng.sample(range(len(PRODUCTS)), rng.choice((1, 2, 2, 3))),
        )
        c.phone = (
            mobile(rng)
            if kind == "个人"
            else f"0{rng.randrange(10, 999)}-{rng.randrange(10**7, 10**8)}"
        )
        c.fax = (
            f"0{rng.randrange(10, 999)}-{rng.randrange(10**7, 10**8)}"
            if rng.random() < 0.25
            else ""
        )
        c.email = (
            f"purchase@{c.code.lower()}.example.cn" if kind != "个人" and rng.random() < 0.4 else ""
        )
        c.address = f"{city}{rng.choice(('高新区', '工业园', '开发区', '经济技术开发区'))}{rng.randrange(1, 300)}号"
        if i > 20 and rng.random() < 0.06:
            c.referrer = rng.choice(customers[:i]).name  # a recommendation by an earlier customer
        customers.append(c)
    # The classic risk: one of the biggest long-standing buyers stops paying for its recent orders.
    by_size = sorted((c for c in customers if c.first_day == START), key=lambda c: -c.weight)
    by_size[1].payer = "stopped"
    return customers


def make_orders(rng: random.Random, customers: list[Customer]) -> list[Order]:
    drafts: list[tuple[date, Customer, int, int]] = []
    peak = max(SEASON.values())
    for c in customers:
        if c.first_day is None or c.last_day is None:
            continue
        years = ((c.last_day - c.first_day).days + 1) / 365
        n = max(1, round(years * (1.5 + 2.5 * math.sqrt(c.weight)) * rng.uniform(0.7, 1.3)))
        while n:
            day = random_day(rng, c.first_day, c.last_day)
            keep = SEASON[day.month] / peak * (0.15 if day.weekday() >= 5 else 1.0)
            if rng.random() < keep:
                drafts.append((day, c, rng.choice(c.products), n))
                n -= 1
    drafts.sort(key=lambda d: (d[0], d[1].code, d[3]))
    orders: list[Order] = []
    per_day: dict[date, int] = {}
    for day, c, product_index, _ in drafts:
        product, price, qty, cost_ratio = PRODUCTS[product_index]
        quantity = max(1, round(qty * math.sqrt(c.weight) * rng.uniform(0.3, 1.5)))
        cents = round(quantity * price * rng.uniform(0.9, 1.0) * 100)
        round_quote = rng.random() < 0.12
        if round_quote:
            cents = max(10000, round(cents, -4))  # whole hundreds of yuan
        cost = round(cents * cost_ratio * rng.uniform(0.92, 1.08)) if rng.random() < 0.9 else None
        per_day[day] = per_day.get(day, 0) + 1
        orders.append(
            Order(
                f"SO{day:%Y%m%d}-{per_day[day]:03d}",
                c,
                day,
                product,
                quantity,
                cents,
                cost,
                round_quote,
            )
        )
    return orders


def make_payments(rng: random.Random, orders: list[Order]) -> list[dict[str, str]]:
    """One row per payment: most on time, some late, some partial, some monthly lump sums without 订单号."""
    raw: list[tuple[date, Customer, str, int]] = []
    lumps: dict[tuple[str, int, int], list[Order]] = {}
    for o in orders:
        c = o.customer
        due = o.day + timedelta(days=c.terms)
        if c.payer == "lump":
            lumps.setdefault((c.code, o.day.year, o.day.month), []).append(o)
            continue
        if c.payer == "stopped" and o.day > SAMPLE_TODAY - timedelta(days=210):
            continue
        delay = {"prompt": rng.randint(-10, 8), "late": rng.randint(15, 120)}.get(
            c.payer, rng.randint(0, 40)
        )
        share = rng.uniform(0.5, 0.9) if c.payer == "partial" and rng.random() < 0.4 else 1.0
        paid_on = due + timedelta(days=delay)
        if paid_on <= SAMPLE_TODAY:
            named = o.order_no if rng.random() < 0.8 else ""
            raw.append((paid_on, c, named, round(o.amount_cents * share)))
    for (_, year, month), group in lumps.items():
        month_end = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        paid_on = month_end + timedelta(days=group[0].customer.terms + rng.randint(-3, 10))
        if paid_on <= SAMPLE_TODAY:
            raw.append((paid_on, group[0].customer, "", sum(o.amount_cents for o in group)))
    raw.sort(key=lambda r: (r[0], r[1].code, r[2], r[3]))
    rows, per_day = [], {}
    for paid_on, c, order_no, cents in raw:
        per_day[paid_on] = per_day.get(paid_on, 0) + 1
        rows.append(
            {
                "回款单号": f"SK{paid_on:%Y%m%d}-{per_day[paid_on]:03d}",
                "客户名称": c.name,
                "订单号": order_no,
                "回款日期": spell_date(rng, paid_on, (70, 25, 5, 0, 0)),
                "回款金额": spell_money(rng, cents),
            }
        )
    return rows


def lunar_spelling(rng: random.Random) -> str:
    month, day = rng.randrange(12), rng.randrange(29)
    text = LUNAR_MONTHS[month] + LUNAR_DAYS[day]
    return rng.choices((text, "农历" + text, f"{month + 1}-{day + 1}"), weights=(70, 15, 15))[0]


def solar_birthday(rng: random.Random, near: date | None = None) -> str | datetime:
    """Mixed spellings, with and without the year; sometimes a real Excel date cell."""
    year = rng.randint(1962, 1992)
    if near is not None:
        month, day = near.month, near.day
    else:
        month, day = rng.randint(1, 12), rng.randint(1, 28)
    return rng.choices(
        (
            f"{year}年{month}月{day}日",
            f"{year}/{month}/{day}",
            f"{month}月{day}日",
            f"{month:02d}-{day:02d}",
            datetime(year, month, day),
        ),
        weights=(35, 25, 20, 8, 12),
    )[0]


def make_contacts(rng: random.Random, customers: list[Customer]) -> list[list[object]]:
    rows: list[list[object]] = []
    fixed_lunar = list(FIXED_LUNAR)
    near = [
        SAMPLE_TODAY + timedelta(days=d) for d in (1, 2, 4, 6)
    ]  # solar birthdays in the demo's week
    for c in customers:
        if c.type == "个人":
            people = [(c.name, "决策人", "本人")]
        else:
            n = 1 + (c.weight > 2) + (c.weight > 6) + (rng.random() < 0.3)
            roles = ["决策人", *rng.sample(["影响者", "使用者", "把关者", "影响者"], n - 1)]
            taken: set[str] = set()
            people = []
            for role in roles:
                name = person_name(rng)
                while name in taken:
                    name = person_name(rng)
                taken.add(name)
                people.append((name, role, rng.choice(TITLES[role])))
        for name, role, title in people:
            roll = rng.random()
            birthday: object = ""
            lunar = ""
            if fixed_lunar and roll < 0.12:
                lunar = fixed_lunar.pop(0)
            elif near and roll < 0.2:
                birthday = solar_birthday(rng, near.pop(0))
            elif roll < 0.68:
                birthday = solar_birthday(rng)
            elif roll < 0.88:
                lunar = lunar_spelling(rng)
            if rng.random() < 0.3:
                wed = date(rng.randint(1988, 2016), rng.randint(1, 12), rng.randint(1, 28))
                anniversary = spell_date(rng, wed, (60, 10, 30, 0, 0))
            else:
                anniversary = ""
            hobbies = "、".join(rng.sample(HOBBIES, rng.choice((0, 1, 1, 2))))
            email = f"{c.code.lower()}.{len(rows)}@example.cn" if rng.random() < 0.3 else ""
            rows.append(
                [
                    c.name,
                    name,
                    title,
                    role,
                    mobile(rng),
                    email,
                    birthday,
                    lunar,
                    anniversary,
                    hobbies,
                ]
            )
    return rows


def make_interactions(
    rng: random.Random, customers: list[Customer], orders: list[Order]
) -> list[list[object]]:
    last_order: dict[str, date] = {}
    for o in orders:
        last_order[o.customer.code] = o.day
    rows: list[tuple[date, str, str, str, int | None, date | None, date | None]] = []
    window_start = SAMPLE_TODAY - timedelta(days=2 * 365)
    for c in customers:
        first = max(c.first_day or window_start, window_start)
        last = min(c.last_day + timedelta(days=90), SAMPLE_TODAY) if c.last_day else SAMPLE_TODAY
        if first > last:
            continue
        years = ((last - first).days + 1) / 365
        for _ in range(
            max(1, round(years * (2 + 3 * math.sqrt(c.weight)) * rng.uniform(0.6, 1.2)))
        ):
            day = random_day(rng, first, last)
            kind = rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]
            cost = {"宴请": rng.randint(600, 3500), "礼品": rng.randint(200, 2000)}.get(kind)
            if kind == "拜访" and rng.random() < 0.5:
                cost = rng.randint(80, 400)
            # Follow-up dates only on recent records: older ones were followed up long ago (by calls that the
            # office did not log as done), and would otherwise flood the due list as years overdue.
            recent = (SAMPLE_TODAY - day).days <= FOLLOW_UP_DAYS
            follow = (
                day + timedelta(days=rng.randint(7, 45)) if recent and rng.random() < 0.6 else None
            )
            resolved = None
            if kind == "投诉" and not ((SAMPLE_TODAY - day).days < 60 and rng.random() < 0.5):
                resolved = min(day + timedelta(days=rng.randint(1, 20)), SAMPLE_TODAY)
            rows.append((day, c.code, kind, rng.choice(SUMMARIES[kind]), cost, follow, resolved))
    # Two recent complaints left open, so the demo has something to resolve first.
    for c, days_ago in ((customers[2], 5), (customers[7], 12)):
        rows.append(
            (
                SAMPLE_TODAY - timedelta(days=days_ago),
                c.code,
                "投诉",
                "到货延迟投诉",
                None,
                None,
                None,
            )
        )
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[3]))
    as_cells = lambda d: datetime(d.year, d.month, d.day) if d else None  # noqa: E731 - Excel date cells
    return [
        [c, as_cells(d), k, s, cost, as_cells(f), as_cells(r)] for d, c, k, s, cost, f, r in rows
    ]


def write_csv(
    path: Path, header: list[str], rows: Iterable[list[object]], encoding: str, delimiter: str = ","
) -> None:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter, lineterminator="\r\n")  # Excel writes CRLF
        writer.writerow(header)
        writer.writerows(rows)


def write_xlsx(
    path: Path,
    header: list[str],
    rows: list[list[object]],
    title: str | None = None,
    date_columns: tuple[int, ...] = (),
) -> None:
    """An XLSX file with byte-stable output (fixed document and zip timestamps)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(header)
    for row in rows:
        ws.append(row)
    first_data = 3 if title else 2
    for col in date_columns:
        for (cell,) in ws.iter_rows(min_row=first_data, min_col=col, max_col=col):
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd"
    for cell in ws[first_data - 1]:
        ws.column_dimensions[cell.column_letter].width = 14
    wb.properties.created = FIXED_TIME
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            stable = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            stable.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time as "modified"
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            dst.writestr(stable, data)


def write_sample_data(out: Path, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Write the five files into ``out``; returns the number of data rows per file."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    customers = make_customers(rng)
    orders = make_orders(rng, customers)
    payments = make_payments(rng, orders)
    contacts = make_contacts(rng, customers)
    interactions = make_interactions(rng, customers, orders)

    write_csv(
        out / SAMPLE_FILES["customers"],
        [
            "客户编号",
            "客户名称",
            "客户类型",
            "区域",
            "业务员",
            "账期",
            "电话",
            "传真",
            "邮箱",
            "地址",
            "推荐人",
        ],
        (
            [
                c.code,
                c.name,
                c.type,
                c.region,
                c.owner,
                c.terms,
                c.phone,
                c.fax,
                c.email,
                c.address,
                c.referrer or "",
            ]
            for c in customers
        ),
        encoding="gbk",
    )
    write_xlsx(
        out / SAMPLE_FILES["contacts"],
        [
            "客户名称",
            "联系人",
            "职务",
            "角色",
            "手机",
            "邮箱",
            "生日",
            "农历生日",
            "结婚纪念日",
            "爱好",
        ],
        contacts,
        title=f"重点客户关键人名单（导出日期：{SAMPLE_TODAY:%Y年%m月%d日}）",
        date_columns=(7,),
    )
    write_csv(
        out / SAMPLE_FILES["orders"],
        ["订单号", "客户编号", "客户名称", "日期", "产品", "数量", "金额", "成本"],
        (
            [
                o.order_no,
                o.customer.code,
                o.customer.name,
                spell_date(rng, o.day),
                o.product,
                o.quantity,
                spell_money(rng, o.amount_cents, o.round_quote),
                "" if o.cost_cents is None else f"{o.cost_cents / 100:.2f}",
            ]
            for o in orders
        ),
        encoding="utf-8-sig",
    )
    write_csv(
        out / SAMPLE_FILES["payments"],
        ["回款单号", "客户名称", "订单号", "回款日期", "回款金额"],
        ([r[k] for k in r] for r in payments),
        encoding="utf-8",
    )
    write_xlsx(
        out / SAMPLE_FILES["interactions"],
        ["客户编号", "日期", "方式", "内容", "费用", "下次跟进", "解决日期"],
        interactions,
        date_columns=(2, 6, 7),
    )
    plans = make_schedules(orders)
    write_csv(
        out / SAMPLE_FILES["schedules"],
        ["订单号", "期数", "计划回款日期", "计划回款金额"],
        plans,
        encoding="utf-8-sig",
    )
    return {
        "customers": len(customers),
        "contacts": len(contacts),
        "orders": len(orders),
        "payments": len(payments),
        "interactions": len(interactions),
        "schedules": len(plans),
    }


PLANNED_ORDERS = 8  # the largest orders of the last PLAN_DAYS get a payment plan (回款计划)
PLAN_DAYS = 150


def make_schedules(orders: list[Order]) -> list[list[object]]:
    """Payment plans for the largest recent orders: three instalments 30, 60 and 90 days after the order, the
    amount in thirds (the last takes the odd cents), so that the demo's due list shows instalments at every
    level of the follow-up ladder. No randomness: the other files' bytes stay as they were."""
    recent = [o for o in orders if o.day > SAMPLE_TODAY - timedelta(days=PLAN_DAYS)]
    largest = sorted(recent, key=lambda o: (-o.amount_cents, o.order_no))[:PLANNED_ORDERS]
    rows: list[list[object]] = []
    for o in sorted(largest, key=lambda o: o.order_no):
        third = o.amount_cents // 3
        parts = [third, third, o.amount_cents - 2 * third]
        for n, cents in enumerate(parts, start=1):
            due = o.day + timedelta(days=30 * n)
            rows.append([o.order_no, n, due.isoformat(), f"{cents / 100:.2f}"])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent.parent / "sample_data"
    )
    args = parser.parse_args()
    counts = write_sample_data(args.out, args.seed)
    print(", ".join(f"{k}: {v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()

"""Matching the header row of an import file to kacrm's fields, and telling what kind of file it is (SPEC §5, §11).

Headers match after ``normalize_header`` (case, width, spaces, ``_``, ``-``, ``*`` and a trailing unit in brackets
do not matter). A generic header such as 日期, 金额, 类型, 客户 or ``date`` is read according to the kind of file.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from kacrm.errors import input_error
from kacrm.i18n import label, t

KINDS = ("customers", "contacts", "orders", "payments", "interactions", "owners")
# every kind `kacrm import` reads: the data kinds above, and payment plans (kacrm.io.schedules)
SCHEDULES = "schedules"
IMPORT_KINDS = (*KINDS, SCHEDULES)

FIELDS: dict[str, tuple[str, ...]] = {
    "customers": (
        "code",
        "name",
        "short_name",
        "uscc",
        "type",
        "status",
        "region",
        "industry",
        "owner",
        "address",
        "phone",
        "fax",
        "email",
        "source",
        "notes",
        "tier",
        "payment_terms_days",
        "credit_limit",
        "credit_grade",
        "stage",
        "referred_by",
        "cadence_days",
        "contact_name",
        "contact_title",
        "contact_role",
        "contact_phone",
        "contact_email",
        "birthday",
        "lunar_birthday",
        "anniversary",
        "hobbies",
    ),
    "contacts": (
        "customer_code",
        "customer_name",
        "customer_short_name",
        "name",
        "title",
        "role",
        "phone",
        "email",
        "birthday",
        "lunar_birthday",
        "anniversary",
        "hobbies",
        "notes",
        "is_primary",
    ),
    "orders": (
        "order_no",
        "customer_code",
        "customer_name",
        "customer_short_name",
        "order_date",
        "amount",
        "quantity",
        "product",
        "cost",
        "due_date",
        "salesperson",
        "status",
    ),
    "payments": (
        "payment_no",
        "customer_code",
        "customer_name",
        "customer_short_name",
        "order_no",
        "paid_on",
        "amount",
        "method",
    ),
    "interactions": (
        "customer_code",
        "customer_name",
        "customer_short_name",
        "contact",
        "happened_on",
        "kind",
        "summary",
        "outcome",
        "cost",
        "resolved_on",
        "next_due",
        "key",
    ),
    # issue 15: the team's salespeople, as `kacrm owner set` stores them and `kacrm export owners` writes them
    "owners": ("owner", "email", "capacity"),
}

# Payment plans (回款计划, SPEC §15): the `schedules` kind, read by kacrm.io.schedules.
SCHEDULE_ALIASES: dict[str, tuple[str, ...]] = {
    "order_no": (
        "order_no",
        "order no",
        "order",
        "订单号",
        "订单编号",
        "合同号",
        "合同编号",
        "单据编号",
    ),
    "instalment": ("instalment", "installment", "instalment no", "期数", "期次", "期号", "第几期"),
    "due_on": ("due_on", "due_date", "due date", "计划回款日期", "计划日期", "计划收款日期"),
    "amount": ("amount", "计划回款金额", "计划金额", "计划收款金额", "金额"),
}

# A customer is named by code, name or short name (客户简称): a row's name, where it has none its short name.
_CUSTOMER_REF = ("customer_code", "customer_name", "customer_short_name")
# Groups of fields of which at least one must be present.
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "customers": (("code", "name"),),
    "contacts": (_CUSTOMER_REF, ("name",)),
    "orders": (_CUSTOMER_REF, ("order_date",), ("amount",)),
    "payments": (_CUSTOMER_REF, ("paid_on",), ("amount",)),
    "interactions": (_CUSTOMER_REF, ("happened_on",)),
    "owners": (("owner",),),
}

# ------------------------------------------------------------------------------------------ aliases (SPEC §11)

_CUSTOMER_CODE = (
    "customer_code",
    "customer id",
    "customer no",
    "account",
    "客户编号",
    "客户代码",
    "客户编码",
    "客户号",
    "客户id",
    "往来单位编码",
    "往来单位编号",
    "单位编码",
    "购货单位编码",
    "客户档案编码",
)
_CUSTOMER_NAME = (
    "customer",
    "customer_name",
    "company",
    "客户名称",
    "客户",
    "公司名称",
    "单位名称",
    "客户名",
    "公司",
    "客户全称",
    "企业名称",
    "往来单位",
    "往来单位名称",
    "购货单位",
    "购买单位",
    "订货单位",
    "订货客户",
    "结算客户",
    "付款单位",
    "交款单位",
)
# A customer's short name (SPEC §11): its own field in a customers file; elsewhere it names the customer.
_SHORT_NAME = ("short_name", "abbreviation", "客户简称", "简称", "单位简称", "往来单位简称")
_USCC = (
    "uscc",
    "credit_code",
    "tax_id",
    "统一社会信用代码",
    "社会信用代码",
    "信用代码",
    "税号",
    "纳税人识别号",
    "纳税人登记号",
    "税务登记号",
)
_PERSON = ("contact", "contact_name", "联系人", "姓名", "关键人", "联系人姓名", "主联系人")
_PHONE = (
    "phone",
    "tel",
    "telephone",
    "电话",
    "联系电话",
    "座机",
    "联系方式",
    "公司电话",
    "办公电话",
    "固定电话",
)
_MOBILE = ("mobile", "手机", "手机号", "手机号码", "移动电话")
_EMAIL = ("email", "e-mail", "邮箱", "电子邮件", "电子邮箱")
_TITLE = ("title", "position", "职务", "职位")
_ROLE = ("role", "角色")
_PERSONAL = {
    "birthday": ("birthday", "birth_date", "dob", "生日", "出生日期"),
    "lunar_birthday": ("lunar_birthday", "农历生日", "阴历生日"),
    "anniversary": ("anniversary", "wedding_anniversary", "结婚纪念日"),
    "hobbies": ("hobbies", "interests", "爱好", "兴趣爱好"),
}
_NOTES = ("notes", "note", "remark", "remarks", "备注", "备注说明")
_ORDER_NO = (
    "order_no",
    "order_id",
    "invoice",
    "订单号",
    "单号",
    "订单编号",
    "销售订单号",
    "订单单号",
)
# 单据编号 / 单据日期 (the document's number and date in 用友, 金蝶, 管家婆) are the order's in an orders file and the
# payment's in a payments file.
_DOCUMENT_NO = ("单据编号", "单据号", "单据编码", "单据号码")
_DOCUMENT_DATE = ("单据日期", "业务日期", "制单日期", "开单日期", "录单日期")
_SALESPERSON = (
    "owner",
    "salesperson",
    "sales_rep",
    "负责人",
    "业务员",
    "销售员",
    "专管业务员",
    "分管业务员",
    "所属业务员",
    "客户经理",
    "销售代表",
    "经办人",
    "销售人员",
)
_STATUS = ("status", "状态")

_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "customers": {
        "code": ("code", *_CUSTOMER_CODE, "编号", "编码"),
        "name": ("name", *_CUSTOMER_NAME, "名称"),
        "short_name": _SHORT_NAME,
        "uscc": _USCC,
        "type": ("type", "customer_type", "客户类型", "类型"),
        "status": (*_STATUS, "客户状态"),
        "region": (
            "region",
            "territory",
            "area",
            "区域",
            "地区",
            "片区",
            "所属区域",
            "所属地区",
            "销售区域",
            "地区分类",
        ),
        "industry": ("industry", "行业", "所属行业"),
        "owner": _SALESPERSON,
        "address": ("address", "地址", "通讯地址", "详细地址", "公司地址", "联系地址", "注册地址"),
        "phone": _PHONE + _MOBILE,  # mobile goes to contact_phone when the file names a key person
        "fax": ("fax", "传真"),
        "email": _EMAIL,
        "source": ("source", "客户来源", "来源"),
        "notes": _NOTES,
        "tier": ("tier", "level", "客户等级", "等级", "级别", "客户级别"),
        "payment_terms_days": (
            "payment_terms_days",
            "terms",
            "payment_terms",
            "账期",
            "付款期限",
            "信用期",
            "信用期限",
            "信用天数",
            "账期天数",
            "付款条件",
            "收款条件",
            "结算期限",
        ),
        "credit_limit": ("credit_limit", "信用额度"),
        "credit_grade": ("credit_grade", "信用等级"),
        "stage": ("stage", "sales_stage", "阶段", "销售阶段"),
        "referred_by": ("referred_by", "referrer", "推荐人", "介绍人", "推荐客户"),
        "cadence_days": ("cadence_days", "cadence", "联系周期", "拜访周期"),
        "contact_name": _PERSON,
        "contact_title": (*_TITLE, "contact_title"),
        "contact_role": (*_ROLE, "contact_role"),
        "contact_phone": ("contact_phone", "contact_mobile", "联系人电话", "联系人手机"),
        "contact_email": ("contact_email", "联系人邮箱"),
        **_PERSONAL,
    },
    "contacts": {
        "customer_code": ("code", *_CUSTOMER_CODE, "编号"),
        "customer_name": (*_CUSTOMER_NAME, "名称"),
        "customer_short_name": _SHORT_NAME,
        "name": ("name", *_PERSON),
        "title": _TITLE,
        "role": _ROLE,
        "phone": _PHONE + _MOBILE,
        "email": _EMAIL,
        **_PERSONAL,
        "notes": _NOTES,
        "is_primary": ("is_primary", "primary", "主要联系人", "首要联系人", "是否主要联系人"),
    },
    "orders": {
        "order_no": (*_ORDER_NO, *_DOCUMENT_NO, "出库单号", "发货单号", "销货单号", "销售单号"),
        "customer_code": _CUSTOMER_CODE,
        "customer_name": ("name", *_CUSTOMER_NAME, "收货单位"),
        "customer_short_name": _SHORT_NAME,
        "order_date": (
            "order_date",
            "date",
            "日期",
            "下单日期",
            "订单日期",
            *_DOCUMENT_DATE,
            "销售日期",
            "发货日期",
            "出库日期",
        ),
        "amount": (
            "amount",
            "total",
            "revenue",
            "金额",
            "订单金额",
            "销售额",
            "价税合计",
            "含税金额",
            "本币价税合计",
            "金额价税合计",
            "价税合计金额",
            "销售金额",
            "总金额",
            "金额合计",
            "订单总额",
            "合计金额",
            "应收金额",
        ),
        "quantity": ("quantity", "qty", "数量", "销售数量", "出库数量", "发货数量", "订货数量"),
        "product": (
            "product",
            "item",
            "产品",
            "商品",
            "品名",
            "产品名称",
            "商品名称",
            "存货名称",
            "物料名称",
            "货品名称",
            "商品全名",
        ),
        "cost": ("cost", "成本", "成本金额", "销售成本"),
        "due_date": ("due_date", "到期日", "应收日期", "到期日期", "收款到期日"),
        "salesperson": _SALESPERSON,
        "status": (*_STATUS, "订单状态", "单据状态"),
    },
    "payments": {
        "payment_no": (
            "payment_no",
            "payment_id",
            "回款单号",
            "收款单号",
            *_DOCUMENT_NO,
            "收款单编号",
            "回款单编号",
        ),
        "customer_code": _CUSTOMER_CODE,
        "customer_name": ("name", *_CUSTOMER_NAME),
        "customer_short_name": _SHORT_NAME,
        "order_no": (*_ORDER_NO, "源单编号", "源单号", "关联订单号"),
        "paid_on": (
            "paid_on",
            "payment_date",
            "date",
            "日期",
            "回款日期",
            "付款日期",
            "收款日期",
            *_DOCUMENT_DATE,
            "到账日期",
        ),
        "amount": (
            "amount",
            "total",
            "金额",
            "回款金额",
            "付款金额",
            "收款金额",
            "本次收款金额",
            "本次收款",
            "实收金额",
            "收款金额本币",
            "本币收款金额",
            "到账金额",
        ),
        "method": (
            "method",
            "payment_method",
            "付款方式",
            "支付方式",
            "收款方式",
            "回款方式",
            "结算方式",
        ),
    },
    "interactions": {
        "customer_code": _CUSTOMER_CODE,
        "customer_name": ("name", *_CUSTOMER_NAME),
        "customer_short_name": _SHORT_NAME,
        "contact": _PERSON,
        "happened_on": (
            "happened_on",
            "date",
            "日期",
            "联系日期",
            "拜访日期",
            "跟进日期",
            "跟进时间",
            "拜访时间",
        ),
        "kind": (
            "kind",
            "interaction_type",
            "type",
            "方式",
            "联系方式",
            "类型",
            "跟进方式",
            "拜访方式",
        ),
        "summary": ("summary", "note", "notes", "内容", "备注", "摘要", "跟进内容", "拜访内容"),
        "outcome": ("outcome", "result", "结果", "跟进结果"),
        "cost": ("cost", "expense", "费用", "花费"),
        "resolved_on": ("resolved_on", "解决日期", "处理日期"),
        "next_due": (
            "next_due",
            "follow_up",
            "下次跟进",
            "下次联系",
            "下次跟进日期",
            "下次联系日期",
        ),
        "key": ("key", "record_key", "记录键"),  # written by `kacrm export interactions`
    },
    "owners": {
        "owner": ("owner", "name", "salesperson", "负责人", "业务员", "销售员", "姓名"),
        "email": ("email", "邮箱", "电子邮件"),
        "capacity": ("capacity", "客户上限", "容量"),
    },
}

# Where a file has two columns for one field, a column under one of these headers wins wherever it stands: the
# tax-inclusive total (价税合计) is what the customer owes, not the net amount (金额, 无税金额) beside it.
_PREFERRED = {
    "amount": ("价税合计", "含税金额", "本币价税合计", "金额价税合计", "本次收款金额"),
    "customer_name": ("客户名称", "客户全称", "customer_name"),
}

# What a totals row says in one of its cells (kacrm.io.readers skips such rows): these words, in upper, title or
# lower case, CJK ones also spread out with spaces (合 计), each also with a colon after it.
_TOTAL_BASE = (
    "合计",
    "小计",
    "总计",
    "总合计",
    "本页合计",
    "累计",
    "total",
    "subtotal",
    "sub total",
    "grand total",
)


def _total_spellings() -> frozenset[str]:
    words: set[str] = set()
    for base in _TOTAL_BASE:
        forms = {base, base.upper(), base.title(), base.capitalize()}
        if not base.isascii():
            forms |= {" ".join(base), "  ".join(base), "\u3000".join(base)}
        words |= {form + suffix for form in forms for suffix in ("", ":", "：")}
    return frozenset(words)


TOTAL_WORDS = _total_spellings()

# The signature lines an ERP prints under a report (用友/金蝶: 制表人：张三  审核人：李四  打印日期：…): a cell that
# starts with one of these words and a colon. Looked for only in rows that could not be read as data.
FOOTER_CELL = re.compile(
    r"\s*(制表人|制表|制单人|制单|审核人|审核|复核人|复核|记账人|记账|出纳|会计主管|财务主管|经办人|业务员签字"
    r"|打印人|打印日期|打印时间|签收人)\s*[:：]"
)

_UNIT = re.compile(r"\s*[(\[【][^()\[\]【】]*[)\]】]$")
_DROPPED = re.compile(r"[\s_\-*]+")
# ... a unit that says the amounts are not in yuan (金额（万元）): the importer refuses such a money column
_SCALED_UNIT = re.compile(r"[(\[【]\s*(万元|万|千元|千|百万元|百万|亿元|亿)\s*[)\]】]\s*$")


def scaled_unit(h: str) -> str | None:
    """The unit in brackets at the end of a header when it scales amounts (万元, 千元, 亿…), else None."""
    found = _SCALED_UNIT.search(unicodedata.normalize("NFKC", h))
    return found[1] if found else None


# Characters a header can carry without showing them: zero-width spaces and joiners copied from a web page, a
# byte-order mark in a cell (a file pasted together from two exports), a soft hyphen.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def normalize_header(h: str) -> str:
    """The header as matched: invisible characters dropped, NFKC (full-width to ASCII), casefolded, a trailing
    unit in brackets dropped, spaces, ``_``, ``-`` and ``*`` removed: ``"* 金额（元）"`` matches ``金额``,
    ``Order_No`` matches ``order no``, ``"\u200b客户编码"`` matches ``客户编码``.
    """
    text = unicodedata.normalize("NFKC", h.translate(_INVISIBLE)).strip()
    without_unit = _UNIT.sub("", text)
    if _DROPPED.sub("", without_unit):
        text = without_unit
    return _DROPPED.sub("", text.casefold())


def _index(kind: str) -> dict[str, str]:
    """Normalised alias -> field, for one kind (the field name itself is always an alias)."""
    index: dict[str, str] = {}
    for name in FIELDS[kind]:
        for alias in (name, *_ALIASES[kind].get(name, ())):
            index.setdefault(normalize_header(alias), name)
    return index


_INDEX = {kind: _index(kind) for kind in KINDS}


@dataclass
class HeaderMap:
    """How the columns of one file map to fields of one kind."""

    fields: dict[int, str] = field(default_factory=dict)  # column position -> field
    unknown: list[str] = field(default_factory=list)  # headers not used, with the reason if any
    unknown_zh: list[str] = field(default_factory=list)  # the same in Chinese
    missing: list[str] = field(default_factory=list)  # required groups not satisfied, in words
    missing_zh: list[str] = field(
        default_factory=list
    )  # the same, named by their usual Chinese headers
    unused_overrides: list[str] = field(default_factory=list)  # --map sources matching no column

    @property
    def columns(self) -> dict[str, int]:
        """Field -> column position."""
        return {name: pos for pos, name in self.fields.items()}


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise input_error("imp_unknown_kind", **unknown_kind_values(kind))


def _normalized_overrides(
    overrides: dict[str, str] | None, kind: str, norms: list[str]
) -> dict[str, str]:
    """The --map pairs whose source is a column of this file (normalised); a target that is not a field of
    ``kind`` is an error only there, since with several files a pair may be meant for another one."""
    result: dict[str, str] = {}
    for source, target in (overrides or {}).items():
        if normalize_header(source) not in norms:
            continue
        if target not in FIELDS[kind]:
            values = {"source": source, "target": target, "kind": kind}
            values["fields"] = ", ".join(FIELDS[kind])
            raise input_error("imp_map_not_field", **values)
        result[normalize_header(source)] = target
    return result


_MOBILE_NORMALIZED = frozenset(normalize_header(a) for a in _MOBILE)
_PREFERRED_NORMALIZED = {f: frozenset(map(normalize_header, a)) for f, a in _PREFERRED.items()}


def _field_for(norm: str, kind: str, overrides: dict[str, str], has_person: bool) -> str | None:
    if norm in overrides:
        return overrides[norm]
    name = _INDEX[kind].get(norm)
    if kind == "customers" and name == "phone" and has_person and norm in _MOBILE_NORMALIZED:
        return "contact_phone"  # a mobile next to a key person's name is that person's
    return name


def field_of(header: str, kind: str) -> str | None:
    """The field that ``header`` names in a file of ``kind`` by its aliases alone, or None."""
    return _INDEX[kind].get(normalize_header(header))


def map_headers(
    headers: list[str], kind: str, overrides: dict[str, str] | None = None
) -> HeaderMap:
    """Map each column to a field of ``kind``; ``overrides`` (from ``--map SOURCE=FIELD``) win over aliases.

    Two columns for one field: a ``--map`` source or a preferred header (价税合计 over 金额) wins, else the first;
    the other is reported unknown ("duplicate of FIELD").
    """
    _check_kind(kind)
    norms = [normalize_header(h) for h in headers]
    mapped_overrides = _normalized_overrides(overrides, kind, norms)
    has_person = any(_field_for(n, kind, mapped_overrides, False) == "contact_name" for n in norms)
    names = [
        _field_for(norm, kind, mapped_overrides, has_person) if norm else None for norm in norms
    ]
    chosen: dict[str, int] = {}
    for pos, name in enumerate(names):
        if name is not None and name not in chosen:
            chosen[name] = pos
    for pos, name in enumerate(names):
        if name is None or chosen[name] == pos:
            continue
        if _rank(norms[pos], name, mapped_overrides) > _rank(
            norms[chosen[name]], name, mapped_overrides
        ):
            chosen[name] = pos
    result = HeaderMap()
    winners = {pos: name for name, pos in chosen.items()}
    for pos, (header, name) in enumerate(zip(headers, names, strict=True)):
        if name is None:
            why = ("", {}) if norms[pos] else ("imp_no_header", {"n": pos + 1})
        elif winners.get(pos) == name:
            result.fields[pos] = name
            continue
        else:
            why = ("imp_duplicate_of", {"header": header, "field": name})
        key, values = why
        result.unknown.append(t(key, "en", **values) if key else header)
        if "field" in values:
            values["field"] = field_words(kind, name)
        result.unknown_zh.append(t(key, "zh", **values) if key else header)
    result.fields = dict(sorted(result.fields.items()))
    groups = [group for group in REQUIRED[kind] if not chosen.keys() & set(group)]
    result.missing = [" or ".join(group) for group in groups]
    result.missing_zh = ["或".join(field_words(kind, f) for f in group) for group in groups]
    result.unused_overrides = [
        source for source in (overrides or {}) if normalize_header(source) not in norms
    ]
    return result


def _rank(norm: str, name: str, overrides: dict[str, str]) -> int:
    """2 for a --map source, 1 for a preferred header of the field, else 0."""
    if norm in overrides:
        return 2
    return int(norm in _PREFERRED_NORMALIZED.get(name, ()))


# ------------------------------------------------------------------------------------------ near misses

HINT_CUTOFF = 0.6


def header_hints(headers: list[str], kind: str, header_map: HeaderMap) -> list[tuple[str, str]]:
    """(header, field) for each unknown header that is close to an alias of a field the file lacks; a column
    that is read already (by its alias or a ``--map``) gets no hint.

    Close: the header contains an alias of two or more characters (本次收款金额合计 holds 收款金额), or the
    alias contains it, or difflib finds them at least HINT_CUTOFF alike (``custmer_name``).
    """
    from difflib import SequenceMatcher

    taken = set(header_map.fields.values())
    aliases = [(a, f) for a, f in _INDEX[kind].items() if f not in taken and len(a) >= 2]
    hints: list[tuple[str, str]] = []
    for pos, header in enumerate(headers):
        norm = normalize_header(header)
        if len(norm) < 2 or norm in _INDEX[kind] or pos in header_map.fields:
            continue
        best, best_score = None, HINT_CUTOFF
        for alias, name in aliases:
            if alias in norm or norm in alias:
                score = 0.6 + 0.4 * min(len(alias), len(norm)) / max(len(alias), len(norm))
            else:
                score = SequenceMatcher(None, norm, alias).ratio()
            if score > best_score:
                best, best_score = name, score
        if best is not None:
            hints.append((header, best))
    return hints


# ------------------------------------------------------------------------------------------ detecting the kind

# Ties go to the kind listed first: 日期 + 金额 alone is an orders file, a list of names and phones a customers file.
_TIE_ORDER = ("orders", "payments", "interactions", "customers", "contacts", "owners")
# Fields about a key person weigh more in a contacts file than as the inline person of a customers file.
_PERSON_FIELDS = frozenset(
    {"title", "role", "birthday", "lunar_birthday", "anniversary", "hobbies", "is_primary"}
)
DISTINCTIVE, SHARED, PERSONAL = 3, 1, 2
MIN_SCORE = 2


def _alias_kinds() -> dict[str, set[str]]:
    """Normalised alias -> the kinds in which it names a field."""
    kinds: dict[str, set[str]] = {}
    for kind in KINDS:
        for alias in _INDEX[kind]:
            kinds.setdefault(alias, set()).add(kind)
    return kinds


_ALIAS_KINDS = _alias_kinds()


def _overrides_for(overrides: dict[str, str] | None, kind: str) -> dict[str, str]:
    return {s: f for s, f in (overrides or {}).items() if f in FIELDS[kind]}


def kind_scores(headers: list[str], overrides: dict[str, str] | None = None) -> dict[str, int]:
    """How much the headers look like each kind of file.

    Each column that maps to a field of a kind scores for it: 3 if its header names a field in that kind only
    (回款日期, 方式, 区域, 产品), 2 for a key-person field in a contacts file (生日, 职务), else 1 (日期, 金额, 客户).
    A column that duplicates an earlier one scores nothing; a ``--map`` pair counts where its field exists.
    """
    scores: dict[str, int] = {}
    for kind in KINDS:
        header_map = map_headers(headers, kind, _overrides_for(overrides, kind))
        score = 0
        for pos, name in header_map.fields.items():
            norm = normalize_header(headers[pos])
            if len(_ALIAS_KINDS.get(norm, ())) == 1:
                score += DISTINCTIVE
            elif kind == "contacts" and name in _PERSON_FIELDS:
                score += PERSONAL
            else:
                score += SHARED
        scores[kind] = score
    return scores


# Words in a file's name that say what it holds, most specific first: 客户回款.xlsx is payments, 客户联系人.csv
# contacts, 客户资料.csv customers.
FILE_NAME_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("payments", ("回款", "收款", "到账", "payment", "receipt")),
    ("interactions", ("跟进", "拜访", "联系记录", "interaction", "visit", "followup", "follow-up")),
    ("owners", ("负责人", "业务员", "owners", "salespeople")),
    ("orders", ("订单", "销售", "出库", "发货", "order", "sales", "invoice")),
    ("contacts", ("联系人", "关键人", "contact")),
    ("customers", ("客户", "customer", "client", "account")),
)


def kind_from_file_name(file: str | None) -> str | None:
    """The kind that the file's name says (``客户资料.csv``, ``orders_2024.xlsx``), or None."""
    if not file:
        return None
    stem = Path(file).stem.casefold()
    for kind, words in FILE_NAME_WORDS:
        if any(word in stem for word in words):
            return kind
    return None


def detect_kind(
    headers: list[str], file: str | None = None, overrides: dict[str, str] | None = None
) -> str:
    """The kind of file: among the kinds whose required columns are all there, the one the file's name says,
    else the highest score (ties: orders, payments, interactions, customers, contacts, owners). A kind the name
    says whose headers score as high as every complete kind is that kind with a required column missing.

    When no kind has all its required columns, the highest score (the importer then names what is missing).
    Raises InputError naming the headers seen when no kind reaches MIN_SCORE.
    """
    scores = kind_scores(headers, overrides)
    complete = [
        k
        for k in _TIE_ORDER
        if scores[k] >= MIN_SCORE
        and not map_headers(headers, k, _overrides_for(overrides, k)).missing
    ]
    named = kind_from_file_name(file)
    if named in complete:
        return named
    if named is not None and complete and scores[named] >= max(scores[k] for k in complete):
        # 销售订单.csv whose amount column has a header kacrm does not know: the name and the headers both say
        # orders, so it is an orders file with a column missing (the importer names it), not customers to update
        return named
    pool = complete or list(_TIE_ORDER)
    best = max(pool, key=lambda kind: scores[kind])  # max keeps the first of equal scores
    if scores[best] < MIN_SCORE:
        values = {"file": f"{file}: " if file else "", "kinds": "|".join(IMPORT_KINDS)}
        values["kinds_zh"] = "|".join(map(_zh, IMPORT_KINDS))
        values["seen"] = ", ".join(h for h in headers if h.strip()) or "—"
        raise input_error("imp_unknown_file_kind", **values)
    return best


def unknown_kind_values(kind: str) -> dict[str, str]:
    """The values of the message that refuses ``--kind KIND``: every kind import reads, in both languages."""
    return {
        "kind": kind,
        "kinds": ", ".join(IMPORT_KINDS),
        "kinds_zh": "、".join(map(_zh, IMPORT_KINDS)),
    }


def _zh(kind: str) -> str:
    """A file kind's Chinese name, which --kind also takes."""
    return label(kind, "zh") or kind


def field_words(kind: str, name: str) -> str:
    """A field as a Chinese file heads it: its first Chinese alias (order_date -> 日期), else its name."""
    chinese = (
        a
        for a in _ALIASES.get(kind, {}).get(name, ())
        if any("\u4e00" <= ch <= "\u9fff" for ch in a)
    )
    return next(chinese, name)

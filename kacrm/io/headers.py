"""Matching the header row of an import file to kacrm's fields, and telling what kind of file it is (SPEC §5, §11).

Headers match after ``normalize_header`` (case, width, spaces, ``_``, ``-``, ``*`` and a trailing unit in brackets
do not matter). A generic header such as 日期, 金额, 类型, 客户 or ``date`` is read according to the kind of file.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from kacrm.errors import InputError

KINDS = ("customers", "contacts", "orders", "payments", "interactions")

FIELDS: dict[str, tuple[str, ...]] = {
    "customers": (
        "code",
        "name",
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
        "order_no",
        "paid_on",
        "amount",
        "method",
    ),
    "interactions": (
        "customer_code",
        "customer_name",
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
}

# Groups of fields of which at least one must be present.
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "customers": (("code", "name"),),
    "contacts": (("customer_code", "customer_name"), ("name",)),
    "orders": (("customer_code", "customer_name"), ("order_date",), ("amount",)),
    "payments": (("customer_code", "customer_name"), ("paid_on",), ("amount",)),
    "interactions": (("customer_code", "customer_name"), ("happened_on",)),
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
)
_PERSON = ("contact", "contact_name", "联系人", "姓名", "关键人", "联系人姓名")
_PHONE = ("phone", "tel", "telephone", "电话", "联系电话", "座机", "联系方式")
_MOBILE = ("mobile", "手机", "手机号", "手机号码")
_EMAIL = ("email", "e-mail", "邮箱", "电子邮件", "电子邮箱")
_TITLE = ("title", "position", "职务", "职位")
_ROLE = ("role", "角色")
_PERSONAL = {
    "birthday": ("birthday", "birth_date", "dob", "生日", "出生日期"),
    "lunar_birthday": ("lunar_birthday", "农历生日", "阴历生日"),
    "anniversary": ("anniversary", "wedding_anniversary", "结婚纪念日"),
    "hobbies": ("hobbies", "interests", "爱好", "兴趣爱好"),
}
_NOTES = ("notes", "note", "remark", "remarks", "备注")
_ORDER_NO = ("order_no", "order_id", "invoice", "订单号", "单号", "订单编号")
_SALESPERSON = ("owner", "salesperson", "sales_rep", "负责人", "业务员", "销售员")
_STATUS = ("status", "状态")

_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "customers": {
        "code": ("code", *_CUSTOMER_CODE, "编号"),
        "name": ("name", *_CUSTOMER_NAME, "名称"),
        "type": ("type", "customer_type", "客户类型", "类型"),
        "status": (*_STATUS, "客户状态"),
        "region": ("region", "territory", "area", "区域", "地区", "片区"),
        "industry": ("industry", "行业", "所属行业"),
        "owner": _SALESPERSON,
        "address": ("address", "地址", "通讯地址"),
        "phone": _PHONE + _MOBILE,  # mobile goes to contact_phone when the file names a key person
        "fax": ("fax", "传真"),
        "email": _EMAIL,
        "source": ("source", "客户来源", "来源"),
        "notes": _NOTES,
        "tier": ("tier", "level", "客户等级", "等级", "级别"),
        "payment_terms_days": (
            "payment_terms_days",
            "terms",
            "payment_terms",
            "账期",
            "付款期限",
            "信用期",
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
        "order_no": _ORDER_NO,
        "customer_code": _CUSTOMER_CODE,
        "customer_name": ("name", *_CUSTOMER_NAME),
        "order_date": ("order_date", "date", "日期", "下单日期", "订单日期"),
        "amount": ("amount", "total", "revenue", "金额", "订单金额", "销售额"),
        "quantity": ("quantity", "qty", "数量"),
        "product": ("product", "item", "产品", "商品", "品名", "产品名称", "商品名称"),
        "cost": ("cost", "成本"),
        "due_date": ("due_date", "到期日", "应收日期"),
        "salesperson": _SALESPERSON,
        "status": (*_STATUS, "订单状态"),
    },
    "payments": {
        "payment_no": ("payment_no", "payment_id", "回款单号", "收款单号"),
        "customer_code": _CUSTOMER_CODE,
        "customer_name": ("name", *_CUSTOMER_NAME),
        "order_no": _ORDER_NO,
        "paid_on": ("paid_on", "payment_date", "date", "日期", "回款日期", "付款日期", "收款日期"),
        "amount": ("amount", "total", "金额", "回款金额", "付款金额", "收款金额"),
        "method": ("method", "payment_method", "付款方式", "支付方式", "收款方式", "回款方式"),
    },
    "interactions": {
        "customer_code": _CUSTOMER_CODE,
        "customer_name": ("name", *_CUSTOMER_NAME),
        "contact": _PERSON,
        "happened_on": ("happened_on", "date", "日期", "联系日期", "拜访日期"),
        "kind": ("kind", "interaction_type", "type", "方式", "联系方式", "类型"),
        "summary": ("summary", "note", "notes", "内容", "备注", "摘要"),
        "outcome": ("outcome", "result", "结果"),
        "cost": ("cost", "expense", "费用", "花费"),
        "resolved_on": ("resolved_on", "解决日期", "处理日期"),
        "next_due": ("next_due", "follow_up", "下次跟进", "下次联系"),
        "key": ("key", "record_key", "记录键"),  # written by `kacrm export interactions`
    },
}

_UNIT = re.compile(r"\s*[(\[【][^()\[\]【】]*[)\]】]$")
_DROPPED = re.compile(r"[\s_\-*]+")


def normalize_header(h: str) -> str:
    """The header as matched: NFKC (full-width to ASCII), casefolded, a trailing unit in brackets dropped,
    spaces, ``_``, ``-`` and ``*`` removed: ``"* 金额（元）"`` matches ``金额``, ``Order_No`` matches ``order no``.
    """
    text = unicodedata.normalize("NFKC", h).strip()
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
    unknown: list[str] = field(
        default_factory=list
    )  # headers not used, with the reason where there is one
    missing: list[str] = field(default_factory=list)  # required groups not satisfied, in words
    unused_overrides: list[str] = field(
        default_factory=list
    )  # --map sources that matched no column of this file

    @property
    def columns(self) -> dict[str, int]:
        """Field -> column position."""
        return {name: pos for pos, name in self.fields.items()}


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise InputError(f"unknown kind {kind!r}; use one of: {', '.join(KINDS)}")


def _normalized_overrides(overrides: dict[str, str] | None, kind: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for source, target in (overrides or {}).items():
        if target not in FIELDS[kind]:
            raise InputError(
                f"--map {source}={target}: {target!r} is not a field of {kind}; fields: {', '.join(FIELDS[kind])}"
            )
        result[normalize_header(source)] = target
    return result


_MOBILE_NORMALIZED = frozenset(normalize_header(a) for a in _MOBILE)


def _field_for(norm: str, kind: str, overrides: dict[str, str], has_person: bool) -> str | None:
    if norm in overrides:
        return overrides[norm]
    name = _INDEX[kind].get(norm)
    if kind == "customers" and name == "phone" and has_person and norm in _MOBILE_NORMALIZED:
        return "contact_phone"  # a mobile next to a key person's name is that person's
    return name


def map_headers(
    headers: list[str], kind: str, overrides: dict[str, str] | None = None
) -> HeaderMap:
    """Map each column to a field of ``kind``; ``overrides`` (from ``--map SOURCE=FIELD``) win over aliases.

    Two columns for one field: the first wins, the other is reported unknown ("duplicate of FIELD").
    """
    _check_kind(kind)
    mapped_overrides = _normalized_overrides(overrides, kind)
    norms = [normalize_header(h) for h in headers]
    has_person = any(_field_for(n, kind, mapped_overrides, False) == "contact_name" for n in norms)
    result = HeaderMap()
    taken: set[str] = set()
    for pos, (header, norm) in enumerate(zip(headers, norms, strict=True)):
        name = _field_for(norm, kind, mapped_overrides, has_person) if norm else None
        if name is None:
            result.unknown.append(header if norm else f"(column {pos + 1}, no header)")
        elif name in taken:
            result.unknown.append(f"{header} (duplicate of {name})")
        else:
            result.fields[pos] = name
            taken.add(name)
    result.missing = [
        " or ".join(group) for group in REQUIRED[kind] if not taken.intersection(group)
    ]
    result.unused_overrides = [
        source for source in (overrides or {}) if normalize_header(source) not in norms
    ]
    return result


# ------------------------------------------------------------------------------------------ detecting the kind

# Ties go to the kind listed first: 日期 + 金额 alone is an orders file, a list of names and phones a customers file.
_TIE_ORDER = ("orders", "payments", "interactions", "customers", "contacts")
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


def kind_scores(headers: list[str]) -> dict[str, int]:
    """How much the headers look like each kind of file.

    Each column that maps to a field of a kind scores for it: 3 if its header names a field in that kind only
    (回款日期, 方式, 区域, 产品), 2 for a key-person field in a contacts file (生日, 职务), else 1 (日期, 金额, 客户).
    A column that duplicates an earlier one scores nothing.
    """
    scores: dict[str, int] = {}
    for kind in KINDS:
        header_map = map_headers(headers, kind)
        score = 0
        for pos, name in header_map.fields.items():
            norm = normalize_header(headers[pos])
            if len(_ALIAS_KINDS[norm]) == 1:
                score += DISTINCTIVE
            elif kind == "contacts" and name in _PERSON_FIELDS:
                score += PERSONAL
            else:
                score += SHARED
        scores[kind] = score
    return scores


def detect_kind(headers: list[str], file: str | None = None) -> str:
    """The kind of file with the highest score (ties: orders, payments, interactions, customers, contacts).

    Raises InputError naming the headers seen when no kind reaches MIN_SCORE.
    """
    scores = kind_scores(headers)
    best = max(_TIE_ORDER, key=lambda kind: scores[kind])  # max keeps the first of equal scores
    if scores[best] < MIN_SCORE:
        where = f"{file}: " if file else ""
        seen = ", ".join(h for h in headers if h.strip()) or "none"
        raise InputError(
            f"{where}cannot tell what the file holds from its headers ({seen}); "
            f"name it with --kind {'|'.join(KINDS)}"
        )
    return best

"""Header matching and kind detection for kacrm import (SPEC §5, §11), on realistic header rows in both languages."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kacrm.errors import InputError
from kacrm.io.headers import (
    FIELDS,
    KINDS,
    REQUIRED,
    detect_kind,
    kind_scores,
    map_headers,
    normalize_header,
)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Customer_Code", "customercode"),
        ("customer code", "customercode"),
        ("CUSTOMER-CODE", "customercode"),
        ("* 客户名称", "客户名称"),
        ("金额(元)", "金额"),
        ("金额（元）", "金额"),  # full-width brackets
        ("Amount (CNY)", "amount"),
        ("账期【天】", "账期"),
        ("ＯＲＤＥＲ　ＮＯ", "orderno"),  # full-width letters and ideographic space
        ("（元）", "(元)"),  # a header that is only a unit keeps it
        ("  ", ""),
        ("\u200b客户编码", "客户编码"),  # a zero-width space copied from a web page
        ("\ufeff客户编码", "客户编码"),  # a byte-order mark in a cell (two exports pasted together)
        ("客户\u200d编码\u2060", "客户编码"),  # zero-width joiner, word joiner
    ],
)
def test_normalize_header(header: str, expected: str) -> None:
    assert normalize_header(header) == expected


def test_every_field_name_is_its_own_alias() -> None:
    for kind in KINDS:
        header_map = map_headers(list(FIELDS[kind]), kind)
        assert list(header_map.fields.values()) == list(FIELDS[kind]), kind
        assert header_map.unknown == [] and header_map.missing == []


def test_required_groups_name_real_fields() -> None:
    for kind in KINDS:
        for group in REQUIRED[kind]:
            assert set(group) <= set(FIELDS[kind])


# Every alias of SPEC §11, by the kind of file in which it applies and the field it names there.
SPEC_ALIASES = [
    (
        "customers",
        "code",
        [
            "code",
            "customer_code",
            "customer id",
            "account",
            "客户编号",
            "客户代码",
            "客户编码",
            "编号",
        ],
    ),
    (
        "customers",
        "name",
        [
            "name",
            "customer",
            "customer_name",
            "company",
            "客户名称",
            "客户",
            "公司名称",
            "单位名称",
            "名称",
        ],
    ),
    ("customers", "type", ["type", "customer_type", "客户类型", "类型"]),
    ("customers", "status", ["status", "状态", "客户状态"]),
    ("customers", "region", ["region", "territory", "area", "区域", "地区", "片区"]),
    ("customers", "owner", ["owner", "salesperson", "sales_rep", "负责人", "业务员", "销售员"]),
    ("customers", "address", ["address", "地址", "通讯地址"]),
    ("customers", "phone", ["phone", "mobile", "tel", "电话", "手机", "手机号", "联系电话"]),
    ("customers", "fax", ["fax", "传真"]),
    ("customers", "email", ["email", "邮箱", "电子邮件"]),
    (
        "customers",
        "payment_terms_days",
        ["payment_terms_days", "terms", "payment_terms", "账期", "付款期限", "信用期"],
    ),
    ("customers", "credit_limit", ["credit_limit", "信用额度"]),
    ("customers", "credit_grade", ["credit_grade", "信用等级"]),
    ("customers", "tier", ["tier", "level", "客户等级", "等级", "级别"]),
    ("customers", "contact_name", ["contact", "contact_name", "联系人", "姓名", "关键人"]),
    ("customers", "contact_title", ["title", "position", "职务", "职位"]),
    ("customers", "contact_role", ["role", "角色"]),
    ("customers", "birthday", ["birthday", "birth_date", "dob", "生日", "出生日期"]),
    ("customers", "lunar_birthday", ["lunar_birthday", "农历生日", "阴历生日"]),
    ("customers", "anniversary", ["anniversary", "wedding_anniversary", "结婚纪念日"]),
    ("customers", "hobbies", ["hobbies", "interests", "爱好", "兴趣爱好"]),
    ("customers", "referred_by", ["referred_by", "referrer", "推荐人", "介绍人", "推荐客户"]),
    ("contacts", "customer_code", ["customer_code", "客户编号", "客户代码", "客户编码"]),
    (
        "contacts",
        "customer_name",
        ["customer", "customer_name", "company", "客户名称", "客户", "公司名称", "单位名称"],
    ),
    ("contacts", "name", ["name", "contact", "contact_name", "联系人", "姓名", "关键人"]),
    ("contacts", "title", ["title", "position", "职务", "职位"]),
    ("contacts", "role", ["role", "角色"]),
    ("contacts", "phone", ["phone", "mobile", "tel", "电话", "手机", "手机号", "联系电话"]),
    ("contacts", "email", ["email", "邮箱", "电子邮件"]),
    ("contacts", "birthday", ["birthday", "birth_date", "dob", "生日", "出生日期"]),
    ("contacts", "lunar_birthday", ["lunar_birthday", "农历生日", "阴历生日"]),
    ("contacts", "anniversary", ["anniversary", "wedding_anniversary", "结婚纪念日"]),
    ("contacts", "hobbies", ["hobbies", "interests", "爱好", "兴趣爱好"]),
    ("orders", "order_no", ["order_no", "order_id", "invoice", "订单号", "单号", "订单编号"]),
    (
        "orders",
        "customer_code",
        ["customer_code", "customer id", "account", "客户编号", "客户代码", "客户编码"],
    ),
    (
        "orders",
        "customer_name",
        ["customer", "customer_name", "company", "客户名称", "客户", "公司名称", "单位名称"],
    ),
    ("orders", "order_date", ["order_date", "date", "日期", "下单日期", "订单日期"]),
    ("orders", "amount", ["amount", "total", "revenue", "金额", "订单金额", "销售额"]),
    ("orders", "quantity", ["quantity", "qty", "数量"]),
    ("orders", "product", ["product", "item", "产品", "商品", "品名"]),
    ("orders", "cost", ["cost", "成本"]),
    ("orders", "due_date", ["due_date", "到期日", "应收日期"]),
    ("payments", "payment_no", ["payment_no", "payment_id", "回款单号", "收款单号"]),
    ("payments", "order_no", ["order_no", "order_id", "invoice", "订单号", "单号", "订单编号"]),
    (
        "payments",
        "paid_on",
        ["paid_on", "payment_date", "date", "日期", "回款日期", "付款日期", "收款日期"],
    ),
    ("payments", "amount", ["amount", "金额", "回款金额", "付款金额", "收款金额"]),
    ("interactions", "kind", ["kind", "interaction_type", "方式", "联系方式", "类型"]),
    ("interactions", "happened_on", ["happened_on", "date", "日期", "联系日期"]),
    ("interactions", "summary", ["summary", "note", "notes", "内容", "备注", "摘要"]),
    ("interactions", "next_due", ["next_due", "follow_up", "下次跟进", "下次联系"]),
    ("interactions", "cost", ["cost", "expense", "费用", "花费"]),
    ("interactions", "resolved_on", ["resolved_on", "解决日期", "处理日期"]),
    ("interactions", "contact", ["contact", "联系人", "姓名"]),
]


@pytest.mark.parametrize(
    ("kind", "field", "aliases"), SPEC_ALIASES, ids=lambda v: v if isinstance(v, str) else ""
)
def test_spec_aliases(kind: str, field: str, aliases: list[str]) -> None:
    for alias in aliases:
        for spelling in (alias, alias.upper(), f" {alias.replace('_', ' ')} ", f"*{alias}"):
            assert map_headers([spelling], kind).fields == {0: field}, (kind, spelling)


def test_generic_headers_are_read_by_kind() -> None:
    assert map_headers(["日期", "金额"], "orders").fields == {0: "order_date", 1: "amount"}
    assert map_headers(["日期", "金额"], "payments").fields == {0: "paid_on", 1: "amount"}
    assert map_headers(["日期", "类型", "费用"], "interactions").fields == {
        0: "happened_on",
        1: "kind",
        2: "cost",
    }
    assert map_headers(["类型"], "customers").fields == {0: "type"}
    assert map_headers(["cost"], "orders").fields == {0: "cost"}
    assert map_headers(["客户"], "customers").fields == {0: "name"}
    assert map_headers(["客户"], "contacts").fields == {0: "customer_name"}
    assert map_headers(["联系方式"], "customers").fields == {0: "phone"}
    assert map_headers(["联系方式"], "interactions").fields == {0: "kind"}


def test_mobile_belongs_to_the_key_person_when_one_is_named() -> None:
    with_person = map_headers(["客户名称", "电话", "联系人", "手机"], "customers")
    assert with_person.fields == {0: "name", 1: "phone", 2: "contact_name", 3: "contact_phone"}
    without_person = map_headers(["客户名称", "手机"], "customers")
    assert without_person.fields == {0: "name", 1: "phone"}
    assert map_headers(["company", "mobile", "contact"], "customers").fields[1] == "contact_phone"


def test_units_and_full_width_headers() -> None:
    header_map = map_headers(
        ["订单号", "客户编号", "下单日期", "金额（元）", "数量(件)", "成本(元)"], "orders"
    )
    assert header_map.fields == {
        0: "order_no",
        1: "customer_code",
        2: "order_date",
        3: "amount",
        4: "quantity",
        5: "cost",
    }


def test_unknown_and_duplicate_columns_are_reported() -> None:
    header_map = map_headers(["客户名称", "金额", "日期", "销售额", "颜色", ""], "orders")
    assert header_map.fields == {0: "customer_name", 1: "amount", 2: "order_date"}
    assert header_map.unknown == ["销售额 (duplicate of amount)", "颜色", "(column 6, no header)"]
    assert header_map.columns == {"customer_name": 0, "amount": 1, "order_date": 2}


def test_missing_required_groups_in_words() -> None:
    header_map = map_headers(["产品", "数量"], "orders")
    assert header_map.missing == [
        "customer_code or customer_name or customer_short_name",
        "order_date",
        "amount",
    ]
    assert map_headers(["客户编号"], "customers").missing == []
    assert map_headers(["客户名称", "手机"], "contacts").missing == ["name"]


def test_overrides_win_over_aliases() -> None:
    header_map = map_headers(
        ["Kunde", "Datum", "金额", "Summe"],
        "orders",
        {"kunde": "customer_name", "DATUM": "order_date", "Summe": "amount"},
    )
    # Summe is mapped by --map: it wins over 金额, although 金额 came first
    assert header_map.fields == {0: "customer_name", 1: "order_date", 3: "amount"}
    assert header_map.unknown == ["金额 (duplicate of amount)"]
    assert header_map.missing == []


def test_override_can_redirect_an_alias() -> None:
    overrides = {"日期": "due_date", "到期日": "order_date"}
    header_map = map_headers(["客户名称", "日期", "金额", "到期日"], "orders", overrides)
    assert header_map.fields == {0: "customer_name", 1: "due_date", 2: "amount", 3: "order_date"}


def test_override_with_unknown_field_lists_the_fields() -> None:
    with pytest.raises(InputError) as info:
        map_headers(["a"], "payments", {"a": "colour"})
    assert "colour" in info.value.message
    for name in FIELDS["payments"]:
        assert name in info.value.message


def test_unused_overrides_are_reported() -> None:
    header_map = map_headers(["客户", "日期", "金额"], "orders", {"Betrag": "amount"})
    assert header_map.unused_overrides == ["Betrag"]


def test_unknown_kind() -> None:
    with pytest.raises(InputError, match="customers"):
        map_headers(["a"], "invoices")


# ------------------------------------------------------------------------------------------ detect_kind

DETECTION = [
    # Chinese exports
    (
        ["客户编号", "客户名称", "客户类型", "区域", "负责人", "联系电话", "地址", "信用额度"],
        "customers",
    ),
    (["客户名称", "区域", "负责人"], "customers"),
    (
        ["客户名称", "联系人", "手机", "生日", "区域", "行业"],
        "customers",
    ),  # company fields: inline key person
    (["编号", "名称", "电话", "传真", "邮箱"], "customers"),
    (["客户名称", "姓名", "职务", "手机", "生日", "农历生日", "爱好"], "contacts"),
    (["姓名", "生日"], "contacts"),
    (["客户", "联系人", "角色", "结婚纪念日"], "contacts"),
    (["订单号", "客户名称", "下单日期", "产品", "数量", "金额（元）", "业务员"], "orders"),
    (["日期", "金额", "客户"], "orders"),
    (["订单号", "客户", "金额"], "orders"),
    (["回款单号", "客户编号", "订单号", "回款日期", "回款金额", "付款方式"], "payments"),
    (["客户名称", "收款日期", "金额"], "payments"),
    (["客户", "联系人", "联系日期", "方式", "内容", "下次跟进"], "interactions"),
    (["客户", "日期", "方式", "费用"], "interactions"),
    (["客户编号", "日期", "类型", "摘要", "解决日期"], "interactions"),
    # English exports
    (
        ["Customer Code", "Customer Name", "Type", "Region", "Owner", "Phone", "Credit Limit"],
        "customers",
    ),
    (["code", "name", "industry", "address"], "customers"),
    (["Customer", "Name", "Title", "Role", "Mobile", "Birthday"], "contacts"),
    (["Order No", "Customer Code", "Order Date", "Amount (CNY)", "Qty", "Product"], "orders"),
    (["invoice", "customer", "date", "total"], "orders"),
    (["Payment No", "Customer", "Order No", "Paid On", "Amount", "Method"], "payments"),
    (["customer_code", "payment_date", "amount"], "payments"),
    (["customer", "date", "kind", "summary", "next_due"], "interactions"),
    (["Customer", "Contact", "Happened On", "Interaction Type", "Outcome"], "interactions"),
]


@pytest.mark.parametrize(
    ("headers", "kind"), DETECTION, ids=lambda v: "-".join(v) if isinstance(v, list) else v
)
def test_detect_kind(headers: list[str], kind: str) -> None:
    assert detect_kind(headers) == kind


def test_scores_are_as_documented() -> None:
    # 回款单号 (payments only: 3) + 客户编号 (shared: 1) + 回款日期 (3) + 金额 (shared: 1) = 8 for payments;
    # orders: 客户编号 1 + 金额 1 = 2 (回款单号 and 回款日期 name nothing in an orders file)
    scores = kind_scores(["回款单号", "客户编号", "回款日期", "金额"])
    assert scores["payments"] == 8
    assert scores["orders"] == 2
    # contacts: 姓名 (shared: 1) + 生日 (key-person field in a contacts file: 2) = 3; customers: 1 + 1 = 2
    scores = kind_scores(["姓名", "生日"])
    assert (scores["contacts"], scores["customers"]) == (3, 2)


def test_ties_prefer_orders_then_payments() -> None:
    scores = kind_scores(["日期", "金额"])
    assert scores["orders"] == scores["payments"] == 2  # 1 + 1 each
    assert detect_kind(["日期", "金额"]) == "orders"


@pytest.mark.parametrize("headers", [["foo", "bar"], ["日期"], [], ["", "  "]])
def test_detect_kind_fails_clearly(headers: list[str]) -> None:
    with pytest.raises(InputError) as info:
        detect_kind(headers, file="data.csv")
    message = info.value.message
    assert "data.csv" in message and "--kind" in message
    for header in headers:
        assert header.strip() in message


@settings(max_examples=300, deadline=None)
@given(headers=st.lists(st.text(max_size=12), max_size=8), kind=st.sampled_from(KINDS))
def test_any_headers_map_or_fail_with_input_error(headers: list[str], kind: str) -> None:
    header_map = map_headers(headers, kind)
    # every column is either mapped or reported, never dropped
    assert len(header_map.fields) + len(header_map.unknown) == len(headers)
    assert len(set(header_map.fields.values())) == len(header_map.fields)
    with contextlib.suppress(InputError):
        assert detect_kind(headers) in KINDS

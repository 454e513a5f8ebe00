"""Headers as 用友, 金蝶, 管家婆 and WPS exports name them (issue 14): kind detection, aliases, near misses."""

from __future__ import annotations

import pytest

from kacrm.io.headers import detect_kind, header_hints, kind_from_file_name, map_headers


@pytest.mark.parametrize(
    ("headers", "file", "kind"),
    [
        # the README's own example: all required fields of customers, none of interactions' happened_on
        (["customer_code", "name", "type"], "customers.csv", "customers"),
        (["customer_code", "name", "type"], "data.csv", "customers"),
        # a customer list with one key person: contacts would score higher, the file name says customers
        (["客户名称", "联系人", "手机", "生日"], "客户资料.csv", "customers"),
        (["客户名称", "联系人", "手机", "生日"], "联系人.csv", "contacts"),
        (["客户名称", "联系人", "手机", "生日"], "export.csv", "contacts"),
        # the name is only a tie-breaker among kinds whose required columns are all there
        (["回款单号", "客户编号", "回款日期", "金额"], "orders.csv", "payments"),
        (["单据日期", "单据编号", "客户名称", "价税合计"], "销售订单列表.xlsx", "orders"),
        (["单据日期", "单据编号", "客户名称", "本次收款金额"], "收款单.xlsx", "payments"),
        (["日期", "客户", "金额"], "客户回款.csv", "payments"),
        (["日期", "客户", "金额"], "x.csv", "orders"),
    ],
)
def test_detect_kind_prefers_complete_kinds_and_the_file_name(
    headers: list[str], file: str, kind: str
) -> None:
    assert detect_kind(headers, file) == kind


@pytest.mark.parametrize(
    ("file", "kind"),
    [
        ("客户回款明细.xlsx", "payments"),
        ("客户联系人.csv", "contacts"),
        ("客户跟进记录.csv", "interactions"),
        ("2024销售出库单.xls", "orders"),
        ("customers_2024.csv", "customers"),
        ("book.csv", None),
    ],
)
def test_kind_from_file_name(file: str, kind: str | None) -> None:
    assert kind_from_file_name(file) == kind


def test_erp_order_headers() -> None:
    # 用友 U8 销售订单列表
    headers = [
        "单据日期",
        "单据编号",
        "客户简称",
        "存货名称",
        "数量",
        "无税金额",
        "价税合计",
        "业务员",
    ]
    header_map = map_headers(headers, "orders")
    assert header_map.columns == {
        "order_date": 0,
        "order_no": 1,
        "customer_short_name": 2,
        "product": 3,
        "quantity": 4,
        "amount": 6,
        "salesperson": 7,
    }
    assert header_map.unknown == ["无税金额"]


def test_tax_inclusive_total_wins_over_an_earlier_net_amount() -> None:
    # 金蝶 K3: 金额 (net) stands before 价税合计; the customer owes the latter
    header_map = map_headers(["日期", "购货单位", "金额", "税额", "价税合计"], "orders")
    assert header_map.columns["amount"] == 4
    assert header_map.columns["customer_name"] == 1
    assert "金额 (duplicate of amount)" in header_map.unknown


def test_erp_customer_and_payment_headers() -> None:
    customers = map_headers(
        [
            "客户编码",
            "客户名称",
            "客户简称",
            "所属区域",
            "专管业务员",
            "统一社会信用代码",
            "付款条件",
        ],
        "customers",
    )
    assert list(customers.fields.values()) == [
        "code",
        "name",
        "short_name",
        "region",
        "owner",
        "uscc",
        "payment_terms_days",
    ]
    assert customers.unknown == []
    payments = map_headers(["单据日期", "单据编号", "客户", "本次收款金额", "结算方式"], "payments")
    assert list(payments.fields.values()) == [
        "paid_on",
        "payment_no",
        "customer_name",
        "amount",
        "method",
    ]


def test_near_miss_headers_are_hinted() -> None:
    headers = ["日期", "客户名称", "本次实收金额合计"]
    header_map = map_headers(headers, "payments")
    assert header_map.missing == ["amount"]
    assert header_map.unknown == ["本次实收金额合计"]
    assert header_hints(headers, "payments", header_map) == [("本次实收金额合计", "amount")]
    # a typing error in an English header
    headers = ["custmer_name", "order_date", "amount"]
    header_map = map_headers(headers, "orders")
    assert header_hints(headers, "orders", header_map) == [("custmer_name", "customer_name")]


def test_no_hint_for_a_field_already_there_or_a_far_header() -> None:
    headers = ["日期", "客户名称", "价税合计", "金额合计2", "颜色"]
    header_map = map_headers(headers, "orders")
    assert header_hints(headers, "orders", header_map) == []

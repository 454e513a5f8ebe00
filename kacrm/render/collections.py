"""The views of payment plans (SPEC §15): `schedule list` and `schedule add`."""

from __future__ import annotations

from typing import Any

from kacrm.i18n import t, text
from kacrm.render.listing import Column, ColumnKind, Listing


def _column(key: str, kind: ColumnKind = "text", drop: int = 0) -> Column:
    name = f"schedule_col_{key}"
    return Column(key, text(name, "en"), text(name, "zh"), kind, drop)


def schedule_listing(rows: list[dict[str, Any]], lang: str) -> Listing:
    columns = [
        _column("customer_code"),
        _column("customer_name", drop=2),  # a narrow terminal keeps the code and the amounts
        _column("order_no"),
        _column("order_amount", "money", drop=1),
        _column("instalment", "int"),
        _column("due_on", "date"),
        _column("amount", "money"),
    ]
    return Listing(columns, rows, title=t("schedule_title", lang))


def instalment_added(result: dict[str, Any], lang: str) -> str:
    return t(
        "schedule_added",
        lang,
        order=result["order_no"],
        n=result["instalment"],
        amount=f"{result['amount']:,.2f}",
        on=result["due_on"].isoformat(),
        planned=f"{result['planned']:,.2f}",
        total=f"{result['order_amount']:,.2f}",
    )

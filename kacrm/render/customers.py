"""The views of the customer list and the information card: plain rows with the SPEC's keys (§4), from the
store's records (store.models.Customer and Contact, read by attribute), and their column lists."""

from __future__ import annotations

from datetime import date
from typing import Any

from kacrm.domain import money
from kacrm.i18n import label, t, text
from kacrm.render.fields import shown_record
from kacrm.render.listing import Column, column
from kacrm.render.tier import tier_label

LIST_COLUMNS = [
    column("customers", "customer_code"),
    column("customers", "customer_name"),
    column("customers", "type", coded=True),
    column("customers", "status", coded=True),
    column("customers", "region", drop=4),
    column("customers", "owner", drop=1),
    column("customers", "phone"),
    column("customers", "tier", coded=True),
    column("customers", "credit_grade", drop=2),
    column("customers", "orders", "int", drop=6),
    column("customers", "revenue", "money"),
    column("customers", "paid", "money"),
    column("customers", "outstanding", "money"),
    column("customers", "first_order_on", "date"),
    column("customers", "last_order_on", "date", drop=5),
    column("customers", "last_contact_on", "date", drop=3),
]
HIDDEN_IN_TABLE = ("type", "status", "phone", "paid", "first_order_on")


PROFILE_FIELDS: dict[
    str, str
] = {  # the card's profile fields beyond the list columns, with their kind
    "short_name": "text",
    "uscc": "text",
    "industry": "text",
    "address": "text",
    "fax": "text",
    "email": "text",
    "source": "text",
    "notes": "text",
    "tier_method": "text",
    "tier_pinned": "text",
    "cadence_days": "int",
    "credit_limit": "money",
    "payment_terms_days": "int",
    "stage": "text",
    "referred_by": "text",
    "created_at": "text",
    "updated_at": "text",
    "pool_locked": "text",
}
# The profile fields whose values are codes, shown by their words (see Column.coded).
PROFILE_CODED: dict[str, bool | str] = {
    "tier_method": "method_",
    "tier_pinned": True,
    "stage": True,
}


def profile_columns() -> dict[str, Column]:
    """The card's fields by key, each with its headers and kind: the list's columns, then the profile's (the
    words of `report customer`, which `customer show` shares)."""
    known = {c.key: c for c in LIST_COLUMNS}
    for key, kind in PROFILE_FIELDS.items():
        coded = PROFILE_CODED.get(key, False)
        known[key] = column("report", key, kind, words=f"report_profile_{key}", coded=coded)
    return known


def card_record(card: dict[str, Any], lang: str) -> dict[str, Any]:
    """`customer show`'s card for a person (table, md, csv): each field by the words `report customer` uses,
    its coded values in ``lang``; a field the report has no words for as shown_record names it."""
    known = profile_columns()
    rest = shown_record({k: v for k, v in card.items() if k not in known}, lang)
    return {
        known[k].header(lang): known[k].shown(v, lang) for k, v in card.items() if k in known
    } | rest


def list_row(summary: dict[str, Any], tiers: dict[str, Any] | None = None) -> dict[str, Any]:
    """A customer list row; ``tiers`` (issue 15) is each method's latest tier, the key ``tiers``."""
    customer = summary["customer"]
    row = {
        "customer_code": customer.code,
        "customer_name": customer.name,
        "type": customer.type,
        "status": customer.status,
        "region": customer.region,
        "owner": customer.owner,
        "phone": customer.phone,
        "tier": customer.tier,
        "credit_grade": customer.credit_grade,
        "orders": summary["orders"],
        "revenue": money(summary["revenue_cents"]),
        "paid": money(summary["paid_cents"]),
        "outstanding": money(summary["outstanding_cents"]),
        "first_order_on": summary["first_order_on"],
        "last_order_on": summary["last_order_on"],
        "last_contact_on": summary["last_contact_on"],
    }
    if tiers is not None:
        row["tiers"] = tiers
    return row


def format_birthday(contact: Any) -> str | None:
    """ISO 8601: a full date, or `--MM-DD` when the year is unknown."""
    return _partial_date(contact.birthday, contact.birthday_has_year)


def _partial_date(day: date | None, has_year: bool) -> str | None:
    if day is None:
        return None
    if has_year:
        return day.isoformat()
    return f"--{day.month:02d}-{day.day:02d}"


def format_lunar_birthday(contact: Any) -> str | None:
    """`MM-DD`, with `L` before a leap month: `L04-08`."""
    if contact.lunar_birthday_month is None or contact.lunar_birthday_day is None:
        return None
    leap = "L" if contact.lunar_birthday_leap else ""
    return f"{leap}{contact.lunar_birthday_month:02d}-{contact.lunar_birthday_day:02d}"


def contact_row(contact: Any) -> dict[str, Any]:
    return {
        "name": contact.name,
        "title": contact.title,
        "role": contact.role,
        "phone": contact.phone,
        "email": contact.email,
        "birthday": format_birthday(contact),
        "lunar_birthday": format_lunar_birthday(contact),
        "anniversary": _partial_date(contact.anniversary, contact.anniversary_has_year),
        "hobbies": contact.hobbies,
        "is_primary": contact.is_primary,
    }


# At 80 columns the key persons' table leaves out the anniversary first, then the title (never a name or phone).
def role_words(role: str, lang: str) -> str:
    """A key person's role as a person reads it: decision_maker -> decision maker (决策人 under zh)."""
    return label(role, lang) if lang == "zh" else role.replace("_", " ")


CONTACT_COLUMNS = [
    column("customers", "name"),
    column("customers", "title", drop=1),
    column("customers", "role", coded=role_words),
    column("customers", "phone"),
    column("customers", "birthday"),
    column("customers", "lunar_birthday", "lunar"),
    column("customers", "anniversary", drop=2),
    column("customers", "hobbies"),
]


def tiers_line(tiers: dict[str, Any], primary: str, lang: str) -> str:
    """Each method's tier in one line, the primary marked: "abc A (primary), pyramid gold, rfm —, clv —"."""
    parts = []
    for method, tier in tiers.items():
        part = f"{text(f'method_{method}', lang)} {tier_label(tier, lang) if tier else '—'}"
        parts.append(t("tiers_primary_mark", lang, part=part) if method == primary else part)
    return t("tiers_line", lang, tiers=t("list_separator", lang).join(parts))


def customer_card(
    summary: dict[str, Any],
    contacts: list[Any],
    referred_by: str | None,
    tiers: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """`customer show`: the list keys, every other customer field, and the key persons."""
    customer = summary["customer"]
    card = list_row(summary, tiers)
    card.update(
        {
            "short_name": customer.short_name,
            "uscc": customer.uscc,
            "industry": customer.industry,
            "address": customer.address,
            "fax": customer.fax,
            "email": customer.email,
            "source": customer.source,
            "notes": customer.notes,
            "tier_method": customer.tier_method,
            "tier_pinned": customer.tier_pinned,
            "cadence_days": customer.cadence_days,
            "credit_limit": money(customer.credit_limit_cents),
            "payment_terms_days": customer.payment_terms_days,
            "stage": customer.stage,
            "referred_by": referred_by,
            "created_at": customer.created_at,
            "updated_at": customer.updated_at,
            "contacts": [contact_row(c) for c in contacts],
        }
    )
    return card


PLAN_COLUMNS = [
    column("customers", "id", "int"),
    column("customers", "customer_code", words="customers_col_plan_customer_code"),
    column("customers", "customer_name", words="customers_col_plan_customer_name"),
    column("customers", "horizon", coded=True),
    column("customers", "goal"),
    column("customers", "target_date", "date"),
    column("customers", "status", coded="plan_status_"),
    column("customers", "done_on", "date"),
]

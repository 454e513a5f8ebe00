"""Values a person reads (round 8): customer show's fields by the words `report customer` uses, a key person's
role and lunar birthday in words in English too, config show's mappings as config.toml writes them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from typer.testing import CliRunner

from kacrm.cli.app import app
from kacrm.render.customers import CONTACT_COLUMNS, card_record
from kacrm.render.output import cell_text, format_cell

CARD = {
    "customer_code": "KH0052",
    "customer_name": "深圳市鑫通化工有限公司",
    "short_name": "鑫通",
    "credit_limit": Decimal("172388.00"),
    "tier_method": "abc",
    "stage": None,
    "first_order_on": date(2023, 11, 22),
    "pool_locked": False,
    "contacts": [],
}


def test_customer_show_names_fields_as_report_customer_does() -> None:
    en = card_record(CARD, "en")
    assert en["Code"] == "KH0052" and en["Name"] == "深圳市鑫通化工有限公司"
    assert en["Short name"] == "鑫通" and en["Credit limit"] == Decimal("172388.00")
    assert en["First order"] == date(2023, 11, 22) and en["Tier method"] == "abc"
    assert en["Locked (kept out of the pool)"] is False
    assert not {"short_name", "credit_limit", "pool_locked", "tier_method"} & set(en)
    assert "contacts" in en  # a list: emit_object leaves it to the key persons' table
    zh = card_record(CARD, "zh")
    assert zh["简称"] == "鑫通" and zh["信用额度"] == Decimal("172388.00")
    assert zh["分级方法"] == "ABC 分类" and zh["锁定（不进公海）"] is False


def test_a_key_persons_role_and_lunar_birthday_read_as_words() -> None:
    role = next(c for c in CONTACT_COLUMNS if c.key == "role")
    lunar = next(c for c in CONTACT_COLUMNS if c.key == "lunar_birthday")
    assert cell_text(role, "decision_maker", "en") == "decision maker"
    assert cell_text(role, "decision_maker", "zh") == "决策人"
    # as `due` writes a lunar birthday in English: lunar birthday (九月十五) of …
    assert cell_text(lunar, "09-15", "en") == "九月十五"
    assert cell_text(lunar, "L04-08", "zh") == "闰四月初八"


def test_mappings_read_as_config_toml_writes_them() -> None:
    assert format_cell({"A": 14, "B": 30}, "text") == "A = 14, B = 30"
    levels = [{"after_days": -3, "action": "reminder"}, {"after_days": 1, "action": "call"}]
    assert (
        format_cell(levels, "text")
        == "(after_days = -3, action = reminder), (after_days = 1, action = call)"
    )
    assert format_cell({}, "text") == ""


def test_config_show_prints_no_python_repr(tmp_path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[cadence]\ndays = { A = 14, B = 30, C = 90 }\n", encoding="utf-8")
    base = ["--db", str(tmp_path / "x.db"), "--config", str(config)]
    assert CliRunner().invoke(app, [*base, "init"]).exit_code == 0
    out = CliRunner().invoke(app, [*base, "config", "show"], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert "{'" not in out.stdout and "'}" not in out.stdout
    assert "A = 14, B = 30, C = 90" in out.stdout

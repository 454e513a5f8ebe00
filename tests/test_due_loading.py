"""What kacrm.store.due_store loads for the due rules, on SQLite and PostgreSQL: the key person of each customer,
and the interaction facts the after-sale and follow-up rules read (issue 19 loads them only for the customers
those rules ask about)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session

from kacrm.analysis.due import due_items
from kacrm.config import Settings
from kacrm.store.customer_rows import card_inputs
from kacrm.store.due_store import load_due_data
from kacrm.store.models import Contact, Customer, Interaction, Order

TODAY = date(2026, 5, 4)
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _customer(s: Session, code: str) -> int:
    c = Customer(code=code, name=f"客户{code}", created_at=NOW, updated_at=NOW)
    s.add(c)
    s.flush()
    return c.id


def test_key_person_is_the_primary_else_the_first_name_by_code_point(engine) -> None:
    with Session(engine) as s:
        flagged, unflagged, nobody = (_customer(s, code) for code in ("P1", "P2", "P3"))
        for cid, name, primary in (
            (flagged, "Amy", False),
            (flagged, "Zed", True),  # the flag wins over the alphabet
            (unflagged, "apple", False),
            (unflagged, "Banana", False),  # "B" (U+0042) sorts before "a" (U+0061)
            (unflagged, "张三", False),
        ):
            s.add(Contact(customer_id=cid, name=name, is_primary=primary))
        s.commit()
    data = load_due_data(engine, Settings(), TODAY, TODAY + timedelta(days=6))
    persons = {c.customer_id: c.primary_contact for c in data.customers}
    assert persons == {flagged: "Zed", unflagged: "Banana", nobody: None}
    # `customer show` lists the persons in the same order on both backends: the key person first
    _, listed, _ = card_inputs(engine, "P2", TODAY)
    assert [p.name for p in listed] == ["Banana", "apple", "张三"]


# with eight more quiet customers the two asked about are few enough to be read by id, else in the book's pass
@pytest.mark.parametrize("more_quiet", [0, 8])
def test_conversation_and_touch_facts_of_the_customers_the_rules_ask_about(
    engine, more_quiet: int
) -> None:
    settings = Settings()
    big = round(settings.due.after_sale_threshold * 100) + 1
    with Session(engine) as s:
        followed, bought, quiet = (_customer(s, code) for code in ("F1", "B1", "Q1"))
        # a follow-up set on 04-28, and a call later that day: the call carried it (a later id, same day)
        s.add(
            Interaction(
                customer_id=followed,
                happened_on=date(2026, 4, 28),
                kind="visit",
                next_due=date(2026, 5, 5),
            )
        )
        s.flush()
        s.add(Interaction(customer_id=followed, happened_on=date(2026, 4, 28), kind="call"))
        s.add(Interaction(customer_id=followed, happened_on=date(2026, 4, 30), kind="card"))
        # a big order on 04-29, a visit after it (thanks given), no survey (the call is still due)
        s.add(
            Order(
                order_no="SO-9", customer_id=bought, order_date=date(2026, 4, 29), amount_cents=big
            )
        )
        s.add(Interaction(customer_id=bought, happened_on=date(2026, 4, 30), kind="visit"))
        s.add(Interaction(customer_id=bought, happened_on=date(2026, 5, 2), kind="complaint"))
        s.add(Interaction(customer_id=quiet, happened_on=date(2026, 4, 20), kind="call"))
        for n in range(more_quiet):
            s.add(
                Interaction(customer_id=_customer(s, f"Q{n + 2}"), happened_on=TODAY, kind="visit")
            )
        s.commit()
    end = TODAY + timedelta(
        days=settings.due.after_sale_call_days
    )  # the satisfaction call's day: 05-29
    data = load_due_data(engine, settings, TODAY, end)
    facts = {c.customer_id: c for c in data.customers}
    f, b, q = facts[followed], facts[bought], facts[quiet]
    assert f.last_interaction_on == date(2026, 4, 30)  # the card counts for the cadence
    assert f.last_conversation is not None and f.last_conversation[0] == date(2026, 4, 28)
    assert f.last_conversation[1] > data.follow_ups[0].ref  # the call, not the visit that set it
    assert (b.last_interaction_on, b.last_touch_on, b.last_survey_on) == (
        date(2026, 5, 2),
        date(2026, 4, 30),  # the complaint is not a touch
        None,
    )
    # asked about by no rule: only the day of the last interaction
    assert (q.last_interaction_on, q.last_touch_on, q.last_conversation) == (
        date(2026, 4, 20),
        None,
        None,
    )
    ids = {i.id for i in due_items(data, settings, TODAY, TODAY, end)}
    assert "sat-SO-9" in ids and "thx-SO-9" not in ids
    assert not any(i.startswith("fu-") for i in ids)

"""The due rules (SPEC §8) on hand-made facts; every expected date is computed by hand in the comment."""

from __future__ import annotations

from datetime import date

from kacrm.analysis.due import due_items, select_items
from kacrm.config import Settings
from kacrm.due_facts import ContactFacts, CustomerFacts, DueData, OpenRecord, OrderFacts

TODAY = date(2026, 5, 4)  # a Monday
WEEK_END = date(2026, 5, 10)  # --week: today + 6


def customer(cid: int = 1, **kw) -> CustomerFacts:
    base = {
        "customer_id": cid,
        "code": f"C{cid:03d}",
        "name": f"Customer {cid}",
        "created_on": date(2025, 1, 1),
        "last_interaction_on": TODAY,
    }  # contacted today: no cadence item unless a test says otherwise
    base.update(kw)
    return CustomerFacts(**base)


def items(
    data: DueData,
    today: date = TODAY,
    end: date = WEEK_END,
    settings: Settings | None = None,
    kind: str | None = None,
):
    """The items of the week (or another window), only those of ``kind`` when given."""
    return select_items(due_items(data, settings or Settings(), today, today, end), kind=kind)


def ids(found) -> list[str]:
    return [i.id for i in found]


# cadence ---------------------------------------------------------------------------------------------------


def test_cadence_by_tier_override_and_untiered() -> None:
    data = DueData(
        [
            customer(
                1, tier="A", last_interaction_on=date(2026, 4, 22)
            ),  # 04-22 + 14 = 05-06: in the week
            customer(2, tier="B", last_interaction_on=date(2026, 4, 22)),  # + 30 = 05-22: outside
            customer(
                3, tier="B", cadence_days=10, last_interaction_on=date(2026, 4, 22)
            ),  # + 10 = 05-02: overdue 2
            customer(
                4, last_interaction_on=date(2026, 2, 1)
            ),  # untiered 90: 02-01 + 90 = 05-02 (28+31+30=89 → 05-02)
            customer(
                5, tier="platinum", last_interaction_on=None, first_order_on=date(2026, 4, 28)
            ),  # +7 = 05-05
            customer(
                6, tier="C", last_interaction_on=None, created_on=date(2026, 2, 3)
            ),  # + 90 = 05-04
            customer(
                7, tier="A", status="lost", last_interaction_on=date(2026, 1, 1)
            ),  # lost: never listed
        ]
    )
    found = {i.customer_code: i for i in items(data) if i.kind == "cadence"}
    assert set(found) == {"C001", "C003", "C004", "C005", "C006"}
    assert found["C001"].due_on == date(2026, 5, 6) and found["C001"].overdue_days == 0
    assert found["C003"].due_on == date(2026, 5, 2) and found["C003"].overdue_days == 2
    assert found["C004"].due_on == date(2026, 5, 2)
    assert found["C005"].due_on == date(2026, 5, 5)
    assert found["C006"].due_on == date(2026, 5, 4)
    assert found["C001"].id == "cad-1-20260506"
    # the reason names the cadence: a tier's, or the untiered one (it read "tier -: every 90 days")
    assert found["C001"].reason == "last contact 2026-04-22; tier A: every 14 days"
    assert found["C004"].reason == "last contact 2026-02-01; untiered: every 90 days"
    assert found["C004"].reason_zh == "上次联系 2026-02-01；未分级，每 90 天联系"


def test_a_cadence_of_the_customers_own_is_named_as_theirs() -> None:
    """A customer's cadence_days is their own, not their tier's (it read "tier B: every 1 days")."""
    data = DueData(
        [
            # own 1 day: 05-03 + 1 = 05-04
            customer(1, tier="B", cadence_days=1, last_interaction_on=date(2026, 5, 3)),
            # own 10 days, never contacted: 04-26 + 10 = 05-06
            customer(2, cadence_days=10, last_interaction_on=None, created_on=date(2026, 4, 26)),
        ]
    )
    found = {i.customer_code: i for i in items(data, kind="cadence")}
    assert found["C001"].due_on == date(2026, 5, 4)
    assert found["C001"].reason == "last contact 2026-05-03; own cadence: every day"
    assert found["C001"].reason_zh == "上次联系 2026-05-03；自定联系周期：每 1 天"
    assert found["C002"].due_on == date(2026, 5, 6)
    assert found["C002"].reason == "added, never contacted 2026-04-26; own cadence: every 10 days"
    assert found["C002"].reason_zh == "建档，从未联系 2026-04-26；自定联系周期：每 10 天"


def test_logging_an_interaction_restarts_the_cadence() -> None:
    before = DueData(
        [customer(1, tier="A", last_interaction_on=date(2026, 4, 1))]
    )  # due 04-15, overdue 19
    assert [(i.due_on, i.overdue_days) for i in items(before)] == [(date(2026, 4, 15), 19)]
    after = DueData(
        [customer(1, tier="A", last_interaction_on=TODAY)]
    )  # next due 05-18, outside the week
    assert items(after) == []


def test_cadence_days_configurable() -> None:
    settings = Settings()
    settings.cadence.days["A"] = 7
    data = DueData(
        [customer(1, tier="A", last_interaction_on=date(2026, 4, 30))]
    )  # 04-30 + 7 = 05-07
    assert [i.due_on for i in items(data, settings=settings)] == [date(2026, 5, 7)]


# window and ordering ------------------------------------------------------------------------------------------


def test_today_window_and_days_window() -> None:
    data = DueData(
        [
            customer(1, tier="A", last_interaction_on=date(2026, 4, 20)),  # due 05-04 (today)
            customer(2, tier="A", last_interaction_on=date(2026, 4, 21)),  # due 05-05 (tomorrow)
            customer(
                3, tier="A", last_interaction_on=date(2026, 4, 30)
            ),  # due 05-14: day 11 from today
        ]
    )
    assert ids(items(data, end=TODAY)) == ["cad-1-20260504"]
    assert ids(items(data, end=date(2026, 5, 13))) == [
        "cad-1-20260504",
        "cad-2-20260505",
    ]  # --days 10
    assert len(items(data, end=date(2026, 5, 14))) == 3  # --days 11


def test_overdue_first_complaints_first() -> None:
    data = DueData(
        [
            customer(1, tier="A", last_interaction_on=date(2026, 4, 1)),
            customer(2),
        ],  # cadence due 04-15
        complaints=[OpenRecord(9, 2, date(2026, 4, 30), "late delivery")],  # due 04-30 + 2 = 05-02
        tasks=[OpenRecord(4, 2, date(2026, 5, 5), "send samples")],
    )
    found = items(data)
    assert ids(found) == ["cmp-9", "cad-1-20260415", "task-4"]
    assert [i.overdue_days for i in found] == [2, 19, 0]


def test_filters() -> None:
    data = DueData(
        [
            customer(1, tier="A", owner="张伟", last_interaction_on=date(2026, 4, 1)),
            customer(2, tier="B", owner="李娜", last_interaction_on=date(2026, 4, 5)),  # due 05-05
        ]
    )
    found = items(data)
    assert ids(select_items(found, owner="李娜")) == ["cad-2-20260505"]
    assert ids(select_items(found, tier="A")) == ["cad-1-20260415"]
    assert ids(select_items(found, overdue_only=True)) == ["cad-1-20260415"]
    assert select_items(found, kind="birthday") == []


def test_ids_are_stable_across_runs_and_days() -> None:
    data = DueData([customer(1, tier="A", last_interaction_on=date(2026, 4, 25))])  # due 05-09
    first = ids(items(data))
    assert (
        first == ids(items(data)) == ids(items(data, today=date(2026, 5, 6), end=date(2026, 5, 12)))
    )


# follow-ups, complaints, plans --------------------------------------------------------------------------------


def test_follow_up_open_until_a_later_conversation() -> None:
    set_on = (date(2026, 4, 20), 30)
    record = OpenRecord(30, 1, date(2026, 5, 6), "send the quote", "王总", logged=set_on)
    open_data = DueData([customer(1, last_conversation=set_on)], follow_ups=[record])
    assert [(i.id, i.due_on, i.contact) for i in items(open_data)] == [
        ("fu-30", date(2026, 5, 6), "王总")
    ]
    later = DueData([customer(1, last_conversation=(date(2026, 4, 25), 31))], follow_ups=[record])
    assert items(later) == []
    same_day_later_id = DueData(
        [customer(1, last_conversation=(date(2026, 4, 20), 35))], follow_ups=[record]
    )
    assert items(same_day_later_id) == []


def test_complaint_due_two_days_after_it_was_logged() -> None:
    data = DueData([customer(1)], complaints=[OpenRecord(7, 1, date(2026, 5, 4), "broken part")])
    [item] = items(data)
    assert (item.kind, item.due_on, item.overdue_days) == (
        "complaint",
        date(2026, 5, 6),
        0,
    )  # 05-04 + 2


def test_plan_target_in_window_or_overdue() -> None:
    data = DueData(
        [customer(1)],
        plans=[
            OpenRecord(1, 1, date(2026, 5, 8), "进入二期供应商名单"),
            OpenRecord(2, 1, date(2026, 4, 30), "签年度框架"),  # passed and still open: overdue 4
            OpenRecord(3, 1, date(2026, 6, 30), "later"),
        ],
    )
    found = items(data)
    assert [(i.id, i.overdue_days, i.event_on) for i in found] == [
        ("plan-2", 4, date(2026, 4, 30)),
        ("plan-1", 0, date(2026, 5, 8)),
    ]


# birthdays, anniversaries ---------------------------------------------------------------------------------------


def person(**kw) -> ContactFacts:
    base = {"contact_id": 7, "customer_id": 1, "name": "王总"}
    base.update(kw)
    return ContactFacts(**base)


def test_solar_birthday_lead_days_and_drop_off() -> None:
    data = DueData([customer(1)], contacts=[person(birthday=date(1976, 5, 9))])
    [item] = items(data)
    # event 2026-05-09, listed 3 days ahead: due 05-06; turns 2026 - 1976 = 50
    assert (item.id, item.event_on, item.due_on, item.kind) == (
        "bday-7-20260509",
        date(2026, 5, 9),
        date(2026, 5, 6),
        "birthday",
    )
    assert "turns 50" in item.reason and item.contact == "王总"
    # on 05-08 the card is 2 days late but the birthday is tomorrow: still listed, overdue 2
    [late] = items(data, today=date(2026, 5, 8), end=date(2026, 5, 14))
    assert late.overdue_days == 2
    # the day after the birthday it is gone
    assert items(data, today=date(2026, 5, 10), end=date(2026, 5, 16)) == []


def test_birthday_beyond_the_window_but_due_inside() -> None:
    # --today on 05-04: a birthday on 05-07 is due 05-04 (3 days ahead) and listed although the event is outside
    data = DueData([customer(1)], contacts=[person(birthday=date(1980, 5, 7))])
    assert [i.due_on for i in items(data, end=TODAY)] == [TODAY]
    # a birthday on 05-08 (due 05-05) is not listed for --today
    data = DueData([customer(1)], contacts=[person(birthday=date(1980, 5, 8))])
    assert items(data, end=TODAY) == []


def test_birthday_window_across_the_new_year() -> None:
    data = DueData(
        [customer(1)], contacts=[person(birthday=date(2000, 1, 2), birthday_has_year=False)]
    )
    [item] = items(data, today=date(2026, 12, 30), end=date(2027, 1, 5), kind="birthday")
    # 2027-01-02, due 2026-12-30; no age without a year
    assert (item.event_on, item.due_on, item.id) == (
        date(2027, 1, 2),
        date(2026, 12, 30),
        "bday-7-20270102",
    )
    assert "turns" not in item.reason


def test_29_february_birthday_in_a_common_year() -> None:
    data = DueData([customer(1)], contacts=[person(birthday=date(1988, 2, 29))])
    [item] = items(data, today=date(2026, 2, 25), end=date(2026, 3, 3))
    assert item.event_on == date(2026, 2, 28) and item.due_on == date(2026, 2, 25)


def test_29_february_anniversary_in_a_common_year_and_one_across_the_new_year() -> None:
    leap = person(contact_id=7, anniversary=date(2016, 2, 29))
    [item] = items(
        DueData([customer(1)], contacts=[leap]),
        today=date(2026, 2, 25),
        end=date(2026, 3, 3),
        kind="anniversary",
    )
    # 28 February in 2026, listed 3 days ahead; 2026 − 2016 = 10 years
    assert (item.id, item.event_on, item.due_on) == (
        "anniv-7-20260228",
        date(2026, 2, 28),
        date(2026, 2, 25),
    )
    new_year = person(contact_id=8, anniversary=date(2020, 1, 2))
    [item] = items(
        DueData([customer(1)], contacts=[new_year]),
        today=date(2026, 12, 30),
        end=date(2027, 1, 5),
        kind="anniversary",
    )
    assert (item.id, item.due_on) == ("anniv-8-20270102", date(2026, 12, 30))
    assert "7 years" in item.reason  # 2027 − 2020


def test_lunar_birthday_converted_to_this_year() -> None:
    # 八月十五 of 2026 = 2026-09-25; due 09-22
    data = DueData(
        [customer(1)], contacts=[person(lunar_month=8, lunar_day=15, birthday=date(1970, 3, 3))]
    )
    [item] = items(data, today=date(2026, 9, 21), end=date(2026, 9, 27), kind="birthday")
    assert (item.event_on, item.due_on) == (date(2026, 9, 25), date(2026, 9, 22))
    assert (
        "八月十五" in item.reason_zh and "lunar" in item.reason
    )  # the lunar date wins over the solar one


def test_leap_month_lunar_birthday_with_and_without_the_leap_month() -> None:
    contact = person(lunar_month=4, lunar_day=8, lunar_leap=True)
    in_2020 = items(
        DueData([customer(1)], contacts=[contact]), today=date(2020, 5, 27), end=date(2020, 6, 2)
    )
    assert [i.event_on for i in in_2020] == [date(2020, 5, 30)]  # 闰四月初八 2020
    in_2021 = items(
        DueData([customer(1)], contacts=[contact]), today=date(2021, 5, 16), end=date(2021, 5, 22)
    )
    assert [i.event_on for i in in_2021] == [date(2021, 5, 19)]  # no leap month: 四月初八 2021


def test_lunar_birthday_in_the_last_lunar_month_falls_in_january() -> None:
    # 腊月初八 of lunar 2025 = 2026-01-26 (正月初一 2026 is 02-17; 腊月 2025 has 30 days: 02-17 − 22 = 01-26)
    data = DueData([customer(1)], contacts=[person(lunar_month=12, lunar_day=8)])
    [item] = items(data, today=date(2026, 1, 23), end=date(2026, 1, 29))
    assert item.event_on == date(2026, 1, 26)


def test_anniversary() -> None:
    data = DueData([customer(1)], contacts=[person(anniversary=date(2016, 5, 8))])
    [item] = items(data)
    assert (item.kind, item.id, item.due_on) == (
        "anniversary",
        "anniv-7-20260508",
        date(2026, 5, 5),
    )
    assert "10 years" in item.reason  # 2026 − 2016


def test_done_and_snoozed_items() -> None:
    data = DueData(
        [customer(1)], contacts=[person(birthday=date(1976, 5, 9))], done={"bday-7-20260509"}
    )
    assert items(data) == []
    snoozed = DueData(
        [customer(1, tier="A", last_interaction_on=date(2026, 4, 1))],
        snoozed={"cad-1-20260415": date(2026, 5, 7)},
    )
    [item] = items(snoozed)  # hidden until 05-07, which is in the week: listed on that day
    assert (item.due_on, item.overdue_days) == (date(2026, 5, 7), 0)
    assert items(snoozed, end=date(2026, 5, 6)) == []
    [back] = items(
        snoozed, today=date(2026, 5, 9), end=date(2026, 5, 15)
    )  # two days after it came back
    assert back.overdue_days == 2


# festivals -------------------------------------------------------------------------------------------------------


def test_festival_greetings_only_for_top_tiers() -> None:
    data = DueData(
        [customer(1, tier="A"), customer(2, tier="gold"), customer(3, tier="B"), customer(4)]
    )
    # Mid-Autumn 2026 is 09-25: listed 7 days ahead, due 09-18; National Day 10-01 is due 09-24, also in the week
    found = items(data, today=date(2026, 9, 18), end=date(2026, 9, 24), kind="festival")
    assert sorted((i.customer_code, i.event_on, i.due_on) for i in found) == [
        ("C001", date(2026, 9, 25), date(2026, 9, 18)),
        ("C001", date(2026, 10, 1), date(2026, 9, 24)),
        ("C002", date(2026, 9, 25), date(2026, 9, 18)),
        ("C002", date(2026, 10, 1), date(2026, 9, 24)),
    ]
    assert {i.id for i in found} == {
        "fest-1-20260925",
        "fest-2-20260925",
        "fest-1-20261001",
        "fest-2-20261001",
    }
    # one item per customer per festival, even when two windows overlap it
    assert len(items(data, today=date(2026, 9, 18), end=date(2026, 9, 18), kind="festival")) == 2


def test_festivals_around_the_new_year_and_national_day() -> None:
    data = DueData([customer(1, tier="platinum")])
    # window 2026-12-28..01-03: New Year 2027-01-01 (due 12-25: overdue 3)
    [ny] = items(data, today=date(2026, 12, 28), end=date(2027, 1, 3), kind="festival")
    assert (ny.event_on, ny.overdue_days) == (date(2027, 1, 1), 3)
    # Spring Festival 2027 is 02-06: due 01-30
    [sf] = items(data, today=date(2027, 1, 30), end=date(2027, 1, 30), kind="festival")
    assert sf.event_on == date(2027, 2, 6) and sf.reason_zh == "春节问候"
    [nd] = items(data, today=date(2026, 9, 26), end=date(2026, 10, 2), kind="festival")
    assert nd.event_on == date(2026, 10, 1)


def test_festival_country_and_tiers_configurable() -> None:
    settings = Settings()
    settings.due.festival_country = "US"
    settings.due.festival_tiers = ["B"]
    data = DueData([customer(1, tier="A"), customer(2, tier="B")])
    found = items(
        data, today=date(2026, 6, 29), end=date(2026, 7, 5), settings=settings, kind="festival"
    )
    assert [(i.customer_code, i.event_on) for i in found] == [
        ("C002", date(2026, 7, 4))
    ]  # Independence Day


# after-sale, collection, win-back ---------------------------------------------------------------------------------


def test_after_sale_thanks_and_satisfaction_call() -> None:
    big = OrderFacts("SO-1", 1, date(2026, 5, 3), 1_500_000)  # 15,000.00 > 10,000 threshold
    small = OrderFacts("SO-2", 1, date(2026, 5, 3), 900_000)
    data = DueData(
        [customer(1, last_interaction_on=date(2026, 5, 1), last_touch_on=date(2026, 5, 1))],
        big_orders=[big, small],
    )
    found = [i for i in items(data) if i.kind == "after_sale"]
    # thank-you: event 05-03, due 05-03 + 3 = 05-06; satisfaction call 05-03 + 30 = 06-02 is outside the week
    assert [(i.id, i.due_on, i.event_on) for i in found] == [
        ("thx-SO-1", date(2026, 5, 6), date(2026, 5, 3))
    ]
    sat = [
        i
        for i in items(data, today=date(2026, 6, 1), end=date(2026, 6, 7))
        if i.id.startswith("sat")
    ]
    assert [(i.id, i.due_on) for i in sat] == [("sat-SO-1", date(2026, 6, 2))]
    # a touch after the order closes the thank-you; a survey closes the call
    thanked = DueData(
        [customer(1, last_touch_on=date(2026, 5, 4), last_survey_on=date(2026, 5, 20))],
        big_orders=[big],
    )
    assert [
        i
        for i in items(thanked, today=date(2026, 6, 1), end=date(2026, 6, 7))
        if i.kind == "after_sale"
    ] == []
    # unthanked, the thank-you stays overdue until it expires 30 days after its due day (05-06 + 30 = 06-05)
    late = [
        i.id
        for i in items(data, today=date(2026, 6, 5), end=date(2026, 6, 5))
        if i.kind == "after_sale"
    ]
    assert "thx-SO-1" in late
    gone = [
        i.id
        for i in items(data, today=date(2026, 6, 6), end=date(2026, 6, 6))
        if i.kind == "after_sale"
    ]
    assert "thx-SO-1" not in gone


def test_collections_due_in_window_or_overdue() -> None:
    data = DueData(
        [customer(1)],
        open_orders=[
            OrderFacts(
                "SO-7",
                1,
                date(2026, 3, 1),
                500_000,
                due_date=date(2026, 3, 31),
                outstanding_cents=200_000,
            ),
            OrderFacts(
                "SO-8",
                1,
                date(2026, 4, 9),
                300_000,
                due_date=date(2026, 5, 9),
                outstanding_cents=300_000,
            ),
        ],
    )
    found = items(data)
    assert [(i.id, i.overdue_days, i.event_on) for i in found] == [
        ("col-SO-7", 34, date(2026, 3, 31)),  # 03-31 → 05-04: 31 + 3 = 34 days
        ("col-SO-8", 0, date(2026, 5, 9)),
    ]
    assert "2,000.00" in found[0].reason


def test_win_back_by_usual_interval() -> None:
    # 5 order days from 2025-06-01 to 2025-12-28: usual interval 210 / 4 = 52.5 days; quiet when more than
    # 2 × 52.5 = 105 days have passed: from 2025-12-28 + 106 = 2026-04-13
    quiet = customer(
        1, first_order_on=date(2025, 6, 1), last_order_on=date(2025, 12, 28), order_days=5
    )
    [item] = [i for i in items(DueData([quiet])) if i.kind == "win_back"]
    assert (item.id, item.due_on, item.overdue_days) == ("wb-1-20251228", date(2026, 4, 13), 21)
    assert "127 days" in item.reason  # 2025-12-28 → 2026-05-04: 3 + 31 + 28 + 31 + 30 + 4 = 127
    regular = customer(
        2, first_order_on=date(2025, 6, 1), last_order_on=date(2026, 3, 1), order_days=5
    )
    single = customer(
        3, first_order_on=date(2025, 6, 1), last_order_on=date(2025, 6, 1), order_days=1
    )
    assert [i for i in items(DueData([regular, single])) if i.kind == "win_back"] == []


def test_win_back_listed_ahead_is_worded_from_the_day_it_goes_quiet() -> None:
    """Listed in the week before the customer has gone quiet, the reason says from when (it read "no order for
    0 days (usually every 1)")."""
    # order days 04-30, 05-01, 05-02, 05-03, 05-04: usual (05-04 - 04-30) / 4 = 1 day; quiet from
    # 05-04 + 2 × 1 + 1 = 05-07, inside the week of 05-04
    daily = customer(
        1, first_order_on=date(2026, 4, 30), last_order_on=date(2026, 5, 4), order_days=5
    )
    # 3 order days 04-10 .. 04-30: usual 20 / 2 = 10 days; quiet from 04-30 + 21 = 05-21, inside 14 days
    tens = customer(
        2, first_order_on=date(2026, 4, 10), last_order_on=date(2026, 4, 30), order_days=3
    )
    found = {
        i.customer_code: i
        for i in items(DueData([daily, tens]), end=date(2026, 5, 21), kind="win_back")
    }
    assert found["C001"].due_on == date(2026, 5, 7)
    assert (
        found["C001"].reason
        == "quiet from 2026-05-07: last order 2026-05-04, usually orders every day"
    )
    assert (
        found["C001"].reason_zh
        == "2026-05-07 起视为久未下单：上次下单 2026-05-04，平时约每 1 天下单"
    )
    assert found["C002"].due_on == date(2026, 5, 21)
    assert found["C002"].reason == (
        "quiet from 2026-05-21: last order 2026-04-30, usually orders every 10 days"
    )


def test_win_back_by_p_alive_when_a_clv_run_exists() -> None:
    low = customer(
        1,
        first_order_on=date(2025, 1, 1),
        last_order_on=date(2026, 3, 1),
        order_days=9,
        p_alive=0.2,
        clv_as_of=date(2026, 5, 1),
    )
    high = customer(
        2,
        first_order_on=date(2024, 1, 1),
        last_order_on=date(2024, 2, 1),
        order_days=2,
        p_alive=0.8,
        clv_as_of=date(2026, 5, 1),
    )  # quiet by the interval rule, but clv decides
    found = [i for i in items(DueData([low, high])) if i.kind == "win_back"]
    assert [(i.customer_code, i.due_on) for i in found] == [("C001", date(2026, 5, 1))]


def test_every_item_has_the_spec_fields() -> None:
    data = DueData(
        [
            customer(
                1,
                tier="A",
                owner="张伟",
                primary_contact="李经理",
                last_interaction_on=date(2026, 4, 22),
            )
        ]
    )
    [item] = items(data)
    assert (item.customer_code, item.customer_name, item.contact, item.owner, item.tier) == (
        "C001",
        "Customer 1",
        "李经理",
        "张伟",
        "A",
    )
    assert item.reason and item.reason_zh and item.event_on is None

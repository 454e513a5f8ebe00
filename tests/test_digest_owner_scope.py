"""One owner's digest reads only that owner's customers (issue 19, SPEC §13); its answer must be the whole book's
digest restricted to them. A small book with two owners and a customer of nobody's, each owner's customers
with something in every section (a collection, a birthday, an account over its limit, a tier move between two
runs, an at-risk key account, a new key-account order, a release to the pool and back), on both backends."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlmodel import Session

from kacrm.store.clock import utcnow
from kacrm.store.models import Contact, Customer, Order, Ownership

AS_OF = "2026-11-22"
D = date.fromisoformat
OWNERS = {"张伟": "Z", "李娜": "L"}
# the codes each owner holds, written by hand from the book below
HELD = {"张伟": {"Z1", "Z2", "Z3"}, "李娜": {"L1", "L2", "L3"}}


def _order(no: str, cid: int, on: str, cents: int, due: str | None = None) -> Order:
    return Order(
        order_no=no,
        customer_id=cid,
        order_date=D(on),
        amount_cents=cents,
        due_date=D(due) if due else None,
    )


def _fill(engine) -> None:
    """Per owner (prefix Z or L), amounts in yuan:
    - P1, limit ¥1,000, 30 days' terms: ¥1,500 ordered 10-01 due 11-20 (unpaid: overdue, over the limit),
      ¥500 on 11-22; key person born 11-25. Z1 buys 10 times more than L1.
    - P2: ¥3,000 a month from 2025-01 to 2025-10, then nothing (quiet, revenue down).
    - P3: ¥100 on 2026-03-01, then ¥9,000 on 11-22 (a tier move between the runs of 11-21 and 11-22);
      released to the pool on 11-22 and given back to the same owner.
    N1 is nobody's: ¥2,000 ordered 10-01 due 11-20, unpaid."""
    now = utcnow()
    with Session(engine) as s:
        for owner, p in OWNERS.items():
            scale = 10 if p == "Z" else 1
            c1, c2, c3 = (
                Customer(
                    code=f"{p}{i}",
                    name=f"{owner}{i}",
                    owner=owner,
                    credit_limit_cents=100_000 if i == 1 else None,
                    payment_terms_days=30,
                    created_at=now,
                    updated_at=now,
                )
                for i in (1, 2, 3)
            )
            s.add_all([c1, c2, c3])
            s.flush()
            s.add(
                Contact(
                    customer_id=c1.id,
                    name=f"{p}总",
                    birthday=D("1980-11-25"),
                    phone="13800138000",
                    hobbies="茶",
                    is_primary=True,
                )
            )
            s.add(_order(f"{p}O1", c1.id, "2026-10-01", 150_000 * scale, "2026-11-20"))
            s.add(_order(f"{p}O2", c1.id, "2026-11-22", 50_000))
            for month in range(1, 11):
                s.add(_order(f"{p}Q{month}", c2.id, f"2025-{month:02d}-05", 300_000))
            s.add(_order(f"{p}S1", c3.id, "2026-03-01", 10_000))
            s.add(_order(f"{p}S2", c3.id, "2026-11-22", 900_000))
            s.add(
                Ownership(
                    customer_id=c3.id,
                    changed_on=D(AS_OF),
                    reason="released",
                    previous_owner=owner,
                    created_at=now,
                )
            )
        n1 = Customer(code="N1", name="Nobody", created_at=now, updated_at=now)
        s.add(n1)
        s.flush()
        s.add(_order("NO1", n1.id, "2026-10-01", 200_000, "2026-11-20"))
        s.commit()


@pytest.fixture
def book(run, engine) -> None:
    """The book of _fill, tiered (abc) on 11-21 and 11-22."""
    _fill(engine)
    for day in ("2026-11-21", AS_OF):
        assert run("tier", "--method", "abc", "--as-of", day).exit_code == 0


def _digest(run, lang: str = "en", *options: str) -> dict[str, Any]:
    result = run(
        "--as-of", AS_OF, "--lang", lang, "digest", "--dry-run", "--format", "json", *options
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _restricted(whole: dict[str, Any], codes: set[str], owner: str) -> dict[str, Any]:
    """The whole book's digest with only the rows of ``codes``, as the owner's digest names its owner."""
    sections = ("due", "events", "credit_alerts", "tier_changes", "at_risk", "new_orders")
    out = {
        key: [row for row in rows if row["customer_code"] in codes] if key in sections else rows
        for key, rows in whole.items()
    }
    out["owner"] = owner
    # every owner's digest lists every release of the period (docs/digest.md: the pool is anyone's to claim)
    out["pool_releases"] = whole["pool_releases"]
    return out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_owners_digest_is_the_whole_digest_of_their_customers(run, book, lang) -> None:
    whole = _digest(run, lang)
    # every section has rows of both owners, so that the restriction is tested everywhere
    for section in (
        "due",
        "events",
        "credit_alerts",
        "tier_changes",
        "at_risk",
        "new_orders",
        "pool_releases",
    ):
        for codes in HELD.values():
            assert {r["customer_code"] for r in whole[section]} & codes, (section, codes)
    assert "N1" in {r["customer_code"] for r in whole["due"]}
    for owner, codes in HELD.items():
        assert _digest(run, lang, "--owner", owner) == _restricted(whole, codes, owner)


def test_an_owner_with_no_customers_gets_an_empty_digest(run, book) -> None:
    assert run("owner", "set", "王磊", "--email", "wl@example.com").exit_code == 0
    digest = _digest(run, "en", "--owner", "王磊")
    assert digest["owner"] == "王磊"
    assert all(digest[key] == [] for key in ("due", "events", "credit_alerts"))
    assert digest["pool_releases"] == _digest(run)["pool_releases"] != []  # the pool is anyone's
    assert all(digest[key] == [] for key in ("tier_changes", "at_risk", "new_orders"))


def test_before_any_tiering_the_key_accounts_are_the_whole_books_top_buyers(run, engine) -> None:
    """Untiered, the key accounts are the top 20% of the book's buyers of the 12 months (Z1 alone of the five
    with orders in them), not of each owner's: 李娜's L1, her own top buyer, is no key account."""
    _fill(engine)
    whole = _digest(run)
    assert [r["customer_code"] for r in whole["at_risk"]] == ["Z1"]
    for owner, codes in HELD.items():
        assert _digest(run, "en", "--owner", owner) == _restricted(whole, codes, owner)

"""The digest as people read it (issue 16): the short summaries before the long lists, dates that never wrap."""

from __future__ import annotations

import json
import re
from datetime import date

from kacrm.analysis.digest import SECTIONS, Digest
from kacrm.render.digest import render_html, render_json, render_markdown, render_text

DAY = date(2026, 11, 20)


def digest() -> Digest:
    due = [
        {
            "id": f"fu-{i}",
            "due_on": date(2026, 10, 6),
            "kind": "follow_up",
            "customer_code": f"KH{i:04d}",
            "customer_name": "Acme",
            "contact": None,
            "reason": "follow up",
            "overdue_days": 45,  # 2026-10-06 to 2026-11-20: 25 + 20 days
        }
        for i in range(300)
    ]
    at_risk = [
        {"customer_code": "KH9999", "customer_name": "Beta", "tier": "A", "reasons": ["no order"]}
    ]
    return Digest(DAY, DAY, due=due, at_risk=at_risk)


def test_the_summaries_come_before_the_long_due_list() -> None:
    for lang in ("en", "zh"):
        for rendered in (render_text(digest(), lang), render_markdown(digest(), lang)):
            assert rendered.index("KH9999") < rendered.index("KH0000")
        html = render_html(digest(), lang)
        assert html.index("KH9999") < html.index("KH0000")


def test_json_keeps_the_spec_order() -> None:
    keys = list(json.loads(render_json(digest())))
    # SPEC §10 order, then owner (SPEC §13) and the pool's releases (issue 18) after the SPEC keys
    spec = [s for s in SECTIONS if s != "pool_releases"]
    assert keys == ["period_start", "period_end", *spec, "owner", "pool_releases"]


def test_html_dates_and_amounts_never_wrap() -> None:
    html = render_html(digest())
    assert "td.n,td.d{white-space:nowrap}" in html
    cells = re.findall(r"<td class=d>([^<]*)</td>", html)
    assert len(cells) == 50  # the due rows shown (MAX_ROWS), each with its date in a nowrap cell
    assert set(cells) == {"2026-10-06"}

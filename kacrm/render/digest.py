"""The digest as text (cron mail, terminal), Markdown, HTML (the email's rich part) and json; its email subject.

Text, Markdown and HTML show at most ``MAX_ROWS`` rows per section and say how many more there are and which
command lists them all; json always has every row.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from kacrm.analysis.digest import Digest
from kacrm.i18n import label, t, text
from kacrm.i18n.due import KIND_LABELS_ZH
from kacrm.render.listing import Column, ColumnKind
from kacrm.render.output import format_cell, to_jsonable

MAX_ROWS = 50
PERSONAL_OCCASIONS = ("birthday", "anniversary")

# The order people read the sections in (text, md, html): the short summaries first, then the lists that can run
# to hundreds of rows (new orders, then the due items). json keeps the SPEC's order.
READING_ORDER = ("events", "credit_alerts", "tier_changes", "at_risk", "new_orders", "due")

# Where each section goes on when it is cut at MAX_ROWS.
COMMANDS = {
    "due": "kacrm due --overdue",
    "events": "kacrm due --week",
    "credit_alerts": "kacrm credit",
    "tier_changes": "kacrm report movement",
    "at_risk": "kacrm report churn",
    "new_orders": "kacrm customer show CODE",
    "pool_releases": "kacrm pool",
}
_COLUMN_KINDS: dict[str, list[tuple[str, ColumnKind]]] = {
    "due": [
        ("due_on", "date"),
        ("kind", "text"),
        ("customer", "text"),
        ("contact", "text"),
        ("reason", "text"),
        ("overdue_days", "int"),
    ],
    "events": [
        ("event_on", "date"),
        ("kind", "text"),
        ("customer", "text"),
        ("contact", "text"),
        ("reason", "text"),
        ("phone", "text"),
        ("hobbies", "text"),
    ],
    "credit_alerts": [
        ("customer", "text"),
        ("alerts", "text"),
        ("outstanding", "money"),
        ("credit_limit", "money"),
        ("newly_overdue", "money"),
        ("overdue", "money"),
        ("oldest_overdue_days", "int"),
    ],
    "tier_changes": [
        ("customer", "text"),
        ("method", "text"),
        ("previous_tier", "text"),
        ("tier", "text"),
        ("direction", "text"),
    ],
    "at_risk": [("customer", "text"), ("tier", "text"), ("reasons", "text")],
    "new_orders": [
        ("order_date", "date"),
        ("customer", "text"),
        ("tier", "text"),
        ("order_no", "text"),
        ("amount", "money"),
        ("product", "text"),
    ],
    "pool_releases": [
        ("released_on", "date"),
        ("customer", "text"),
        ("tier", "text"),
        ("previous_owner", "text"),
    ],
}
COLUMNS: dict[str, list[Column]] = {
    section: [
        Column(
            key,
            text(f"digest_col_{section}_{key}", "en"),
            text(f"digest_col_{section}_{key}", "zh"),
            kind,
        )
        for key, kind in columns
    ]
    for section, columns in _COLUMN_KINDS.items()
}
# The counts of the email subject, in their order.
SUBJECT_COUNTS = (
    "due",
    "birthdays",
    "credit_alerts",
    "tier_changes",
    "at_risk",
    "new_orders",
    "pool_releases",
)
ALWAYS_IN_SUBJECT = ("due", "birthdays", "credit_alerts")


def _w(key: str, lang: str, **values: Any) -> str:
    if "n" in values:
        values["days"] = "day" if values["n"] == 1 else "days"
    return t(f"digest_w_{key}", lang, **values)


def _title(section: str, lang: str) -> str:
    return text(f"digest_section_{section}", lang)


def redact(digest: Digest) -> Digest:
    """The digest without phones, hobbies and birthdays (the day, age, lunar date and the id that holds the day
    of a personal occasion), for sharing beyond the account manager. The due section holds no occasions."""
    events = []
    for e in digest.events:
        e = {**e, "phone": None, "hobbies": None}
        if e["kind"] in PERSONAL_OCCASIONS:
            e.update(id=None, event_on=None, days_until=None)
        events.append(e)
    return replace(digest, events=events)


def _personal_reason(row: dict[str, Any], lang: str) -> str:
    """The reason of a redacted personal occasion: who, not when or how old."""
    return _w(f"{row['kind']}_hidden", lang, name=row.get("contact") or row["customer_name"])


def _payment_ahead(row: dict[str, Any], today: date) -> int | None:
    """In how many days the payment of a collection row falls due, while that is still ahead (its reminder is
    listed before the due date: the payment is not overdue, whatever day the reminder was for)."""
    on = row.get("event_on")
    if row.get("kind") == "collection" and on is not None and on > today:
        return (on - today).days
    return None


def _when_due(row: dict[str, Any], today: date, lang: str) -> str | None:
    """A due row's "overdue 3 days" or, for a payment not yet due, "due in 2 days" (None: neither)."""
    if row["overdue_days"] > 0:
        return _w("overdue", lang, n=row["overdue_days"])
    ahead = _payment_ahead(row, today)
    return None if ahead is None else _w("falls_due_in", lang, n=ahead)


def _display_row(section: str, row: dict[str, Any], lang: str, today: date) -> dict[str, Any]:
    """A row with the cells people read: customer as "CODE name", kinds and words in the user's language."""
    out = {**row, "customer": f"{row['customer_code']} {row['customer_name']}"}
    if section == "due" and (ahead := _payment_ahead(row, today)) is not None:
        out["overdue_days"] = _w("falls_due_in", lang, n=ahead)  # not overdue: when it falls due
    if "kind" in row:
        out["kind"] = KIND_LABELS_ZH.get(row["kind"], row["kind"]) if lang == "zh" else row["kind"]
    if section == "events" and row["kind"] in PERSONAL_OCCASIONS and row["event_on"] is None:
        out["reason"] = _personal_reason(row, lang)
    if section == "credit_alerts":
        out["alerts"] = ", ".join(_w(a, lang) for a in row["alerts"])
    if section == "tier_changes":
        out["direction"] = _w(row["direction"], lang)
        out["previous_tier"] = label(row["previous_tier"], lang) or "—"
        out["tier"] = label(row["tier"], lang)
    if section in ("at_risk", "new_orders", "pool_releases"):
        out["tier"] = label(row.get("tier"), lang)
    if section == "at_risk":
        out["reasons"] = "; ".join(row["reasons"])
    return out


def _text_line(section: str, row: dict[str, Any], lang: str, today: date) -> str:
    """One row of the plain-text digest, readable in any mail reader."""
    r = _display_row(section, row, lang, today)
    money_ = {
        k: format_cell(row.get(k), "money")
        for k in (
            "outstanding",
            "credit_limit",
            "overdue",
            "amount",
            "newly_overdue",
            "over_limit_by",
        )
    }
    who = r["customer"] + (f" ({r['contact']})" if r.get("contact") else "")
    if section == "due":
        when = _when_due(row, today, lang)
        late = f" [{when}]" if when else ""
        return f"{row['due_on']}  {r['kind']}  {who}: {r['reason']}{late}"
    if section == "events":
        days = row["days_until"]
        soon = _w("today", lang) if days == 0 else _w("in_days", lang, n=days)
        when = "—" if row["event_on"] is None else f"{row['event_on']} ({soon})"
        extra = "".join(f"  {v}" for v in (row.get("phone"), row.get("hobbies")) if v)
        return f"{when}  {r['kind']}  {who}: {r['reason']}{extra}"
    if section == "credit_alerts":
        owed = f"{_w('outstanding', lang)} {money_['outstanding']}"
        if row["credit_limit"] is not None:
            owed += f", {_w('limit', lang)} {money_['credit_limit']}"
        parts = [
            f"{_w('over_limit_by', lang)} {money_['over_limit_by']} ({owed})"
            if row["over_limit_by"] is not None
            else owed
        ]
        if row["newly_overdue"]:
            parts.append(f"{_w('newly_overdue', lang)} {money_['newly_overdue']}")
        if row["overdue"]:
            oldest = _w("oldest", lang, n=row["oldest_overdue_days"])
            parts.append(f"{_w('overdue_in_all', lang)} {money_['overdue']} ({oldest})")
        return f"{who}: " + "; ".join(parts)
    if section == "tier_changes":
        return f"{who}: {r['previous_tier']} → {r['tier']} ({row['method']}, {r['direction']})"
    if section == "at_risk":
        return f"{who} [{r['tier'] or '—'}]: {r['reasons']}"
    if section == "pool_releases":
        was = _w("released_from", lang, owner=row["previous_owner"] or "—")
        return f"{row['released_on']}  {who} [{r['tier'] or '—'}]  {was}"
    product = f"  {row['product']}" if row.get("product") else ""
    return (
        f"{row['order_date']}  {who} [{r['tier']}]  {row['order_no']}  {money_['amount']}{product}"
    )


def _header(digest: Digest, lang: str) -> tuple[str, str]:
    title = _w("title", lang, day=digest.period_end)
    period = _w("period", lang, start=digest.period_start, end=digest.period_end)
    return title, period


def _reading_order(digest: Digest) -> list[tuple[str, list[dict[str, Any]]]]:
    sections = digest.sections()
    return [(name, sections[name]) for name in READING_ORDER if name in sections] + [
        (name, rows) for name, rows in sections.items() if name not in READING_ORDER
    ]


def _shown(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    return rows[:MAX_ROWS], max(0, len(rows) - MAX_ROWS)


def render_text(digest: Digest, lang: str = "en") -> str:
    title, period = _header(digest, lang)
    lines = [f"{title} ({period})", subject_counts(digest, lang), ""]
    if digest.is_empty():
        lines.append(_w("empty", lang))
    for section, rows in _reading_order(digest):
        command = COMMANDS[section]
        lines.append(f"{_title(section, lang)} ({len(rows)})")
        shown, more = _shown(rows)
        lines += [f"  - {_text_line(section, row, lang, digest.period_end)}" for row in shown] or [
            f"  {_w('none', lang)}"
        ]
        if more:
            lines.append(f"  {_w('more', lang, n=more, command=command)}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _cells(section: str, row: dict[str, Any], lang: str, today: date) -> list[str]:
    shown = _display_row(section, row, lang, today)
    return [format_cell(shown.get(c.key), c.kind) for c in COLUMNS[section]]


def render_markdown(digest: Digest, lang: str = "en") -> str:
    title, period = _header(digest, lang)
    lines = [f"# {title}", "", f"{period} · {subject_counts(digest, lang)}", ""]
    for section, rows in _reading_order(digest):
        command = COMMANDS[section]
        lines += [f"## {_title(section, lang)} ({len(rows)})", ""]
        if not rows:
            lines += [_w("none", lang), ""]
            continue
        columns = COLUMNS[section]
        lines.append("| " + " | ".join(c.header(lang) for c in columns) + " |")
        lines.append(
            "|" + "|".join("---:" if c.kind in ("int", "money") else "---" for c in columns) + "|"
        )
        shown, more = _shown(rows)
        for row in shown:
            lines.append(
                "| "
                + " | ".join(
                    cell.replace("|", "\\|")
                    for cell in _cells(section, row, lang, digest.period_end)
                )
                + " |"
            )
        if more:
            lines += ["", _w("more", lang, n=more, command=command)]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


_CSS = (
    "body{font-family:-apple-system,'Segoe UI','PingFang SC','Microsoft YaHei',sans-serif;color:#222}"
    "table{border-collapse:collapse;margin:0 0 1.2em}th,td{border:1px solid #ccc;padding:3px 8px;"
    "text-align:left;vertical-align:top}th{background:#f2f2f2}td.n{text-align:right}"
    "td.n,td.d{white-space:nowrap}h2{font-size:1.1em;"
    "margin:1.2em 0 .4em}p.meta{color:#555}"
)


# Numbers right-aligned, and numbers and dates never wrapped ("2026-10-" / "06" in a narrow mail window).
_CELL_CLASS = {"int": " class=n", "money": " class=n", "date": " class=d"}


def render_html(digest: Digest, lang: str = "en") -> str:
    """A self-contained HTML page (inline CSS, no scripts, no remote resources): safe in any mail reader."""
    e = html.escape
    title, period = _header(digest, lang)
    out = [
        f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        f'<p class="meta">{e(period)} · {e(subject_counts(digest, lang))}</p>',
    ]
    for section, rows in _reading_order(digest):
        command = COMMANDS[section]
        out.append(f"<h2>{e(_title(section, lang))} ({len(rows)})</h2>")
        if not rows:
            out.append(f"<p>{e(_w('none', lang))}</p>")
            continue
        columns = COLUMNS[section]
        out.append(
            "<table><tr>" + "".join(f"<th>{e(c.header(lang))}</th>" for c in columns) + "</tr>"
        )
        shown, more = _shown(rows)
        for row in shown:
            cells = _cells(section, row, lang, digest.period_end)
            out.append(
                "<tr>"
                + "".join(
                    f"<td{_CELL_CLASS.get(c.kind, '')}>{e(cell)}</td>"
                    for c, cell in zip(columns, cells, strict=True)
                )
                + "</tr>"
            )
        out.append("</table>")
        if more:
            out.append(f"<p>{e(_w('more', lang, n=more, command=command))}</p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def digest_json(digest: Digest, convert: Callable[[Any], Any] = to_jsonable) -> dict[str, Any]:
    """The SPEC §10 object: period_start, period_end and the six sections, every row; then `owner` (SPEC §13)
    and the pool's releases of the period (issue 18), after the SPEC's keys. ``convert`` makes each section's rows
    JSON values (render_json leaves them to its encoder)."""
    sections = {name: convert(section) for name, section in digest.sections().items()}
    releases = sections.pop("pool_releases")
    return {
        "period_start": digest.period_start.isoformat(),
        "period_end": digest.period_end.isoformat(),
        **sections,
        "owner": digest.owner,
        "pool_releases": releases,
    }


# The rows as they are, a value json does not know (a date, a Decimal…) converted by to_jsonable when the encoder
# meets it: a whole book's digest has 150,000 rows, which to_jsonable would first copy whole (1 s). A NaN, which
# to_jsonable writes as null where this encoder stops (allow_nan=False), sends the digest the long way.
_AS_THEY_ARE = json.JSONEncoder(ensure_ascii=False, allow_nan=False, default=to_jsonable).encode
_CONVERTED = json.JSONEncoder(ensure_ascii=False).encode


def render_json(digest: Digest) -> str:
    """The object with one key per line and one row per line: readable, and json's C encoder does the work
    (``indent`` would switch to the pure-Python encoder, 14 s of a 100,000-customer digest)."""
    try:
        return _json_lines(digest_json(digest, convert=lambda section: section), _AS_THEY_ARE)
    except ValueError:
        return _json_lines(digest_json(digest), _CONVERTED)


def _json_lines(obj: dict[str, Any], encode: Callable[[Any], str]) -> str:
    lines = []
    for key, value in obj.items():
        if isinstance(value, list) and value:
            value_text = "[\n    " + ",\n    ".join(encode(row) for row in value) + "\n  ]"
        else:
            value_text = encode(value)
        lines.append(f"  {encode(key)}: {value_text}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def render(digest: Digest, fmt: str, lang: str = "en") -> str:
    """The digest in one of text, md, html, json."""
    if fmt == "json":
        return render_json(digest)
    return {"text": render_text, "md": render_markdown, "html": render_html}[fmt](digest, lang)


def subject_counts(digest: Digest, lang: str = "en") -> str:
    """ "5 due, 2 birthdays, 1 credit alert" (and the other sections when they have rows)."""
    counts = digest.counts()
    parts = []
    for key in SUBJECT_COUNTS:
        n = counts[key]
        if n or key in ALWAYS_IN_SUBJECT:
            parts.append(t(f"digest_count_{key}" if n == 1 else f"digest_counts_{key}", lang, n=n))
    return _w("list_sep", lang).join(parts)


def subject(digest: Digest, lang: str = "en") -> str:
    """The email subject: the day and the counts, e.g. "kacrm digest 2026-11-22: 5 due, 2 birthdays, 1 credit
    alert"."""
    title = _w("title", lang, day=digest.period_end)
    return f"{title}{_w('subject_sep', lang)}{subject_counts(digest, lang)}"

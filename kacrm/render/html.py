"""The HTML report: one self-contained file (inline CSS and SVG, no script, font or image from anywhere)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from importlib import resources
from string import Template
from typing import TYPE_CHECKING, Any

from kacrm.files import write_private
from kacrm.i18n import text
from kacrm.render.listing import NUMERIC_KINDS, Listing
from kacrm.render.output import format_cell

if TYPE_CHECKING:
    from kacrm.render.section import Section


def escape(text: str) -> str:
    """``text`` safe in HTML text and attribute values: what the standard library's ``html.escape`` gives, without
    importing its module, whose table of 2,000 entity names costs ~2 ms at the start of `kacrm report` (issue 19)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;").replace("'", "&#x27;")


def _cell(value: Any, kind: str, lang: str) -> str:
    if isinstance(value, list) and value:
        return (
            '<ul class="reasons">' + "".join(f"<li>{escape(str(v))}</li>" for v in value) + "</ul>"
        )
    return escape(format_cell(value, kind, lang))


def listing_html(listing: Listing, lang: str) -> str:
    if not listing.rows:
        return f'<p class="empty">{text("html_empty", lang)}</p>'
    numeric = [c.kind in NUMERIC_KINDS for c in listing.columns]
    head = "".join(
        f"<th{' class=num' if n else ''}>{escape(c.header(lang))}</th>"
        for c, n in zip(listing.columns, numeric, strict=True)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{' class=num' if n else ''}>{_cell(c.shown(row.get(c.key), lang), c.kind, lang)}</td>"
            for c, n in zip(listing.columns, numeric, strict=True)
        )
        + "</tr>"
        for row in listing.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _pairs_html(pairs: Sequence[tuple[str, Any, str]], lang: str) -> str:
    rows = "".join(
        f"<tr><th>{escape(label)}</th><td{' class=num' if kind in NUMERIC_KINDS else ''}>"
        f"{_cell(value, kind, lang)}</td></tr>"
        for label, value, kind in pairs
    )
    return f'<table class="pairs"><tbody>{rows}</tbody></table>'


def section_html(section: Section, lang: str) -> str:
    parts = [f'<section id="{escape(section.key)}"><h2>{escape(section.title)}</h2>']
    if section.pairs:
        parts.append(_pairs_html(section.pairs, lang))
    parts.extend(f'<p class="note">{escape(note)}</p>' for note in section.notes)
    if section.chart is not None:
        parts.append(section.chart.svg())
    if section.listing is not None:
        parts.append(listing_html(section.listing, lang))
    parts.append("</section>")
    return "".join(parts)


def render_html(
    title: str, subtitle: str, sections: Sequence[Section], lang: str, footer: str = ""
) -> str:
    template = Template(
        resources.files("kacrm.render.templates").joinpath("report.html").read_text("utf-8")
    )
    nav = "".join(f'<a href="#{escape(s.key)}">{escape(s.title)}</a>' for s in sections)
    return template.substitute(
        lang="zh-CN" if lang == "zh" else "en",
        title=escape(title),
        subtitle=escape(subtitle),
        nav=nav,
        body="\n".join(section_html(s, lang) for s in sections),
        footer=escape(footer),
    )


def write_html(
    path: str | os.PathLike[str],
    title: str,
    subtitle: str,
    sections: Sequence[Section],
    lang: str,
    footer: str = "",
) -> None:
    write_private(path, render_html(title, subtitle, sections, lang, footer).encode("utf-8"))

"""The view of `kacrm import` (and the demo's import step): one row of counts per file."""

from __future__ import annotations

from typing import Any

from kacrm.i18n import label, t, text
from kacrm.render.listing import Listing, column

COLUMNS = [
    column("import", "file"),
    column("import", "kind"),
    column("import", "rows_read", "int"),
    column("import", "inserted", "int"),
    column("import", "updated", "int"),
    column("import", "unchanged", "int"),
    column("import", "rejected", "int"),
    column("import", "seconds", "float", drop=1),
    column("import", "unknown_columns"),
]


def import_listing(summaries: list[Any], lang: str, *, table: bool) -> Listing:
    """The ``kacrm.io.importer.FileSummary`` of each file; ``table`` shows kinds in ``lang`` (json and csv keep
    the kind names of SPEC §5)."""
    rows = [{c.key: getattr(s, c.key) for c in COLUMNS} for s in summaries]
    for row, summary in zip(rows, summaries, strict=True):
        row["seconds"] = round(row["seconds"], 3)
        if table:
            row["seconds"] = (
                f"{row['seconds']:.3f}"  # one format down the column: 0.070 beside 0.449
            )
            row["kind"] = label(row["kind"], lang)
        if table and lang == "zh":
            row["unknown_columns"] = (
                getattr(summary, "unknown_columns_zh", None) or row["unknown_columns"]
            )
    return Listing(COLUMNS, rows, title=t("import_title", lang))


def import_notes(summaries: list[Any], lang: str, dry_run: bool = False) -> list[str]:
    """What an import says on stderr beside its table: rows skipped as blank or totals, and unknown headers
    close to a field, with the --map that would read them."""
    notes = []
    for s in summaries:
        parts = [
            t(key, lang, n=n)
            for key, n in (("imp_totals_rows", s.totals_rows), ("imp_blank_rows", s.blank_rows))
            if n
        ]
        if parts:
            joined = text("list_separator", lang).join(parts)
            notes.append(t("imp_skipped_rows", lang, file=s.file, parts=joined))
        if s.other_sheets:  # a workbook's other sheets are read only when asked: said, not lost
            sheets = text("list_separator", lang).join(s.other_sheets)
            notes.append(t("imp_sheets_not_read", lang, file=s.file, sheets=sheets))
        if s.voided:  # orders an ERP voided or cancelled: stored nowhere (docs/import-formats.md)
            said = "imp_void_would_remove" if dry_run else "imp_void_removed"
            removed = t(said, lang, n=s.removed) if s.removed else ""
            notes.append(t("imp_void_rows", lang, file=s.file, n=s.voided, removed=removed))
        for header, name, option in s.map_hints():
            notes.append(t("imp_hint", lang, file=s.file, header=header, field=name, map=option))
        if s.new_customers:  # a typo'd code makes a customer too: said, with the first codes
            codes = _first_shown(
                s.new_customers[:NEW_CUSTOMERS_SHOWN], len(s.new_customers), ", ", lang
            )
            notes.append(
                t("imp_new_customers", lang, file=s.file, n=len(s.new_customers), codes=codes)
            )
        notes.extend(_owner_notes(s, lang))
        notes.extend(_credit_notes(s, lang))
    return notes


def _first_shown(shown: list[str], total: int, separator: str, lang: str) -> str:
    """The first NEW_CUSTOMERS_SHOWN of ``total`` items (``shown``, already cut), and "… N more" when some are
    left out."""
    more = total - NEW_CUSTOMERS_SHOWN
    listed = separator.join(shown)
    return listed + (t("imp_new_customers_more", lang, n=more) if more > 0 else "")


def _owner_notes(s: Any, lang: str) -> list[str]:
    """A customers file's owners kept as the team set them, changed, and taken over capacity (docs/team.md)."""
    notes = []
    for key, pairs in (("imp_owners_kept", s.owners_kept), ("imp_owners_moved", s.owners_moved)):
        if pairs:
            items = [
                t(
                    f"{key}_item",
                    lang,
                    code=code,
                    file_owner=new,
                    owner=old or text("imp_owner_pool", lang),
                )
                for code, new, old in pairs[:NEW_CUSTOMERS_SHOWN]
            ]
            listed = _first_shown(items, len(pairs), text("list_separator", lang), lang)
            notes.append(t(key, lang, file=s.file, n=len(pairs), items=listed))
    for owner, holding, capacity in s.owners_over:
        notes.append(
            t("imp_owner_over", lang, file=s.file, owner=owner, n=holding, capacity=capacity)
        )
    return notes


def _credit_value(key: str, value: Any, lang: str) -> str:
    """A credit limit (cents) in yuan, a grade, terms in days; none for a blank."""
    if value is None:
        return text("imp_credit_none", lang)
    if key == "limit_cents":
        return f"{value // 100:,}.{value % 100:02d}"
    if key == "terms_days":
        return t("imp_credit_days", lang, n=value)
    return str(value)


def _credit_notes(s: Any, lang: str) -> list[str]:
    """A customers file's credit values kept as kacrm decided them, and changed (docs/credit.md)."""
    notes = []
    for key, changes in (("imp_credit_kept", s.credit_kept), ("imp_credit_moved", s.credit_moved)):
        if changes:
            items = [
                t(
                    f"{key}_item",
                    lang,
                    code=code,
                    what=text(f"imp_credit_{field}", lang),
                    first=_credit_value(field, first, lang),
                    second=_credit_value(field, second, lang),
                )
                for code, field, first, second in changes[:NEW_CUSTOMERS_SHOWN]
            ]
            listed = _first_shown(items, len(changes), text("list_separator", lang), lang)
            n = len({code for code, *_ in changes})
            notes.append(t(key, lang, file=s.file, n=n, items=listed))
    return notes


NEW_CUSTOMERS_SHOWN = 5

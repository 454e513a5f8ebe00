"""Which customers exist (or will, once the files before this one are written), by code and by name.

Orders, payments, contacts and interactions name their customer by code or by name; the importer resolves each
reference to a customer code here, column-wise, before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kacrm.errors import CellError, cell_error
from kacrm.io.keys import code_for_name
from kacrm.values import normalize_text

NO_CODE_OR_NAME = cell_error("import_no_code_or_name")

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class CustomerIndex:
    codes: set[str] = field(default_factory=set)
    names: dict[str, set[str]] = field(default_factory=dict)  # normalised name -> codes
    new: dict[str, str] = field(
        default_factory=dict
    )  # code -> name of customers that an import will create

    @classmethod
    def of(cls, customers: Iterable[tuple[str, str | None]]) -> CustomerIndex:
        """The index of these (code, name) pairs, e.g. every customer on file."""
        index = cls()
        for code, name in customers:
            index.add(code, name)
        return index

    def add(self, code: str, name: str | None) -> None:
        self.codes.add(code)
        if isinstance(name, str) and name:  # pandas may hand a missing name over as NaN
            self.names.setdefault(normalize_text(name).casefold(), set()).add(code)

    def code_of_name(self, name: str) -> tuple[str | None, CellError | None]:
        """(code, None) for a known name, (None, reason) when unknown or shared by several customers."""
        codes = self.names.get(normalize_text(name).casefold(), set())
        if len(codes) == 1:
            return next(iter(codes)), None
        if codes:
            listed = ", ".join(sorted(codes))
            return None, cell_error("import_name_shared", name=name, codes=listed)
        return None, cell_error("import_no_such_name", name=name)

    def is_ambiguous(self, name: str) -> bool:
        """Whether several customers have this name."""
        return len(self.names.get(normalize_text(name).casefold(), set())) > 1

    def resolve(
        self, codes: pd.Series | None, names: pd.Series | None, create: bool
    ) -> tuple[pd.Series, pd.Series]:
        """Each row's customer code, and the reason where it has none (None where it resolved).

        With ``create``, unknown customers are registered as new ones (named after the name column, or the code).
        """
        import pandas as pd

        index = (codes if codes is not None else names).index
        code_list = _texts(codes, len(index))
        name_list = _texts(names, len(index))
        by_code = {
            c: self._resolve_one(c, None, create=create) for c in set(code_list) if c is not None
        }
        # a row with a code is resolved by it (its name, if any, names a customer to create)
        for c, n in {
            (c, n) for c, n in zip(code_list, name_list, strict=True) if c is not None and n
        }:
            if c not in self.codes and create:
                self.new[c] = n
        by_name = {
            n: self._resolve_one(None, n, create=create) for n in set(name_list) if n is not None
        }
        missing = (None, NO_CODE_OR_NAME)
        outcome = [
            by_code[c] if c is not None else by_name.get(n, missing) if n is not None else missing
            for c, n in zip(code_list, name_list, strict=True)
        ]
        result = pd.Series([o[0] for o in outcome], index=index, dtype=object)
        reason = pd.Series([o[1] for o in outcome], index=index, dtype=object)
        return result, reason

    def _resolve_one(
        self, code: str | None, name: str | None, *, create: bool
    ) -> tuple[str | None, CellError | None]:
        if code is not None:
            if code in self.codes:
                return code, None
            if create:
                self._create(code, name or code)
                return code, None
            return None, cell_error("import_no_such_code", code=code)
        if name is None:
            return None, NO_CODE_OR_NAME
        found, why = self.code_of_name(name)
        if found is not None:
            return found, None
        unnamed = normalize_text(name).casefold() not in self.names
        if unnamed and name.strip() in self.codes:
            return (
                name.strip(),
                None,
            )  # a `customer` column that holds codes (SPEC §5: "by code or name")
        if create and unnamed:
            new_code = code_for_name(normalize_text(name), self.codes)
            self._create(new_code, name)
            return new_code, None
        return None, why

    def _create(self, code: str, name: str) -> None:
        self.new[code] = name
        self.add(code, name)


def _texts(column: pd.Series | None, length: int) -> list[str | None]:
    """The column's values with every kind of missing value as None."""
    if column is None:
        return [None] * length
    return [v if isinstance(v, str) else None for v in column.tolist()]

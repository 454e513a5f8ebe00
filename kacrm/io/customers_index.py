"""Which customers exist (or will, once the files before this one are written), by code and by name.

Orders, payments, contacts and interactions name their customer by code, by name or by short name (简称); names
are compared on their key (``kacrm.values.name_key``: width, case and spaces do not matter). The importer resolves
each reference to a customer code here, column-wise, before anything is written. A customers file's rows without a
code are matched by USCC (统一社会信用代码) first, then by name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kacrm.errors import CellError, cell_error
from kacrm.io.keys import GENERATED_PREFIX, next_generated_code
from kacrm.values import name_key

NO_CODE_OR_NAME = cell_error("import_no_code_or_name")

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class CustomerIndex:
    codes: set[str] = field(default_factory=set)
    usccs: dict[str, str] = field(default_factory=dict)  # USCC -> code
    new: dict[str, str] = field(
        default_factory=dict
    )  # code -> name of customers the import creates
    last_generated: int = 0  # the highest number of a generated code (C00001…) known
    # the codes of the customers with a primary key person (on file, or given a 联系人 earlier in this import): a
    # customers file's birthday or hobbies without a contact name go to that person
    key_persons: set[str] = field(default_factory=set)
    # order number -> its customer's code, for the order numbers given that are on file (or written earlier in
    # this import): a payment naming another customer's order is refused (kacrm.store.import_write.order_customers)
    order_customers: Callable[[list[str]], dict[str, str]] | None = None
    # order number -> (stored amount, its plan's sum) of the order numbers given that have a payment plan, and the
    # orders whose plan a plan file of this import replaces: an order revised off its plan is refused
    # (kacrm.store.import_write.order_plans, SPEC §15)
    order_plans: Callable[[list[str]], dict[str, tuple[int, int]]] | None = None
    replanned: frozenset[str] = frozenset()
    _names: dict[str, set[str]] = field(default_factory=dict, repr=False)  # name key -> codes
    _short_names: dict[str, set[str]] = field(default_factory=dict, repr=False)  # short name key
    # (code, name, short name) added but not yet keyed: an orders file that names its customers by code never
    # needs the name keys, which cost a third of a second for 100,000 customers
    _unkeyed: list[tuple[str, object, object]] = field(default_factory=list, repr=False)

    @classmethod
    def of(
        cls, customers: Iterable[tuple[str, str | None, str | None, str | None]]
    ) -> CustomerIndex:
        """The index of these (code, name, short name, USCC) rows, e.g. every customer on file."""
        index = cls()
        for code, name, short_name, uscc in customers:
            index.add(code, name, short_name, uscc)
        return index

    def add(
        self, code: str, name: str | None, short_name: str | None = None, uscc: str | None = None
    ) -> None:
        self.codes.add(code)
        self._unkeyed.append((code, name, short_name))
        if isinstance(uscc, str) and uscc:
            self.usccs.setdefault(uscc, code)
        if code.startswith(GENERATED_PREFIX) and code[len(GENERATED_PREFIX) :].isdigit():
            self.last_generated = max(self.last_generated, int(code[len(GENERATED_PREFIX) :]))

    @property
    def names(self) -> dict[str, set[str]]:
        """Name key -> the codes of the customers of that name."""
        self._key_names()
        return self._names

    @property
    def short_names(self) -> dict[str, set[str]]:
        """Short name key -> the codes of the customers of that short name."""
        self._key_names()
        return self._short_names

    def _key_names(self) -> None:
        for code, name, short_name in self._unkeyed:
            if isinstance(name, str) and name:  # pandas may hand a missing name over as NaN
                self._names.setdefault(name_key(name), set()).add(code)
            if isinstance(short_name, str) and short_name:
                self._short_names.setdefault(name_key(short_name), set()).add(code)
        self._unkeyed.clear()

    def generate_code(self) -> str:
        """A new readable code (C00001, C00002…) that no customer has."""
        code, self.last_generated = next_generated_code(self.last_generated, self.codes)
        return code

    def _codes_named(self, name: str) -> set[str]:
        """The customers of this name, else of this short name."""
        key = name_key(name)
        return self.names.get(key) or self.short_names.get(key, set())

    def code_of_name(self, name: str) -> tuple[str | None, CellError | None]:
        """(code, None) for a known name or short name, (None, reason) when unknown or shared by several."""
        codes = self._codes_named(name)
        if len(codes) == 1:
            return next(iter(codes)), None
        if codes:
            listed = ", ".join(sorted(codes))
            return None, cell_error("import_name_shared", name=name, codes=listed)
        return None, cell_error("import_no_such_name", name=name)

    def is_ambiguous(self, name: str) -> bool:
        """Whether several customers have this name (or, if none has it, this short name)."""
        return len(self._codes_named(name)) > 1

    def resolve(
        self, codes: pd.Series | None, names: pd.Series | None, create: bool
    ) -> tuple[pd.Series, pd.Series]:
        """Each row's customer code, and the reason where it has none (None where it resolved).

        With ``create``, unknown customers are registered as new ones (named after the name column, or the code).
        """
        import pandas as pd

        index = (codes if codes is not None else names).index
        if codes is not None and self._knows_all(codes):
            # every row names a known code (a name beside it then changes nothing): no row-by-row look
            return codes.astype(object), pd.Series(None, index=index, dtype=object)
        code_list = _texts(codes, len(index))
        name_list = _texts(names, len(index))
        # a row with a code is resolved by it; its name (the first given with the code) names a customer to create
        named: dict[str, str | None] = {}
        for c, n in zip(code_list, name_list, strict=True):
            if c is not None and named.get(c) is None:
                named[c] = n or None
        by_code = {c: self._resolve_one(c, n, create=create) for c, n in named.items()}
        # only a row without a code is resolved by its name: resolving the names of rows with codes made a second
        # customer of each new one (its code named by the code, another named by the name)
        codeless = (n for c, n in zip(code_list, name_list, strict=True) if c is None)
        # in row order (dict.fromkeys, not a set): new customers get their readable codes in file order
        by_name = {
            n: self._resolve_one(None, n, create=create)
            for n in dict.fromkeys(codeless)
            if n is not None
        }
        missing = (None, NO_CODE_OR_NAME)
        outcome = [
            by_code[c] if c is not None else by_name.get(n, missing) if n is not None else missing
            for c, n in zip(code_list, name_list, strict=True)
        ]
        result = pd.Series([o[0] for o in outcome], index=index, dtype=object)
        reason = pd.Series([o[1] for o in outcome], index=index, dtype=object)
        return result, reason

    def _knows_all(self, codes: pd.Series) -> bool:
        """Whether every value is a known code: one probe per row of the set of codes, in C (a pandas index of
        the codes probed a third slower, strings being compared through Python either way)."""
        return self.codes.issuperset(codes.to_numpy(dtype=object))

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
        unnamed = not self._codes_named(name)
        if unnamed and name.strip() in self.codes:
            return (
                name.strip(),
                None,
            )  # a `customer` column that holds codes (SPEC §5: "by code or name")
        if create and unnamed:
            new_code = self.generate_code()
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

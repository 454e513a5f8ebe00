"""Typed errors raised by the core; the CLI edge turns each into one message and an exit code (SPEC §2)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from kacrm.i18n import t

E = TypeVar("E", bound=Exception)

EXIT_OK = 0
EXIT_USER_ERROR = 1
EXIT_USAGE = 2
EXIT_IMPORT_REJECTED = 3
EXIT_CREDIT_REFUSED = 4
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT), as shells report it


class KacrmError(Exception):
    """An error the user can fix: shown as one or two lines on stderr, never a traceback."""

    exit_code = EXIT_USER_ERROR

    def __init__(self, message: str, zh: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.message_zh = zh  # shown with --lang zh; the English message where there is none

    def text(self, lang: str) -> str:
        return self.message_zh if lang == "zh" and self.message_zh else self.message


class MissingDatabase(KacrmError):
    """A command that only reads or changes a book was pointed at a database file that does not exist (SPEC §2)."""

    key = "db_missing"

    def __init__(self, path: object) -> None:
        super().__init__(t(self.key, "en", path=path), t(self.key, "zh", path=path))
        self.path = path


class NotABook(MissingDatabase):
    """A database file that exists but holds none of kacrm's tables (an empty file, another program's database):
    missing as a book, said so; `kacrm init` makes one there."""

    key = "db_not_a_book"


class NotFound(KacrmError):
    """A customer, contact, item or record named on the command line does not exist."""


class AmbiguousCustomer(KacrmError):
    """A name given for a customer code fits several customers (a usage error: give the code)."""

    exit_code = EXIT_USAGE


class ConfigError(KacrmError):
    """The configuration file or an environment variable is invalid. ``lang`` is the language a mistake in the
    file is reported in when the settings could not be read: --lang, else KACRM_LANG, else the file's own lang
    (None: the one the command line asked for, else English)."""

    lang: str | None = None


class InputError(KacrmError):
    """A file or a value given by the user cannot be read."""


class CellError(ValueError):
    """Why a cell of a file (or a value on the command line) cannot be read, in English and in Chinese."""

    def __init__(self, message: str, zh: str) -> None:
        super().__init__(message)
        self.zh = zh

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else str(self)


def worded(error: Callable[[str, str], E], key: str, /, **values: object) -> E:
    """The error ``error`` worded by the i18n message ``key``, in English and Chinese."""
    return error(t(key, "en", **values), t(key, "zh", **values))


def cell_error(key: str, **values: object) -> CellError:
    """The CellError worded by the i18n message ``key``, in English and Chinese."""
    return worded(CellError, key, **values)


def input_error(key: str, **values: object) -> InputError:
    """The InputError worded by the i18n message ``key``, in English and Chinese."""
    return worded(InputError, key, **values)


@dataclass
class RejectedRow:
    """One bad cell of an import file: where it is, what it holds and why it was refused."""

    file: str
    row: int  # the file's row number, header = row 1
    column: str
    value: str
    reason: str
    reason_zh: str | None = None  # the reason in Chinese, where it has been written in both
    column_zh: str | None = (
        None  # the column in Chinese, where it is no header of the file's but words
    )

    def reason_in(self, lang: str) -> str:
        return self.reason_zh if lang == "zh" and self.reason_zh else self.reason

    def column_in(self, lang: str) -> str:
        return self.column_zh if lang == "zh" and self.column_zh else self.column

    def describe(self, lang: str = "en") -> str:
        return t(
            "rejected_cell",
            lang,
            file=self.file,
            row=self.row,
            column=self.column_in(lang),
            value=self.value,
            reason=self.reason_in(lang),
        )


@dataclass
class ImportRejected(KacrmError):
    """An import file had bad rows; nothing of it was written (unless --on-error skip)."""

    file: str
    rejects: list[RejectedRow] = field(default_factory=list)  # one per bad cell
    summaries: list[Any] = field(
        default_factory=list
    )  # kacrm.io.importer.FileSummary per file, nothing written
    exit_code = EXIT_IMPORT_REJECTED

    def __post_init__(self) -> None:
        n = len(bad_rows(self.rejects))
        words = {"file": self.file, "n": n, "s": "s" if n != 1 else ""}
        KacrmError.__init__(
            self, t("import_rejected", "en", **words), zh=t("import_rejected", "zh", **words)
        )


def bad_rows(rejects: list[RejectedRow]) -> list[tuple[str, int]]:
    """The distinct (file, row) of bad cells, in the order first seen: a row with two bad cells is one bad row."""
    return list(dict.fromkeys((r.file, r.row) for r in rejects))


class CreditRefused(KacrmError):
    """A credit check refused an order (exit 4); the reasons are printed by the command."""

    exit_code = EXIT_CREDIT_REFUSED


class ActionRefused(KacrmError):
    """A refused action (exit 4, SPEC §2): a claim or assignment over capacity or in the previous owner's
    cooldown (issue 18); the message says why."""

    exit_code = EXIT_CREDIT_REFUSED


class Interrupted(KacrmError):
    """Ctrl-C during a command that knows what it left behind (an import: nothing), exit 130."""

    exit_code = EXIT_INTERRUPTED


class BadAddress(KacrmError):
    """An email address given on the command line or stored for an owner is not one (exit 2, before anything is
    sent or recorded)."""

    exit_code = EXIT_USAGE


class UsageError(KacrmError):
    """A choice on the command line that cannot be honoured, with the reason (exit 2): a value that is not one of
    an option's or argument's allowed values, or not of its form. The CLI shows it as Typer shows its own usage
    errors, under the command's usage line (kacrm.cli.usage_errors)."""

    exit_code = EXIT_USAGE


def refused_value(option: str, value: str, exc: ValueError) -> UsageError:
    """The UsageError (exit 2, SPEC §2) for a value given on the command line that a parser refused: the option,
    the value and the reason, in Chinese too where the parser gave one (CellError)."""
    zh = f"{option} {value!r}：{exc.zh}" if isinstance(exc, CellError) else None
    return UsageError(f"{option} {value!r}: {exc}", zh=zh)

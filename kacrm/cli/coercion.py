"""Command-line values turned into Python values without pydantic (issue 19).

Typer 0.29 checks every parameter's value through a pydantic ``TypeAdapter`` built for it; importing pydantic
and building the adapters cost a command about 0.15 s of CPU before it does anything. ``install()`` gives
Typer's parameters a plain-Python check for the annotations kacrm's commands use (str, int, float with min/max,
bool, Path, Enum/Literal choices, and lists of these) that returns the same values and raises the same
``BadParameter`` messages as Typer's adapters (pydantic's words: "Input should be a valid integer, unable to
parse string as an integer", "Value error, 'x' is not one of …"), so that kacrm.cli.usage_errors rewrites them
as before. Anything else (another annotation, a parser, clamping, an unusual value such as a path with a NUL)
goes to Typer's own coercion, built only then. tests/test_cli_coercion.py sets every parameter of every command
against Typer's adapter.

It relies on three private parts of Typer (``_TyperParameter.get_runtime_param``, ``typer._coercion``,
``typer._param_types``); when a Typer release lacks them, ``install()`` changes nothing (Typer's coercion works
as before, with pydantic) and returns False, which a test reports.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

from typer import _coercion, _param_types, core
from typer._click.exceptions import BadParameter
from typer._click.utils import _escape_control_characters

# The whitespace pydantic strips around a number (Unicode White_Space, which is narrower than str.strip's)
_NUMBER_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(
    map(chr, range(0x2000, 0x200B))
)
_INT = re.compile(r"[+-]?[0-9](?:_?[0-9])*(?:\.0+)?", re.ASCII)
_FLOAT = re.compile(
    r"[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:e[+-]?[0-9]+)?|inf|infinity|nan)",
    re.ASCII | re.IGNORECASE,
)
_LONGEST = 4000
_TRUE = {"1", "on", "t", "true", "y", "yes"}
_FALSE = {"0", "off", "f", "false", "n", "no"}

_NOT_INT = "Input should be a valid integer, unable to parse string as an integer"
_NOT_NUMBER = "Input should be a valid number, unable to parse string as a number"
_NOT_BOOL = "Input should be a valid boolean, unable to interpret input"
_NOT_UNICODE = "Input should be a valid string, unable to parse raw data as a unicode string"


class _Unusual(Exception):
    """A value this module does not decide: Typer's own coercion takes it."""


def _unicode(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (an undecodable byte of argv)
        raise ValueError(_NOT_UNICODE) from None
    return value


def _integer(value: Any) -> int:
    if type(value) is int:
        return value
    if not isinstance(value, str):
        raise _Unusual
    text = _unicode(value).strip(_NUMBER_SPACE)
    if len(text) > _LONGEST:
        raise _Unusual  # beyond int()'s digit limit
    if not _INT.fullmatch(text):
        if text.lstrip("+-").startswith("0"):
            raise _Unusual  # pydantic reads "0-71" as -71
        raise ValueError(_NOT_INT)
    return int(text.partition(".")[0])


def _number(value: Any) -> float:
    if type(value) in (int, float):
        return float(value)
    if not isinstance(value, str):
        raise _Unusual
    text = _unicode(value).strip(_NUMBER_SPACE)
    if "_" in text:
        raise _Unusual  # pydantic's rules for underscores in a number are its own ("-_5" is -5)
    if not _FLOAT.fullmatch(text):
        raise ValueError(_NOT_NUMBER)
    return float(text)


def _boolean(value: Any) -> bool:
    if type(value) is bool:
        return value
    if not isinstance(value, str):
        raise _Unusual
    text = value.strip()
    if text == "":
        return False
    word = _unicode(text).lower()
    if not word.isascii():
        raise _Unusual
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValueError(_NOT_BOOL)


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise _Unusual
    return value


def _ranged(check: Callable[[Any], Any], low: Any, high: Any) -> Callable[[Any], Any]:
    def within(value: Any) -> Any:
        number = check(value)
        if low is not None and not number >= low:
            raise ValueError(f"Input should be greater than or equal to {low}")
        if high is not None and not number <= high:
            raise ValueError(f"Input should be less than or equal to {high}")
        return number

    return within


def _choice(choices: tuple[Any, ...], case_sensitive: bool) -> Callable[..., Any]:
    def choose(value: Any, ctx: Any) -> Any:
        try:
            return _param_types.coerce_cli_choice(
                value, choices=choices, case_sensitive=case_sensitive, ctx=ctx
            )
        except ValueError as exc:
            raise ValueError(f"Value error, {exc}") from None

    return choose


def _path(info: Any) -> Callable[..., Any]:
    def to_path(value: Any, ctx: Any, param: Any) -> Any:
        if isinstance(value, str) and (value == "" or "\x00" in value):
            raise _Unusual  # Typer names the value as given; Path("") would read "."
        if not isinstance(value, (str, Path)):
            raise _Unusual
        return _param_types.coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)

    return to_path


def _leaf(annotation: Any, info: Any) -> Callable[..., Any] | None:
    """The check of one value of ``annotation`` (called with value, ctx, param), or None for Typer's."""
    if info.parser is not None or info.clamp:
        return None
    choices = _param_types.choice_coercion_annotation(annotation, info)
    if choices is not None:
        choose = _choice(*choices)
        return lambda value, ctx, param: choose(value, ctx)
    if annotation is str:
        return lambda value, ctx, param: _string(value)
    if annotation is bool:
        return lambda value, ctx, param: _boolean(value)
    if annotation in (int, float):
        check = _ranged(_integer if annotation is int else _number, info.min, info.max)
        return lambda value, ctx, param: check(value)
    if annotation is Path and not _param_types._path_options_requested(info):
        return _path(info)
    return None


def _plain(annotation: Any, info: Any) -> Callable[..., Any] | None:
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        one = _leaf(item, info)
        if one is None:
            return None

        def each(value: Any, ctx: Any, param: Any) -> list[Any]:
            items = value if isinstance(value, (list, tuple)) else [value]
            return [one(v, ctx, param) for v in items]

        return each
    if get_origin(annotation) is not None:
        return None
    return _leaf(annotation, info)


@dataclass(frozen=True)
class PlainRuntimeParam(_coercion.RuntimeParam):
    """Typer's runtime contract (None, multiple values) with kacrm's plain check of each value."""

    descriptor: Any
    check: Callable[..., Any]

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        try:
            return self.check(value, ctx, param)
        except _Unusual:
            typers = _coercion.build_runtime_param(self.descriptor)
            return typers._coerce_value(value, param=param, ctx=ctx)
        except ValueError as exc:
            raise BadParameter(_escape_control_characters(str(exc)), ctx=ctx, param=param) from None


def _plain_check(descriptor: Any) -> Callable[..., Any] | None:
    """The plain check of a parameter's values (called with value, ctx, param), or None for Typer's."""
    if descriptor.file_annotation is not None:
        return None
    return _plain(descriptor.annotation, descriptor.parameter_info)


def runtime_param(descriptor: Any) -> Any:
    """kacrm's coercion for a parameter's type descriptor, or Typer's when kacrm has none for it."""
    check = _plain_check(descriptor)
    if check is None:
        return _coercion.build_runtime_param(descriptor)
    return PlainRuntimeParam(
        parameter_info=descriptor.parameter_info,
        annotation=descriptor.annotation,
        descriptor=descriptor,
        check=check,
    )


def _get_runtime_param(self: Any) -> Any:
    if self._runtime_param is None:
        self._runtime_param = runtime_param(self.type_descriptor)
    return self._runtime_param


_NEEDED = (
    (core, "_TyperParameter"),
    (_coercion, "RuntimeParam"),
    (_coercion, "build_runtime_param"),
    (_param_types, "coerce_cli_choice"),
    (_param_types, "coerce_cli_path"),
    (_param_types, "choice_coercion_annotation"),
    (_param_types, "_path_options_requested"),
)


def install() -> bool:
    """Give Typer's parameters kacrm's coercion (idempotent); False when this Typer lacks what it replaces."""
    if not all(hasattr(module, name) for module, name in _NEEDED):
        return False
    parameter = core._TyperParameter
    current = getattr(parameter, "get_runtime_param", None)
    if current is None or not hasattr(_coercion.RuntimeParam, "_coerce_value"):
        return False
    if current is not _get_runtime_param:
        _get_runtime_param.__wrapped__ = current  # type: ignore[attr-defined]
        parameter.get_runtime_param = _get_runtime_param  # type: ignore[method-assign]
    return True

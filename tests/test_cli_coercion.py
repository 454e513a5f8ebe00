"""kacrm's plain coercion of command-line values (kacrm.cli.coercion, issue 19) against Typer's own: for every
parameter of every command, valid and invalid samples give the same value or the same usage error, in English
and through kacrm's rewriting in Chinese. The independent method is Typer's pydantic adapter, built here."""

from __future__ import annotations

import math
import random
from enum import Enum
from typing import Any

import pytest
import typer
from typer import _coercion
from typer._click import Context
from typer._click.exceptions import BadParameter

from kacrm.cli import coercion, language
from kacrm.cli.app import app

SAMPLES = [
    "3", "-1", "0", "abc", "", "1.5", "1.0", " 7 ", "+2", "1_000", "00", "+0-6", "1e3", "inf", "nan",
    "yes", "no", "true", "FALSE", "on", "2026-02-30", "2026-11-20", "客户", "金字塔", "订单", "\u30003",
    "a\x00b", "\udcff", "x\x1b[31m", "99999999999999999999",
]  # fmt: skip


def _parameters() -> list[tuple[str, Any, Any]]:
    found = []

    def walk(command: Any, path: str) -> None:
        for param in command.params:
            if hasattr(param, "type_descriptor"):
                found.append((f"{path} {param.name}".strip(), command, param))
        for name in getattr(command, "commands", {}):
            walk(command.commands[name], f"{path} {name}")

    walk(typer.main.get_command(app), "")
    return found


PARAMETERS = _parameters()


def _samples(param: Any) -> list[Any]:
    values: list[Any] = list(SAMPLES)
    for choice in param.type_descriptor.choices or ():
        word = str(getattr(choice, "value", choice))
        values += [word, word.upper(), choice]
    if param.default is not None:
        values.append(param.default)
    if param.multiple or param.nargs == -1:
        return [None, (), *[(v,) for v in values], ("3", "abc"), ("a", "b"), "solo"]
    return [None, *values]


def _outcome(runtime: Any, value: Any, param: Any, ctx: Context) -> tuple[str, Any]:
    try:
        result = runtime.coerce(value, param=param, ctx=ctx)
    except BadParameter as exc:
        words = []
        for lang in ("en", "zh"):
            language.set_early_lang(["--lang", lang])
            words.append(exc.format_message())
        return "error", (exc.message, *words)
    if isinstance(result, float) and math.isnan(result):
        return "nan", None
    shape = [type(v) for v in result] if isinstance(result, list) else type(result)
    return "value", (result, shape)


def test_install_takes_over_typer_coercion() -> None:
    assert coercion.install(), (
        "kacrm.cli.coercion.install() found Typer's internals changed (typer.core._TyperParameter."
        "get_runtime_param, typer._coercion, typer._param_types): every command now coerces through pydantic "
        "again; adapt kacrm/cli/coercion.py to this Typer"
    )


def test_every_annotation_kacrm_uses_has_a_plain_coercion() -> None:
    typers = [name for name, _, p in PARAMETERS if coercion._plain_check(p.type_descriptor) is None]
    assert typers == []


@pytest.mark.parametrize(
    ("name", "command", "param"), PARAMETERS, ids=[name for name, _, _ in PARAMETERS]
)
def test_same_values_and_messages_as_typer(name: str, command: Any, param: Any) -> None:
    ctx = Context(command, info_name=command.name, **command.context_settings)
    ours = coercion.runtime_param(param.type_descriptor)
    typers = _coercion.build_runtime_param(param.type_descriptor)
    assert isinstance(ours, coercion.PlainRuntimeParam)
    assert isinstance(typers, _coercion.AdapterRuntimeParam)
    try:
        for value in _samples(param):
            assert _outcome(ours, value, param, ctx) == _outcome(typers, value, param, ctx), value
    finally:
        language.set_early_lang([])


def test_choices_keep_the_enum_member() -> None:
    enum_params = [p for _, _, p in PARAMETERS if p.type_descriptor.choices]
    assert enum_params
    for param in enum_params:
        first = param.type_descriptor.choices[0]
        value = coercion.runtime_param(param.type_descriptor).coerce(
            str(first.value), param=param, ctx=None
        )
        assert value is first and isinstance(value, Enum)


NUMBER_CHARACTERS = [*"0123456789+-_.eE iInNfFaAtTyY,x'", "\t", "\xa0", "\x1c", "\u3000", "３"]


@pytest.mark.parametrize(
    ("annotation", "bounds"),
    [(int, {}), (float, {}), (bool, {}), (int, {"min": 1, "max": 3660}), (float, {"min": 0})],
    ids=["int", "float", "bool", "int-range", "float-min"],
)
def test_numbers_and_booleans_read_as_pydantic_reads_them(
    annotation: type, bounds: dict[str, int]
) -> None:
    # pydantic's readings have corners of their own ("1.0" is 1 but "1." is not, "0-71" is -71): random strings
    # of a number's characters, each through kacrm's check and Typer's adapter
    from pydantic import ValidationError
    from typer._adapters import build_adapter
    from typer.models import OptionInfo

    info = OptionInfo(**bounds)
    adapter = build_adapter(annotation, info)
    check = coercion._plain(annotation, info)
    assert check is not None
    pick = random.Random(19)
    words = ["".join(pick.choices(NUMBER_CHARACTERS, k=pick.randint(0, 9))) for _ in range(20_000)]
    for word in words:
        try:
            ours: tuple[str, Any] = ("value", check(word, None, None))
        except coercion._Unusual:
            continue  # Typer's adapter decides it
        except ValueError as exc:
            ours = ("error", str(exc))
        try:
            typers: tuple[str, Any] = ("value", adapter.validate_python(word))
        except ValidationError as exc:
            typers = ("error", exc.errors()[0]["msg"])
        if ours[0] == typers[0] == "value" and ours[1] != ours[1]:  # NaN
            assert typers[1] != typers[1], word
            continue
        assert ours == typers and type(ours[1]) is type(typers[1]), word

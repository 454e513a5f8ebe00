"""Usage errors in the user's words and language: Typer's and pydantic's phrasing (``Input should be greater than
or equal to 1``, ``Value error, 'xyz' is not one of …``, ``Invalid value for '--days'``) rewritten, in Chinese
under --lang zh/KACRM_LANG=zh. Installed once on Typer's usage-error classes (``install()``), which also shows
kacrm's own usage errors (kacrm.errors.UsageError: a value that is not one of an option's allowed values, or not
of its form, found by a command rather than by Typer) as Typer's: the command's usage line, the message, exit 2."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from typer._click import core, exceptions

from kacrm.cli.language import early_lang
from kacrm.errors import KacrmError, UsageError
from kacrm.i18n import t

# (a pattern, its words): patterns as text, compiled by re on the first usage error rather than by every command
_Rule = tuple[str, Callable[[re.Match[str], str], str]]


def _unquote(name: str) -> str:
    """A parameter's name without Click's quotes, each spelling of it: '--format' / '-f' → --format / -f."""
    return " / ".join(part.strip().strip("'\"") for part in name.split(" / "))


def _choices(text: str, lang: str) -> str:
    names = [_unquote(c) for c in text.rstrip(".").split(",")]
    return ("、" if lang == "zh" else ", ").join(names)


# What a reason says, in our words.
_REASONS: list[_Rule] = [
    (
        r"Input should be greater than or equal to (\S+?)\.?$",
        lambda m, lang: t("usage_at_least", lang, n=m[1]),
    ),
    (
        r"Input should be less than or equal to (\S+?)\.?$",
        lambda m, lang: t("usage_at_most", lang, n=m[1]),
    ),
    (
        r"Input should be greater than (\S+?)\.?$",
        lambda m, lang: t("usage_greater", lang, n=m[1]),
    ),
    (r"must be at least (\S+?)\.?", lambda m, lang: t("usage_at_least", lang, n=m[1])),
    (r"must be at most (\S+?)\.?", lambda m, lang: t("usage_at_most", lang, n=m[1])),
    (r"Input should be a valid integer.*", lambda m, lang: t("usage_whole", lang)),
    (r"Input should be a valid number.*", lambda m, lang: t("usage_number", lang)),
    (
        r"(?:Value error, )?(.+?) is not one of (.+?)\.?$",
        lambda m, lang: t("usage_one_of", lang, value=m[1], choices=_choices(m[2], lang)),
    ),
    (
        r"use one of (.+)$",
        lambda m, lang: t("usage_use_one_of", lang, choices=m[1]),
    ),
    (r"use (\w+) or (\w+)$", lambda m, lang: t("usage_use", lang, a=m[1], b=m[2])),
]


def reason(text: str, lang: str) -> str:
    for pattern, words in _REASONS:
        if m := re.fullmatch(pattern, text.strip()):
            return words(m, lang)
    return text


# Whole messages.
_MESSAGES: list[_Rule] = [
    (
        r"(?s)Invalid value for (.+?): (.*)",
        lambda m, lang: t(
            "usage_invalid_for", lang, hint=_unquote(m[1]), reason=reason(m[2], lang)
        ),
    ),
    (
        r"(?s)Invalid value: (.*)",
        lambda m, lang: t("usage_invalid", lang, reason=reason(m[1], lang)),
    ),
    (
        r"(?s)Missing option (.+?)\.(.*)",
        lambda m, lang: t("usage_missing_option", lang, name=_unquote(m[1])) + m[2],
    ),
    (
        r"(?s)Missing argument (.+?)\.(.*)",
        lambda m, lang: t("usage_missing_argument", lang, name=_unquote(m[1]).upper()) + m[2],
    ),
    (
        r"(?s)No such option: (\S+)(?: \(Possible options: (.*)\))?",
        lambda m, lang: (
            t("usage_no_option", lang, name=m[1])
            + (" " + t("usage_possible", lang, names=m[2]) if m[2] else "")
        ),
    ),
    (
        r"(?s)Got unexpected extra argument(?:s|\(s\))? \((.*)\)",
        lambda m, lang: t("usage_extra", lang, args=m[1]),
    ),
    (
        r"(?s)No such command (.+?)\.(?:\s*Did you mean (.+?)\?)?",
        lambda m, lang: (
            t("usage_no_command", lang, name=m[1])
            + (
                ("" if lang == "zh" else " ") + t("usage_did_you_mean", lang, name=m[2])
                if m[2]
                else ""
            )
        ),
    ),
    (
        r"(?s)Option (.+?) requires an argument\.",
        lambda m, lang: t("usage_needs_value", lang, name=_unquote(m[1])),
    ),
    (
        r"(?s)Option (.+?) does not take a value\.",
        lambda m, lang: t("usage_takes_no_value", lang, name=_unquote(m[1])),
    ),
]


def rewrite(message: str, lang: str) -> str:
    """A usage error's message in the user's words and language (unchanged when no rule knows it)."""
    for pattern, words in _MESSAGES:
        if m := re.fullmatch(pattern, message.strip()):
            return words(m, lang)
    return message


def _wrap(method: Callable[..., str]) -> Callable[..., str]:
    def format_message(self: exceptions.UsageError) -> str:
        return rewrite(method(self), early_lang())

    format_message.__wrapped__ = method  # type: ignore[attr-defined]
    return format_message


def _message_language(ctx: core.Context) -> str:
    """The settings' language (--lang, KACRM_LANG, the config), else the one --lang or KACRM_LANG asked for."""
    try:
        return str(ctx.find_root().obj.lang)
    except (AttributeError, KacrmError):
        return early_lang()


def _as_usage(method: Callable[..., Any]) -> Callable[..., Any]:
    def invoke(self: core.Context, callback: Any, /, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, callback, *args, **kwargs)
        except UsageError as exc:  # the innermost context: the command whose usage line is shown
            raise exceptions.UsageError(exc.text(_message_language(self)), ctx=self) from None

    invoke.__wrapped__ = method  # type: ignore[attr-defined]
    return invoke


def install() -> None:
    """Rewrite the messages of Typer's usage errors, and show kacrm's UsageError as one (idempotent)."""
    if not hasattr(core.Context.invoke, "__wrapped__"):
        core.Context.invoke = _as_usage(core.Context.invoke)  # type: ignore[method-assign]
    for cls in (
        exceptions.UsageError,
        exceptions.BadParameter,
        exceptions.MissingParameter,
        exceptions.NoSuchOption,
        exceptions.BadOptionUsage,
        exceptions.BadArgumentUsage,
    ):
        # UsageError inherits ClickException's (No such command …: the message was left in English)
        method = cls.format_message
        if not hasattr(method, "__wrapped__"):
            cls.format_message = _wrap(method)  # type: ignore[method-assign]

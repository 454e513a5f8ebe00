"""The language of help and usage errors, known before Typer builds the help or parses a single option, and help
text in it.

Read from the command line (``--lang zh``/``--lang=zh``) and else from ``KACRM_LANG``; the config file's ``lang``
applies to what commands print (it is read later, with the settings).
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Sequence

from kacrm.i18n import help_zh, text

_lang: str | None = None


def lang_from_args(args: Sequence[str]) -> str | None:
    """The value of the first --lang among ``args`` (None when there is none)."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def set_early_lang(args: Sequence[str]) -> str:
    """Remember the language the command line (or the environment) asks for: en or zh."""
    global _lang
    wanted = lang_from_args(args) or os.environ.get("KACRM_LANG") or "en"
    _lang = "zh" if wanted.strip().lower() in ("zh", "zh_cn", "zh-cn", "cn", "中文") else "en"
    return _lang


def early_lang() -> str:
    """The language set by set_early_lang (else read from the environment alone)."""
    if _lang is None:
        return "zh" if os.environ.get("KACRM_LANG", "").strip().lower() == "zh" else "en"
    return _lang


def paragraphs(help_text: str, lang: str) -> str:
    """Help text with its hard line breaks joined (a docstring's wrapping is not the terminal's), in ``lang``."""
    out = []
    for paragraph in inspect.cleandoc(help_text).split("\n\n"):
        folded = " ".join(paragraph.split())
        if lang == "zh":
            if (zh := help_zh(folded)) is not None:
                folded = zh
            elif folded.startswith("Example"):
                head, _, rest = folded.partition(":")
                head = (
                    head.replace("Example", text("help_example", "zh"))
                    .replace(" (", "（")
                    .replace("(", "（")
                )
                folded = f"{head.replace(')', '）')}：{rest.strip()}"
        out.append(folded)
    return "\n\n".join(out)

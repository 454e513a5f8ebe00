"""The `kacrm` command: global options, the command groups, and the one place errors become exit codes."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer

from kacrm import __version__
from kacrm.app.database import database_name, is_database_error, lock_wait_seconds
from kacrm.cli import coercion, helpfmt, pipe, usage_errors
from kacrm.cli.common import AppState, parse_date_option
from kacrm.cli.language import early_lang, set_early_lang
from kacrm.cli.lazy import LazyGroup
from kacrm.cli.root import COMMAND_MODULES, COMMAND_SUMMARIES, GLOBAL_OPTIONS, HELP, HELP_FLAGS
from kacrm.errors import ConfigError, KacrmError
from kacrm.i18n import t, text
from kacrm.render.fold import fold_lines

coercion.install()
helpfmt.install()
usage_errors.install()
pipe.install()


class KacrmGroup(LazyGroup):
    """Turns every KacrmError (and database trouble) raised by a command into one message and its exit code; its
    commands are loaded when used, and `kacrm --help` lists them by their summaries."""

    MODULES = COMMAND_MODULES
    SUMMARIES = COMMAND_SUMMARIES

    def main(self, args: Sequence[str] | None = None, *a: Any, **kw: Any) -> Any:
        helpfmt.set_language(set_early_lang(sys.argv[1:] if args is None else list(args)))
        if "_KACRM_COMPLETE" in os.environ:  # shell completion shows the commands' short help
            helpfmt.localize(self)
        return super().main(args, *a, **kw)

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        try:  # where the root's help is drawn when Typer draws it (`kacrm --db x.db --help | head -1`)
            return super().parse_args(ctx, args)
        except BrokenPipeError:
            pipe.reader_gone()

    def invoke(self, ctx: typer.Context) -> Any:
        failed = True  # until the command returns or exits on purpose
        try:
            result = super().invoke(ctx)
            failed = False
            return result
        except typer.Exit as exc:
            failed = exc.exit_code != 0
            raise
        except KacrmError as exc:
            lang = _lang(ctx)
            _fail(exc.text(lang), exc.exit_code, lang)
        except KeyboardInterrupt:
            _fail(text("interrupted", _lang(ctx)), 130, _lang(ctx))
        except (
            OverflowError
        ) as exc:  # a number or date beyond what Python, pandas or the database can hold
            _fail(t("out_of_range", _lang(ctx), detail=exc), 1, _lang(ctx))
        except BrokenPipeError:  # the reader went away: what was done is kept, and the exit is 0
            failed = False
            pipe.reader_gone()
        except Exception as exc:
            if is_database_error(exc):
                _fail(_database_error(ctx, exc), 1, _lang(ctx))
            raise
        finally:
            state = ctx.obj
            if isinstance(state, AppState):
                state.close(failed=failed)


def _lang(ctx: typer.Context) -> str:
    """The language of messages; when even the settings could not be read (a config error), the one --lang,
    KACRM_LANG or else the config file's own lang asked for."""
    try:
        return ctx.obj.lang if isinstance(ctx.obj, AppState) else early_lang()
    except ConfigError as exc:
        return exc.lang or early_lang()
    except KacrmError:
        return early_lang()


def _database_error(ctx: typer.Context, exc: Exception) -> str:
    """A database error in the user's words, naming the database (a read-only file, a lock that outlasted the wait)."""
    lang = _lang(ctx)
    where = database_name(ctx.obj.db if isinstance(ctx.obj, AppState) else None)
    detail = str(getattr(exc, "orig", None) or exc).splitlines()[0]
    if "readonly database" in detail:
        return t("db_read_only_write", lang, path=where)
    if "database is locked" in detail:
        return t("db_locked", lang, path=where, seconds=lock_wait_seconds())
    return t("db_error", lang, where=where, detail=detail)


def _fail(message: str, code: int, lang: str = "en") -> None:
    typer.echo(_folded(f"{text('error_prefix', lang)}{message}"), err=True)
    raise SystemExit(code)


def _folded(message: str) -> str:
    """A message as a terminal shows it: folded at its width between words and Chinese characters (the terminal
    itself would break `kacrm customer list` inside a word); one line per line in a pipe, a log or cron."""
    try:
        width = os.get_terminal_size(sys.stderr.fileno()).columns
    except (OSError, ValueError):
        return message
    return fold_lines(message, width)


app = typer.Typer(
    cls=KacrmGroup,
    name="kacrm",
    help=HELP,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": list(HELP_FLAGS)},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kacrm {__version__}")
        raise typer.Exit()


def _as_of_source(ctx: typer.Context) -> str:
    """Where the global day came from, for its error message: KACRM_TODAY or --as-of."""
    source = ctx.get_parameter_source("as_of")
    from_env = source is not None and source.name == "ENVIRONMENT"
    return "KACRM_TODAY" if from_env else "--as-of"


def _global(name: str, **more: Any) -> Any:
    """The Typer option of a global option (kacrm.cli.root.GLOBAL_OPTIONS, which `kacrm --help` shows)."""
    option = GLOBAL_OPTIONS[name]
    return typer.Option(
        option.flag, help=option.help, envvar=option.envvar, metavar=option.metavar, **more
    )


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[str | None, _global("db")] = None,
    config: Annotated[str | None, _global("config")] = None,
    lang: Annotated[str | None, _global("lang")] = None,
    as_of: Annotated[str | None, _global("as_of")] = None,
    version: Annotated[bool, _global("version", callback=_version, is_eager=True)] = False,
) -> None:
    """Global options: which database, which config, which language, which day is today."""
    lang_source = ctx.get_parameter_source("lang")
    if lang is not None and lang not in ("en", "zh"):
        hint = "KACRM_LANG" if lang_source and lang_source.name == "ENVIRONMENT" else "--lang"
        raise typer.BadParameter("use en or zh", param_hint=hint)
    ctx.obj = AppState(
        db=db,
        config_path=config,
        # KACRM_LANG is read with the settings (so that `config show` names its source)
        lang_option=lang if lang_source and lang_source.name == "COMMANDLINE" else None,
        as_of=parse_date_option(as_of, _as_of_source(ctx)) if as_of else None,
    )


def main() -> None:
    """Run the Typer app on the command line (kacrm.cli.entry, the console script, sends all but the root help)."""
    if os.environ.get("KACRM_DEBUG"):
        app.pretty_exceptions_enable = True
    app()

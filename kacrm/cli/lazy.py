"""Commands loaded when they are used: a command pays for its own module's imports, not for every group's.

``kacrm due`` imports kacrm.cli.due (and what it needs) and none of the other 17 command modules, with their
app, render and third-party imports. ``LazyCommands`` is a group's name → command mapping: it knows every
name and the module of each, in help order, and builds a command (Typer's conversion of the module's functions)
the first time it is looked up. The root's help (``kacrm --help``) lists the commands by their summaries
(``summaries_only``: a stand-in command holding the first paragraph of the help, loading nothing); shell
completion and the tests that walk the command tree iterate it, which loads them all.

This and kacrm.cli.entry are the places kacrm imports its own modules by name (``importlib``), not with a statement:
tests/test_read_paths.py checks that the table names a module for each command and that a read command loads no
other command's module.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from typing import Any, ClassVar

import typer
from typer.core import TyperGroup


def load(module_name: str, name: str, rich_markup_mode: Any, registrar: str = "register") -> Any:
    """The click command ``name`` as the module ``kacrm.cli.<module_name>`` registers it on a Typer app (with its
    function ``registrar``: a group's commands kept in the group's own module have their own)."""
    module = importlib.import_module(f"kacrm.cli.{module_name}")
    holder = typer.Typer(rich_markup_mode=rich_markup_mode)
    getattr(module, registrar)(holder)
    # Typer converts every command registered on the holder (their parameters read from each function); a
    # module registers several (due, done and snooze): keep only the one asked for (~1 ms each)
    holder.registered_commands = [c for c in holder.registered_commands if c.name == name]
    holder.registered_groups = [g for g in holder.registered_groups if g.name == name]
    return typer.main.get_group(holder).commands[name]


class LazyCommands(MutableMapping[str, Any]):
    """Command name → click command, each built from its module on first use (see the module's docstring)."""

    def __init__(
        self,
        modules: Mapping[str, str],
        given: Mapping[str, Any],
        rich_markup_mode: Any,
        summaries: Mapping[str, str] | None = None,
        registrar: str = "register",
    ) -> None:
        self._modules = dict(modules)
        self._loaded: dict[str, Any] = dict(given)  # commands registered on the Typer app itself
        self._order = [*self._modules, *(n for n in given if n not in self._modules)]
        self._markup = rich_markup_mode
        self._summaries = dict(summaries or {})
        self._registrar = registrar
        self._stand_ins: dict[str, Any] | None = None  # while a list of the commands is drawn

    @contextmanager
    def summaries_only(self) -> Iterator[None]:
        """While the root's help is drawn, a command not loaded yet is a stand-in with its summary as help."""
        self._stand_ins = {}
        try:
            yield
        finally:
            self._stand_ins = None

    def __getitem__(self, name: str) -> Any:
        if self._stand_ins is not None and name not in self._loaded and name in self._summaries:
            if name not in self._stand_ins:
                self._stand_ins[name] = typer.core.TyperCommand(name, help=self._summaries[name])
            return self._stand_ins[name]
        if name not in self._loaded:
            if name not in self._modules:
                raise KeyError(name)
            self._loaded[name] = load(self._modules[name], name, self._markup, self._registrar)
        return self._loaded[name]

    def __setitem__(self, name: str, command: Any) -> None:
        if name not in self._order:
            self._order.append(name)
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        if name not in self._order:
            raise KeyError(name)
        self._order.remove(name)
        self._modules.pop(name, None)
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._order))

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, name: object) -> bool:
        return name in self._order


class LazyGroup(TyperGroup):
    """A group whose commands come from ``MODULES`` (name → module of kacrm.cli) when used; its help lists them
    by ``SUMMARIES`` (the first paragraph of each one's help), loading none. The root is one (kacrm.cli.app), and
    `kacrm report`, whose overview does not pay for its subcommands' imports (app.credit for one card)."""

    MODULES: ClassVar[Mapping[str, str]] = {}
    SUMMARIES: ClassVar[Mapping[str, str]] = {}
    REGISTRAR: ClassVar[str] = "register"  # the modules' function that registers the commands

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands(
            self.MODULES, self.commands, self.rich_markup_mode, self.SUMMARIES, self.REGISTRAR
        )

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """The help lists the commands by their summaries, loading none of their modules."""
        with self.commands.summaries_only():
            super().format_help(ctx, formatter)

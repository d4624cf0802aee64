"""The ``leptodx`` Typer application: one sub-application per area, loaded when it is used.

Each area registers its commands in its own module (``leptodx.cli.<area>``). The root only names
them in :data:`COMMANDS`; a module is imported when its command runs or when ``--help`` lists it,
so ``leptodx --version`` and ``leptodx assess FILE`` never pay for pandas, SciPy, the web stack or
the report engine (see docs/decisions/cli-startup.md). Adding an area is one line here. The
most frequent command lines do not even build this application (:mod:`leptodx.cli.fast`).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

import typer

from leptodx import __version__
from leptodx.cli._app import App, Group


@dataclass(frozen=True)
class Lazy:
    """Where a root command lives: ``module.attribute`` (a Typer app), optionally one of its
    commands (``command``), after importing ``registers`` (modules adding commands to it)."""

    module: str
    attribute: str
    command: str | None = None
    registers: tuple[str, ...] = ()


_CLI = "leptodx.cli."
_RESEARCH = Lazy(_CLI + "research", "research_app")
_SERVICE = Lazy(_CLI + "service", "service_app")

#: Root commands in the order ``--help`` lists them: clinical use, research, operations.
COMMANDS: dict[str, Lazy] = {
    "assess": Lazy(_CLI + "assess", "assess_app", "assess"),
    "schema": Lazy(_CLI + "assess", "assess_app", "schema"),
    "profiles": Lazy(_CLI + "assess", "assess_app", "profiles"),
    "batch": Lazy(_CLI + "batch", "batch_app"),
    "followup": Lazy(_CLI + "followup", "followup_app"),
    "ctdna": Lazy(_CLI + "ctdna", "ctdna_app"),
    "fhir": Lazy(_CLI + "fhir", "fhir_app"),
    "synth": Lazy(_RESEARCH.module, _RESEARCH.attribute, "synth"),
    "cohort": Lazy(_CLI + "research", "cohort_app"),
    "develop": Lazy(_RESEARCH.module, _RESEARCH.attribute, "develop"),
    "validate": Lazy(_RESEARCH.module, _RESEARCH.attribute, "validate"),
    "csf-table": Lazy(_RESEARCH.module, _RESEARCH.attribute, "csf-table"),
    "compare-models": Lazy(_RESEARCH.module, _RESEARCH.attribute, "compare-models"),
    "stats": Lazy(
        _CLI + "stats",
        "stats_app",
        registers=(_CLI + "stats_roc", _CLI + "stats_models", _CLI + "stats_survival"),
    ),
    "samplesize": Lazy(
        _CLI + "samplesize", "samplesize_app", registers=(_CLI + "samplesize_validate",)
    ),
    "meta": Lazy(_CLI + "meta", "meta_app"),
    "serve": Lazy(_SERVICE.module, _SERVICE.attribute, "serve"),
    "db": Lazy(_CLI + "service", "db_app"),
    "users": Lazy(_CLI + "service", "users_app"),
    "tokens": Lazy(_CLI + "service", "tokens_app"),
    "audit": Lazy(_CLI + "service", "audit_app"),
}

_loaded: dict[str, Any] = {}


def load_command(name: str) -> Any:
    """The Click command of root command ``name``, importing its module on first use."""
    if name not in _loaded:
        where = COMMANDS[name]
        for module in where.registers:
            importlib.import_module(module)
        sub_app = getattr(importlib.import_module(where.module), where.attribute)
        group = typer.main.get_group(sub_app)
        if where.command is None:
            group.name = name
            _loaded[name] = group
        else:
            _loaded[name] = group.commands[where.command]
    return _loaded[name]


class _LazyCommands(MutableMapping[str, Any]):
    """The root's command table: the names of :data:`COMMANDS` are known, commands load late."""

    def __init__(self, eager: Mapping[str, Any]) -> None:
        self._eager = dict(eager)

    def __getitem__(self, name: str) -> Any:
        if name in self._eager:
            return self._eager[name]
        if name in COMMANDS:
            return load_command(name)
        raise KeyError(name)

    def __setitem__(self, name: str, command: Any) -> None:
        self._eager[name] = command

    def __delitem__(self, name: str) -> None:
        del self._eager[name]

    def __iter__(self) -> Iterator[str]:
        return iter([*self._eager, *COMMANDS])

    def __len__(self) -> int:
        return len(self._eager) + len(COMMANDS)


class LazyRoot(Group):
    """The root group: lists every command, imports one only when it is needed."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.commands = _LazyCommands(self.commands)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)


app = App(
    cls=LazyRoot, help="LeptoDx: leptomeningeal metastasis decision support and model research."
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"leptodx {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """LeptoDx supports clinical decisions; it never makes them."""

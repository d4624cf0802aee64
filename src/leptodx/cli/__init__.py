"""``leptodx`` command line.

:func:`main` is the console script. The command lines a clinician runs most — ``leptodx
--version`` and ``leptodx assess FILE [options]`` — run through :mod:`leptodx.cli.fast` without
importing Typer; every other command line (and any that the fast path does not fully understand,
such as ``--help`` or a misspelt option) goes to the Typer application :data:`app`
(:mod:`leptodx.cli.root`), which this package exposes lazily so that importing it stays cheap
(docs/decisions/cli-startup.md).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from leptodx.cli.root import COMMANDS, app, load_command

__all__ = ["COMMANDS", "app", "load_command", "main"]
_FROM_ROOT = frozenset({"COMMANDS", "app", "load_command"})


def __getattr__(name: str) -> Any:
    """The Typer application and its command registry, imported on first use."""
    if name in _FROM_ROOT:
        from leptodx.cli import root

        return getattr(root, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console-script entry point."""
    from leptodx.cli.fast import run

    status = run(sys.argv[1:])
    if status is not None:
        sys.exit(status)
    from leptodx.cli.root import app

    app()

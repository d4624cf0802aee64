"""What a command prints when it fails on the user's input: one line on stderr, exit status 2.

Shared by the Typer commands (:mod:`leptodx.cli._app`) and the start-up fast path
(:mod:`leptodx.cli.fast`), so both end a bad input the same way; imports neither Typer nor Rich
until an error is printed.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from leptodx.errors import LeptoDxError, cut

if TYPE_CHECKING:
    from pydantic import ValidationError

USER_ERROR_EXIT = 2


def print_error(message: str) -> None:
    """Print one ``error: …`` line on stderr (Rich is imported only when an error happens)."""
    from rich.console import Console

    Console(stderr=True, highlight=False, soft_wrap=True).print(f"error: {message}", markup=False)


def format_validation_error(exc: ValidationError) -> str:
    """One line per problem: dotted field path, value received, what was expected."""
    lines = []
    for err in exc.errors():
        field = ".".join(str(part) for part in err["loc"]) or "(input)"
        value = cut(repr(err.get("input")))
        lines.append(f"{cut(field)}: got {value}; {err['msg']}")
    return "\n".join(lines[:20])


def _input_failure(exc: BaseException) -> str:
    """One line for an input file a reader below the CLI could not take."""
    if isinstance(exc, UnicodeDecodeError):
        return f"the input is not UTF-8 text (byte {exc.start} is 0x{exc.object[exc.start]:02x})"
    if isinstance(exc, RecursionError):
        return "the input is nested too deeply to read"
    if isinstance(exc, MemoryError):
        return "the input is too large for the memory available"
    if not isinstance(exc, OSError):  # a YAMLError (see user_failure)
        return f"the input is not valid YAML ({cut(str(exc), 300)})"
    return f"{exc.strerror or exc.__class__.__name__}: {exc.filename or ''}".rstrip(": ")


def user_failure(exc: Exception) -> str | None:
    """The message for an error the user can fix, or None for a bug (which keeps its traceback).

    pydantic and PyYAML are looked up in ``sys.modules``: when a command never imported them,
    none of their errors can have been raised, and start-up need not import them.
    """
    if isinstance(exc, LeptoDxError):
        return str(exc)
    pydantic = sys.modules.get("pydantic")
    if pydantic is not None and isinstance(exc, pydantic.ValidationError):
        return format_validation_error(exc)
    yaml = sys.modules.get("yaml")
    if isinstance(exc, UnicodeDecodeError | RecursionError | MemoryError | OSError) or (
        yaml is not None and isinstance(exc, yaml.YAMLError)
    ):
        return _input_failure(exc)
    return None

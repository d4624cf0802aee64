"""Typer application class shared by every CLI area.

Each command is wrapped so that a :class:`~leptodx.errors.LeptoDxError` or a pydantic
``ValidationError`` ends with one message on stderr and exit status 2, never a traceback; so does
any input file a reader below the CLI could not take — bytes that are not UTF-8, nesting deeper
than the interpreter allows, a file too large for memory, YAML that does not parse, or an
unreadable path (files are read centrally by :mod:`leptodx.cli._input`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import typer
import yaml
from pydantic import ValidationError
from rich.console import Console

from leptodx.errors import LeptoDxError, cut

F = TypeVar("F", bound=Callable[..., Any])

USER_ERROR_EXIT = 2
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


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
    if isinstance(exc, yaml.YAMLError):
        return f"the input is not valid YAML ({cut(str(exc), 300)})"
    assert isinstance(exc, OSError)
    return f"{exc.strerror or exc.__class__.__name__}: {exc.filename or ''}".rstrip(": ")


def _guard(func: F) -> F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except LeptoDxError as exc:
            stderr.print(f"error: {exc}", markup=False)
            raise typer.Exit(USER_ERROR_EXIT) from None
        except ValidationError as exc:
            stderr.print(f"error: {format_validation_error(exc)}", markup=False)
            raise typer.Exit(USER_ERROR_EXIT) from None
        except (UnicodeDecodeError, RecursionError, MemoryError, yaml.YAMLError, OSError) as exc:
            stderr.print(f"error: {_input_failure(exc)}", markup=False)
            raise typer.Exit(USER_ERROR_EXIT) from None

    return wrapper  # type: ignore[return-value]


class App(typer.Typer):
    """A :class:`typer.Typer` whose commands turn user errors into exit status 2."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("no_args_is_help", True)
        kwargs.setdefault("pretty_exceptions_enable", False)
        kwargs.setdefault("add_completion", False)
        super().__init__(**kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Callable[[F], F]:  # type: ignore[override]
        register = super().command(*args, **kwargs)

        def decorator(func: F) -> F:
            register(_guard(func))
            return func

        return decorator

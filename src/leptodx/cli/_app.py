"""Typer application class shared by every CLI area.

Each command is wrapped so that a :class:`~leptodx.errors.LeptoDxError` or a pydantic
``ValidationError`` ends with one message on stderr and exit status 2, never a traceback; so does
any input file a reader below the CLI could not take — bytes that are not UTF-8, nesting deeper
than the interpreter allows, a file too large for memory, YAML that does not parse, or an
unreadable path (files are read centrally by :mod:`leptodx.cli._input`).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

from leptodx.cli._params import install
from leptodx.errors import LeptoDxError, cut

if TYPE_CHECKING:
    from pydantic import ValidationError

F = TypeVar("F", bound=Callable[..., Any])

USER_ERROR_EXIT = 2


def _error(message: str) -> None:
    """Print one ``error: …`` line on stderr (Rich is imported only when an error happens)."""
    from rich.console import Console

    Console(stderr=True, highlight=False, soft_wrap=True).print(f"error: {message}", markup=False)


def _without_flag_placeholder(params: list[Any]) -> list[Any]:
    """On/off flags take no value: show no ``<bool>`` type placeholder in ``--help``."""
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
    return params


class Command(TyperCommand):
    """A command whose help shows flags without a value placeholder (plain values converted
    without pydantic: :mod:`leptodx.cli._params`)."""

    def get_params(self, ctx: Any) -> list[Any]:
        return install(_without_flag_placeholder(super().get_params(ctx)))


class Group(TyperGroup):
    """A group whose help shows flags without a value placeholder."""

    def get_params(self, ctx: Any) -> list[Any]:
        return install(_without_flag_placeholder(super().get_params(ctx)))


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
    if not isinstance(exc, OSError):  # a YAMLError (see _user_failure)
        return f"the input is not valid YAML ({cut(str(exc), 300)})"
    return f"{exc.strerror or exc.__class__.__name__}: {exc.filename or ''}".rstrip(": ")


def _user_failure(exc: Exception) -> str | None:
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


def _guard(func: F) -> F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except Exception as exc:
            message = _user_failure(exc)
            if message is None:
                raise
            _error(message)
            raise typer.Exit(USER_ERROR_EXIT) from None

    return wrapper  # type: ignore[return-value]


class App(typer.Typer):
    """A :class:`typer.Typer` whose commands turn user errors into exit status 2."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("no_args_is_help", True)
        kwargs.setdefault("pretty_exceptions_enable", False)
        kwargs.setdefault("add_completion", False)
        kwargs.setdefault("cls", Group)
        super().__init__(**kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Callable[[F], F]:
        kwargs.setdefault("cls", Command)
        register = super().command(*args, **kwargs)

        def decorator(func: F) -> F:
            register(_guard(func))
            return func

        return decorator

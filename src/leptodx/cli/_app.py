"""Typer application class shared by every CLI area.

Each command is wrapped so that a :class:`~leptodx.errors.LeptoDxError` or a pydantic
``ValidationError`` ends with one message on stderr and exit status 2, never a traceback; so does
any input file a reader below the CLI could not take — bytes that are not UTF-8, nesting deeper
than the interpreter allows, a file too large for memory, YAML that does not parse, or an
unreadable path (files are read centrally by :mod:`leptodx.input_files`; the messages are
:mod:`leptodx.cli.failures`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

from leptodx.cli._params import install
from leptodx.cli.failures import USER_ERROR_EXIT, print_error, user_failure

F = TypeVar("F", bound=Callable[..., Any])


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


def _guard(func: F) -> F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except Exception as exc:
            message = user_failure(exc)
            if message is None:
                raise
            print_error(message)
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

"""Command-line values converted without pydantic where the conversion is the identity.

Typer (≥ 0.25) converts every parameter value through a pydantic ``TypeAdapter``; building them
imports pydantic and costs ≈ 0.1 s at each start, which ``leptodx assess FILE`` cannot afford
(issue 16, docs/decisions/cli-startup.md). For the plain cases — text, a path, a choice of an
enum, a number or flag that already has its type — the result is known without pydantic, so
:func:`install` gives those parameters a direct conversion. Anything else (a list, a parser, a
bounded number, a value that does not convert) goes to Typer's own pydantic conversion, built
only then, so values and error messages stay exactly Typer's. When Typer's internals differ
from what this module expects, nothing is changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

try:  # Typer's private conversion layer (typer ≥ 0.25)
    from typer._coercion import RuntimeParam, build_runtime_param
    from typer._param_types import coerce_cli_choice, coerce_cli_path, routes_to_path
    from typer.core import _TyperParameter

    TYPER_CONVERSION = True
except ImportError:  # pragma: no cover - another Typer: leave its conversion alone
    TYPER_CONVERSION = False

_SLOW = object()
"""Marker: this value needs Typer's pydantic conversion."""


def _plain(annotation: Any, info: Any) -> bool:
    """True when the annotation is one :func:`_direct` can convert."""
    if getattr(info, "parser", None) is not None or getattr(info, "click_type", None) is not None:
        return False
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return True
    if annotation in (str, int, float, bool):
        return True
    return (
        isinstance(annotation, type)
        and issubclass(annotation, Path)
        and info.path_type is None
        and routes_to_path(annotation, info)
    )


def _direct(annotation: Any, info: Any, value: Any, param: Any, ctx: Any) -> Any:
    """``value`` converted as Typer's pydantic adapter would, or :data:`_SLOW`."""
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        try:
            return coerce_cli_choice(
                value, choices=list(annotation), case_sensitive=info.case_sensitive, ctx=ctx
            )
        except ValueError:
            return _SLOW  # Typer's message for a value that is not a choice
    if annotation is str:
        return value if type(value) is str else _SLOW
    if annotation in (int, float, bool):
        ranged = annotation is not bool and (info.min is not None or info.max is not None)
        return value if type(value) is annotation and not ranged else _SLOW
    if isinstance(value, str) and value and "\x00" not in value:
        value = annotation(value)
    if isinstance(value, annotation):
        return coerce_cli_path(value, info, path_type=annotation, param=param, ctx=ctx)
    return _SLOW


if TYPER_CONVERSION:

    @dataclass(frozen=True)
    class DirectParam(RuntimeParam):
        """Direct conversion of a plain parameter, Typer's own for everything else."""

        descriptor: Any = None
        _fallback: list[Any] = field(default_factory=list)

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            result = _direct(self.annotation, self.parameter_info, value, param, ctx)
            if result is not _SLOW:
                return result
            if not self._fallback:
                self._fallback.append(build_runtime_param(self.descriptor))
            return self._fallback[0]._coerce_value(value, param=param, ctx=ctx)


def install(params: list[Any]) -> list[Any]:
    """Give each plain Typer parameter of ``params`` the direct conversion (once)."""
    if not TYPER_CONVERSION:  # pragma: no cover
        return params
    for param in params:
        if not isinstance(param, _TyperParameter) or param._runtime_param is not None:
            continue
        descriptor = param.type_descriptor
        if descriptor.is_file or not _plain(descriptor.annotation, descriptor.parameter_info):
            continue
        param._runtime_param = DirectParam(
            parameter_info=descriptor.parameter_info,
            annotation=descriptor.annotation,
            descriptor=descriptor,
        )
    return params

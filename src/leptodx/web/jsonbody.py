"""Strict JSON request bodies for the API: ``NaN``/``Infinity`` literals, numbers that overflow a
double (``1e400``), integers of more than 100 digits and nesting deeper than 64 levels are refused
with 422 naming the field — Python's ``json`` would otherwise accept them all.

Routers opt in with ``APIRouter(route_class=StrictJsonRoute)``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from leptodx.web.problems import FieldProblem

MAX_DEPTH = 64
MAX_INT_DIGITS = 100
FINITE = "a finite number (NaN and Infinity are not JSON numbers; at most ±1.8e308)"


class _NonFinite(str):
    """A NaN/Infinity literal or an overflowing number, kept as text until its path is known."""


class _LongInteger(str):
    """An integer token with too many digits (kept cut, as text, until its path is known)."""


def _float(token: str) -> float | _NonFinite:
    value = float(token)
    return value if math.isfinite(value) else _NonFinite(token)


def _int(token: str) -> int | _LongInteger:
    if len(token.lstrip("-")) > MAX_INT_DIGITS:
        return _LongInteger(token[:40] + "…")
    return int(token)


def _check(document: Any) -> None:
    stack: list[tuple[Any, str, int]] = [(document, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, _NonFinite):
            raise FieldProblem(422, path or "(body)", str(value), FINITE)
        if isinstance(value, _LongInteger):
            raise FieldProblem(422, path or "(body)", str(value), f"an integer of at most {MAX_INT_DIGITS} digits")  # fmt: skip
        if depth > MAX_DEPTH:
            raise FieldProblem(422, path, "(deeper)", f"at most {MAX_DEPTH} levels of nesting")
        if isinstance(value, dict):
            stack.extend(
                (v, f"{path}.{k}" if path else str(k), depth + 1) for k, v in value.items()
            )
        elif isinstance(value, list):
            stack.extend((v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value))


def loads(body: bytes) -> Any:
    """Parse a request body strictly (see the module docstring)."""
    try:
        document = json.loads(body, parse_float=_float, parse_int=_int, parse_constant=_NonFinite)
    except RecursionError:
        raise FieldProblem(422, "(body)", "(deeper)", f"at most {MAX_DEPTH} levels of nesting") from None  # fmt: skip
    _check(document)
    return document


class StrictJsonRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = loads(await self.body())
        return self._json


class StrictJsonRoute(APIRoute):
    """An API route whose JSON body is parsed by :func:`loads`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict(request: Request) -> Response:
            return await handler(StrictJsonRequest(request.scope, request.receive))

        return strict

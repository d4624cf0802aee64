"""Errors that reach users as one clear message (CLI exit status 2, API problem details).

Every user-facing error is a :class:`ValueError` subclass that names the field, the value
received and what was expected (allowed values, unit or range).
"""

from __future__ import annotations

from typing import Any

MAX_SHOWN_CHARS = 200
"""Echoed values are cut to this length, so an error message stays small whatever was sent."""


def cut(text: str, limit: int = MAX_SHOWN_CHARS) -> str:
    """``text`` cut to ``limit`` characters, with the full length noted."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"


def shown(value: Any) -> str:
    """``repr(value)`` as echoed in messages (cut to 200 characters)."""
    return cut(repr(value))


class LeptoDxError(ValueError):
    """Base class of errors caused by input; shown without a traceback."""


class InputError(LeptoDxError):
    """A field has a value that LeptoDx cannot use.

    Parameters
    ----------
    field : str
        Dotted path of the offending field, e.g. ``"csf.protein.unit"``.
    value : Any
        The value received.
    expected : str
        What would have been accepted, e.g. ``"one of: positive, equivocal, negative"``.
    """

    def __init__(self, field: str, value: Any, expected: str) -> None:
        self.field = cut(field)
        self.value = value
        self.expected = cut(expected, 4 * MAX_SHOWN_CHARS)
        super().__init__(f"{self.field}: got {shown(value)}; expected {self.expected}")

    def __reduce__(self) -> tuple[type[InputError], tuple[str, Any, str]]:
        """Pickled with its fields, so it crosses process boundaries (Dask workers) intact."""
        return type(self), (self.field, self.value, self.expected)

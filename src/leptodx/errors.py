"""Errors that reach users as one clear message (CLI exit status 2, API problem details).

Every user-facing error is a :class:`ValueError` subclass that names the field, the value
received and what was expected (allowed values, unit or range).
"""

from __future__ import annotations

from typing import Any


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
        self.field = field
        self.value = value
        self.expected = expected
        super().__init__(f"{field}: got {value!r}; expected {expected}")

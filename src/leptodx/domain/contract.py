"""Strict JSON records declared once: one field table drives validation and JSON Schema.

A contract class is a frozen, keyword-only dataclass whose fields carry a :class:`Spec` in their
metadata (made with :func:`number`, :func:`integer`, :func:`text`, :func:`flag`, :func:`code`,
:func:`codes`, :func:`nested`). :func:`validate` checks a parsed JSON/YAML document against that
table and :func:`json_schema` publishes the same table as JSON Schema (draft 2020-12), so the
checked and the published contract cannot drift apart (docs/decisions/core-input-validator.md).

The rules are JSON's: a boolean is not a number, an integer is a number but a fraction is not an
integer, text is never coerced, numbers are finite, unknown fields are refused. The first error
(fields in declaration order, depth first, then unknown fields in input order) is raised as one
:class:`~leptodx.errors.InputError` naming the dotted field path, the value and what was
expected. The messages and the schema layout are those the contract had as pydantic models
(pydantic 2.14), kept byte for byte (``tests/domain/golden``).
"""

from __future__ import annotations

import dataclasses
import inspect
import math
from collections.abc import Callable, Mapping
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Any, Literal, NoReturn, TypeVar

from leptodx.errors import InputError

Kind = Literal["number", "integer", "text", "flag", "code", "codes", "nested"]
Path = tuple[str | int, ...]
T = TypeVar("T")

SPEC = "leptodx.contract"
"""Key of a field's :class:`Spec` in ``dataclasses.field(metadata=...)``."""

EXPECTED_NUMBER = "a number (a JSON number, not text and not true/false)"
EXPECTED_INTEGER = "a whole number (a JSON integer, not text and not true/false)"
EXPECTED_FLAG = "true or false (a JSON boolean, not text and not a number)"
EXPECTED_TEXT = "text (a JSON string)"
EXPECTED_VALUE = "a value: this field is required"
NO_SUCH_FIELD = "no such field (check the spelling; see `leptodx schema`)"


@dataclasses.dataclass(frozen=True, slots=True)
class Spec:
    """What one field accepts.

    ``vocabulary`` lists the allowed codes of a text field (or of each item of ``codes``) and
    ``refusal`` words the error for a code outside it (``{codes}`` and ``{first}`` are filled
    in); ``enum`` is the code enumeration of a ``code`` field, ``model`` the contract class of a
    ``nested`` one. ``required`` fields must be present; ``nullable`` ones accept ``null``.
    """

    kind: Kind
    required: bool = False
    nullable: bool = True
    ge: float | None = None
    le: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    vocabulary: tuple[str, ...] = ()
    refusal: str = ""
    enum: type[Enum] | None = None
    model: type[Any] | None = None


def _field(spec: Spec, default: Any = None, factory: Callable[[], Any] | None = None) -> Any:
    meta = {SPEC: spec}
    if spec.required:
        return dataclasses.field(metadata=meta)
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


def number(*, ge: float | None = None, le: float | None = None, required: bool = False) -> Any:
    """A finite JSON number (an integer is fine, and is stored as a float)."""
    return _field(Spec("number", required=required, nullable=not required, ge=ge, le=le))


def integer(*, ge: int | None = None, le: int | None = None) -> Any:
    """A JSON integer (``1.0`` is a number, not an integer)."""
    return _field(Spec("integer", ge=ge, le=le))


def text(
    *,
    min_length: int | None = None,
    max_length: int | None = None,
    vocabulary: tuple[str, ...] = (),
    refusal: str = "",
    required: bool = False,
) -> Any:
    """A JSON string, optionally limited in length or to a vocabulary of codes."""
    spec = Spec(
        "text",
        required=required,
        nullable=not required,
        min_length=min_length,
        max_length=max_length,
        vocabulary=vocabulary,
        refusal=refusal,
    )
    return _field(spec)


def flag(*, required: bool = False) -> Any:
    """A JSON boolean (not ``1``, not ``"yes"``)."""
    return _field(Spec("flag", required=required, nullable=not required))


def code(enum: type[Enum]) -> Any:
    """One code of ``enum`` (stored as the enum member)."""
    return _field(Spec("code", enum=enum))


def codes(vocabulary: tuple[str, ...], refusal: str) -> Any:
    """A JSON array of codes from ``vocabulary`` (default: empty; ``null`` is not a list)."""
    return _field(
        Spec("codes", nullable=False, vocabulary=vocabulary, refusal=refusal), factory=list
    )


def nested(model: type[Any]) -> Any:
    """An object of another contract class."""
    return _field(Spec("nested", model=model))


def specs(model: type[Any]) -> tuple[tuple[str, Spec], ...]:
    """The field table of a contract class, in declaration order."""
    return tuple((f.name, f.metadata[SPEC]) for f in dataclasses.fields(model))


# -- validation ---------------------------------------------------------------------------------


def _fail(path: Path, value: Any, expected: str) -> NoReturn:
    raise InputError(".".join(str(p) for p in path) or "(input)", value, expected)


def shown_number(bound: float) -> str:
    """A bound as pydantic printed it: no exponent, no trailing ``.0`` (``120``, ``0.5``)."""
    if isinstance(bound, int):
        return str(bound)
    out = format(Decimal(repr(bound)), "f")
    return out[:-2] if out.endswith(".0") else out


def _check_range(spec: Spec, value: float, shown: Any, path: Path) -> None:
    if spec.ge is not None and not value >= spec.ge:
        _fail(path, shown, f"greater than or equal to {shown_number(spec.ge)}")
    if spec.le is not None and not value <= spec.le:
        _fail(path, shown, f"less than or equal to {shown_number(spec.le)}")


def _number(spec: Spec, value: Any, path: Path) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | Fraction):
        _fail(path, value, EXPECTED_NUMBER)
    try:
        out = float(value)
    except OverflowError:
        _fail(path, value, EXPECTED_NUMBER)
    if not math.isfinite(out):
        _fail(path, value, "a finite number")
    _check_range(spec, out, value, path)
    return out


def _integer(spec: Spec, value: Any, path: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(path, value, EXPECTED_INTEGER)
    _check_range(spec, value, value, path)
    return value


def _plural(n: int) -> str:
    return f"{n} character" if n == 1 else f"{n} characters"


def _text(spec: Spec, value: Any, path: Path) -> str:
    if not isinstance(value, str):
        _fail(path, value, EXPECTED_TEXT)
    if spec.min_length is not None and len(value) < spec.min_length:
        _fail(path, value, f"string should have at least {_plural(spec.min_length)}")
    if spec.max_length is not None and len(value) > spec.max_length:
        _fail(path, value, f"string should have at most {_plural(spec.max_length)}")
    if spec.vocabulary and value not in spec.vocabulary:
        _fail(path, value, spec.refusal.format(codes=", ".join(spec.vocabulary), first=value))
    return value


def enum_expected(enum: type[Enum]) -> str:
    """``'a', 'b' or 'c'``: the codes of ``enum`` as an error names them."""
    values = [repr(m.value) for m in enum]
    return values[0] if len(values) == 1 else f"{', '.join(values[:-1])} or {values[-1]}"


def _code(spec: Spec, value: Any, path: Path) -> Enum:
    assert spec.enum is not None
    if isinstance(value, spec.enum):
        return value
    try:
        return spec.enum(value)
    except (ValueError, TypeError):
        _fail(path, value, enum_expected(spec.enum))


def _codes(spec: Spec, value: Any, path: Path) -> list[str]:
    if not isinstance(value, list):
        _fail(path, value, "a valid list")
    for i, item in enumerate(value):
        if not isinstance(item, str):
            _fail((*path, i), item, EXPECTED_TEXT)
    unknown = [item for item in value if item not in spec.vocabulary]
    if unknown:
        _fail(path, value, spec.refusal.format(codes=", ".join(spec.vocabulary), first=unknown[0]))
    return list(value)


def _value(spec: Spec, value: Any, path: Path) -> Any:
    if value is None and spec.nullable:
        return None
    if spec.kind == "number":
        return _number(spec, value, path)
    if spec.kind == "integer":
        return _integer(spec, value, path)
    if spec.kind == "flag":
        if not isinstance(value, bool):
            _fail(path, value, EXPECTED_FLAG)
        return value
    if spec.kind == "text":
        return _text(spec, value, path)
    if spec.kind == "code":
        return _code(spec, value, path)
    if spec.kind == "codes":
        return _codes(spec, value, path)
    assert spec.model is not None
    return validate(spec.model, value, path)


def validate(model: type[T], data: Any, path: Path = ()) -> T:
    """``data`` checked against ``model``'s field table; the first error as :class:`InputError`.

    An instance of ``model`` is taken as it is (it was validated when it was made).
    """
    if isinstance(data, model):
        return data
    if not isinstance(data, Mapping):
        _fail(path, data, f"a valid dictionary or instance of {model.__name__}")
    table = specs(model)
    values: dict[str, Any] = {}
    for name, spec in table:
        if name in data:
            values[name] = _value(spec, data[name], (*path, name))
        elif spec.required:
            _fail((*path, name), None, EXPECTED_VALUE)
    known = {name for name, _ in table}
    for key in data:
        if not isinstance(key, str):
            _fail((*path, key), key, "keys should be strings")
        if key not in known:
            _fail((*path, key), data[key], NO_SUCH_FIELD)
    return model(**values)


def dump(record: Any, *, exclude_none: bool = False) -> dict[str, Any]:
    """A validated record as JSON data (codes as text), the inverse of :func:`validate`."""
    out: dict[str, Any] = {}
    for name, _ in specs(type(record)):
        value = getattr(record, name)
        if value is None and exclude_none:
            continue
        if dataclasses.is_dataclass(value):
            value = dump(value, exclude_none=exclude_none)
        elif isinstance(value, Enum):
            value = value.value
        elif isinstance(value, list):
            value = list(value)
        out[name] = value
    return out


# -- JSON Schema --------------------------------------------------------------------------------


def _title(name: str) -> str:
    return name.title().replace("_", " ")


def _enum_schema(enum: type[Enum]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "enum": [m.value for m in enum],
        "title": enum.__name__,
        "type": "string",
    }
    doc = enum.__dict__.get("__doc__")
    if doc:
        out["description"] = inspect.cleandoc(doc)
    return out


def _property(name: str, spec: Spec, ref: Callable[[type[Any]], str]) -> dict[str, Any]:
    base: dict[str, Any]
    if spec.kind in {"number", "integer"}:
        base = {"type": spec.kind}
        if spec.ge is not None:
            base["minimum"] = spec.ge
        if spec.le is not None:
            base["maximum"] = spec.le
    elif spec.kind == "flag":
        base = {"type": "boolean"}
    elif spec.kind == "text":
        base = {"type": "string"}
        if spec.min_length is not None:
            base["minLength"] = spec.min_length
        if spec.max_length is not None:
            base["maxLength"] = spec.max_length
    elif spec.kind == "codes":
        base = {"type": "array", "items": {"enum": list(spec.vocabulary)}}
    else:
        target = spec.enum if spec.kind == "code" else spec.model
        assert target is not None
        base = {"$ref": ref(target)}
    out: dict[str, Any] = {}
    if spec.nullable and not spec.required:
        out = {"anyOf": [base, {"type": "null"}], "default": None}
    else:
        out = dict(base)
    if "$ref" not in base:
        out["title"] = _title(name)
    if spec.kind == "text" and spec.vocabulary:
        # pydantic's json_schema_extra put the codes beside ``anyOf`` (kept for byte identity;
        # ``presentation.schema`` publishes them as a labelled ``oneOf`` that admits null)
        out["enum"] = list(spec.vocabulary)
    return out


def _object_schema(
    model: type[Any], ref: Callable[[type[Any]], str], defs: dict[str, Any]
) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    for name, spec in specs(model):
        properties[name] = _property(name, spec, ref)
        if spec.required:
            required.append(name)
        if spec.kind == "code" and spec.enum is not None:
            defs.setdefault(spec.enum.__name__, _enum_schema(spec.enum))
        elif spec.kind == "nested" and spec.model is not None and spec.model.__name__ not in defs:
            defs[spec.model.__name__] = {}  # reserve the name (recursion)
            defs[spec.model.__name__] = _object_schema(spec.model, ref, defs)
    out: dict[str, Any] = {"additionalProperties": False}
    if model.__doc__:
        out["description"] = inspect.cleandoc(model.__doc__)
    out["properties"] = properties
    if required:
        out["required"] = required
    out.update(title=model.__name__, type="object")
    return out


def _sorted(value: Any, parent: str | None = None) -> Any:
    """Keys sorted as pydantic sorts them (except the field order under ``properties``)."""
    if isinstance(value, dict):
        keys = value if parent in {"properties", "default"} else sorted(value)
        return {k: _sorted(value[k], k) for k in keys}
    if isinstance(value, list):
        return [_sorted(v, parent) for v in value]
    return value


def json_schema(model: type[Any], *, ref_template: str = "#/$defs/{model}") -> dict[str, Any]:
    """The JSON Schema of a contract class (its nested classes and enums under ``$defs``)."""
    defs: dict[str, Any] = {}
    schema = _object_schema(model, lambda target: ref_template.format(model=target.__name__), defs)
    if defs:
        schema["$defs"] = defs
    out: dict[str, Any] = _sorted(schema)
    return out

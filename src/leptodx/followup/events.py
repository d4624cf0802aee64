"""Dated follow-up events of one patient (the timeline's input contract, docs/followup.md).

Kinds: ``diagnosis``, ``lumbar_puncture`` (cytology and CSF values), ``mri`` (pattern),
``treatment`` (systemic / intrathecal / radiotherapy / surgery / other line, with an end date),
``ctdna`` (sample type, tumour fraction, alterations with VAF) and ``response`` (a RANO/LANO
scorecard visit). Events may be given in any order; they are sorted by date. Bad input raises
one :class:`InputError` naming the event and field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetPydanticSchema,
    Strict,
    TypeAdapter,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError, core_schema

from leptodx.domain import contract
from leptodx.domain.patient import CsfPanel, measured_quantity
from leptodx.errors import InputError
from leptodx.followup._contract_schema import contract_json_schema
from leptodx.reference import response as ref
from leptodx.reference.analytes import ANALYTE_TABLE
from leptodx.reference.eano_esmo import Cytology, Level, Mri
from leptodx.reference.response import ItemChange, ItemState, OverallResponse

_STRICT = ConfigDict(extra="forbid", frozen=True)
Number = Annotated[float, Strict()]
"""A JSON number (an integer is fine; a boolean or a numeric string is not)."""
Whole = Annotated[int, Strict()]
Flag = Annotated[bool, Strict()]


def _iso_date(value: Any) -> Any:
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        return value
    raise ValueError("an ISO date YYYY-MM-DD")


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
Day = Annotated[date, BeforeValidator(_iso_date)]
"""A calendar date written YYYY-MM-DD (not a number of seconds since 1970)."""


class _Event(BaseModel):
    model_config = _STRICT
    date: Day
    note: str | None = Field(default=None, max_length=2000)


class Diagnosis(_Event):
    kind: Literal["diagnosis"]
    level: Level | None = None
    type: str | None = Field(default=None, pattern=r"^(I|II)[A-D]$")


def _csf_panel(value: Any) -> CsfPanel:
    """The input contract's own validator; its first error travels inside the pydantic error."""
    try:
        return contract.validate(CsfPanel, value)
    except InputError as exc:
        raise PydanticCustomError(
            "leptodx_input",
            "{expected}",
            {"field": exc.field, "value": exc.value, "expected": exc.expected},
        ) from None


def _csf_dump(panel: CsfPanel, info: core_schema.SerializationInfo) -> dict[str, Any]:
    return contract.dump(panel, exclude_none=info.exclude_none)


Csf = Annotated[
    CsfPanel,
    GetPydanticSchema(
        lambda _type, _handler: core_schema.no_info_plain_validator_function(
            _csf_panel,
            serialization=core_schema.plain_serializer_function_ser_schema(
                _csf_dump, info_arg=True
            ),
        ),
        lambda _schema, handler: contract_json_schema(CsfPanel, handler),
    ),
]
"""The CSF panel of the assessment's input contract (``domain.patient``), checked by it."""


def _no_csf_title(schema: dict[str, Any]) -> None:
    schema["properties"]["csf"].pop("title", None)  # a $ref has no title, as for any model


class LumbarPuncture(_Event):
    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra=_no_csf_title)
    kind: Literal["lumbar_puncture"]
    cytology: Cytology | None = None
    csf: Csf | None = None


class MriScan(_Event):
    kind: Literal["mri"]
    pattern: Mri


class Treatment(_Event):
    kind: Literal["treatment"]
    modality: Literal["systemic", "intrathecal", "radiotherapy", "surgery", "other"]
    agent: str | None = Field(default=None, max_length=200)
    line: Whole | None = Field(default=None, ge=1, le=50)
    end: Day | None = None

    @model_validator(mode="after")
    def _end_after_start(self) -> Treatment:
        if self.end is not None and self.end < self.date:
            raise ValueError(f"dates out of order: end {self.end} is before start {self.date}")
        return self


class Alteration(BaseModel):
    model_config = _STRICT
    gene: str = Field(min_length=1, max_length=50)
    variant: str = Field(min_length=1, max_length=200)
    vaf: Number | None = Field(default=None, ge=0.0, le=1.0, allow_inf_nan=False)


class CtDna(_Event):
    kind: Literal["ctdna"]
    sample_type: Literal["CSF", "plasma"]
    tumour_fraction: Number | None = Field(default=None, ge=0.0, le=1.0, allow_inf_nan=False)
    alterations: list[Alteration] = Field(default_factory=list)


class MriScorecard(BaseModel):
    """Revised EORTC/RANO LM MRI scorecard of one visit (RF-3)."""

    model_config = _STRICT
    items: dict[str, ItemState] = Field(default_factory=dict)
    vs_previous: dict[str, ItemChange] = Field(default_factory=dict)
    nodules_mm: list[tuple[Number, Number]] = Field(
        default_factory=list, max_length=ref.MAX_NODULES
    )
    overall: OverallResponse | None = None
    parenchymal: OverallResponse | Literal["absent"] | None = None

    @model_validator(mode="after")
    def _known_items(self) -> MriScorecard:
        for name in (*self.items, *self.vs_previous):
            if name not in ref.MRI_ITEMS:
                raise ValueError(
                    f"unknown scorecard item {name!r}; expected {', '.join(ref.MRI_ITEMS)}"
                )
        for x, y in self.nodules_mm:
            if not (0 < x <= 200 and 0 < y <= 200):
                raise ValueError(f"nodule {x} × {y} mm: diameters must be in (0, 200] mm")
        return self


class ResponseVisit(_Event):
    kind: Literal["response"]
    mri: MriScorecard | None = None
    cytology: Cytology | None = None
    neuro: dict[str, Whole] = Field(default_factory=dict)
    steroids: Flag | None = None

    @model_validator(mode="after")
    def _lano_levels(self) -> ResponseVisit:
        for domain, level in self.neuro.items():
            levels = ref.LANO_DOMAINS.get(domain)
            if levels is None:
                raise ValueError(
                    f"unknown LANO domain {domain!r}; expected {', '.join(ref.LANO_DOMAINS)}"
                )
            if not 0 <= level < len(levels):
                raise ValueError(f"LANO {domain} level {level}: expected 0–{len(levels) - 1}")
        return self


Event = Annotated[
    Diagnosis | LumbarPuncture | MriScan | Treatment | CtDna | ResponseVisit,
    Field(discriminator="kind"),
]
EVENT_KINDS = ("diagnosis", "lumbar_puncture", "mri", "treatment", "ctdna", "response")
_EVENT = TypeAdapter(Event)

_STRICT_TYPES = {
    "float_type": contract.EXPECTED_NUMBER,
    "int_type": contract.EXPECTED_INTEGER,
    "bool_type": contract.EXPECTED_FLAG,
    "string_type": contract.EXPECTED_TEXT,
}


def _describe(err: Mapping[str, Any]) -> InputError:
    """One pydantic error in the words of the input contract (``domain.contract``)."""
    field = ".".join(str(part) for part in err["loc"]) or "(input)"
    if err["type"] == "leptodx_input":  # the CSF panel, checked by the contract's validator
        ctx = err["ctx"]
        inner = "" if ctx["field"] == "(input)" else f".{ctx['field']}"
        return InputError(f"{field}{inner}", ctx["value"], ctx["expected"])
    if err["type"] == "missing":
        return InputError(field, None, contract.EXPECTED_VALUE)
    if err["type"] in _STRICT_TYPES:
        return InputError(field, err.get("input"), _STRICT_TYPES[err["type"]])
    if err["type"] == "extra_forbidden":
        return InputError(field, err.get("input"), contract.NO_SUCH_FIELD)
    message = str(err["msg"]).removeprefix("Value error, ").removeprefix("Input should be ")
    return InputError(field, err.get("input"), message[:1].lower() + message[1:])


class Timeline(BaseModel):
    """A patient's follow-up: events sorted by date."""

    model_config = _STRICT
    patient_id: str | None = Field(default=None, max_length=200)
    events: tuple[Event, ...]


def parse_event(data: Any, *, where: str = "event", plausibility: bool = True) -> Event:
    """One event, or an :class:`InputError` naming ``where`` and the field.

    CSF values of a lumbar puncture must lie within the analyte table's plausible range
    (``reference.analytes``; −3 leukocytes/µL is refused), as for an assessment. Reading events
    stored before that rule passes ``plausibility=False``.
    """
    if not isinstance(data, Mapping):
        raise InputError(where, type(data).__name__, "an object with date and kind")
    if data.get("kind") not in EVENT_KINDS:
        raise InputError(f"{where}.kind", data.get("kind"), f"one of {', '.join(EVENT_KINDS)}")
    try:
        event = _EVENT.validate_python(dict(data))
    except ValidationError as exc:
        err = exc.errors()[0]
        inner = _describe({**err, "loc": tuple(p for p in err["loc"] if p != data["kind"])})
        field = where if inner.field == "(input)" else f"{where}.{inner.field}"
        raise InputError(field, inner.value, inner.expected) from None
    if plausibility and isinstance(event, LumbarPuncture) and event.csf is not None:
        _check_csf(event.csf, where)
    return event


def _check_csf(panel: CsfPanel, where: str) -> None:
    """Units known and values possible (``domain.plausibility.check_possible``)."""
    for analyte in ANALYTE_TABLE:
        entry = getattr(panel, analyte.name) if analyte.specimen == "csf" else None
        if entry is None:
            continue
        try:
            measured_quantity(analyte, entry)
        except InputError as exc:
            raise InputError(f"{where}.{exc.field}", exc.value, exc.expected) from None


def parse_timeline(data: Any, *, today: date | None = None, plausibility: bool = True) -> Timeline:
    """A follow-up file (``{"patient_id", "events": [...]}``) validated and sorted by date."""
    if not isinstance(data, Mapping) or not isinstance(data.get("events"), list):
        raise InputError(
            "events",
            None if not isinstance(data, Mapping) else data.get("events"),
            "a list of events",
        )
    unknown = set(data) - {"patient_id", "events"}
    if unknown:
        raise InputError(sorted(unknown)[0], None, "no such field (patient_id, events)")
    events = [
        parse_event(e, where=f"events[{i}]", plausibility=plausibility)
        for i, e in enumerate(data["events"])
    ]
    limit = today or date.today()
    for i, e in enumerate(events):
        if e.date > limit:
            raise InputError(f"events[{i}].date", e.date.isoformat(), f"a date not after {limit}")
    order = sorted(range(len(events)), key=lambda i: (events[i].date, i))
    return Timeline(patient_id=data.get("patient_id"), events=tuple(events[i] for i in order))

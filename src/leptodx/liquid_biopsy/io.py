"""Reading ctDNA variant tables (CSV/TSV): one row per detected alteration per sample.

Columns (names can be remapped with ``mapping={our_name: their_name}``):

=============  ====================================================================
patient_id     any text
sample_type    ``CSF`` or ``plasma`` (case-insensitive)
sample_date    ISO date ``YYYY-MM-DD``
gene           gene symbol (case-insensitive; aliases such as HER2 → ERBB2)
variant        protein HGVS or exon-level text (see :mod:`leptodx.liquid_biopsy.variants`)
vaf            variant allele fraction in [0, 1]; empty = not reported
=============  ====================================================================

A row with an **empty variant** records a sample that was tested and in which no alteration was
found: the sample exists (it counts in the detection-rate denominator) but has no alterations. Its
``gene`` is ignored and its ``vaf`` must be empty. Rows with the same patient, sample type and
date belong to one sample. Row numbers in error messages count the header as row 1, as a
spreadsheet does.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from leptodx.errors import InputError
from leptodx.liquid_biopsy.variants import Alteration, parse_alteration

COLUMNS: tuple[str, ...] = ("patient_id", "sample_type", "sample_date", "gene", "variant", "vaf")


class SampleType(StrEnum):
    """Body fluid the cell-free DNA was taken from."""

    CSF = "CSF"
    PLASMA = "plasma"


@dataclass(frozen=True, slots=True)
class Call:
    """One detected alteration in one sample."""

    alteration: Alteration
    vaf: float | None
    as_written: str
    row: int


@dataclass(frozen=True, slots=True)
class Sample:
    """One tested sample (patient, fluid, date) and the alterations detected in it."""

    patient_id: str
    sample_type: SampleType
    sample_date: date
    calls: tuple[Call, ...]
    rows: tuple[int, ...]

    @property
    def detected(self) -> bool:
        """At least one alteration was detected."""
        return bool(self.calls)


def _resolve_columns(header: Iterable[str], mapping: Mapping[str, str]) -> dict[str, str]:
    unknown = sorted(set(mapping) - set(COLUMNS))
    if unknown:
        raise InputError("--map", unknown[0], f"one of our column names: {', '.join(COLUMNS)}")
    present = {name.strip().lower(): name for name in header}
    resolved: dict[str, str] = {}
    for ours in COLUMNS:
        theirs = mapping.get(ours, ours)
        actual = present.get(theirs.strip().lower())
        if actual is None:
            shown = ", ".join(present.values()) or "(none)"
            hint = "" if ours in mapping else f"; map another name with --map {ours}=THEIRS"
            raise InputError(
                f"column {ours}", theirs, f"a column of the file (it has: {shown}){hint}"
            )
        resolved[ours] = actual
    return resolved


def _sample_type(text: str, row: int) -> SampleType:
    value = text.strip().lower()
    for st in SampleType:
        if value == st.value.lower():
            return st
    raise InputError(f"sample_type (row {row})", text, "CSF or plasma (case-insensitive)")


def _date(text: str, row: int) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"sample_date (row {row})", text, "an ISO date YYYY-MM-DD") from None


def _vaf(text: str, row: int) -> float | None:
    value = text.strip()
    if not value:
        return None
    field = f"vaf (row {row})"
    try:
        vaf = float(value)
    except ValueError:
        raise InputError(
            field, text, "a variant allele fraction in [0, 1] (e.g. 0.12, not 12 % or 12%)"
        ) from None
    if not math.isfinite(vaf) or not 0.0 <= vaf <= 1.0:
        hint = "; looks like a percentage: divide by 100" if 1.0 < vaf <= 100.0 else ""
        raise InputError(field, text, f"a variant allele fraction in the range [0, 1]{hint}")
    return vaf


def parse_rows(
    rows: Iterable[Mapping[str, str | None]],
    header: Iterable[str],
    mapping: Mapping[str, str] | None = None,
    *,
    first_row: int = 2,
) -> tuple[Sample, ...]:
    """Samples from parsed rows (``first_row`` = spreadsheet row number of the first data row)."""
    cols = _resolve_columns(header, mapping or {})
    order: list[tuple[str, SampleType, date]] = []
    calls: dict[tuple[str, SampleType, date], list[Call]] = {}
    seen_rows: dict[tuple[str, SampleType, date], list[int]] = {}
    for row_no, raw in enumerate(rows, start=first_row):
        record = {ours: (raw.get(theirs) or "").strip() for ours, theirs in cols.items()}
        if not any(record.values()):
            continue
        if not record["patient_id"]:
            raise InputError(f"patient_id (row {row_no})", "", "a non-empty patient identifier")
        key = (
            record["patient_id"],
            _sample_type(record["sample_type"], row_no),
            _date(record["sample_date"], row_no),
        )
        if key not in calls:
            order.append(key)
            calls[key] = []
            seen_rows[key] = []
        seen_rows[key].append(row_no)
        vaf = _vaf(record["vaf"], row_no)
        if not record["variant"]:
            if vaf is not None:
                raise InputError(
                    f"vaf (row {row_no})",
                    record["vaf"],
                    "empty: a row without a variant records a sample with no alteration found",
                )
            continue
        if not record["gene"]:
            raise InputError(f"gene (row {row_no})", "", "a gene symbol for the variant")
        alteration = parse_alteration(record["gene"], record["variant"], row=row_no)
        for earlier in calls[key]:
            if earlier.alteration.key == alteration.key:
                raise InputError(
                    f"variant (row {row_no})",
                    record["variant"],
                    f"each alteration once per sample; {alteration.label} is already listed "
                    f"in row {earlier.row} for the same patient, sample type and date",
                )
        calls[key].append(Call(alteration, vaf, record["variant"], row_no))
    if not order:
        raise InputError("DATA", "no data rows", "at least one row")
    return tuple(
        Sample(pid, st, day, tuple(calls[(pid, st, day)]), tuple(seen_rows[(pid, st, day)]))
        for pid, st, day in order
    )


def read_variants(path: Path, mapping: Mapping[str, str] | None = None) -> tuple[Sample, ...]:
    """Samples from a CSV (``,``) or TSV (``.tsv``/``.tab``/``.txt``: tab) variant table."""
    path = Path(path)
    if not path.is_file():
        raise InputError("FILE", str(path), "an existing CSV or TSV file")
    delimiter = "\t" if path.suffix.lower() in {".tsv", ".tab", ".txt"} else ","
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle, delimiter=delimiter)
            header = list(reader.fieldnames or [])
            if not header:
                raise InputError("FILE", str(path), "a header row with the column names")
            return parse_rows(reader, header, mapping)
    except UnicodeDecodeError:
        raise InputError("FILE", str(path), "a UTF-8 text file (CSV or TSV)") from None
    except csv.Error as exc:
        raise InputError("FILE", str(path), f"a readable CSV/TSV file ({exc})") from None

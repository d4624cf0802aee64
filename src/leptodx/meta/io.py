"""Reading a review's studies table (CSV or TSV, one row per study and index test).

Columns (names case-insensitive): ``study``, ``tp``, ``fp``, ``fn``, ``tn``; optionally the index
test (``test``, or the column named by ``test_column``) and any study-level covariates. A
``synthetic`` column whose values are all true labels the table as synthetic data. Row numbers in
messages count the header as row 1, as a spreadsheet does.
"""

from __future__ import annotations

import csv
from pathlib import Path

from leptodx.errors import InputError
from leptodx.meta.studies import COUNT_COLUMNS, SINGLE_TEST, Study, StudyTable, parse_count

TRUE_TEXT = frozenset({"true", "yes", "1", "y"})


def _columns(header: list[str], test_column: str | None) -> tuple[dict[str, str], str | None]:
    present = {name.strip().lower(): name for name in header}
    resolved: dict[str, str] = {}
    for ours in ("study", *COUNT_COLUMNS):
        actual = present.get(ours)
        if actual is None:
            shown = ", ".join(header) or "(none)"
            raise InputError(
                f"column {ours}", "missing", f"a column named {ours} (the file has: {shown})"
            )
        resolved[ours] = actual
    wanted = (test_column or "test").strip().lower()
    test = present.get(wanted)
    if test is None and test_column is not None:
        shown = ", ".join(header)
        raise InputError("--test-column", test_column, f"a column of the file (it has: {shown})")
    return resolved, test


def read_studies(path: Path, *, test_column: str | None = None) -> StudyTable:
    """Studies from a CSV (``,``) or TSV (``.tsv``/``.tab``/``.txt``: tab) file.

    ``test_column`` names the index-test column; by default a column ``test`` is used when
    present, otherwise every row belongs to one test called "index test".
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("STUDIES", str(path), "an existing CSV or TSV file")
    delimiter = "\t" if path.suffix.lower() in {".tsv", ".tab", ".txt"} else ","
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle, delimiter=delimiter)
            header = [h for h in (reader.fieldnames or []) if h is not None]
            if not header:
                raise InputError("STUDIES", str(path), "a header row with the column names")
            columns, test = _columns(header, test_column)
            used = {*columns.values(), test}
            synthetic_column = next((h for h in header if h.strip().lower() == "synthetic"), None)
            studies: list[Study] = []
            flags: list[bool] = []
            for row_no, raw in enumerate(reader, start=2):
                record = {h: (raw.get(h) or "").strip() for h in header}
                if not any(record.values()):
                    continue
                name = record[columns["study"]]
                if not name:
                    raise InputError(f"row {row_no}, column study", "", "a non-empty study name")
                counts = [
                    parse_count(record[columns[c]], study=name, row=row_no, column=c)
                    for c in COUNT_COLUMNS
                ]
                test_name = SINGLE_TEST if test is None else record[test]
                if not test_name:
                    raise InputError(
                        f"study {name!r} (row {row_no}), column {test}", "", "the index test's name"
                    )
                covariates = {
                    h.strip(): record[h] for h in header if h not in used and h != synthetic_column
                }
                if synthetic_column is not None:
                    flags.append(record[synthetic_column].lower() in TRUE_TEXT)
                tp, fp, fn, tn = counts
                studies.append(
                    Study(name, tp, fp, fn, tn, test=test_name, covariates=covariates, row=row_no)
                )
    except UnicodeDecodeError:
        raise InputError("STUDIES", str(path), "a UTF-8 text file (CSV or TSV)") from None
    except csv.Error as exc:
        raise InputError("STUDIES", str(path), f"a readable CSV/TSV file ({exc})") from None
    return StudyTable(tuple(studies), synthetic=bool(flags) and all(flags), source=path.name)

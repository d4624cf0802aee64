"""Reading and validating a review's studies table: every error names the study, row and column."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from leptodx.errors import InputError
from leptodx.meta import ContinuityCorrection, CorrectionControl, Study, StudyTable
from leptodx.meta.io import read_studies
from leptodx.meta.studies import SINGLE_TEST


def write(tmp_path: Path, text: str, name: str = "studies.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "study,test,tp,fp,fn,tn\n"


@pytest.mark.parametrize(
    ("cell", "match"),
    [
        (
            "-1",
            r"study 'B' \(row 3\), column fn: got '-1'; expected a whole number ≥ 0 \(counts cannot be negative\)",
        ),
        (
            "2.5",
            r"study 'B' \(row 3\), column fn: got '2.5'; expected a whole number ≥ 0 \(a count of patients, not a rate\)",
        ),
        ("abc", r"study 'B' \(row 3\), column fn: got 'abc'"),
        ("", r"study 'B' \(row 3\), column fn: got ''"),
        ("nan", r"column fn: got 'nan'"),
    ],
)
def test_bad_count_names_study_row_and_column(tmp_path: Path, cell: str, match: str) -> None:
    path = write(tmp_path, HEADER + "A,CTC,5,1,1,9\n" + f"B,CTC,5,1,{cell},9\n")
    with pytest.raises(InputError, match=match):
        read_studies(path)


def test_whole_number_written_as_decimal_is_accepted(tmp_path: Path) -> None:
    table = read_studies(write(tmp_path, HEADER + "A,CTC,5.0,1,1,9\n"))
    assert table.studies[0].tp == 5


def test_study_without_diseased_patients_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "A,CTC,0,1,0,9\n")
    with pytest.raises(InputError, match=r"study 'A' \(row 2\), columns tp and fn.*no sensitivity"):
        read_studies(path)


def test_study_without_non_diseased_patients_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "A,CTC,3,0,1,0\n")
    with pytest.raises(InputError, match=r"study 'A' \(row 2\), columns fp and tn.*no specificity"):
        read_studies(path)


def test_missing_count_column_lists_the_file_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "study,tp,fp,tn\nA,1,2,3\n")
    with pytest.raises(
        InputError, match=r"column fn: got 'missing'.*the file has: study, tp, fp, tn"
    ):
        read_studies(path)


def test_column_names_are_case_insensitive_and_extra_columns_are_covariates(tmp_path: Path) -> None:
    path = write(tmp_path, "Study,TP,FP,FN,TN,Year,source\nA,5,1,1,9,2020,x\n")
    study = read_studies(path).studies[0]
    assert (study.tp, study.fp, study.fn, study.tn) == (5, 1, 1, 9)
    assert study.test == SINGLE_TEST
    assert study.covariates == {"Year": "2020", "source": "x"}


def test_named_test_column(tmp_path: Path) -> None:
    path = write(tmp_path, "study,index,tp,fp,fn,tn\nA,MRI,5,1,1,9\n")
    assert read_studies(path, test_column="index").tests == ("MRI",)
    with pytest.raises(InputError, match=r"--test-column: got 'assay'"):
        read_studies(path, test_column="assay")


def test_empty_test_name_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "A,,5,1,1,9\n")
    with pytest.raises(InputError, match=r"study 'A' \(row 2\), column test"):
        read_studies(path)


def test_same_study_twice_for_one_test_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "A,CTC,5,1,1,9\nA,MRI,4,1,2,9\nA,CTC,5,1,1,8\n")
    with pytest.raises(InputError, match=r"study 'A' \(row 4\), column study.*row 2 already has"):
        read_studies(path)


def test_blank_rows_are_skipped_and_tsv_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "study\ttp\tfp\tfn\ttn\nA\t5\t1\t1\t9\n\t\t\t\t\n", "s.tsv")
    assert len(read_studies(path).studies) == 1


def test_synthetic_column_labels_the_table(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER.strip() + ",synthetic\nA,CTC,5,1,1,9,true\nB,CTC,4,1,1,9,yes\n")
    table = read_studies(path)
    assert table.synthetic
    assert "synthetic" not in table.studies[0].covariates


def test_missing_file_and_non_utf8(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="an existing CSV or TSV file"):
        read_studies(tmp_path / "none.csv")
    bad = tmp_path / "latin1.csv"
    bad.write_bytes(HEADER.encode() + "Müller,CTC,5,1,1,9\n".encode("latin-1"))
    with pytest.raises(InputError, match="UTF-8"):
        read_studies(bad)


def test_study_counts_must_be_integers_in_python() -> None:
    with pytest.raises(InputError, match=r"study 'A', column tp: got 1.5"):
        Study("A", 1.5, 1, 1, 1)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="at least one study"):
        StudyTable(())


COUNTS = np.array([[5.0, 0.0, 1.0, 9.0], [4.0, 2.0, 2.0, 8.0]])


def test_correction_all_adds_to_every_study_when_any_cell_is_zero() -> None:
    corrected, applied = ContinuityCorrection().apply(COUNTS)
    assert applied.tolist() == [True, True]
    assert corrected.tolist() == (COUNTS + 0.5).tolist()


def test_correction_single_adds_only_to_studies_with_a_zero() -> None:
    corrected, applied = ContinuityCorrection(0.5, CorrectionControl.SINGLE).apply(COUNTS)
    assert applied.tolist() == [True, False]
    assert corrected[1].tolist() == COUNTS[1].tolist()


def test_correction_none_with_a_zero_cell_names_study_and_column() -> None:
    with pytest.raises(InputError, match=r"study 'S1', column fp: got 0.*--method glmm"):
        ContinuityCorrection(0.5, CorrectionControl.NONE).apply(COUNTS, ("S1", "S2"))


def test_no_zero_cell_no_correction() -> None:
    corrected, applied = ContinuityCorrection().apply(COUNTS[1:])
    assert not applied.any()
    assert corrected.tolist() == COUNTS[1:].tolist()


@pytest.mark.parametrize("value", [0.0, -0.5, 2.0, float("nan")])
def test_correction_value_out_of_range(value: float) -> None:
    with pytest.raises(InputError, match="--correction"):
        ContinuityCorrection(value)


def test_numpy_integer_counts_are_accepted_as_int() -> None:
    study = Study("A", np.int64(5), 1, 1, 9)  # type: ignore[arg-type]
    assert type(study.tp) is int and study.tp == 5

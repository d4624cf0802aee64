"""Reading variant tables: columns, mapping, empty-variant rows and bad input."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from leptodx.errors import InputError
from leptodx.liquid_biopsy.io import SampleType, read_variants

HEADER = "patient_id,sample_type,sample_date,gene,variant,vaf\n"
EXAMPLE = Path(__file__).parents[2] / "examples" / "ctdna" / "variants.csv"


def write(tmp_path: Path, body: str, header: str = HEADER, name: str = "v.csv") -> Path:
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def test_rows_group_into_samples_and_empty_variant_is_a_tested_sample(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "P1,CSF,2026-01-02,EGFR,L858R,0.3\n"
        "P1,csf,2026-01-02,TP53,R273H,\n"
        "P1,PLASMA,2026-01-03,,,\n",
    )
    csf, plasma = read_variants(path)
    assert (csf.patient_id, csf.sample_type, csf.sample_date) == (
        "P1",
        SampleType.CSF,
        date(2026, 1, 2),
    )
    assert [c.alteration.key for c in csf.calls] == [("EGFR", "p.L858R"), ("TP53", "p.R273H")]
    assert [c.vaf for c in csf.calls] == [0.3, None]
    assert plasma.sample_type is SampleType.PLASMA and not plasma.detected
    assert plasma.rows == (4,)


def test_tsv_and_column_mapping(tmp_path: Path) -> None:
    header = "Patient\tFluid\tDate\tGene\tProtein\tAF\tExtra\n"
    path = write(
        tmp_path, "P9\tplasma\t2026-02-01\tHER2\tamp\t0.05\tx\n", header=header, name="v.tsv"
    )
    mapping = {
        "patient_id": "Patient",
        "sample_type": "Fluid",
        "sample_date": "Date",
        "gene": "Gene",
        "variant": "Protein",
        "vaf": "AF",
    }
    (sample,) = read_variants(path, mapping)
    assert sample.calls[0].alteration.key == ("ERBB2", "amplification")
    assert sample.calls[0].vaf == 0.05


def test_example_file_reads() -> None:
    samples = read_variants(EXAMPLE)
    assert {s.patient_id for s in samples} >= {"P01", "P06"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "P1,serum,2026-01-02,EGFR,L858R,0.3\n",
            r"sample_type \(row 2\): got 'serum'; expected CSF or plasma",
        ),
        (
            "P1,CSF,2026-01-02,EGFR,L858R,12\n",
            r"vaf \(row 2\): got '12'; expected .*\[0, 1\].*percentage",
        ),
        ("P1,CSF,2026-01-02,EGFR,L858R,-0.1\n", r"vaf \(row 2\): got '-0.1'; expected .*\[0, 1\]"),
        ("P1,CSF,2026-01-02,EGFR,L858R,12%\n", r"vaf \(row 2\): got '12%'"),
        ("P1,CSF,2026-01-02,EGFR,L858R,1.5\n", r"vaf \(row 2\): got '1.5'"),
        (
            "P1,CSF,02/01/2026,EGFR,L858R,0.1\n",
            r"sample_date \(row 2\): got '02/01/2026'; expected an ISO date",
        ),
        (
            "P1,CSF,2026-01-02,EGFR,L858R,0.1\nP1,CSF,2026-01-02,EGFR,zzz,0.1\n",
            r"variant \(row 3\): got 'zzz'",
        ),
        ("P1,CSF,2026-01-02,,L858R,0.1\n", r"gene \(row 2\)"),
        ("P1,CSF,2026-01-02,,,0.1\n", r"vaf \(row 2\).*no alteration found"),
        (
            "P1,CSF,2026-01-02,EGFR,L858R,0.1\nP1,CSF,2026-01-02,EGFR,p.Leu858Arg,0.2\n",
            r"already listed in row 2",
        ),
        ("", r"at least one row"),
    ],
)
def test_bad_rows_are_named(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_variants(write(tmp_path, body))


def test_missing_column_is_named(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "P1,CSF,2026-01-02,EGFR,L858R\n",
        header="patient_id,sample_type,sample_date,gene,variant\n",
    )
    with pytest.raises(InputError, match=r"column vaf: got 'vaf'; expected a column of the file"):
        read_variants(path)


def test_mapping_to_a_missing_column_and_unknown_key(tmp_path: Path) -> None:
    path = write(tmp_path, "P1,CSF,2026-01-02,EGFR,L858R,0.1\n")
    with pytest.raises(InputError, match=r"column vaf: got 'AF'"):
        read_variants(path, {"vaf": "AF"})
    with pytest.raises(InputError, match=r"--map: got 'allele'"):
        read_variants(path, {"allele": "vaf"})


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="FILE"):
        read_variants(tmp_path / "nope.csv")

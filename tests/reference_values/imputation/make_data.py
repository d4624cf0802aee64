"""Generate the imputed datasets checked by imputation.R (run from this folder; seeds fixed).

A synthetic cohort (``leptodx synth``, seed 7, 300 rows) with values of three Gao model A
predictors removed at random with probabilities that depend on the outcome (MAR), then
``leptodx develop --impute mice --imputations 5 --save-imputations .`` writes
``imputation-1.csv`` … ``imputation-5.csv`` and ``imputations.json`` into this folder.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from leptodx.cohort.io import write_table
from leptodx.cohort.synthetic import synthetic_cohort

here = Path(__file__).resolve().parent
frame = synthetic_cohort(300, seed=7)
rng = np.random.default_rng(20261126)
lm = frame["lm"].to_numpy()
for column, rate in (
    ("skull_metastasis", 0.15),
    ("n_symptoms", 0.2),
    ("progressed_extracranial_disease", 0.1),
):
    frame.loc[rng.random(len(frame)) < rate * (0.5 + lm), column] = np.nan
with tempfile.TemporaryDirectory() as tmp:
    cohort = Path(tmp) / "cohort.csv"
    write_table(frame, cohort)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "leptodx",
            "develop",
            str(cohort),
            "--spec",
            "gao-a",
            "--out",
            str(Path(tmp) / "out"),
            "--impute",
            "mice",
            "--imputations",
            "5",
            "--bootstrap",
            "2",
            "--seed",
            "7",
            "--no-pdf",
            "--quiet",
            "--save-imputations",
            str(here),
        ],
        check=True,
    )

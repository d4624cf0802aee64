"""Small synthetic cohorts shared by the research workflow tests."""

import pytest

from leptodx.cohort.io import write_table
from leptodx.cohort.synthetic import synthetic_cohort


@pytest.fixture(scope="session")
def development_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("dev") / "development.parquet"
    write_table(synthetic_cohort(400, seed=11), path)
    return path


@pytest.fixture(scope="session")
def validation_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("val") / "validation.csv"
    write_table(synthetic_cohort(300, seed=12), path)
    return path

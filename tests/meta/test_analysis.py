"""``analyse``: the JSON contract, sparse reviews, undefined quantities and non-convergence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leptodx.errors import InputError
from leptodx.jsonsafe import json_safe
from leptodx.meta import MetaOptions, Method, Study, StudyTable, analyse
from leptodx.meta import fitting as fitting_module
from leptodx.meta._covariance import Estimates
from leptodx.meta.io import read_studies

REFERENCE = Path(__file__).parents[1] / "reference_values" / "meta"
CONTRACT = {
    "test", "k", "sensitivity", "specificity", "tau2_sensitivity", "tau2_fpr", "rho", "dor",
    "lr_positive", "lr_negative", "auc_sroc", "converged",
}  # fmt: skip
INTERVAL = {"estimate", "ci_lower", "ci_upper"}


def table(*rows: tuple[str, str, int, int, int, int], **covariates: list[str]) -> StudyTable:
    return StudyTable(
        tuple(
            Study(
                name,
                tp,
                fp,
                fn,
                tn,
                test=test,
                covariates={k: v[i] for k, v in covariates.items()},
                row=i + 2,
            )
            for i, (name, test, tp, fp, fn, tn) in enumerate(rows)
        )
    )


FOUR = (
    ("A", "CTC", 20, 3, 4, 40),
    ("B", "CTC", 15, 6, 5, 30),
    ("C", "CTC", 30, 2, 2, 50),
    ("D", "CTC", 12, 8, 9, 25),
)


def test_json_has_the_contract_fields_with_intervals() -> None:
    out = analyse(table(*FOUR)).as_dict()
    test = out["tests"][0]
    assert set(test) >= CONTRACT
    for key in ("sensitivity", "specificity", "dor", "lr_positive", "lr_negative"):
        assert set(test[key]) == INTERVAL
        assert test[key]["ci_lower"] < test[key]["estimate"] < test[key]["ci_upper"]
    assert test["converged"] is True
    assert test["k"] == 4
    json.dumps(json_safe(out), allow_nan=False)  # strict JSON


def test_fewer_than_three_studies_offers_the_univariate_model() -> None:
    two = table(*FOUR[:2])
    with pytest.raises(
        InputError,
        match=r"test 'CTC' \(column test\): got '2 studies \(A, B\)'.*--method univariate",
    ):
        analyse(two)
    out = analyse(two, MetaOptions(method=Method.UNIVARIATE)).as_dict()["tests"][0]
    assert out["converged"] is True
    assert set(out["sensitivity"]) == INTERVAL
    assert out["dor"] is None and out["rho"] is None and out["auc_sroc"] is None
    assert out["univariate"]["sensitivity"]["i2_percent"] >= 0
    with pytest.raises(InputError, match="at least 2 studies to pool"):
        analyse(table(FOUR[0]), MetaOptions(method=Method.UNIVARIATE))


def test_only_selects_tests_and_rejects_unknown_ones() -> None:
    rows = (*FOUR, ("E", "MRI", 5, 1, 5, 20))
    out = analyse(table(*rows), MetaOptions(tests=("CTC",))).as_dict()
    assert [t["test"] for t in out["tests"]] == ["CTC"]
    with pytest.raises(InputError, match=r"--only: got 'PET'"):
        analyse(table(*rows), MetaOptions(tests=("PET",)))


def test_unknown_or_incomplete_covariate_is_an_error() -> None:
    with pytest.raises(InputError, match=r"--covariate: got 'year'.*\(none\)"):
        analyse(table(*FOUR), MetaOptions(covariate="year"))
    with pytest.raises(InputError, match=r"study 'C' \(row 4\), column year: got ''"):
        analyse(table(*FOUR, year=["2001", "2002", "", "2004"]), MetaOptions(covariate="year"))


def test_covariate_regression_needs_enough_studies_and_variation() -> None:
    out = analyse(table(*FOUR[:3], year=["2001", "2002", "2003"]), MetaOptions(covariate="year"))
    assert out.by_covariate == ()
    assert any("on year needs at least 4 studies (3 available)" in w for w in out.warnings)
    out = analyse(table(*FOUR, site=["x", "x", "x", "x"]), MetaOptions(covariate="site"))
    assert any("site has one value in every study" in w for w in out.warnings)


def test_zero_between_study_variance_leaves_rho_and_auc_undefined() -> None:
    out = analyse(read_studies(Path("examples/meta/csf-ctc-published.csv"))).as_dict()
    test = out["tests"][0]
    assert test["converged"] is True
    assert test["rho"] is None and test["auc_sroc"] is None and test["hsroc"] is None
    assert test["tau2_sensitivity"] == pytest.approx(0.0, abs=1e-12)
    assert any("estimated as 0" in w for w in test["warnings"])
    assert any("zero cells in" in w and "(fp, fn)" in w for w in test["warnings"])


def test_non_converged_fit_reports_no_estimate(monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(*args: object, **kwargs: object) -> Estimates:
        return Estimates.failed(2, "iteration limit reached", 500)

    monkeypatch.setattr(fitting_module, "fit_reitsma", failing)
    out = analyse(table(*FOUR)).as_dict()
    test = out["tests"][0]
    assert test["converged"] is False
    for key in (
        "sensitivity",
        "specificity",
        "tau2_sensitivity",
        "tau2_fpr",
        "rho",
        "dor",
        "lr_positive",
        "lr_negative",
        "auc_sroc",
        "logit",
        "log_likelihood",
    ):
        assert test[key] is None, key
    assert "iteration limit reached" in test["message"]
    assert any("did not converge" in w for w in out["warnings"])
    assert test["univariate"] is not None  # a different model, shown for orientation


def test_studies_with_several_tests_are_flagged() -> None:
    rows = (*FOUR, ("A", "MRI", 5, 1, 5, 20), ("B", "MRI", 6, 2, 4, 22), ("X", "MRI", 7, 1, 3, 30))
    out = analyse(table(*rows))
    assert any("studies reporting several index tests (A, B)" in w for w in out.warnings)
    assert out.by_test is not None and out.by_test.fit.converged


def test_univariate_method_does_not_compare_tests() -> None:
    rows = (*FOUR, ("E", "MRI", 5, 1, 5, 20), ("F", "MRI", 6, 2, 4, 22))
    out = analyse(table(*rows), MetaOptions(method=Method.UNIVARIATE))
    assert out.by_test is None
    assert any("bivariate meta-regression only" in w for w in out.warnings)


def test_reference_test_option() -> None:
    rows = (*FOUR, ("E", "MRI", 5, 1, 5, 20), ("F", "MRI", 6, 2, 4, 22), ("G", "MRI", 7, 1, 3, 30))
    reg = analyse(table(*rows), MetaOptions(reference_test="MRI")).as_dict()["comparison_by_test"]
    assert reg["reference"] == "MRI"
    assert [c["term"] for c in reg["contrasts"]] == ["CTC"]
    with pytest.raises(InputError, match=r"--reference-test: got 'PET'"):
        analyse(table(*rows), MetaOptions(reference_test="PET"))


def test_adaptive_quadrature_option_changes_the_sparse_glmm_fit() -> None:
    sparse = read_studies(REFERENCE / "sparse.csv")
    laplace = analyse(sparse, MetaOptions(method=Method.GLMM)).as_dict()
    aghq = analyse(sparse, MetaOptions(method=Method.GLMM, n_quadrature=7)).as_dict()
    assert aghq["n_quadrature"] == 7 and aghq["tests"][0]["converged"]
    a, b = (
        laplace["tests"][0]["logit"]["sensitivity"]["estimate"],
        aghq["tests"][0]["logit"]["sensitivity"]["estimate"],
    )
    assert abs(a - b) > 1e-4
    assert aghq["tests"][0]["continuity_correction"]["applied"] is False


@pytest.mark.parametrize(
    ("option", "value"), [("level", 1.0), ("level", 0.2), ("n_quadrature", 0), ("n_quadrature", 40)]
)
def test_options_out_of_range(option: str, value: float) -> None:
    with pytest.raises(InputError):
        MetaOptions(**{option: value})  # type: ignore[arg-type]

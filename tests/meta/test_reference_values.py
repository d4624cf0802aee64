"""Agreement with R: metafor::rma.mv (bivariate REML) to 1e-6, lme4::glmer (Laplace) to 1e-4.

Expected values: tests/reference_values/meta/meta_reference.json, written by meta.R (R 4.2.2,
metafor 3.8-1, lme4 1.1-31; versions recorded in the JSON). Inputs: the simulated reviews of
make_data.py and examples/meta/csf-ctc-published.csv. R's NA/NaN appear as null or "NaN".
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from leptodx.meta import MetaOptions, Method, analyse
from leptodx.meta.io import read_studies

HERE = Path(__file__).parents[1] / "reference_values" / "meta"
R = json.loads((HERE / "meta_reference.json").read_text())
REVIEWS = sorted(R["reviews"])
REML_TOL = 1e-6
GLMM_TOL = 1e-4


@cache
def result(
    path: str, method: Method = Method.REITSMA, covariate: str | None = None
) -> dict[str, Any]:
    table = read_studies(HERE / path)
    return analyse(table, MetaOptions(method=method, covariate=covariate)).as_dict()


def identifiable(tau2_sens: float, tau2_fpr: float) -> bool:
    return min(tau2_sens, tau2_fpr) > 1e-6


def check_reitsma(ours: dict[str, Any], ref: dict[str, Any]) -> None:
    assert ours["converged"]
    assert ours["k"] == ref["k"]
    assert ours["continuity_correction"]["applied"] == ref["continuity_correction_applied"]
    logit = ours["logit"]
    assert logit["sensitivity"]["estimate"] == pytest.approx(ref["logit_sensitivity"], abs=REML_TOL)
    assert logit["fpr"]["estimate"] == pytest.approx(ref["logit_fpr"], abs=REML_TOL)
    assert np.allclose(logit["covariance"], ref["vcov"], atol=REML_TOL, rtol=0)
    assert ours["tau2_sensitivity"] == pytest.approx(ref["tau2_sensitivity"], abs=REML_TOL)
    assert ours["tau2_fpr"] == pytest.approx(ref["tau2_fpr"], abs=REML_TOL)
    if identifiable(ref["tau2_sensitivity"], ref["tau2_fpr"]):
        assert ours["rho"] == pytest.approx(ref["rho"], abs=REML_TOL)
    else:
        assert ours["rho"] is None  # R prints an arbitrary value when a variance is 0
    assert ours["log_likelihood"] == pytest.approx(ref["loglik_reml"], abs=REML_TOL)


def check_summary(ours: dict[str, Any], ref: dict[str, Any]) -> None:
    for ours_key, ref_key in (
        ("sensitivity", "sensitivity"),
        ("specificity", "specificity"),
        ("dor", "dor"),
        ("lr_positive", "lr_positive"),
        ("lr_negative", "lr_negative"),
    ):
        got = ours[ours_key]
        want = ref[ref_key]
        assert got["estimate"] == pytest.approx(want["estimate"], rel=REML_TOL)
        assert got["ci_lower"] == pytest.approx(want["lower"], rel=REML_TOL)
        assert got["ci_upper"] == pytest.approx(want["upper"], rel=REML_TOL)
    if identifiable(ref["tau2_sensitivity"], ref["tau2_fpr"]):
        assert ours["auc_sroc"] == pytest.approx(ref["auc_sroc"], abs=REML_TOL)
        for key, value in ref["hsroc"].items():
            assert ours["hsroc"][key] == pytest.approx(value, rel=REML_TOL, abs=REML_TOL), key
    else:
        assert ours["auc_sroc"] is None
        assert ours["hsroc"] is None


def check_univariate(ours: dict[str, Any], ref: dict[str, Any]) -> None:
    for name in ("sensitivity", "specificity"):
        got, want = ours["univariate"][name], ref[name]
        assert got["logit"] == pytest.approx(want["estimate"], abs=REML_TOL)
        assert got["logit_se"] == pytest.approx(want["se"], abs=REML_TOL)
        assert got["tau2"] == pytest.approx(want["tau2"], abs=REML_TOL)
        assert got["i2_percent"] == pytest.approx(want["i2_percent"], abs=1e-4)
        assert got["q"] == pytest.approx(want["q"], rel=REML_TOL)
        assert got["q_p"] == pytest.approx(want["q_p"], rel=REML_TOL)
        assert got["q_df"] == want["q_df"]
        assert math.log(got["estimate"] / (1 - got["estimate"])) == pytest.approx(want["estimate"])
        assert math.log(got["ci_lower"] / (1 - got["ci_lower"])) == pytest.approx(want["ci_lower"])


def check_glmm(ours: dict[str, Any], ref: dict[str, Any]) -> None:
    assert ours["converged"]
    logit = ours["logit"]
    assert logit["sensitivity"]["estimate"] == pytest.approx(ref["coef"][0], abs=GLMM_TOL)
    assert logit["fpr"]["estimate"] == pytest.approx(ref["coef"][1], abs=GLMM_TOL)
    assert ours["tau2_sensitivity"] == pytest.approx(ref["tau2_sensitivity"], abs=GLMM_TOL)
    assert ours["tau2_fpr"] == pytest.approx(ref["tau2_fpr"], abs=GLMM_TOL)
    if identifiable(ref["tau2_sensitivity"], ref["tau2_fpr"]):
        assert ours["rho"] == pytest.approx(ref["rho"], abs=GLMM_TOL)
    # glmer's standard errors come from a finite-difference Hessian as ours do.
    assert logit["sensitivity"]["se"] == pytest.approx(ref["se"][0], rel=1e-3)
    assert logit["fpr"]["se"] == pytest.approx(ref["se"][1], rel=1e-3)
    assert ours["log_likelihood"] == pytest.approx(ref["loglik"], abs=GLMM_TOL)


@pytest.mark.parametrize("review", REVIEWS)
def test_reitsma_matches_metafor_rma_mv(review: str) -> None:
    ref = R["reviews"][review]
    ours = result(ref["file"])["tests"][0]
    check_reitsma(ours, ref["bivariate"])
    check_summary(ours, ref["bivariate"])


@pytest.mark.parametrize("review", REVIEWS)
def test_reitsma_matches_metafor_default_optimiser_to_1e4(review: str) -> None:
    """nlminb's default tolerances stop ~1e-5 short of the maximum (meta.R header)."""
    ref = R["reviews"][review]["bivariate"]["rma_mv_default"]
    ours = result(R["reviews"][review]["file"])["tests"][0]
    assert [ours["logit"]["sensitivity"]["estimate"], ours["logit"]["fpr"]["estimate"]] == (
        pytest.approx(ref["coef"], abs=1e-4)
    )
    assert [ours["tau2_sensitivity"], ours["tau2_fpr"]] == pytest.approx(ref["tau2"], abs=1e-4)


@pytest.mark.parametrize("review", REVIEWS)
def test_univariate_matches_metafor_rma(review: str) -> None:
    ref = R["reviews"][review]
    check_univariate(result(ref["file"])["tests"][0], ref["univariate"])


@pytest.mark.parametrize("review", REVIEWS)
def test_glmm_matches_lme4_glmer_laplace(review: str) -> None:
    ref = R["reviews"][review]
    check_glmm(result(ref["file"], Method.GLMM)["tests"][0], ref["glmm"])


@pytest.mark.parametrize("test", R["multitest"]["tests"])
def test_each_test_of_a_multitest_review(test: str) -> None:
    ref = R["multitest"]["per_test"][test]
    ours = next(t for t in result("multitest.csv")["tests"] if t["test"] == test)
    check_reitsma(ours, ref["bivariate"])
    check_summary(ours, ref["bivariate"])
    check_univariate(ours, ref["univariate"])
    glmm = next(t for t in result("multitest.csv", Method.GLMM)["tests"] if t["test"] == test)
    check_glmm(glmm, ref["glmm"])


def check_contrasts(reg: dict[str, Any], ref: dict[str, Any], tol: float, terms: list[str]) -> None:
    """Our contrast j ↔ R's coefficients 'sens:<term>' and 'fpr:<term>' (spec = −fpr)."""
    names = ref["names"]
    assert reg["converged"]
    for contrast, term in zip(reg["contrasts"], terms, strict=True):
        i_s, i_f = names.index(f"sens:{term}"), names.index(f"fpr:{term}")
        sens = contrast["difference_logit_sensitivity"]
        spec = contrast["difference_logit_specificity"]
        assert sens["estimate"] == pytest.approx(ref["coef"][i_s], abs=tol)
        assert spec["estimate"] == pytest.approx(-ref["coef"][i_f], abs=tol)
        assert sens["se"] == pytest.approx(ref["se"][i_s], abs=tol)
        assert spec["se"] == pytest.approx(ref["se"][i_f], abs=tol)
        if "p" in ref:
            assert sens["p_value"] == pytest.approx(ref["p"][i_s], abs=tol)
            assert sens["ci_lower"] == pytest.approx(ref["ci_lower"][i_s], abs=tol)
            assert spec["ci_upper"] == pytest.approx(-ref["ci_lower"][i_f], abs=tol)
    assert reg["tau2_sensitivity"] == pytest.approx(ref["tau2_sensitivity"], abs=tol)
    assert reg["tau2_fpr"] == pytest.approx(ref["tau2_fpr"], abs=tol)
    if identifiable(ref["tau2_sensitivity"], ref["tau2_fpr"]):
        assert reg["rho"] == pytest.approx(ref["rho"], abs=tol)


def test_comparison_of_tests_matches_metafor() -> None:
    ref = R["multitest"]["by_test"]
    reg = result("multitest.csv")["comparison_by_test"]
    assert reg["reference"] == ref["reference"] == "CSF ctDNA"
    others = [t for t in R["multitest"]["tests"] if t != ref["reference"]]
    check_contrasts(reg, ref, REML_TOL, others)
    for contrast in reg["contrasts"]:
        wald = ref["wald"][contrast["term"]]
        assert contrast["wald"]["chi2"] == pytest.approx(wald["qm"], rel=REML_TOL)
        assert contrast["wald"]["p_value"] == pytest.approx(wald["p"], rel=1e-5)
    assert reg["wald_overall"]["chi2"] == pytest.approx(ref["wald_overall"]["qm"], rel=REML_TOL)
    assert reg["wald_overall"]["df"] == ref["wald_overall"]["df"] == 4


def test_comparison_of_tests_matches_glmer() -> None:
    ref = R["multitest"]["by_test_glmm"]
    reg = result("multitest.csv", Method.GLMM)["comparison_by_test"]
    names = ref["names"]
    renamed = {
        **ref,
        "names": [n.replace("s_", "sens:", 1).replace("f_", "fpr:", 1) for n in names],
    }
    renamed["names"] = ["sens", "fpr", *renamed["names"][2:]]
    others = [t for t in R["multitest"]["tests"] if t != ref["reference"]]
    check_contrasts(reg, renamed, GLMM_TOL, others)


@pytest.mark.parametrize("test", R["multitest"]["tests"])
@pytest.mark.parametrize("covariate", ["year", "design"])
def test_covariate_regression_matches_metafor(test: str, covariate: str) -> None:
    ref = R["multitest"]["by_covariate"][test][covariate]
    regs = result("multitest.csv", covariate=covariate)["comparison_by_covariate"]["by_test"]
    reg = next(r for r in regs if r["test"] == test)
    if covariate == "year":
        check_contrasts(reg, ref, REML_TOL, ["year"])
        assert reg["centre"] is not None  # centred internally; the slope equals R's uncentred one
    else:
        level = [n.split(":", 1)[1] for n in ref["names"] if n.startswith("sens:")]
        assert reg["reference"] == ref["reference"]
        check_contrasts(reg, ref, REML_TOL, level)


def test_glmm_without_finite_maximum_reports_non_convergence() -> None:
    """Every study has fn = 0: glmer returns logit sensitivity 27.6 (a runaway estimate) without
    an error; LeptoDx reports converged: false and no estimate."""
    ref = R["perfect_sensitivity"]["glmm"]
    assert ref["coef"][0] > 15  # what R printed
    out = result("perfect_sensitivity.csv", Method.GLMM)
    test = out["tests"][0]
    assert test["converged"] is False
    for key in ("sensitivity", "specificity", "dor", "lr_positive", "lr_negative", "auc_sroc"):
        assert test[key] is None
    assert test["tau2_sensitivity"] is None and test["rho"] is None
    assert any("did not converge" in w and "no finite maximum" in w for w in out["warnings"])
    # The continuity-corrected Reitsma model has a finite maximum and matches metafor.
    check_reitsma(
        result("perfect_sensitivity.csv")["tests"][0], R["perfect_sensitivity"]["bivariate"]
    )

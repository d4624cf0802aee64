"""``analyse``: pool each index test, compare tests, regress on a study covariate."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from leptodx import __version__
from leptodx.errors import InputError
from leptodx.meta import design as designs
from leptodx.meta._covariance import correlation
from leptodx.meta.fitting import METHOD_TEXT, Method, ModelFit, corrected_logits, fit_model
from leptodx.meta.regression import Regression, meta_regression, minimum_studies
from leptodx.meta.results import StudyRow, TestResult
from leptodx.meta.studies import COUNT_COLUMNS, ContinuityCorrection, StudyTable
from leptodx.meta.summary import VARIANCE_FLOOR, hsroc, summary_point
from leptodx.meta.univariate import fit_univariate

REFERENCES = (
    "Reitsma JB, et al. Bivariate analysis of sensitivity and specificity produces informative "
    "summary measures in diagnostic reviews. J Clin Epidemiol 2005;58:982–990.",
    "Chu H, Cole SR. Bivariate meta-analysis of sensitivity and specificity with sparse data: a "
    "generalized linear mixed model approach. J Clin Epidemiol 2006;59:1331–1332.",
    "Harbord RM, et al. A unification of models for meta-analysis of diagnostic accuracy "
    "studies. Biostatistics 2007;8:239–251.",
    "Higgins JPT, Thompson SG. Quantifying heterogeneity in a meta-analysis. Stat Med "
    "2002;21:1539–1558.",
    "Wilson EB. Probable inference, the law of succession, and statistical inference. JASA "
    "1927;22:209–212.",
)
NOTICE = (
    "Pooled accuracy describes the studies supplied; it is evidence for a review, not a "
    "decision rule for a patient."
)
BOUNDARY_RHO = 0.999


@dataclass(frozen=True, slots=True)
class MetaOptions:
    """Options of :func:`analyse` (validated on construction)."""

    method: Method = Method.REITSMA
    correction: ContinuityCorrection = field(default_factory=ContinuityCorrection)
    level: float = 0.95
    covariate: str | None = None
    reference_test: str | None = None
    n_quadrature: int = 1
    tests: tuple[str, ...] | None = None
    """Analyse only these index tests (default: all)."""

    def __post_init__(self) -> None:
        if not (math.isfinite(self.level) and 0.5 <= self.level < 1.0):
            raise InputError("--level", self.level, "a confidence level in [0.5, 1), e.g. 0.95")
        if not 1 <= self.n_quadrature <= 25:
            raise InputError(
                "--nagq",
                self.n_quadrature,
                "1 (Laplace, as glmer) to 25 quadrature nodes per dimension",
            )


@dataclass(frozen=True, slots=True)
class MetaAnalysis:
    """Everything ``leptodx meta dta`` reports."""

    options: MetaOptions
    tests: tuple[TestResult, ...]
    by_test: Regression | None
    by_covariate: tuple[Regression, ...] | None
    warnings: tuple[str, ...]
    synthetic: bool
    source: str | None

    def as_dict(self) -> dict[str, Any]:
        o = self.options
        return {
            "method": o.method.value,
            "method_description": METHOD_TEXT[o.method],
            "n_quadrature": o.n_quadrature if o.method is Method.GLMM else None,
            "level": o.level,
            "file": self.source,
            "synthetic": self.synthetic,
            "continuity_correction": {
                "value": o.correction.value,
                "control": o.correction.control.value,
                "description": o.correction.describe(),
                "used_by": "logit-based models (reitsma, univariate); never by glmm",
            },
            "tests": [t.as_dict() for t in self.tests],
            "comparison_by_test": None if self.by_test is None else self.by_test.as_dict(),
            "comparison_by_covariate": None
            if self.by_covariate is None
            else {"covariate": o.covariate, "by_test": [r.as_dict() for r in self.by_covariate]},
            "warnings": list(self.warnings),
            "references": list(REFERENCES),
            "software": f"LeptoDx {__version__}",
            "notice": NOTICE,
        }


def _require_studies(table: StudyTable, test: str, method: Method) -> None:
    k = len(table.studies)
    need = 2 if method is Method.UNIVARIATE else 3
    if k >= need:
        return
    names = ", ".join(table.names)
    if method is Method.UNIVARIATE:
        expected = "at least 2 studies to pool (one study is its own estimate)"
    else:
        expected = (
            "at least 3 studies for the bivariate model; use --method univariate to pool "
            "sensitivity and specificity separately (k ≥ 2), or --only to leave this test out"
        )
    raise InputError(
        f"test {test!r} (column test)", f"{k} stud{'y' if k == 1 else 'ies'} ({names})", expected
    )


def correction_warning(test: str, table: StudyTable, correction: ContinuityCorrection) -> str:
    """Which studies have zero cells and what was added."""
    zero = [
        f"{s.name} ({', '.join(c for c in COUNT_COLUMNS if getattr(s, c) == 0)})"
        for s in table.studies
        if 0 in (s.tp, s.fp, s.fn, s.tn)
    ]
    return f"{test}: zero cells in {'; '.join(zero)}: {correction.describe()}"


def _fit_warnings(test: str, fit: ModelFit, table: StudyTable, options: MetaOptions) -> list[str]:
    if not fit.converged:
        return [
            f"{test}: the {fit.method.value} model did not converge ({fit.message}); no pooled "
            "estimate is reported (the univariate pooling is shown for orientation)"
        ]
    out: list[str] = []
    if fit.correction_applied:
        out.append(correction_warning(test, table, options.correction))
    for name, value in zip(("logit sensitivity", "logit FPR"), np.diag(fit.sigma), strict=True):
        if value < VARIANCE_FLOOR:
            out.append(
                f"{test}: between-study variance of {name} estimated as 0; the correlation and "
                "the HSROC curve (and its AUC) are not identifiable"
            )
    rho = correlation(fit.sigma)
    if math.isfinite(rho) and abs(rho) > BOUNDARY_RHO:
        sign = "+1" if rho > 0 else "−1"
        out.append(
            f"{test}: between-study correlation estimated at the boundary (ρ = {sign}); common "
            "with few studies — the HSROC curve and prediction region are fragile"
        )
    if len(table.studies) < 5:
        out.append(
            f"{test}: only {len(table.studies)} studies — the between-study variances are very "
            "imprecise"
        )
    return out


def _pool_test(table: StudyTable, test: str, options: MetaOptions) -> TestResult:
    rows = tuple(StudyRow.of(s, options.level) for s in table.studies)
    y, within, corrected = corrected_logits(table, options.correction)
    univariate = (
        fit_univariate(y[:, 0], within[:, 0], level=options.level),
        fit_univariate(-y[:, 1], within[:, 1], level=options.level),
    )
    if options.method is Method.UNIVARIATE:
        notes = (correction_warning(test, table, options.correction),) if corrected else ()
        return TestResult(test, rows, None, None, None, None, univariate, corrected, notes)
    fit = fit_model(
        table,
        designs.intercepts(len(table.studies)),
        options.method,
        options.correction,
        n_quadrature=options.n_quadrature,
    )
    warnings = tuple(_fit_warnings(test, fit, table, options))
    if not fit.converged:
        return TestResult(test, rows, fit, None, None, None, univariate, corrected, warnings)
    point = summary_point(fit.coef[:2], fit.vcov[:2, :2], options.level)
    curve = hsroc(fit.coef[:2], fit.sigma)
    auc = curve.auc() if curve is not None else None
    return TestResult(test, rows, fit, point, curve, auc, univariate, corrected, warnings)


def _paired_warning(table: StudyTable) -> list[str]:
    tests_of: dict[str, list[str]] = {}
    for s in table.studies:
        tests_of.setdefault(s.name, []).append(s.test)
    shared = sorted(name for name, tests in tests_of.items() if len(tests) > 1)
    if not shared:
        return []
    return [
        f"studies reporting several index tests ({', '.join(shared)}) enter the comparison of "
        "tests as independent rows; the pairing of tests within a study is not modelled"
    ]


def _compare_tests(table: StudyTable, options: MetaOptions) -> tuple[Regression | None, list[str]]:
    if len(table.tests) < 2:
        return None, []
    if options.method is Method.UNIVARIATE:
        return None, [
            "tests are compared by bivariate meta-regression only (not with --method univariate)"
        ]
    design = designs.by_test(table, options.reference_test)
    return (
        meta_regression(
            table,
            design,
            variable="test",
            subset=None,
            method=options.method,
            correction=options.correction,
            level=options.level,
            n_quadrature=options.n_quadrature,
        ),
        [],
    )


def _covariate_regressions(
    table: StudyTable, options: MetaOptions
) -> tuple[tuple[Regression, ...], list[str]]:
    name = options.covariate
    assert name is not None
    if options.method is Method.UNIVARIATE:
        return (), [f"meta-regression on {name} needs a bivariate method (not --method univariate)"]
    out: list[Regression] = []
    warnings: list[str] = []
    for test in table.tests:
        subset = table.for_test(test)
        design = designs.by_covariate(subset, name)
        if design.n_terms < 2:
            warnings.append(f"{test}: {name} has one value in every study; no meta-regression")
            continue
        need = minimum_studies(design)
        if len(subset.studies) < need:
            warnings.append(
                f"{test}: meta-regression on {name} needs at least {need} studies "
                f"({len(subset.studies)} available); not fitted"
            )
            continue
        out.append(
            meta_regression(
                subset,
                design,
                variable=name,
                subset=test,
                method=options.method,
                correction=options.correction,
                level=options.level,
                n_quadrature=options.n_quadrature,
            )
        )
    return tuple(out), warnings


def analyse(table: StudyTable, options: MetaOptions | None = None) -> MetaAnalysis:
    """Pool every index test of ``table``; compare tests; regress on ``options.covariate``.

    Raises :class:`InputError` for a test with too few studies for the method, an unknown
    ``--only`` test or covariate, or a covariate value missing for a study.
    """
    options = options or MetaOptions()
    if options.tests is not None:
        unknown = [t for t in options.tests if t not in table.tests]
        if unknown:
            raise InputError(
                "--only", unknown[0], f"one of the tests in the file: {', '.join(table.tests)}"
            )
        table = StudyTable(
            tuple(s for s in table.studies if s.test in options.tests),
            table.synthetic,
            table.source,
        )
    if options.covariate is not None and options.covariate not in table.covariate_names:
        shown = ", ".join(table.covariate_names) or "(none)"
        raise InputError(
            "--covariate", options.covariate, f"a column of the file (other columns: {shown})"
        )
    for test in table.tests:
        _require_studies(table.for_test(test), test, options.method)
    if options.covariate is not None:
        for test in table.tests:
            designs.covariate_values(table.for_test(test), options.covariate)
    results = tuple(_pool_test(table.for_test(t), t, options) for t in table.tests)
    warnings = [w for r in results for w in r.warnings] + _paired_warning(table)
    by_test, more = _compare_tests(table, options)
    warnings += more
    if by_test is not None:
        warnings += list(by_test.warnings)
    by_covariate = None
    if options.covariate is not None:
        by_covariate, more = _covariate_regressions(table, options)
        warnings += more + [w for r in by_covariate for w in r.warnings]
    return MetaAnalysis(
        options, results, by_test, by_covariate, tuple(warnings), table.synthetic, table.source
    )

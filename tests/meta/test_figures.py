"""Meta-analysis figures: what is drawn, not how it looks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from leptodx.meta import MetaOptions, Method, analyse
from leptodx.meta.figures import ForestRow, plot_paired_forest, plot_sroc, sroc_layer
from leptodx.meta.io import read_studies
from leptodx.reports.plotting import pyplot

HERE = Path(__file__).parents[1] / "reference_values" / "meta"


@pytest.fixture(autouse=True)
def close_figures():
    yield
    pyplot().close("all")


def test_paired_forest_has_one_row_per_study_and_a_pooled_diamond() -> None:
    result = analyse(read_studies(HERE / "k3.csv")).tests[0]
    rows = [
        ForestRow(
            r.study.name,
            r.sensitivity,
            r.specificity,
            f"{r.study.tp}/{r.study.n_diseased}",
            f"{r.study.tn}/{r.study.n_non_diseased}",
        )
        for r in result.studies
    ]
    left, right = plot_paired_forest(rows, result.pooled)
    labels = [t.get_text() for t in left.get_yticklabels()]
    assert labels == ["K01", "K02", "K03", "Pooled (bivariate)"]
    assert len(left.patches) == len(right.patches) == 1  # the diamonds
    assert left.get_xlim() == right.get_xlim() == pytest.approx((-0.02, 1.02))
    assert [t.get_text() for t in right.texts] == [r.specificity_counts for r in rows]


def test_sroc_points_are_sized_by_n_and_regions_surround_the_summary_point() -> None:
    result = analyse(read_studies(HERE / "heterogeneous.csv")).tests[0]
    layer = sroc_layer(result, 0.95)
    ax = plot_sroc([layer])
    sizes = ax.collections[0].get_sizes()
    n = np.array([r.study.n for r in result.studies])
    assert np.argmax(sizes) == np.argmax(n) and np.argmin(sizes) == np.argmin(n)
    assert (
        layer.summary is not None and layer.confidence is not None and layer.prediction is not None
    )
    fpr, sens = layer.summary
    for x, y in (layer.confidence, layer.prediction):
        assert x.min() < fpr < x.max() and y.min() < sens < y.max()
    # the prediction region contains the confidence region's extent
    assert layer.prediction[0].max() > layer.confidence[0].max()
    assert layer.curve is not None  # HSROC curve over the observed FPR range
    assert layer.curve[0].min() == pytest.approx(layer.fpr.min())


def test_overlay_draws_each_test_and_a_legend_entry_per_test() -> None:
    analysis = analyse(read_studies(HERE / "multitest.csv"), MetaOptions(method=Method.REITSMA))
    ax = plot_sroc([sroc_layer(r, 0.95) for r in analysis.tests], show_prediction=False)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:3] == ["CSF ctDNA", "cytology", "MRI"]
    assert "95 % prediction region" not in legend
    assert len(ax.collections) == 3


def test_layer_without_a_converged_fit_has_only_the_studies() -> None:
    result = analyse(
        read_studies(HERE / "perfect_sensitivity.csv"), MetaOptions(method=Method.GLMM)
    ).tests[0]
    layer = sroc_layer(result, 0.95)
    assert layer.summary is None and layer.confidence is None and layer.curve is None

"""Report figures (axes in, axes out) and the HTML/PDF document."""

import numpy as np
import pytest

from leptodx.reports import figures as fg
from leptodx.reports.document import (
    ReportDocument,
    ReportFigure,
    ReportTable,
    Section,
    TripodItem,
    render_html,
    write_report,
)
from leptodx.reports.nomogram import NomogramTerm, nomogram_points, plot_nomogram
from leptodx.reports.plotting import pyplot, save_figure


def test_roc_draws_on_given_axes_and_labels_auc_with_ci() -> None:
    fig = pyplot().figure()
    ax = fig.add_subplot()
    out = fg.plot_roc([fg.RocLine("model", [0, 0.2, 1], [0, 0.7, 1], 0.75, (0.7, 0.8))], ax=ax)
    assert out is ax
    assert "AUC 0.750 (95% CI 0.700–0.800)" in ax.get_legend().get_texts()[0].get_text()
    pyplot().close(fig)


def test_each_figure_function_returns_axes_of_a_new_figure_when_ax_is_none() -> None:
    t = np.linspace(0.05, 0.5, 10)
    made = [
        fg.plot_calibration(np.linspace(0, 1, 30), t, t, band=(t - 0.1, t + 0.1)),
        fg.plot_decision_curve(t, {"m": t * 0, "all": 0.3 - 0.7 * t / (1 - t), "none": t * 0}),
        fg.plot_forest(["a", "b"], [1.5, 0.7], [1.1, 0.5], [2.0, 0.9]),
        fg.plot_prevalence([fg.ProportionBar("protein", "LM", 0.8, (0.7, 0.9))]),
        plot_nomogram([NomogramTerm("x", 0, 4, 0.5), NomogramTerm("y", 0, 1, 0.0, True)], -1.0),
    ]
    assert len({id(ax.figure) for ax in made}) == len(made)  # one new figure each
    for ax in made:
        assert ax.has_data() or ax.texts, "figure has nothing drawn"
        pyplot().close(ax.figure)


def test_nomogram_gives_100_points_to_the_widest_contribution_range() -> None:
    # rms::nomogram convention: max |beta| * range -> 100 points
    scale, refs = nomogram_points([NomogramTerm("a", 0, 1, 2.0), NomogramTerm("b", 0, 10, -0.5)])
    assert scale == pytest.approx(100 / 5.0)
    assert refs == [0, 10]


def test_saved_figure_has_png_and_svg(tmp_path) -> None:
    ax = fg.plot_forest(["a"], [1.5], [1.1], [2.0])
    data = save_figure(ax.figure, tmp_path / "forest")
    assert (tmp_path / "forest.png").read_bytes()[:4] == b"\x89PNG"
    assert b"<svg" in (tmp_path / "forest.svg").read_bytes()[:500]
    assert data["png"][:4] == b"\x89PNG"


def _doc(png: bytes) -> ReportDocument:
    return ReportDocument(
        title="T",
        subtitle="S",
        methods="We fitted <b>things</b>.",
        sections=(
            Section(
                "Results",
                ("p",),
                (ReportTable("Tab", ("a", "b"), (("x", "1.0"),)),),
                (ReportFigure("roc", "ROC", "caption", png),),
            ),
        ),
        tripod=(TripodItem("16", "Model performance", "Results"),),
        synthetic=True,
    )


def test_html_is_self_contained_with_banner_methods_tripod_and_escaped_text(tmp_path) -> None:
    ax = fg.plot_forest(["a"], [1.5], [1.1], [2.0])
    png = save_figure(ax.figure, tmp_path / "f")["png"]
    html = render_html(_doc(png))
    assert "SYNTHETIC DATA" in html and 'id="methods"' in html and 'id="tripod"' in html
    assert "data:image/png;base64," in html and "&lt;b&gt;" in html
    assert 'src="http' not in html


def test_write_report_produces_html_and_pdf(tmp_path) -> None:
    ax = fg.plot_forest(["a"], [1.5], [1.1], [2.0])
    png = save_figure(ax.figure, tmp_path / "f")["png"]
    paths = write_report(_doc(png), tmp_path / "out")
    assert paths["pdf"].read_bytes()[:5] == b"%PDF-"
    assert paths["html"].stat().st_size > 1000

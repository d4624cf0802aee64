"""Kaplan–Meier figure read back from the Axes and from its SVG text: R ``pretty`` time ticks,
numbers at risk (R ``summary.survfit`` and an independent count), log-rank p (R ``survdiff``),
CI band (R ``survfit`` bounds), medians."""

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leptodx.reports.kaplan_meier import (
    KmLine,
    format_p,
    km_figure,
    km_lines,
    plot_kaplan_meier,
    time_ticks,
)
from leptodx.reports.plotting import pyplot
from leptodx.stats import kaplan_meier, logrank_test

REFERENCE = Path(__file__).parents[1] / "reference_values"
LUNG = pd.read_csv(REFERENCE / "survival" / "lung.csv")
PRETTY = json.loads((REFERENCE / "pretty" / "pretty_reference.json").read_text())["lung_sex"]
SURVIVAL = json.loads((REFERENCE / "survival" / "survival_reference.json").read_text())["lung"]


@pytest.fixture(scope="module")
def lung_svg() -> ET.Element:
    curves = kaplan_meier(LUNG.time, LUNG.event, LUNG.sex_label)
    p = logrank_test(LUNG.time, LUNG.event, LUNG.sex_label).p_value
    return ET.fromstring(km_figure(curves, logrank_p=p, time_label="Days", fmt="svg"))


def svg_texts(root: ET.Element) -> list[tuple[float, float, str]]:
    """(x, y, text) of every ``<text>`` (the SVG keeps text as text)."""
    return [
        (float(t.get("x", "nan")), float(t.get("y", "nan")), (t.text or "").strip())
        for t in root.iter("{http://www.w3.org/2000/svg}text")
    ]


def test_time_axis_has_the_ticks_of_r_pretty_within_follow_up() -> None:
    ticks = time_ticks(float(LUNG.time.max()))
    assert ticks.tolist() == PRETTY["ticks"]  # R: at <- pretty(c(0, 1022)); at[at <= 1022]


def test_numbers_at_risk_sit_under_the_ticks_and_equal_r_and_a_direct_count(lung_svg) -> None:
    texts = svg_texts(lung_svg)
    labels = [str(int(t)) for t in PRETTY["ticks"]]
    tick_row = next(y for x, y, s in texts if s == "200")
    tick_x = {s: x for x, y, s in texts if y == tick_row and s in labels}
    assert list(tick_x) == labels  # the axis shows exactly R's ticks, in order
    header_y = next(y for x, y, s in texts if s == "Number at risk")
    names = {y: s for x, y, s in texts if y > header_y and s in ("female", "male")}
    assert sorted(names.values()) == ["female", "male"]
    expected_r = {g["group"]: g["n_risk"] for g in PRETTY["at_risk"]}
    for name_y, name in names.items():
        row = {x: int(s) for x, y, s in texts if abs(y - name_y) < 4 and s.isdigit()}
        printed = [_at(row, tick_x[label]) for label in labels]
        assert printed == expected_r[name]  # R summary(fit, times = at)$n.risk
        group_times = LUNG.time[LUNG.sex_label == name].to_numpy()
        assert printed == [int((group_times >= t).sum()) for t in PRETTY["ticks"]]


def _at(row: dict[float, int], x: float) -> int | None:
    """The count printed within half a point of ``x`` (centred under the tick label)."""
    near = [n for xx, n in row.items() if abs(xx - x) < 0.5]
    return near[0] if len(near) == 1 else None


def test_log_rank_p_on_the_figure_is_r_survdiff_rounded_as_survminer(lung_svg) -> None:
    shown = [s for _, _, s in svg_texts(lung_svg) if s.startswith("Log-rank")]
    assert shown == ["Log-rank p = 0.0013"]
    r_p = SURVIVAL["logrank_sex"]["p"]  # 0.001311…
    assert float(re.search(r"p = ([\d.]+)", shown[0]).group(1)) == float(f"{r_p:.2g}")


def test_three_groups_print_the_three_group_log_rank_p() -> None:
    cc = LUNG.dropna(subset=["ph_ecog"])
    groups = cc.ph_ecog.astype(int).astype(str)
    curves = kaplan_meier(cc.time, cc.event, groups)
    p = logrank_test(cc.time, cc.event, groups).p_value
    ax = plot_kaplan_meier(km_lines(curves, [0, 500]), at_risk_times=[0, 500], logrank_p=p)
    r_p = SURVIVAL["logrank_ecog"]["p"]
    shown = [t.get_text() for t in ax.texts if t.get_text().startswith("Log-rank")]
    assert shown == [f"Log-rank {format_p(r_p)}"] == ["Log-rank p < 0.0001"]
    pyplot().close(ax.figure)


def test_ci_band_follows_the_r_survfit_bounds_only_when_asked() -> None:
    curves = kaplan_meier(LUNG.time, LUNG.event, LUNG.sex_label)
    plain = plot_kaplan_meier(km_lines(curves, [0, 500]), at_risk_times=[0, 500])
    assert plain.collections and not [c for c in plain.collections if _is_band(c)]
    banded = plot_kaplan_meier(km_lines(curves, [0, 500], ci_band=True), at_risk_times=[0, 500])
    bands = [c for c in banded.collections if _is_band(c)]
    assert len(bands) == 2
    for band, ref in zip(bands, SURVIVAL["km_sex"], strict=True):
        y = band.get_paths()[0].vertices[:, 1]
        r_bounds = np.array([v for v in ref["lower"] + ref["upper"] if v is not None])
        finite = y[np.isfinite(y)]
        assert np.all(np.min(np.abs(finite[:, None] - np.append(r_bounds, 1.0)), axis=1) < 1e-12)
        assert np.min(finite) == pytest.approx(min(v for v in ref["lower"] if v is not None))
    for ax in (plain, banded):
        pyplot().close(ax.figure)


def _is_band(collection) -> bool:
    return type(collection).__name__.endswith("PolyCollection")


def test_medians_in_the_legend_and_not_reached_when_undefined() -> None:
    curves = kaplan_meier(LUNG.time, LUNG.event, LUNG.sex_label)
    ax = plot_kaplan_meier(km_lines(curves, [0]), at_risk_times=[0])
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    medians = {g["name"]: g["median"] for g in SURVIVAL["km_sex"]}  # R quantile(fit, 0.5)
    assert legend == [f"female: {medians['female']:g}", f"male: {medians['male']:g}"]
    pyplot().close(ax.figure)
    ax = plot_kaplan_meier([KmLine("ID", [1, 5, 9], [1.0, 0.75, 0.75], None, [1, 9])])
    assert ax.get_legend().get_texts()[0].get_text() == "ID: not reached"
    assert [t for t in ax.get_xticks() if 0 <= t <= 9] == [0, 2, 4, 6, 8]  # pretty(c(0, 9))
    pyplot().close(ax.figure)


@pytest.mark.parametrize(
    ("p", "text"),
    [(0.00131116, "p = 0.0013"), (0.5, "p = 0.5"), (0.04567, "p = 0.046"), (1.0, "p = 1"),
     (0.0001, "p = 0.0001"), (3e-5, "p < 0.0001"), (1e-300, "p < 0.0001")],
)  # fmt: skip
def test_p_values_print_as_survminer_does(p, text) -> None:
    assert format_p(p) == text


def test_cli_plot_has_the_log_rank_p_and_the_band_on_request(tmp_path) -> None:
    from typer.testing import CliRunner

    from leptodx.cli import app

    lung = str(REFERENCE / "survival" / "lung.csv")
    args = ["stats", "survival", lung, "--time", "time", "--event", "event"]
    for name, extra in (("plain.svg", []), ("band.svg", ["--ci-band"])):
        out = CliRunner().invoke(app, [*args, "--group", "sex_label", "--plot", str(tmp_path / name), *extra])  # fmt: skip
        assert out.exit_code == 0, out.output
    plain, band = ((tmp_path / n).read_text() for n in ("plain.svg", "band.svg"))
    assert "Log-rank p = 0.0013" in plain and "Log-rank p = 0.0013" in band
    assert "PolyCollection" not in plain and band.count('id="FillBetweenPolyCollection') == 2

"""Forest plot of odds ratios: round log-scale ticks and the OR with CI printed beside each row."""

import numpy as np
import pytest

from leptodx.reports.figures import format_ratio, plot_forest
from leptodx.reports.plotting import pyplot

NAMES = ["age (per 10 y)", "CSF protein > 1 g/L", "female sex"]
OR, LOW, HIGH = [1.52, 3.1, 0.61], [1.1, 1.4, 0.31], [2.0, 6.5, 1.2]


@pytest.fixture
def forest():
    ax = plot_forest(NAMES, OR, LOW, HIGH)
    ax.figure.canvas.draw()
    yield ax
    pyplot().close(ax.figure)


def visible_ticks(ax) -> tuple[list[float], list[str]]:
    low, high = ax.get_xlim()
    pairs = [
        (t, label.get_text())
        for t, label in zip(ax.get_xticks(), ax.get_xticklabels(), strict=True)
        if low <= t <= high
    ]
    return [t for t, _ in pairs], [label for _, label in pairs]


def test_forest_axis_has_doubling_ticks_labelled_as_plain_numbers(forest) -> None:
    ticks, labels = visible_ticks(forest)
    assert ticks == pytest.approx([0.25, 0.5, 1, 2, 4, 8])
    assert labels == ["0.25", "0.5", "1", "2", "4", "8"]
    assert forest.get_xscale() == "log"
    assert forest.xaxis.get_minorticklocs().size == 0  # no unlabelled clutter between them
    assert "log scale" in forest.get_xlabel() and "95 % CI" in forest.get_xlabel()


def test_forest_prints_each_ratio_with_its_ci_on_the_row_of_its_marker(forest) -> None:
    labels = [t.get_text() for t in forest.get_yticklabels()]
    row_of = dict(zip(forest.get_yticks(), labels, strict=True))
    markers = forest.get_lines()[0]  # the squares of errorbar(): x = OR, y = row
    texts = {round(t.get_position()[1], 6): t.get_text() for t in forest.texts}
    assert sorted(markers.get_xdata()) == sorted(OR)
    printed = {row_of[y]: texts[round(y, 6)] for y in markers.get_ydata()}
    marker_or = {row_of[y]: x for x, y in zip(*markers.get_data(), strict=True)}
    assert marker_or == dict(zip(NAMES, OR, strict=True))
    assert printed == {
        "age (per 10 y)": "1.52 (1.10–2.00)",
        "CSF protein > 1 g/L": "3.10 (1.40–6.50)",
        "female sex": "0.61 (0.31–1.20)",
    }
    assert "Odds ratio (95 % CI)" in {t.get_text() for t in forest.texts}


def test_every_interval_lies_inside_the_axis(forest) -> None:
    low, high = forest.get_xlim()
    assert low <= min(LOW) and high >= max(HIGH) and low < 1 < high


def test_wide_ranges_switch_to_decades_and_the_level_is_labelled() -> None:
    ax = plot_forest(["a", "b"], [0.02, 40.0], [0.004, 9.0], [0.1, 300.0], level=0.9)
    ax.figure.canvas.draw()
    ticks, labels = visible_ticks(ax)
    assert labels == ["0.001", "0.01", "0.1", "1", "10", "100", "1000"]
    assert ticks == pytest.approx([1e-3, 1e-2, 0.1, 1, 10, 100, 1000])
    assert {"0.02 (0.004–0.10)", "40.00 (9.00–300)"} <= {t.get_text() for t in ax.texts}
    assert "90 % CI" in ax.get_xlabel()
    pyplot().close(ax.figure)


@pytest.mark.parametrize(
    ("value", "text"),
    [(1.0, "1.00"), (0.104, "0.10"), (0.0042, "0.0042"), (99.994, "99.99"), (152.4, "152"),
     (float("inf"), "∞"), (float("nan"), "—")],
)  # fmt: skip
def test_ratios_print_without_float_noise(value, text) -> None:
    assert format_ratio(value) == text
    assert np.isfinite(value) or text in "∞—"

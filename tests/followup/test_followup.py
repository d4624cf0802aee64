"""Follow-up: event validation, response history between visits, timeline rendering, CLI."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from leptodx.cli import app
from leptodx.errors import InputError
from leptodx.followup.events import parse_timeline
from leptodx.followup.response import response_history

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "followup" / "her2-breast-lm.yaml"
runner = CliRunner()


def timeline(*events: dict[str, Any]) -> dict[str, Any]:
    return {"patient_id": "p", "events": list(events)}


def visit(day: str, **fields: Any) -> dict[str, Any]:
    return {"date": day, "kind": "response", **fields}


def _error(data: dict[str, Any]) -> InputError:
    with pytest.raises(InputError) as info:
        parse_timeline(data, today=date(2026, 11, 25))
    return info.value


def test_events_are_sorted_by_date() -> None:
    t = parse_timeline(
        timeline(
            {"date": "2024-03-01", "kind": "mri", "pattern": "B"},
            {"date": "2024-01-01", "kind": "mri", "pattern": "A"},
        )
    )
    assert [e.date.isoformat() for e in t.events] == ["2024-01-01", "2024-03-01"]


@pytest.mark.parametrize(
    ("event", "field", "words"),
    [
        ({"date": "2024-01-01", "kind": "chemo"}, "events[0].kind", "one of"),
        (
            {
                "date": "2024-05-01",
                "kind": "treatment",
                "modality": "systemic",
                "end": "2024-01-01",
            },
            "events[0]",
            "dates out of order",
        ),
        (
            {
                "date": "2024-01-01",
                "kind": "ctdna",
                "sample_type": "CSF",
                "alterations": [{"gene": "EGFR", "variant": "L858R", "vaf": 12}],
            },
            "events[0].alterations.0.vaf",
            "less than or equal to 1",
        ),
        (
            {"date": "2024-01-01", "kind": "ctdna", "sample_type": "urine"},
            "events[0].sample_type",
            "CSF",
        ),
        ({"date": "2027-01-01", "kind": "mri", "pattern": "A"}, "events[0].date", "not after"),
        ({"date": "01/02/2024", "kind": "mri", "pattern": "A"}, "events[0].date", "date"),
        (visit("2024-01-01", neuro={"walking": 4}), "events[0]", "0–3"),
        (visit("2024-01-01", neuro={"hearing": 1}), "events[0]", "unknown LANO domain"),
        (
            visit("2024-01-01", mri={"items": {"brain_cysts": "present"}}),
            "events[0].mri",
            "unknown scorecard item",
        ),
        (visit("2024-01-01", mri={"overall": "MR"}), "events[0].mri.overall", "CR"),
    ],
)
def test_bad_events_name_the_event_and_field(event: dict[str, Any], field: str, words: str) -> None:
    err = _error(timeline(event))
    assert err.field == field
    assert words in str(err)


def test_nodule_boundary_follows_the_profile() -> None:
    t = parse_timeline(timeline(visit("2024-01-01", mri={"nodules_mm": [[5, 5], [6, 5.5]]})))
    verified = response_history(t).to_dict()["visits"][0]["nodules"]
    secondary = response_history(t, profile="guideline-2023-summary").to_dict()["visits"][0][
        "nodules"
    ]
    assert [n["measurable"] for n in verified] == [False, True]  # > 5 × 5 mm
    assert [n["measurable"] for n in secondary] == [True, True]  # ≥ 5 × 5 mm
    assert response_history(t).to_dict()["nodule_rule_status"] == "verified"
    assert (
        response_history(t, profile="guideline-2023-summary").to_dict()["nodule_rule_status"]
        == "secondary"
    )


def test_changes_between_visits_and_the_secondary_progression_rule() -> None:
    t = parse_timeline(
        timeline(
            visit(
                "2024-01-01",
                mri={"items": {"hydrocephalus": "absent"}},
                cytology="positive",
                neuro={"walking": 0, "vision": 2},
            ),
            visit(
                "2024-03-01",
                mri={"items": {"hydrocephalus": "present"}, "overall": "PD"},
                cytology="negative",
                neuro={"walking": 1, "vision": 3},
            ),
            visit("2024-05-01", neuro={"walking": 3, "vision": 3}),
        )
    )
    history = response_history(t).to_dict()
    first, second, third = history["visits"]
    assert first["changes"] == [] and first["flags"] == []
    assert "Brain: hydrocephalus: absent → present" in second["changes"]
    assert "CSF cytology positive → negative" in second["changes"]
    assert second["overall_rater"] == "PD"  # as recorded, never computed
    # vision 2 → 3 reaches the worst level; walking 0 → 1 does not
    assert [f.split()[1] for f in second["flags"]] == ["vision"]
    assert [f.split()[1] for f in third["flags"]] == ["walking"]  # 1 → 3: two levels
    assert history["progression_rule_status"] == "secondary"


def test_example_renders_a_timeline_and_report(tmp_path: Path) -> None:
    out = runner.invoke(
        app, ["followup", "report", str(EXAMPLE), "--out", str(tmp_path), "--no-pdf"]
    )
    assert out.exit_code == 0, out.output
    svg = (tmp_path / "timeline.svg").read_text()
    for label in ("intrathecal", "systemic", "lumbar puncture", "CSF protein (mg/L)", "PR (rater)"):
        assert label in svg
    html = (tmp_path / "followup.html").read_text()
    assert "Response history" in html and "does not recommend a targeted drug" in html


def test_timeline_figure_lanes_and_trend_panels() -> None:
    from leptodx.reports.timeline import plot_timeline

    data = yaml.safe_load(EXAMPLE.read_text())
    fig = plot_timeline(parse_timeline(data))
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert titles[1:] == ["CSF leukocytes (/µL)", "CSF protein (mg/L)", "ctDNA (fraction)"]
    lanes = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert {
        "diagnosis",
        "MRI",
        "lumbar puncture",
        "ctDNA",
        "response",
        "systemic",
        "intrathecal",
    } == set(lanes)
    protein = fig.axes[2].lines[0].get_ydata()
    assert list(protein) == pytest.approx(
        [1400.0, 720.0, 450.0]
    )  # 1.4 g/L, 72 mg/dL, 0.45 g/L in mg/L


def test_cli_show_and_bad_file(tmp_path: Path) -> None:
    out = runner.invoke(app, ["followup", "show", str(EXAMPLE)])
    assert out.exit_code == 0
    data = json.loads(out.stdout)
    assert data["response"]["visits"][-1]["flags"]  # walking 0 → 2 at the PD visit
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(timeline({"date": "2024-05-01", "kind": "treatment", "modality": "systemic", "end": "2024-01-01"})))  # fmt: skip
    out = runner.invoke(app, ["followup", "show", str(bad)])
    assert out.exit_code == 2 and "dates out of order" in out.output

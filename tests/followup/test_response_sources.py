"""The response history cites each source once (the nodule rule and the scorecard are one table)."""

from pathlib import Path

import yaml

from leptodx.followup.events import parse_timeline
from leptodx.followup.response import response_history

EXAMPLE = Path(__file__).parents[2] / "examples" / "followup" / "her2-breast-lm.yaml"


def test_each_source_of_the_response_history_is_cited_once() -> None:
    timeline = parse_timeline(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))
    keys = [s["key"] for s in response_history(timeline).to_dict()["sources"]]
    assert keys == [
        "EORTC-RANO-scorecard-2019",
        "LANO-NL",
        "NL-response-module",
        "LeRhun-2022-reliability",
    ]

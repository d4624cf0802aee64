"""The follow-up JSON: events, response history and trends (CLI, API and report share it)."""

from __future__ import annotations

from typing import Any

from leptodx import DECISION_SUPPORT_NOTICE, __version__
from leptodx.followup.events import Timeline
from leptodx.followup.response import response_history
from leptodx.reference import response as ref


def followup_summary(
    timeline: Timeline, *, profile: str = ref.DEFAULT_RESPONSE_PROFILE
) -> dict[str, Any]:
    """Events in date order, the response history and the CSF/ctDNA trend points."""
    from leptodx.reports.timeline import csf_trends

    return {
        "software_version": __version__,
        "notice": DECISION_SUPPORT_NOTICE,
        "patient_id": timeline.patient_id,
        "events": [e.model_dump(mode="json", exclude_none=True) for e in timeline.events],
        "response": response_history(timeline, profile=profile),
        "trends": [
            {"series": p.series, "date": p.when.isoformat(), "value": p.value, "unit": p.unit}
            for p in csf_trends(timeline)
        ],
    }

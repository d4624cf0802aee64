"""The follow-up JSON: events, response history and trends (CLI, API and report share it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from leptodx import DECISION_SUPPORT_NOTICE, __version__
from leptodx.followup.events import Timeline
from leptodx.followup.response import ResponseHistory, response_history
from leptodx.followup.trends import TrendPoint, csf_trends
from leptodx.reference import response as ref


@dataclass(frozen=True)
class FollowupSummary:
    """One patient's follow-up: events in date order, the response history and trend points."""

    timeline: Timeline
    response: ResponseHistory
    trends: tuple[TrendPoint, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON of ``leptodx followup show`` (and the API's follow-up summary)."""
        return {
            "software_version": __version__,
            "notice": DECISION_SUPPORT_NOTICE,
            "patient_id": self.timeline.patient_id,
            "events": [e.model_dump(mode="json", exclude_none=True) for e in self.timeline.events],
            "response": self.response.to_dict(),
            "trends": [p.to_dict() for p in self.trends],
        }


def summarise_followup(
    timeline: Timeline, *, profile: str = ref.DEFAULT_RESPONSE_PROFILE
) -> FollowupSummary:
    """Events in date order, the response history and the CSF/ctDNA trend points."""
    return FollowupSummary(
        timeline, response_history(timeline, profile=profile), tuple(csf_trends(timeline))
    )

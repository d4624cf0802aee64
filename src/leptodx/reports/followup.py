"""Follow-up report: timeline figure, response history and ctDNA results (HTML/PDF)."""

from __future__ import annotations

from pathlib import Path

from leptodx.followup.events import CtDna, Timeline
from leptodx.followup.response import response_history
from leptodx.reference import response as ref
from leptodx.reports.document import (
    ReportDocument,
    ReportFigure,
    ReportTable,
    Section,
    write_report,
)
from leptodx.reports.plotting import save_figure
from leptodx.reports.timeline import plot_timeline


def write_followup_report(
    timeline: Timeline,
    out_dir: Path,
    *,
    profile: str = ref.DEFAULT_RESPONSE_PROFILE,
    pdf: bool = True,
) -> dict[str, Path]:
    """Write ``timeline.png/svg`` and ``followup.html`` (``.pdf``) into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    resp = response_history(timeline, profile=profile)
    images = save_figure(plot_timeline(timeline), out_dir / "timeline")
    rows = tuple(
        (
            v.date,
            ", ".join(f"{k}: {s}" for k, s in v.items.items()) or "—",
            "; ".join(
                f"{n.x_mm:g}×{n.y_mm:g}{'' if n.measurable else ' (not measurable)'}"
                for n in v.nodules
            )
            or "—",
            v.overall_rater or "—",
            v.cytology or "—",
            "; ".join(v.changes + v.flags) or "—",
        )
        for v in resp.visits
    )
    ctdna = tuple(
        (e.date.isoformat(), e.sample_type, f"{e.tumour_fraction:g}" if e.tumour_fraction is not None else "—", "; ".join(f"{a.gene} {a.variant}" + (f" ({a.vaf:.2f})" if a.vaf is not None else "") for a in e.alterations) or "none detected")
        for e in timeline.events
        if isinstance(e, CtDna)
    )  # fmt: skip
    doc = ReportDocument(
        title="LeptoDx follow-up",
        subtitle=f"Patient {timeline.patient_id or '(no id)'}",
        methods=(
            f"Response items of the revised EORTC/RANO LM MRI scorecard, as recorded per visit; {resp.nodule_rule} "
            f"({resp.nodule_rule_status}); neurological progression rule ({resp.progression_rule_status}): "
            f"{resp.progression_rule}."
        ),
        sections=(
            Section(
                "Timeline",
                figures=(
                    ReportFigure(
                        "timeline",
                        "Treatment timeline and trends",
                        "Treatment lines as bars; lumbar punctures coloured by cytology (red positive, green negative); MRI with pattern; ctDNA (diamond CSF, circle plasma).",
                        images["png"],
                    ),
                ),
            ),
            Section(
                "Response history",
                paragraphs=resp.notes,
                tables=(
                    ReportTable(
                        "Visits",
                        (
                            "date",
                            "MRI items",
                            "nodules (mm)",
                            "overall (rater)",
                            "cytology",
                            "changes since previous visit",
                        ),
                        rows,
                    ),
                ),
            ),
            Section(
                "ctDNA results",
                tables=(
                    ReportTable(
                        "Samples",
                        ("date", "sample", "tumour fraction", "alterations (VAF)"),
                        ctdna,
                        "Descriptive only; LeptoDx does not recommend a targeted drug.",
                    ),
                ),
            ),
        ),
        sources=tuple(f"{s.key} ({s.status.value}): {s.citation}" for s in resp.sources),
    )
    return {
        **write_report(doc, out_dir, stem="followup", pdf=pdf),
        "png": out_dir / "timeline.png",
        "svg": out_dir / "timeline.svg",
    }

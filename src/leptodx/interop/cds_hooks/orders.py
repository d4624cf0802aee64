"""``order-select`` / ``order-sign``: what a lumbar puncture or MRI order can change.

For each draft order recognised as a lumbar puncture or an MRI of the neuraxis
(``reference.procedure_codes``), the card states the patient's current EANO–ESMO outcome and, for
every possible result of the ordered test, the outcome the one decision table
(:mod:`leptodx.reference.eano_esmo`) would give with the other findings unchanged. With a locally
validated model it adds the patient's model risk against the site's decision threshold
(:mod:`.site_model`). The card is support only: indicator ``info``, no suggestions, no override
reasons — the order is never blocked (https://cds-hooks.hl7.org/2.0/#card-attributes).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from leptodx import DECISION_SUPPORT_NOTICE
from leptodx.clinical.eano_esmo import classify
from leptodx.domain.patient import PatientInput, parse_patient
from leptodx.interop.cds_hooks.cards import card_source
from leptodx.interop.fhir._resources import concept_text, has_word
from leptodx.presentation import labels as L
from leptodx.presentation.assessment import present
from leptodx.reference import diagnostic_accuracy as acc
from leptodx.reference import procedure_codes as pc
from leptodx.reference.eano_esmo import Cytology, Mri

ORDER_SERVICE_ID = "leptodx-order"
ORDER_HOOKS = ("order-select", "order-sign")
SUMMARY_MAX = 140
_ORDER_LABEL = {"lp": "Lumbar puncture", "mri": "MRI of the neuraxis"}
_RESULTS: dict[str, tuple[tuple[str, Any], ...]] = {
    "lp": tuple(
        ("cytology", c) for c in (Cytology.POSITIVE, Cytology.EQUIVOCAL, Cytology.NEGATIVE)
    ),
    "mri": tuple(("mri", m) for m in (Mri.A, Mri.B, Mri.C, Mri.D_HYDROCEPHALUS, Mri.D_NORMAL)),
}


@dataclass(frozen=True, slots=True)
class OrderedTest:
    """A draft order LeptoDx has something to say about."""

    kind: str
    """``lp`` or ``mri``."""
    resource: str
    text: str


def _kind(order: Mapping[str, Any]) -> str | None:
    concept = order.get("code")
    pairs = {(c.get("system"), c.get("code")) for c in (concept or {}).get("coding") or [] if isinstance(c, Mapping)}  # fmt: skip
    text = concept_text(concept)
    if pairs & {(c.system, c.code) for c in pc.LUMBAR_PUNCTURE} or has_word(text, pc.LUMBAR_PUNCTURE_TEXT):  # fmt: skip
        return "lp"
    if pairs & {(c.system, c.code) for c in pc.MRI_ORDERS}:
        return "mri"
    if has_word(text, pc.MRI_TEXT) and has_word(text, pc.NEURAXIS_TEXT):
        return "mri"
    return None


def ordered_tests(hook: str, context: Mapping[str, Any]) -> list[OrderedTest]:
    """Lumbar punctures and neuraxis MRIs among the orders the hook is about (``selections`` for
    order-select, every draft order for order-sign)."""
    draft = context.get("draftOrders")
    bundle: Mapping[str, Any] = draft if isinstance(draft, Mapping) else {}
    listed = bundle.get("entry")
    entries: list[Any] = listed if isinstance(listed, list) else []
    orders = [e.get("resource") for e in entries if isinstance(e, Mapping)]
    selected = context.get("selections")
    selections: list[Any] = selected if isinstance(selected, list) else []
    out: list[OrderedTest] = []
    for order in orders:
        if not isinstance(order, Mapping) or order.get("resourceType") != "ServiceRequest":
            continue
        ref = f"ServiceRequest/{order.get('id')}"
        if hook == "order-select" and ref not in selections:
            continue
        kind = _kind(order)
        if kind is not None:
            out.append(OrderedTest(kind, ref, concept_text(order.get("code")) or _ORDER_LABEL[kind]))  # fmt: skip
    return out


@dataclass(frozen=True, slots=True)
class Possibility:
    """One possible result of the ordered test and the EANO–ESMO outcome it would give."""

    result: str
    outcome: str
    certainty: str


def _outcome_words(patient: PatientInput) -> tuple[str, str]:
    c = classify(patient)
    if c.level is not None:
        head = L.LEVEL_SHORT[c.level.value] + (f", type {c.type}" if c.type else "")
    else:
        head = L.OUTCOME_SHORT[c.outcome.value].capitalize()
        if c.missing_legs:
            head += f": {', '.join(L.INPUT_FIELDS[leg] for leg in c.missing_legs)} not recorded"
    return head, L.rule_certainty(c.row.rule_status.value, c.row.rule_risk.value if c.row.rule_risk else None)  # fmt: skip


def possibilities(record: Mapping[str, Any], kind: str) -> list[Possibility]:
    """The outcome for each possible result of the test, the other findings as recorded."""
    patient, _ = parse_patient(record)
    out = []
    for field, value in _RESULTS[kind]:
        head, certainty = _outcome_words(replace(patient, **{field: value}))
        codes = L.CYTOLOGY if field == "cytology" else L.MRI
        shown = ("Cytology " if field == "cytology" else "MRI ") + L.label(codes, value.value)
        out.append(Possibility(shown, head, certainty))
    return out


def order_card(
    test: OrderedTest,
    result: Mapping[str, Any],
    record: Mapping[str, Any],
    *,
    model_lines: list[str],
    links: list[dict[str, str]],
) -> dict[str, Any]:
    """One ``info`` card: the current outcome, what the order can change, the model's support."""
    view = present(result)
    options = possibilities(record, test.kind)
    changes = len({p.outcome for p in options}) > 1
    effect = "can change" if changes else "cannot change"
    summary = f"LeptoDx: {_ORDER_LABEL[test.kind]} {effect} the EANO–ESMO outcome (now: {view.headline_short})"  # fmt: skip
    lines = [
        f"**{_ORDER_LABEL[test.kind]} ordered** ({test.text}).",
        "",
        f"Current EANO–ESMO assessment: **{view.headline}** — *{view.certainty}* ({view.certainty_source}).",
        "",
        "**What the result can change** (LeptoDx decision table, other findings as recorded)",
        "",
        "| result | EANO–ESMO outcome | rule |",
        "|---|---|---|",
        *(f"| {p.result} | {p.outcome} | {p.certainty} |" for p in options),
    ]
    if test.kind == "lp":
        low, high = acc.CYTOLOGY_SENSITIVITY_FIRST_LP
        low2, high2 = acc.CYTOLOGY_SENSITIVITY_AFTER_SECOND_LP
        lp_number = (record.get("csf") or {}).get("lp_number")
        done = f" The record shows {lp_number} lumbar puncture{'s' if lp_number != 1 else ''} in this work-up." if lp_number else ""  # fmt: skip
        lines += ["", f"Cytology finds LM in {low:g}–{high:g} % at the first and {low2:g}–{high2:g} % after the second lumbar puncture (source: {acc.NKI_REVIEW.key}, secondary): a negative result does not exclude LM.{done}"]  # fmt: skip
    if model_lines:
        lines += ["", "**Prediction model (support, not a rule)**", "", *model_lines]
    lines += ["", f"*{DECISION_SUPPORT_NOTICE}* The order is not blocked; the clinician decides."]
    card: dict[str, Any] = {
        "uuid": str(uuid.uuid4()),
        "summary": summary
        if len(summary) <= SUMMARY_MAX
        else summary[: SUMMARY_MAX - 1].rstrip() + "…",
        "indicator": "info",
        "detail": "\n".join(lines),
        "source": card_source(),
    }
    if links:
        card["links"] = links
    return card

"""Actionable table: citations, statuses, no drug names, and matching."""

from __future__ import annotations

import re

from leptodx.liquid_biopsy.variants import parse_alteration
from leptodx.reference import actionable as ref
from leptodx.reference.citation import Status


def _match(gene: str, variant: str) -> list[str]:
    alt = parse_alteration(gene, variant)
    return [e.key for e in ref.actionable_matches(alt.gene, alt.change)]


def test_table_is_versioned_and_dated() -> None:
    assert ref.REVIEW_DATE == "2026-11-25"
    assert ref.ACTIONABLE_VERSION


def test_statuses_follow_the_reference_pack() -> None:
    status = {e.key: e.status for e in ref.ACTIONABLE}
    assert status == {
        "EGFR": Status.VERIFIED,
        "ALK": Status.VERIFIED,
        "BRAF V600E": Status.VERIFIED,
        "ERBB2": Status.SECONDARY,
        "ROS1": Status.NOT_AVAILABLE,
        "MET": Status.NOT_AVAILABLE,
        "KRAS G12C": Status.NOT_AVAILABLE,
    }
    for entry in ref.ACTIONABLE:
        assert entry.status is entry.source.status
        if entry.status is Status.VERIFIED:
            assert entry.source.url and "richtlijnendatabase.nl" in entry.source.url
        if entry.status is Status.NOT_AVAILABLE:
            assert entry.evidence == ref.NO_EVIDENCE_TEXT


def test_no_drug_names_and_no_wijaya_numbers() -> None:
    text = " ".join(f"{e.evidence} {e.match_scope} {e.source.citation}" for e in ref.ACTIONABLE)
    assert not re.search(r"\w+(tinib|mab|rafenib)\b", text, re.IGNORECASE)
    assert "Wijaya" not in text


def test_matching_by_gene_and_variant_scope() -> None:
    assert _match("EGFR", "p.Leu858Arg") == ["EGFR"]
    assert _match("egfr", "ex19del") == ["EGFR"]
    assert _match("HER2", "amplification") == ["ERBB2"]
    assert _match("BRAF", "p.(Val600Glu)") == ["BRAF V600E"]
    assert _match("BRAF", "G469A") == []
    assert _match("KRAS", "Gly12Cys") == ["KRAS G12C"]
    assert _match("KRAS", "G12D") == []
    assert _match("ROS1", "CD74-ROS1 fusion") == ["ROS1"]
    assert _match("TP53", "R273H") == []


def test_assay_cutoffs_carry_sources() -> None:
    values = {(c.value, c.unit): c.source.status for c in ref.ASSAY_CUTOFFS}
    assert values == {
        (1.0, "CTC/mL"): Status.VERIFIED,
        (0.9, "CTC/mL"): Status.SECONDARY,
        (0.10, "fraction"): Status.VERIFIED,
    }
    assert all(c.source.url for c in ref.ASSAY_CUTOFFS)
    assert any("supportive evidence only" in t for t in ref.LB5_RULE_TEXTS)
    assert any("CLIA" in t for t in ref.LB5_RULE_TEXTS)

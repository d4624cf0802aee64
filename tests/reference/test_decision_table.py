"""The one decision table is a partition of the categorical input space (``eano-esmo.md §EE-4``).

A columnar engine (issue 17) evaluates the same table through :func:`decision_lookup`; these
tests check the table itself, independently of the per-record classifier.
"""

from __future__ import annotations

from leptodx.reference.eano_esmo import (
    DECISION_TABLE,
    Level,
    Outcome,
    RuleRisk,
    RuleStatus,
    all_keys,
    decision_lookup,
)


def test_every_combination_of_categorical_inputs_matches_exactly_one_row() -> None:
    keys = list(all_keys())
    assert len(keys) == 2 * 5 * 4 * 4 * 7 * 2  # scope, cytology, biopsy, signs, MRI, known cancer
    for key in keys:
        assert sum(row.matches(key) for row in DECISION_TABLE) == 1, key


def test_the_precomputed_lookup_agrees_with_matching_row_by_row() -> None:
    lookup = decision_lookup()
    assert set(lookup) == set(all_keys())
    for key, row in lookup.items():
        assert row.matches(key)


def test_every_row_is_reachable_and_carries_status_citation_and_wording() -> None:
    reached = {row.id for row in decision_lookup().values()}
    assert reached == {row.id for row in DECISION_TABLE}
    for row in DECISION_TABLE:
        assert row.rule_status in set(RuleStatus)
        assert row.rule_risk is None or row.rule_risk in set(RuleRisk)
        assert row.pack.startswith("eano-esmo.md §EE-")
        assert row.wording and row.sources
        assert (row.level is not None) == (row.outcome is Outcome.CLASSIFIED)
        # the pack grades risk only for unverified (reconstructed) rows
        assert row.rule_risk is None or row.rule_status is RuleStatus.UNVERIFIED


def test_rows_9_and_10_live_in_the_table() -> None:
    rows = {row.id: row for row in DECISION_TABLE}
    assert rows["EE-4 row 9"].outcome is Outcome.NOT_CLASSIFIABLE
    assert rows["EE-4 row 9"].rule_status is RuleStatus.UNVERIFIED
    assert rows["EE-4 row 10"].outcome is Outcome.INCOMPLETE
    assert rows["EE-4 row 10"].rule_status is RuleStatus.IMPLEMENTATION_CHOICE
    assert rows["EE-1"].outcome is Outcome.OUT_OF_SCOPE


def test_lack_of_evidence_never_carries_a_type() -> None:
    """§EE-4 rows 6–8: type II is only probable/possible."""
    for row in DECISION_TABLE:
        if row.level is Level.LACK_OF_EVIDENCE:
            assert row.type_prefix is None

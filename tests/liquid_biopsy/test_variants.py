"""Variant normalisation: one canonical key for the same alteration in any notation."""

from __future__ import annotations

import pytest

from leptodx.errors import InputError
from leptodx.liquid_biopsy.variants import normalise_gene, parse_alteration


@pytest.mark.parametrize(
    ("gene", "variants", "canonical"),
    [
        (
            "EGFR",
            [
                "L858R",
                "p.L858R",
                "Leu858Arg",
                "p.Leu858Arg",
                "p.(Leu858Arg)",
                "l858r",
                "EGFR L858R",
                "EGFR:p.L858R",
                " p.L858R ",
            ],
            "p.L858R",
        ),
        ("KRAS", ["G12C", "p.Gly12Cys", "p.(G12C)"], "p.G12C"),
        ("TP53", ["R213*", "p.Arg213Ter", "R213X", "p.(Arg213*)"], "p.R213*"),
        ("TP53", ["p.Arg97ProfsTer23", "R97Pfs*23", "R97fs", "p.R97Pfs"], "p.R97fs"),
        ("EGFR", ["E746_A750del", "p.Glu746_Ala750del"], "p.E746_A750del"),
        ("EGFR", ["D770_N771insSVD", "p.Asp770_Asn771insSerValAsp"], "p.D770_N771insSVD"),
        ("EGFR", ["L747_P753delinsS", "p.Leu747_Pro753delinsSer"], "p.L747_P753delinsS"),
        ("EGFR", ["A767_V769dup", "p.Ala767_Val769dup"], "p.A767_V769dup"),
        (
            "EGFR",
            ["exon 19 deletion", "ex19del", "Exon19 Del", "exon 19 del", "EX19DEL"],
            "exon 19 deletion",
        ),
        ("EGFR", ["exon 20 insertion", "ex20ins"], "exon 20 insertion"),
        ("MET", ["exon 14 skipping", "ex14 skip", "MET exon 14 skipping"], "exon 14 skipping"),
        ("ALK", ["EML4-ALK fusion", "EML4::ALK fusion", "eml4/alk fusion"], "EML4::ALK fusion"),
        ("ALK", ["fusion", "Fusion"], "fusion"),
        ("ERBB2", ["amplification", "amp", "Amplified"], "amplification"),
    ],
)
def test_notations_of_one_alteration_share_a_key(
    gene: str, variants: list[str], canonical: str
) -> None:
    keys = {parse_alteration(gene, v).key for v in variants}
    assert keys == {(gene, canonical)}


@pytest.mark.parametrize("alias", ["HER2", "her2", "Her-2", "ERBB2", "erbb2", "HER2/neu"])
def test_gene_aliases_and_case(alias: str) -> None:
    assert normalise_gene(alias) == "ERBB2"


def test_her2_and_erbb2_rows_match() -> None:
    assert parse_alteration("HER2", "amp").key == parse_alteration("erbb2", "amplification").key


def test_different_alterations_do_not_match() -> None:
    assert parse_alteration("EGFR", "L858R").key != parse_alteration("EGFR", "L858Q").key
    assert parse_alteration("EGFR", "L858R").key != parse_alteration("ERBB2", "L858R").key
    # exon-level text and an exact protein deletion are kept apart (no transcript mapping)
    assert parse_alteration("EGFR", "ex19del").key != parse_alteration("EGFR", "E746_A750del").key


@pytest.mark.parametrize(
    "bad", ["c.2573T>G", "g.55259515T>G", "foo", "L858", "L0R", "E750_A746del", "", "858R"]
)
def test_unparseable_notation_names_the_row(bad: str) -> None:
    with pytest.raises(InputError, match=r"variant \(row 7\): got") as err:
        parse_alteration("EGFR", bad, row=7)
    assert "p.L858R" in str(err.value)


def test_nucleotide_notation_is_explained() -> None:
    with pytest.raises(InputError, match=r"nucleotide \(c\./g\.\) notation is not supported"):
        parse_alteration("EGFR", "c.2573T>G")


def test_bad_gene_symbol_names_the_row() -> None:
    with pytest.raises(InputError, match=r"gene \(row 4\)"):
        parse_alteration("EG FR!", "L858R", row=4)

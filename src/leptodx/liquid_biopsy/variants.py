"""Normalisation of gene symbols and protein-level variant notation (HGVS ``p.`` and exon text).

The same alteration written in different ways gets one canonical key ``(gene, change)`` so that
it matches across samples and laboratories:

* ``L858R``, ``p.L858R``, ``Leu858Arg``, ``p.Leu858Arg`` and ``p.(Leu858Arg)`` → ``p.L858R``;
* stop codons ``*``, ``Ter`` and the legacy ``X`` → ``*`` (``p.R213*``);
* frameshifts keep the first changed residue only: ``p.Arg97ProfsTer23``, ``R97Pfs*23`` and
  ``R97fs`` → ``p.R97fs`` (HGVS short form);
* deletions, duplications, insertions and deletion–insertions: ``p.E746_A750del``,
  ``p.D770_N771insSVD``, ``p.L747_P753delinsS``, ``p.A767_V769dup``;
* exon-level text: ``exon 19 deletion``, ``ex19del``, ``Exon19 del`` → ``exon 19 deletion``
  (also insertion, duplication, skipping);
* structural descriptors: ``fusion`` / ``EML4-ALK fusion`` → ``fusion`` / ``EML4::ALK fusion``;
  ``amplification`` / ``amp`` → ``amplification``; ``rearrangement``.

Gene symbols are case-insensitive and common aliases are mapped to the HGNC symbol
(``HER2`` → ``ERBB2``). Nucleotide notation (``c.``, ``g.``) is refused with a clear error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from leptodx.errors import InputError

THREE_TO_ONE: dict[str, str] = {
    "ala": "A",
    "arg": "R",
    "asn": "N",
    "asp": "D",
    "cys": "C",
    "gln": "Q",
    "glu": "E",
    "gly": "G",
    "his": "H",
    "ile": "I",
    "leu": "L",
    "lys": "K",
    "met": "M",
    "phe": "F",
    "pro": "P",
    "ser": "S",
    "thr": "T",
    "trp": "W",
    "tyr": "Y",
    "val": "V",
    "sec": "U",
    "pyl": "O",
    "ter": "*",
}

GENE_ALIASES: dict[str, str] = {
    "HER2": "ERBB2",
    "HER-2": "ERBB2",
    "HER2/NEU": "ERBB2",
    "NEU": "ERBB2",
    "ERBB-2": "ERBB2",
    "HER1": "EGFR",
    "ERBB1": "EGFR",
    "C-MET": "MET",
    "CMET": "MET",
    "K-RAS": "KRAS",
    "B-RAF": "BRAF",
}
"""Alias → HGNC symbol; keys upper case."""

EXPECTED_VARIANT = (
    "protein-level HGVS (e.g. p.L858R, L858R, p.(Leu858Arg), p.R213*, p.R97fs, p.E746_A750del, "
    "p.D770_N771insSVD, p.L747_P753delinsS) or exon-level text (e.g. 'exon 19 deletion', "
    "'ex19del'), 'fusion', 'amplification'"
)

_THREE = "|".join(code.capitalize() for code in THREE_TO_ONE)
# One-letter mode: the 20 standard residues, U/O, '*' and legacy 'X' for a stop codon.
_AA1 = r"[ACDEFGHIKLMNPQRSTVWYUOX*]"
_AA3 = rf"(?:{_THREE}|\*)"


def _patterns(aa: str) -> dict[str, re.Pattern[str]]:
    first = rf"(?P<ref>{aa})(?P<pos>\d+)"
    span = rf"{first}(?:_(?P<ref2>{aa})(?P<pos2>\d+))?"
    flags = re.IGNORECASE
    return {
        "substitution": re.compile(rf"^{first}(?P<alt>{aa}|=)$", flags),
        "frameshift": re.compile(
            rf"^{first}(?:{aa})?fs(?:(?:\*|Ter|X)(?:\d+|\?)?)?$",
            flags,
        ),
        "delins": re.compile(rf"^{span}delins(?P<seq>(?:{aa})+)$", flags),
        "deletion": re.compile(rf"^{span}del$", flags),
        "duplication": re.compile(rf"^{span}dup$", flags),
        "insertion": re.compile(
            rf"^(?P<ref>{aa})(?P<pos>\d+)_(?P<ref2>{aa})(?P<pos2>\d+)ins(?P<seq>(?:{aa})+)$",
            flags,
        ),
    }


_MODES = (
    ("three", _patterns(_AA3), re.compile(_AA3, re.IGNORECASE)),
    ("one", _patterns(_AA1), None),
)

_EXON_KINDS = {
    "del": "deletion",
    "deletion": "deletion",
    "ins": "insertion",
    "insertion": "insertion",
    "dup": "duplication",
    "duplication": "duplication",
    "skip": "skipping",
    "skipping": "skipping",
}
_EXON = re.compile(
    r"^(?:exon|ex|e)\s*[-_]?\s*(?P<n>\d+)\s*[-_]?\s*(?P<kind>deletion|del|insertion|ins|"
    r"duplication|dup|skipping|skip)(?:\s+(?:mutation|alteration|variant))?$"
)
_STRUCTURAL = re.compile(
    r"^(?:(?P<five>[a-z0-9][a-z0-9.]*)\s*(?:::|-|/|–)\s*(?P<three>[a-z0-9][a-z0-9.]*)\s+)?"
    r"(?P<kind>fusion|rearrangement)$"
)
_AMPLIFICATION = re.compile(r"^(?:amplification|amplified|amp)$")
_NUCLEOTIDE = re.compile(r"^[cgmnr]\.", re.IGNORECASE)
_GENE = re.compile(r"^[A-Z0-9][A-Z0-9.\-]*$")


@dataclass(frozen=True, slots=True, order=True)
class Alteration:
    """A normalised alteration.

    Attributes
    ----------
    gene : str
        HGNC symbol, upper case (aliases resolved).
    change : str
        Canonical change: ``p.``-prefixed one-letter HGVS, or canonical text such as
        ``exon 19 deletion``, ``fusion``, ``amplification``.
    kind : str
        ``substitution``, ``frameshift``, ``deletion``, ``duplication``, ``insertion``, ``delins``,
        ``exon``, ``fusion``, ``rearrangement`` or ``amplification``.
    """

    gene: str
    change: str
    kind: str

    @property
    def key(self) -> tuple[str, str]:
        """Matching key: the same alteration in any notation has the same key."""
        return (self.gene, self.change)

    @property
    def label(self) -> str:
        """``"EGFR p.L858R"``."""
        return f"{self.gene} {self.change}"


def normalise_gene(text: str, *, field: str = "gene") -> str:
    """HGNC symbol for ``text`` (case-insensitive, aliases such as HER2 → ERBB2)."""
    symbol = re.sub(r"\s+", "", str(text)).upper()
    symbol = GENE_ALIASES.get(symbol, symbol)
    if not _GENE.match(symbol):
        raise InputError(field, text, "a gene symbol such as EGFR, ALK, ERBB2 (HER2)")
    return symbol


def _one(token: str) -> str:
    if token == "*":
        return "*"
    if len(token) == 3:
        return THREE_TO_ONE[token.lower()]
    letter = token.upper()
    return "*" if letter == "X" else letter


def _seq(text: str, mode: str, splitter: re.Pattern[str] | None) -> str:
    if mode == "one" or splitter is None:
        return "".join(_one(ch) for ch in text)
    return "".join(_one(tok) for tok in splitter.findall(text))


def _protein(text: str) -> tuple[str, str] | None:
    for mode, patterns, splitter in _MODES:
        for kind, pattern in patterns.items():
            m = pattern.match(text)
            if m is None:
                continue
            groups = m.groupdict()
            pos = int(groups["pos"])
            if pos < 1:
                return None
            start = f"{_one(groups['ref'])}{pos}"
            if kind == "substitution":
                alt = groups["alt"]
                return kind, f"p.{start}{'=' if alt == '=' else _one(alt)}"
            if kind == "frameshift":
                return kind, f"p.{start}fs"
            span = start
            if groups.get("pos2"):
                pos2 = int(groups["pos2"])
                if pos2 <= pos:
                    return None
                span += f"_{_one(groups['ref2'])}{pos2}"
            if kind in ("deletion", "duplication"):
                return kind, f"p.{span}{kind[:3]}"
            seq = _seq(groups["seq"], mode, splitter)
            suffix = "delins" if kind == "delins" else "ins"
            return kind, f"p.{span}{suffix}{seq}"
    return None


def normalise_change(
    text: str, *, gene: str | None = None, field: str = "variant"
) -> tuple[str, str]:
    """Canonical change and its kind for one variant string.

    Parameters
    ----------
    text : str
        The variant as written (protein HGVS, exon-level text or a structural descriptor). A
        leading gene symbol equal to ``gene`` (``"EGFR L858R"``, ``"EGFR:p.L858R"``) is dropped.
    gene : str | None
        Canonical gene of the row, used only to strip such a prefix.
    field : str
        Field named in the error message (e.g. ``"variant (row 3)"``).

    Raises
    ------
    InputError
        When the notation cannot be parsed.
    """
    raw = str(text)
    s = raw.strip()
    if gene is not None:
        m = re.match(r"^([A-Za-z0-9\-/]+)\s*[: ]\s*(.+)$", s)
        prefix = m.group(1).upper() if m else ""
        if m and GENE_ALIASES.get(prefix, prefix) == gene:
            s = m.group(2).strip()
    if _NUCLEOTIDE.match(s):
        raise InputError(
            field, raw, EXPECTED_VARIANT + "; nucleotide (c./g.) notation is not supported"
        )
    if s[:2].lower() == "p.":
        s = s[2:].strip()
    if s.startswith("(") and s.endswith(")"):
        s = s[1:-1].strip()
    lowered = re.sub(r"\s+", " ", s.lower()).strip()
    if m := _EXON.match(lowered):
        return "exon", f"exon {int(m['n'])} {_EXON_KINDS[m['kind']]}"
    if m := _STRUCTURAL.match(lowered):
        kind = m["kind"]
        if m["five"]:
            return kind, f"{m['five'].upper()}::{m['three'].upper()} {kind}"
        return kind, kind
    if _AMPLIFICATION.match(lowered):
        return "amplification", "amplification"
    parsed = _protein(s.replace(" ", ""))
    if parsed is None:
        raise InputError(field, raw, EXPECTED_VARIANT)
    return parsed


def parse_alteration(gene: str, variant: str, *, row: int | None = None) -> Alteration:
    """Normalise one ``gene``/``variant`` pair; errors name the row when ``row`` is given."""
    where = f" (row {row})" if row is not None else ""
    symbol = normalise_gene(gene, field=f"gene{where}")
    kind, change = normalise_change(variant, gene=symbol, field=f"variant{where}")
    return Alteration(symbol, change, kind)

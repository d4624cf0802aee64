"""Building blocks of the reference module: a status mark and a citation for every constant.

The status marks are those of the LeptoDx clinical reference pack (``shared/reference/README.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    """How far a constant was checked (reference pack, "Status marks")."""

    VERIFIED = "verified"
    """Read in a primary or official source."""
    SECONDARY = "secondary"
    """From a secondary summary; labelled as such in output."""
    RECONSTRUCTED = "reconstructed"
    """A reconstruction (the pack's UNVERIFIED): every output that uses it says so."""
    NOT_AVAILABLE = "not_available"
    """Looked for and not found: never filled with a plausible number."""
    DERIVED = "derived"
    """Pure arithmetic from stated definitions."""


@dataclass(frozen=True, slots=True)
class Source:
    """Where a constant or rule comes from.

    Attributes
    ----------
    key : str
        Short stable identifier used in JSON output, e.g. ``"G2023"``.
    citation : str
        Author, journal, year (and table) as a reader would cite it.
    pack : str
        Section of the LeptoDx reference pack, e.g. ``"eano-esmo.md §EE-4"``.
    status : Status
        Status mark of the statement taken from this source.
    url : str | None
        DOI, PMID or URL where the statement can be checked.
    """

    key: str
    citation: str
    pack: str
    status: Status
    url: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        """JSON-ready form used in every result's ``sources`` list."""
        return {
            "key": self.key,
            "citation": self.citation,
            "pack": self.pack,
            "status": self.status.value,
            "url": self.url,
        }

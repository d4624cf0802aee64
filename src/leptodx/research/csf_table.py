"""``leptodx csf-table``: Bönig-style proportions of abnormal CSF findings per group.

For each finding, the proportion abnormal among patients with that test in each group, with a
Wilson confidence interval, and a test of equal proportions across groups: Fisher's exact test
for two groups, Pearson's χ² test for more (SciPy ``chi2_contingency``; Bönig et al. 2019, ``csf.md §CSF-5``). A finding is
"abnormal" according to the clinical core's CSF limits of a named profile; the profile is
recorded in the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from leptodx import stats


@dataclass(frozen=True)
class FindingRow:
    """One finding across groups."""

    finding: str
    counts: dict[str, tuple[int, int]]
    proportions: dict[str, float]
    cis: dict[str, tuple[float, float]]
    test: str
    p_value: float | None


@dataclass
class PrevalenceTable:
    """The whole table with its provenance."""

    by: str
    groups: list[str]
    rows: list[FindingRow]
    profile: str | None
    level: float
    sources: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "groups": self.groups,
            "profile": self.profile,
            "level": self.level,
            "rows": [
                {
                    "finding": r.finding,
                    "groups": {
                        g: {
                            "abnormal": r.counts[g][0],
                            "tested": r.counts[g][1],
                            "proportion": r.proportions[g],
                            "ci": r.cis[g],
                        }
                        for g in self.groups
                    },
                    "test": r.test,
                    "p_value": r.p_value,
                }
                for r in self.rows
            ],
            "sources": self.sources,
            "warnings": self.warnings,
        }


def _wilson(k: int, n: int, level: float) -> tuple[float, float]:
    if n == 0:
        return (float("nan"), float("nan"))
    r = stats.wilson_ci(k, n, level=level)
    lo, hi = r.ci if hasattr(r, "ci") else r
    return float(lo), float(hi)


def _test(table: NDArray[np.int64]) -> tuple[str, float | None]:
    """Fisher (2 groups) or χ² (more) on the groups × (abnormal, normal) table."""
    table = table[table.sum(axis=1) > 0]
    if table.shape[0] < 2 or (table.sum(axis=0) == 0).any():
        return ("not computed (a group or a column is empty)", None)
    if table.shape[0] == 2:
        r = stats.fisher_exact(table)
        return ("Fisher's exact", float(r.p_value))
    # leptodx.stats.chi_square_test covers 2×2 tables; an r×2 table goes to SciPy (same test as
    # R's chisq.test without continuity correction; docs/decisions/research-csf-table-tests.md)
    from scipy.stats import chi2_contingency

    result = chi2_contingency(table, correction=False)
    return (f"Pearson χ² ({table.shape[0] - 1} df)", float(result.pvalue))


def _labels(groups: pd.Series) -> NDArray[np.str_]:
    """Group labels as text; whole numbers (e.g. an outcome 0/1 read as float) without ".0"."""
    if pd.api.types.is_numeric_dtype(groups.dtype):
        values = groups.to_numpy(dtype=float)
        if np.all(np.isnan(values) | (values == np.round(values))):
            return np.array([str(int(v)) if not np.isnan(v) else "nan" for v in values])
    return groups.astype(str).to_numpy()


def prevalence_table(
    groups: pd.Series,
    flags: Mapping[str, NDArray[np.float64]],
    *,
    by: str,
    level: float = 0.95,
    profile: str | None = None,
) -> PrevalenceTable:
    """Proportion abnormal (flag 1) among those tested (flag not NaN) per group, with tests."""
    keep = groups.notna().to_numpy()
    g = _labels(groups)
    labels = sorted(set(g[keep].tolist()))
    rows = []
    for finding, flag in flags.items():
        flag = np.asarray(flag, dtype=float)
        counts, props, cis = {}, {}, {}
        table = []
        for label in labels:
            tested = keep & (g == label) & ~np.isnan(flag)
            k, n = int(np.sum(flag[tested] == 1)), int(tested.sum())
            counts[label] = (k, n)
            props[label] = k / n if n else float("nan")
            cis[label] = _wilson(k, n, level)
            table.append((k, n - k))
        test, p = _test(np.array(table, dtype=np.int64))
        rows.append(FindingRow(finding, counts, props, cis, test, p))
    return PrevalenceTable(by, labels, rows, profile, level)

"""Normal, χ² and t tail areas and quantiles.

The normal quantile is R's ``qnorm`` bit for bit: both R and Python's ``statistics.NormalDist``
use Wichura's AS 241, so no SciPy is imported for a confidence interval
(docs/decisions/stats-normal-quantile-as-r.md). The tail areas are bit for bit ``scipy.stats``
(``norm.sf(x)`` = ``ndtr(−x)``, ``chi2.sf`` = ``chdtrc``, ``t.sf(x)`` = ``stdtr(df, −x)``), imported
from ``scipy.special`` only when first used, so ``import leptodx.stats`` stays fast.

References
----------
.. [1] Wichura MJ. Algorithm AS 241: the percentage points of the normal distribution. Appl Stat
   1988;37:477–484.
"""

from __future__ import annotations


def normal_quantile(q: float) -> float:
    """Φ⁻¹(q), bit for bit R ``qnorm``: both use Wichura's AS 241 (``statistics.NormalDist``)."""
    from statistics import NormalDist

    return NormalDist().inv_cdf(q)


def critical_value(level: float) -> float:
    """Two-sided normal critical value z₁₋α/₂ for confidence ``level`` (1.959963… at 0.95)."""
    return normal_quantile(0.5 + level / 2)


def normal_sf(x: float) -> float:
    """Upper tail 1 − Φ(x) (R ``pnorm(x, lower.tail = FALSE)``)."""
    from scipy.special import ndtr

    return float(ndtr(-x))


def chi2_sf(x: float, df: float) -> float:
    """Upper tail of χ²(df) (R ``pchisq(x, df, lower.tail = FALSE)``)."""
    from scipy.special import chdtrc

    return float(chdtrc(df, x))


def t_sf(x: float, df: float) -> float:
    """Upper tail of Student's t(df) (R ``pt(x, df, lower.tail = FALSE)``)."""
    from scipy.special import stdtr

    return float(stdtr(df, -x))

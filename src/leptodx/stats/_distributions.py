"""Normal, χ² and t tail areas and quantiles, bit for bit as ``scipy.stats`` computes them.

``scipy.stats`` takes about a second to import; these call the same ``scipy.special`` routines
(``norm.ppf`` = ``ndtri``, ``norm.sf(x)`` = ``ndtr(−x)``, ``chi2.sf`` = ``chdtrc``, ``t.sf(x)`` =
``stdtr(df, −x)``) and import them only when first used, so ``import leptodx.stats`` stays fast.
"""

from __future__ import annotations


def normal_quantile(q: float) -> float:
    """Φ⁻¹(q) (R ``qnorm``)."""
    from scipy.special import ndtri

    return float(ndtri(q))


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

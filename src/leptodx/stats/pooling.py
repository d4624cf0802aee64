"""Rubin's rules for estimates from multiply imputed data (R ``mice::pool``, ``pool.scalar``).

For ``m`` completed-data estimates ``Q_i`` with squared standard errors ``U_i``:

- pooled estimate ``Q̄ = mean(Q_i)``, within-imputation variance ``Ū = mean(U_i)``,
  between-imputation variance ``B = var(Q_i)`` (denominator ``m − 1``),
- total variance ``T = Ū + (1 + 1/m) B``,
- relative increase in variance ``r = (1 + 1/m) B / Ū``, ``λ = (1 + 1/m) B / T``,
- degrees of freedom of Barnard & Rubin (1999) with complete-data df ``ν_com``:
  ``ν_old = (m − 1)/λ²``, ``ν_obs = (ν_com + 1)/(ν_com + 3) · ν_com · (1 − λ)``,
  ``ν = ν_old ν_obs / (ν_old + ν_obs)`` (``ν_old`` when ``ν_com`` is infinite); like mice,
  ``λ`` is floored at 1e-4 inside the df formula,
- fraction of missing information ``γ = (r + 2/(ν + 3)) / (r + 1)``,
- confidence interval ``Q̄ ± t_{ν, (1+level)/2} √T`` and two-sided p from ``t_ν``.

Every formula is that of mice 3.15 (``pool.fitlist``, ``barnard.rubin``, ``confint.mipo``,
``summary.mipo``); ``tests/reference_values/imputation`` checks them against mice to 1e-8.

References
----------
.. [1] Rubin DB. Multiple Imputation for Nonresponse in Surveys. Wiley 1987.
.. [2] Barnard J, Rubin DB. Small-sample degrees of freedom with multiple imputation.
   Biometrika 1999;86:948–955.
.. [3] van Buuren S. Flexible Imputation of Missing Data, 2nd ed. CRC 2018, §2.3.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from leptodx.stats._validation import StatsInputError, check_level
from leptodx.stats.link import expit, logit

LAMBDA_FLOOR = 1e-4
"""mice's floor for λ in the Barnard–Rubin df (keeps df finite when B = 0)."""


@dataclass(frozen=True, slots=True)
class PooledEstimate:
    """One parameter pooled by Rubin's rules (names as in ``summary(pool(fit), "all")``)."""

    estimate: float
    std_error: float
    ci: tuple[float, float]
    df: float
    statistic: float
    p_value: float
    ubar: float
    b: float
    t: float
    riv: float
    lambda_: float
    fmi: float
    m: int
    dfcom: float
    level: float

    def to_dict(self) -> dict[str, float | int | list[float]]:
        """JSON-ready form (``lambda`` without the trailing underscore)."""
        return {
            "estimate": self.estimate,
            "std_error": self.std_error,
            "ci": list(self.ci),
            "df": self.df,
            "statistic": self.statistic,
            "p_value": self.p_value,
            "ubar": self.ubar,
            "b": self.b,
            "t": self.t,
            "riv": self.riv,
            "lambda": self.lambda_,
            "fmi": self.fmi,
            "m": self.m,
            "dfcom": self.dfcom,
        }


def barnard_rubin_df(m: int, b: float, t: float, dfcom: float) -> float:
    """Barnard–Rubin degrees of freedom (mice ``barnard.rubin``)."""
    lam = max((1.0 + 1.0 / m) * b / t, LAMBDA_FLOOR)
    df_old = (m - 1) / lam**2
    if np.isinf(dfcom):
        return float(df_old)
    df_obs = (dfcom + 1.0) / (dfcom + 3.0) * dfcom * (1.0 - lam)
    return float(df_old * df_obs / (df_old + df_obs))


def pool_scalar(
    estimates: ArrayLike,
    variances: ArrayLike,
    *,
    dfcom: float = np.inf,
    level: float = 0.95,
) -> PooledEstimate:
    """Pool one parameter over ``m ≥ 2`` imputations (mice ``pool.scalar(Q, U, n, k)``).

    Parameters
    ----------
    estimates : array of shape (m,)
        Completed-data estimates ``Q_i``.
    variances : array of shape (m,)
        Their squared standard errors ``U_i``.
    dfcom : float, default inf
        Complete-data degrees of freedom (``n − k`` in ``pool.scalar``; residual df of a glm).
    level : float, default 0.95
        Confidence level.
    """
    check_level(level)
    q = np.asarray(estimates, dtype=np.float64).ravel()
    u = np.asarray(variances, dtype=np.float64).ravel()
    m = q.size
    if m < 2:
        raise StatsInputError(f"estimates: got {m}; Rubin's rules need at least 2 imputations")
    if u.size != m:
        raise StatsInputError(f"variances: got {u.size} values for {m} estimates")
    if not (np.isfinite(q).all() and np.isfinite(u).all()) or (u < 0).any():
        raise StatsInputError("estimates/variances: expected finite values, variances ≥ 0")
    if not dfcom > 0:
        raise StatsInputError(f"dfcom: got {dfcom}; expected positive complete-data df")
    qbar, ubar, b = float(q.mean()), float(u.mean()), float(q.var(ddof=1))
    t = ubar + (1.0 + 1.0 / m) * b
    df = barnard_rubin_df(m, b, t, dfcom)
    riv = (1.0 + 1.0 / m) * b / ubar if ubar > 0 else np.inf
    lam = (1.0 + 1.0 / m) * b / t if t > 0 else 0.0
    fmi = (riv + 2.0 / (df + 3.0)) / (riv + 1.0)
    se = float(np.sqrt(t))
    half = float(stats.t.ppf(0.5 + level / 2.0, df)) * se
    statistic = qbar / se if se > 0 else np.inf
    p = float(2.0 * stats.t.sf(abs(statistic), max(df, 0.001)))
    return PooledEstimate(
        estimate=qbar,
        std_error=se,
        ci=(qbar - half, qbar + half),
        df=df,
        statistic=float(statistic),
        p_value=p,
        ubar=ubar,
        b=b,
        t=t,
        riv=float(riv),
        lambda_=float(lam),
        fmi=float(fmi),
        m=m,
        dfcom=float(dfcom),
        level=level,
    )


def pool_estimates(
    estimates: ArrayLike,
    std_errors: ArrayLike,
    *,
    dfcom: float = np.inf,
    level: float = 0.95,
) -> list[PooledEstimate]:
    """Pool every column of an ``m × k`` table of estimates and standard errors (``mice::pool``)."""
    q = np.atleast_2d(np.asarray(estimates, dtype=np.float64))
    s = np.atleast_2d(np.asarray(std_errors, dtype=np.float64))
    if q.shape != s.shape:
        raise StatsInputError(f"std_errors: shape {s.shape} differs from estimates {q.shape}")
    return [pool_scalar(q[:, j], s[:, j] ** 2, dfcom=dfcom, level=level) for j in range(q.shape[1])]


def pool_auc(
    aucs: ArrayLike, std_errors: ArrayLike, *, level: float = 0.95
) -> tuple[float, tuple[float, float], PooledEstimate]:
    """AUC pooled on the logit scale, back-transformed (Marshall et al. 2009; Debray 2023).

    Each AUC's variance is carried to the logit scale by the delta method,
    ``se(logit Â) = se(Â) / (Â (1 − Â))``; Rubin's rules with ``dfcom = ∞`` pool there, and the
    point estimate and interval are transformed back with the logistic function.

    Returns ``(auc, (lower, upper), pooled_on_logit_scale)``.
    """
    a = np.asarray(aucs, dtype=np.float64)
    s = np.asarray(std_errors, dtype=np.float64)
    if ((a <= 0) | (a >= 1)).any():
        raise StatsInputError("aucs: an AUC of 0 or 1 has no logit; pool on the AUC scale instead")
    se_logit = s / (a * (1.0 - a))
    pooled = pool_scalar(logit(a), se_logit**2, level=level)
    low, high = pooled.ci
    return float(expit(pooled.estimate)), (float(expit(low)), float(expit(high))), pooled


def as_matrix(values: list[NDArray[np.float64]]) -> NDArray[np.float64]:
    """Stack per-imputation vectors into an ``m × k`` array."""
    return np.vstack([np.asarray(v, dtype=np.float64) for v in values])

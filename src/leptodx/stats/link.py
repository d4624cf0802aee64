"""The logistic link, once for the whole package: ``expit`` (inverse logit) and ``logit``.

``expit(x) = 1 / (1 + exp(−x))`` is accurate to a few ulp over the whole real line (no
cancellation, unlike ``(1 + tanh(x/2)) / 2`` for negative x); below x ≈ −709 ``exp`` overflows
and the result is 0 (the float64 limit), without a warning. R: ``plogis`` / ``qlogis``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def logistic(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """1 / (1 + exp(−x)) as a bare formula (the compiled kernels use this same function)."""
    return 1.0 / (1.0 + np.exp(-x))


def expit(x: ArrayLike) -> NDArray[np.float64]:
    """Inverse logit: probability from log-odds ``x`` (array or scalar; R ``plogis``)."""
    with np.errstate(over="ignore"):
        return logistic(np.asarray(x, dtype=np.float64))


def logit(p: ArrayLike) -> NDArray[np.float64]:
    """Log-odds log(p / (1 − p)) of probabilities ``p`` (R ``qlogis``); ±inf at 0 and 1."""
    q = np.asarray(p, dtype=np.float64)
    with np.errstate(divide="ignore"):
        return np.log(q / (1.0 - q))

"""Compiled kernel: Cox partial log-likelihood with Efron ties, its score and information.

One pass over the rows sorted by decreasing time accumulates the risk-set sums
S0 = Σ w, S1 = Σ w x, S2 = Σ w x xᵀ (w = exp(xβ)); at a time with d deaths, Efron's
approximation removes the fraction l/d of the deaths' own sums for l = 0 … d − 1 (Efron 1977;
Therneau & Grambsch 2000, §3.3). The l-sums are expanded into scalars, so heavy ties cost no
more than distinct times. Imported lazily (numba); compiled once and cached on disk.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from leptodx.stats._jit import kernel


@kernel
def efron_terms(
    x: NDArray[np.float64],
    time: NDArray[np.float64],
    event: NDArray[np.bool_],
    beta: NDArray[np.float64],
) -> tuple[float, NDArray[np.float64], NDArray[np.float64]]:  # pragma: no cover - compiled
    """Log partial likelihood, score and information at ``beta``.

    ``x`` (n × p, centred), ``time`` and ``event`` are sorted by decreasing time.
    """
    n, p = x.shape
    eta = np.zeros(n)
    for r in range(n):
        for c in range(p):
            eta[r] += x[r, c] * beta[c]
    loglik = 0.0
    score = np.zeros(p)
    info = np.zeros((p, p))
    s0 = 0.0
    s1 = np.zeros(p)
    s2 = np.zeros((p, p))
    d1 = np.zeros(p)
    d2 = np.zeros((p, p))
    i = 0
    while i < n:
        t = time[i]
        deaths = 0
        d0 = 0.0
        d1[:] = 0.0
        d2[:] = 0.0
        j = i
        while j < n and time[j] == t:
            w = np.exp(eta[j])
            s0 += w
            for a in range(p):
                wa = w * x[j, a]
                s1[a] += wa
                for b in range(a + 1):
                    s2[a, b] += wa * x[j, b]
            if event[j]:
                deaths += 1
                d0 += w
                loglik += eta[j]
                for a in range(p):
                    wa = w * x[j, a]
                    d1[a] += wa
                    score[a] += x[j, a]
                    for b in range(a + 1):
                        d2[a, b] += wa * x[j, b]
            j += 1
        if deaths == 0:
            i = j
            continue
        # Efron: mean_l = (S1 − f_l D1) / den_l with f_l = l/d, den_l = S0 − f_l D0; the sums
        # over l reduce to five scalars, so a tie of any size costs one p × p update
        sum_a = 0.0
        sum_b = 0.0
        sum_aa = 0.0
        sum_ab = 0.0
        sum_bb = 0.0
        for ell in range(deaths):
            f = ell / deaths
            denom = s0 - f * d0
            loglik -= np.log(denom)
            a_l = 1.0 / denom
            b_l = f / denom
            sum_a += a_l
            sum_b += b_l
            sum_aa += a_l * a_l
            sum_ab += a_l * b_l
            sum_bb += b_l * b_l
        for a in range(p):
            score[a] -= s1[a] * sum_a - d1[a] * sum_b
            for b in range(a + 1):
                info[a, b] += (
                    s2[a, b] * sum_a
                    - d2[a, b] * sum_b
                    - s1[a] * s1[b] * sum_aa
                    + (s1[a] * d1[b] + d1[a] * s1[b]) * sum_ab
                    - d1[a] * d1[b] * sum_bb
                )
        i = j
    for a in range(p):
        for b in range(a):
            info[b, a] = info[a, b]
    return loglik, score, info

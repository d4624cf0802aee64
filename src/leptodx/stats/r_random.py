"""R's default random-number stream, reproduced so that seeded simulations agree with R packages.

The sample-size software of Riley and colleagues (R ``pmsampsize``, ``pmvalsampsize``) derives
some inputs by seeded simulation (``set.seed(123456)`` and then ``rnorm``, ``rbinom``,
``rbeta``). To give the same integers, :class:`RRandom` draws the same numbers as R ≥ 3.6 with
its defaults (``RNGkind("Mersenne-Twister", "Inversion", "Rejection")``):

- ``set.seed(s)``: 50 + 625 steps of the LCG ``s ← 69069 s + 1 (mod 2³²)`` fill the state; the
  Mersenne Twister (MT19937, numpy's bit generator) starts at position 624;
- ``unif_rand``: ``y / 2³²`` of each 32-bit output, 0 replaced by ``2⁻³³`` (R's ``fixup``);
- ``norm_rand`` (inversion): ``u = ⌊2²⁷ u₁⌋ + u₂``, ``Φ⁻¹(u / 2²⁷)`` (two uniforms per draw);
- ``rbinom(1, p)``: R's inversion branch for ``n·p < 30`` (one uniform; none when p is 0 or 1);
- ``rbeta(a, b)``: Cheng's algorithms BB and BC (two uniforms per attempt), as in R's
  ``rbeta.c``.

The normal quantile is scipy's ``ndtri`` rather than R's AS 241 code; both are accurate to
about 1e-16, so a draw can differ from R's in the last bits only. ``tests/reference_values/
samplesize`` compares draws with R's.

References
----------
.. [1] Matsumoto M, Nishimura T. Mersenne Twister. ACM TOMACS 1998;8:3–30.
.. [2] Cheng RCH. Generating beta variates with nonintegral shape parameters. Commun ACM
   1978;21:317–322.
.. [3] Kachitvichyanukul V, Schmeiser BW. Binomial random variate generation. Commun ACM
   1988;31:216–222 (R's ``rbinom``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import ndtri

from leptodx.stats.link import logit

Array = NDArray[np.float64]
_TWO_POW_MINUS_32 = 2.3283064365386963e-10
_HALF_I2_32M1 = 0.5 * 2.328306437080797e-10
_BIG = 134217728.0  # 2^27
_EXPMAX = float(np.finfo(np.float64).maxexp * np.log(2.0))
_DBL_MAX = float(np.finfo(np.float64).max)


def _r_seed_state(seed: int) -> NDArray[np.uint32]:
    """Mersenne-Twister state after R's ``set.seed(seed)``."""
    s = int(seed) & 0xFFFFFFFF
    for _ in range(50):
        s = (69069 * s + 1) & 0xFFFFFFFF
    values = np.empty(625, dtype=np.uint32)
    for j in range(625):
        s = (69069 * s + 1) & 0xFFFFFFFF
        values[j] = s
    return values[1:]  # values[0] is R's position slot, reset to 624


class RRandom:
    """A random stream identical to R's after ``set.seed(seed)`` (default generators)."""

    def __init__(self, seed: int) -> None:
        self._bits = np.random.MT19937()
        self._bits.state = {
            "bit_generator": "MT19937",
            "state": {"key": _r_seed_state(seed), "pos": 624},
        }

    def unif_rand(self, n: int) -> Array:
        """``runif(n)``."""
        u = np.asarray(self._bits.random_raw(n), dtype=np.float64) * _TWO_POW_MINUS_32
        u[u <= 0.0] = _HALF_I2_32M1
        return u

    def rnorm(self, n: int, mean: float = 0.0, sd: float = 1.0) -> Array:
        """``rnorm(n, mean, sd)`` by inversion."""
        u = self.unif_rand(2 * n).reshape(n, 2)
        x = np.floor(_BIG * u[:, 0]) + u[:, 1]
        z = np.asarray(ndtri(x / _BIG), dtype=np.float64)
        return mean + sd * z if sd != 0 else np.full(n, float(mean))

    def rbinom1(self, prob: ArrayLike, n: int | None = None) -> Array:
        """``rbinom(n, size = 1, prob)`` for a scalar or a vector of probabilities."""
        p_all = np.asarray(prob, dtype=np.float64)
        if p_all.ndim == 0:
            p_all = np.full(int(n if n is not None else 1), float(p_all))
        out = np.zeros(p_all.size)
        out[p_all == 1.0] = 1.0
        draw = (p_all > 0.0) & (p_all < 1.0)
        pp = p_all[draw]
        u = self.unif_rand(pp.size)
        p = np.minimum(pp, 1.0 - pp)
        q = 1.0 - p
        qn = np.where(p > 0.25, q, np.exp(np.log1p(-p)))
        r = p / q
        hit = u >= qn
        # R rejects u beyond qn + qn·r (possible only by rounding) and draws again
        again = hit & (u - qn >= qn * ((r * 2.0) / 1.0 - r))
        if again.any():  # pragma: no cover - probability of order 1e-16 per draw
            raise FloatingPointError("rbinom: rounding corner case of R's inversion reached")
        ix = hit.astype(np.float64)
        out[draw] = np.where(pp > 0.5, 1.0 - ix, ix)
        return out

    def rbeta(self, n: int, a: float, b: float) -> Array:
        """``rbeta(n, a, b)`` (Cheng's BB for min(a, b) > 1, BC otherwise).

        Attempts are drawn in batches; the stream is then set back to where R would be after
        the attempt that produced the n-th variate.
        """
        lo, hi = min(a, b), max(a, b)
        accepted: list[Array] = []
        count = 0
        while count < n:
            saved = self._bits.state
            u = self.unif_rand(2 * (2 * (n - count) + 64)).reshape(-1, 2)
            values, ok = _cheng(u[:, 0], u[:, 1], a, lo, hi)
            keep = np.flatnonzero(ok)[: n - count]
            if count + keep.size == n:
                self._bits.state = saved
                self._bits.random_raw(2 * (int(keep[-1]) + 1))
            accepted.append(values[keep])
            count += keep.size
        return np.concatenate(accepted)


def _cheng(u1: Array, u2: Array, aa: float, a: float, b: float) -> tuple[Array, NDArray[np.bool_]]:
    """Candidate beta variates and acceptance of each (u1, u2) attempt (R's ``rbeta``).

    ``aa`` is the first shape parameter as given; ``a ≤ b`` are the sorted shapes.
    """
    alpha = a + b
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        if a <= 1.0:  # algorithm BC
            beta = 1.0 / a
            delta = 1.0 + b - a
            k1 = delta * (0.0138889 + 0.0416667 * a) / (b * beta - 0.777778)
            k2 = 0.25 + (0.5 + 0.25 / delta) * a
            v = beta * logit(u1)
            w = np.where(v <= _EXPMAX, b * np.exp(v), _DBL_MAX)
            w = np.where(np.isfinite(w), w, _DBL_MAX)
            low = u1 < 0.5
            y = u1 * u2
            z = np.where(low, u1 * y, u1 * u1 * u2)
            reject = np.where(low, 0.25 * u2 + z - y >= k1, (z > 0.25) & (z >= k2))
            direct = ~low & (z <= 0.25)
            test = alpha * (np.log(alpha / (a + w)) + v) - 1.3862944 >= np.log(z)
            ok = ~reject & (direct | test)
            values = a / (a + w) if aa == a else w / (a + w)
        else:  # algorithm BB
            beta = np.sqrt((alpha - 2.0) / (2.0 * a * b - alpha))
            gamma = a + 1.0 / beta
            v = beta * logit(u1)
            w = np.where(v <= _EXPMAX, a * np.exp(v), _DBL_MAX)
            w = np.where(np.isfinite(w), w, _DBL_MAX)
            z = u1 * u1 * u2
            r = gamma * v - 1.3862944
            s = a + r - w
            t = np.log(z)
            ok = (s + 2.609438 >= 5.0 * z) | (s > t) | (r + alpha * np.log(alpha / (b + w)) >= t)
            values = b / (b + w) if aa != a else w / (b + w)
    return np.asarray(values, dtype=np.float64), np.asarray(ok, dtype=np.bool_)

"""Generate the simulated DTA reviews used by meta.R (run from this folder; seed fixed).

Every review is SIMULATED (not published data): study-level logits of sensitivity and of the
false-positive rate are drawn from a bivariate normal, then the 2×2 counts from binomials.

- ``heterogeneous.csv``  k = 14, large between-study variances, negative correlation
- ``zero_cells.csv``     k = 15, high sensitivity / specificity: several zero cells (→ +0.5 to all)
- ``k3.csv``             k = 3, the smallest review the bivariate model accepts
- ``multitest.csv``      three index tests (CSF ctDNA, cytology, MRI), covariates ``year``
                         (numeric) and ``design`` (prospective / retrospective), one zero cell
- ``sparse.csv``         k = 7, small studies (n ≤ 25 per group): Laplace vs adaptive quadrature
- ``perfect_sensitivity.csv``  written by hand: fn = 0 in all 5 studies, so the GLMM's logit
                         sensitivity has no finite maximum (non-convergence must be reported)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

rng = np.random.default_rng(20261126)


def _expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def review(
    k: int,
    *,
    mu: tuple[float, float],
    tau: tuple[float, float],
    rho: float,
    n_diseased: tuple[int, int],
    n_healthy: tuple[int, int],
    prefix: str,
    zero_cells: bool = True,
) -> pd.DataFrame:
    """``k`` studies: logit sensitivity and logit FPR ~ N(mu, Σ(tau, rho)), binomial counts.

    With ``zero_cells=False`` the review is drawn again until no 2×2 cell is 0.
    """
    cov = np.array([[tau[0] ** 2, rho * tau[0] * tau[1]], [rho * tau[0] * tau[1], tau[1] ** 2]])
    logits = rng.multivariate_normal(mu, cov, size=k)
    n1 = rng.integers(n_diseased[0], n_diseased[1] + 1, size=k)
    n0 = rng.integers(n_healthy[0], n_healthy[1] + 1, size=k)
    tp = rng.binomial(n1, _expit(logits[:, 0]))
    fp = rng.binomial(n0, _expit(logits[:, 1]))
    frame = pd.DataFrame(
        {
            "study": [f"{prefix}{i + 1:02d}" for i in range(k)],
            "tp": tp,
            "fp": fp,
            "fn": n1 - tp,
            "tn": n0 - fp,
        }
    )
    if not zero_cells and (frame[["tp", "fp", "fn", "tn"]] == 0).any().any():
        return review(
            k,
            mu=mu,
            tau=tau,
            rho=rho,
            n_diseased=n_diseased,
            n_healthy=n_healthy,
            prefix=prefix,
            zero_cells=False,
        )
    return frame


def main() -> None:
    review(
        14,
        mu=(1.2, -2.0),
        tau=(1.0, 0.9),
        rho=-0.5,
        n_diseased=(20, 120),
        n_healthy=(30, 200),
        prefix="H",
        zero_cells=False,
    ).to_csv("heterogeneous.csv", index=False)

    zero = review(
        15,
        mu=(2.4, -3.0),
        tau=(1.3, 1.2),
        rho=-0.3,
        n_diseased=(10, 60),
        n_healthy=(15, 60),
        prefix="Z",
    )
    assert (zero[["tp", "fp", "fn", "tn"]] == 0).any().any(), "needs a zero cell"
    zero.to_csv("zero_cells.csv", index=False)

    review(
        3,
        mu=(1.5, -2.2),
        tau=(1.0, 0.9),
        rho=-0.5,
        n_diseased=(30, 90),
        n_healthy=(40, 150),
        prefix="K",
        zero_cells=False,
    ).to_csv("k3.csv", index=False)

    parts = []
    for test, k, mu in (
        ("CSF ctDNA", 8, (2.0, -2.3)),
        ("cytology", 10, (0.8, -4.0)),
        ("MRI", 7, (0.5, -2.5)),
    ):
        part = review(
            k,
            mu=mu,
            tau=(0.7, 0.7),
            rho=-0.4,
            n_diseased=(15, 80),
            n_healthy=(20, 120),
            prefix=test.split()[-1][:3].upper(),
        )
        part.insert(1, "test", test)
        parts.append(part)
    multi = pd.concat(parts, ignore_index=True)
    multi["year"] = rng.integers(2005, 2024, size=len(multi))
    multi["design"] = np.where(rng.random(len(multi)) < 0.5, "prospective", "retrospective")
    assert (multi[["tp", "fp", "fn", "tn"]] == 0).any().any(), "needs a zero cell"
    multi.to_csv("multitest.csv", index=False)

    review(
        7,
        mu=(1.0, -1.5),
        tau=(0.8, 0.6),
        rho=-0.2,
        n_diseased=(4, 15),
        n_healthy=(6, 25),
        prefix="S",
    ).to_csv("sparse.csv", index=False)

    pd.DataFrame(
        {
            "study": [f"P{i:02d}" for i in range(1, 6)],
            "tp": [12, 20, 9, 30, 15],
            "fp": [3, 5, 1, 8, 2],
            "fn": [0, 0, 0, 0, 0],
            "tn": [40, 60, 25, 70, 33],
        }
    ).to_csv("perfect_sensitivity.csv", index=False)


if __name__ == "__main__":
    main()

"""Generate the input datasets for roc.R (run from this folder; seed fixed)."""

import numpy as np
import pandas as pd

rng = np.random.default_rng(20261125)


def dataset(n: int, prevalence: float, rounding: int | None) -> pd.DataFrame:
    y = (rng.random(n) < prevalence).astype(int)
    s1 = rng.normal(size=n) + 1.0 * y
    s2 = 0.6 * s1 + rng.normal(size=n) * 0.8 + 0.3 * y
    if rounding is not None:
        s1, s2 = np.round(s1, rounding), np.round(s2, rounding)
    return pd.DataFrame({"y": y, "s1": s1, "s2": s2})


dataset(60, 0.4, 0).to_csv("ties_small.csv", index=False)  # heavy ties
dataset(500, 0.3, 1).to_csv("ties_medium.csv", index=False)  # moderate ties
dataset(3000, 0.2, None).to_csv("continuous.csv", index=False)  # no ties
dataset(206, 0.35, 2).to_csv("sample_a.csv", index=False)  # unpaired pair, sizes as Gao A/B
dataset(152, 0.45, 2).to_csv("sample_b.csv", index=False)

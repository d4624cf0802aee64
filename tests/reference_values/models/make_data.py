"""Generate the input datasets for models.R (run from this folder; seed fixed)."""

import numpy as np
import pandas as pd

rng = np.random.default_rng(20261126)
n = 400
X = rng.normal(size=(n, 6))
X[:, 3] = (rng.random(n) < 0.4).astype(float)  # a binary predictor
eta = -0.7 + X @ np.array([0.9, -0.6, 0.0, 0.8, 0.3, 0.0])
y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(1, 7)])
frame["y"] = y
frame["foldid"] = rng.permutation(np.resize(np.arange(1, 11), n))
# a miscalibrated external risk for calibration statistics
frame["p"] = 1 / (1 + np.exp(-(0.3 + 1.3 * (eta + rng.normal(0, 0.5, n)))))
frame.to_csv("models.csv", index=False)

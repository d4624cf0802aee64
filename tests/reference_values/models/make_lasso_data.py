"""Generate the inputs of lasso_paths.R (run from this folder; seed fixed).

lasso_wide.csv: n = 500, p = 25 on very different scales and means, one constant and one binary
predictor, 10 folds. lasso_pgtn.csv: more predictors than rows (n = 80, p = 120), 5 folds.
"""

import numpy as np
import pandas as pd

rng = np.random.default_rng(20261127)
n, p = 500, 25
X = rng.normal(size=(n, p)) * np.geomspace(0.01, 100, p) + rng.normal(0, 5, p)
X[:, 4] = 2.5  # constant: glmnet leaves it out
X[:, 6] = (rng.random(n) < 0.3).astype(float)
z = (X - X.mean(0)) / np.where(X.std(0) > 0, X.std(0), 1)
eta = -0.4 + z[:, :8] @ np.array([0.9, -0.7, 0.5, 0.4, 0.0, -0.3, 0.6, 0.2])
frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(1, p + 1)])
frame["y"] = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
frame["foldid"] = rng.permutation(np.resize(np.arange(1, 11), n))
frame.to_csv("lasso_wide.csv", index=False)

n, p = 80, 120
X = rng.normal(size=(n, p))
eta = X[:, :4] @ np.array([1.2, -1.0, 0.8, 0.6])
frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(1, p + 1)])
frame["y"] = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
frame["foldid"] = rng.permutation(np.resize(np.arange(1, 6), n))
frame.to_csv("lasso_pgtn.csv", index=False)

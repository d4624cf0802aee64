"""Write grid.json: the inputs compared with the authors' software (run from this folder)."""

import itertools
import json
import math

binary = []
for prevalence, parameters in itertools.product((0.05, 0.174, 0.3, 0.5), (5, 10, 24)):
    maximum = 1 - math.exp(
        2 * (prevalence * math.log(prevalence) + (1 - prevalence) * math.log(1 - prevalence))
    )
    for r2 in (0.05, 0.15, 0.288):
        if r2 < maximum:
            binary.append(
                {
                    "prevalence": prevalence,
                    "parameters": parameters,
                    "csrsquared": r2,
                    "shrinkage": 0.9,
                }
            )
    for nag in (0.2, 0.5):
        binary.append(
            {
                "prevalence": prevalence,
                "parameters": parameters,
                "nagrsquared": nag,
                "shrinkage": 0.9,
            }
        )
    binary.append(
        {"prevalence": prevalence, "parameters": parameters, "csrsquared": 0.05, "shrinkage": 0.85}
    )
cstatistic = [
    {"prevalence": prevalence, "parameters": parameters, "cstatistic": c, "shrinkage": 0.9}
    for (prevalence, c), parameters in zip(
        itertools.product((0.05, 0.174, 0.3, 0.5), (0.7, 0.8, 0.89)), itertools.cycle((5, 10, 24))
    )
]
survival = [
    {
        "rate": rate,
        "timepoint": 2,
        "meanfup": meanfup,
        "parameters": parameters,
        "csrsquared": r2,
        "shrinkage": 0.9,
    }
    for rate, meanfup, parameters, r2 in itertools.product(
        (0.065, 0.1), (2.07, 5), (10, 30), (0.02, 0.051, 0.1)
    )
]
survival += [
    {
        "rate": 0.065,
        "timepoint": 2,
        "meanfup": 2.07,
        "parameters": p,
        "nagrsquared": nag,
        "shrinkage": 0.9,
    }
    for p, nag in itertools.product((10, 30), (0.15, 0.3))
]
continuous = [
    {"rsquared": r2, "parameters": p, "intercept": intercept, "sd": sd, "shrinkage": 0.9}
    for r2, p, intercept, sd in itertools.product((0.1, 0.2, 0.5), (5, 25), (1.9, 10.0), (0.6, 2.0))
]
# criterion 4 (intercept precision) binds: pmsampsize stops its search one step after it starts
continuous += [
    {"rsquared": 0.2, "parameters": 5, "intercept": 0.5, "sd": 2.0, "shrinkage": 0.9},
    {"rsquared": 0.1, "parameters": 10, "intercept": 0.3, "sd": 1.5, "shrinkage": 0.9},
]
validation = []
for prevalence, c, lp in itertools.product((0.018, 0.1, 0.3), (0.7, 0.8), ((-5, 2.5), (-1.5, 1.0))):
    validation.append(
        {
            "prevalence": prevalence,
            "cstatistic": c,
            "lpnormal": list(lp),
            "oeciwidth": 1 if prevalence < 0.05 else 0.2,
            "threshold": None,
        }
    )
validation += [
    {
        "prevalence": 0.018,
        "cstatistic": 0.8,
        "lpnormal": [-5, 2.5],
        "oeciwidth": 1,
        "threshold": 0.08,
    },
    {
        "prevalence": 0.3,
        "cstatistic": 0.8,
        "lpnormal": [-1.0, 1.2],
        "oeciwidth": 0.2,
        "threshold": 0.1,
    },
    {
        "prevalence": 0.3,
        "cstatistic": 0.8,
        "lpnormal": [-1.0, 1.2],
        "oeciwidth": 0.2,
        "threshold": 0.2,
        "sensitivity": 0.85,
        "specificity": 0.6,
    },
    {
        "prevalence": 0.018,
        "cstatistic": 0.8,
        "lpbeta": [0.5, 0.5],
        "oeciwidth": 1,
        "threshold": None,
    },
    {
        "prevalence": 0.2,
        "cstatistic": 0.75,
        "lpbeta": [2.0, 6.0],
        "oeciwidth": 0.2,
        "threshold": 0.1,
    },
    {
        "prevalence": 0.018,
        "cstatistic": 0.8,
        "lpcstat": -4.7,
        "oeciwidth": 1,
        "threshold": None,
        "seed": 1234,
        "simobs": 10000,
    },
    {
        "prevalence": 0.3,
        "cstatistic": 0.85,
        "lpcstat": -1.5,
        "oeciwidth": 0.2,
        "threshold": 0.1,
        "simobs": 100000,
        "tolerance": 0.005,
    },
    {
        "prevalence": 0.2,
        "cstatistic": 0.8,
        "lpcstat": -2.2,
        "oeciwidth": 0.2,
        "threshold": 0.1,
        "simobs": 200000,
        "tolerance": 0.002,
    },
]
validation += [  # pmvalsampsize's own tests 4.1 and 4.2 (small simulations)
    {
        "prevalence": 0.018,
        "cstatistic": 0.8,
        "lpnormal": [-5, 2.5],
        "oeciwidth": 1,
        "threshold": None,
        "simobs": 1000,
    },
    {
        "prevalence": 0.018,
        "cstatistic": 0.8,
        "lpbeta": [0.5, 0.5],
        "oeciwidth": 1,
        "threshold": None,
        "simobs": 1000,
    },
]
grid = {
    "binary": binary,
    "cstatistic": cstatistic,
    "survival": survival,
    "continuous": continuous,
    "validation": validation,
}
with open("grid.json", "w") as f:
    json.dump(grid, f, indent=1)
print({k: len(v) for k, v in grid.items()})

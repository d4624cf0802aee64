"""Reference values from the authors' Python port of pmsampsize (0.1.0, needs Python >= 3.12).

Run in a separate environment, from this folder:
    python3.12 -m venv /tmp/pmss && /tmp/pmss/bin/pip install pmsampsize==0.1.0
    /tmp/pmss/bin/python samplesize_python.py        (writes samplesize_python.json)
Cases the port cannot compute (it raises) are recorded with the error message.
"""

import json
import platform
from importlib.metadata import version

from pmsampsize.pmsampsize import pmsampsize

with open("grid.json") as f:
    grid = json.load(f)


def run(kind, case):
    args = {k: v for k, v in case.items() if k not in ("rsquared",) or kind == "c"}
    try:
        x = pmsampsize(type=kind, noprint=True, **args)
    except Exception as exc:  # the port's own errors are part of the reference
        return {"input": case, "error": f"{type(exc).__name__}: {exc}"}
    table = [row for row in x["results_table"] if isinstance(row, list)]
    return {
        "input": case,
        "sample_size": x["sample_size"],
        "criteria": [row[1] for row in table[:-1]],
        "final_shrinkage": x["final_shrinkage"],
        "rsquared": x.get("rsquared", x.get("r2a")),
        "events": x.get("events"),
    }


out = {
    "versions": {"python": platform.python_version(), "pmsampsize": version("pmsampsize")},
    "binary": [run("b", c) for c in grid["binary"] + grid["cstatistic"]],
    "survival": [run("s", c) for c in grid["survival"]],
    "continuous": [run("c", c) for c in grid["continuous"]],
}
with open("samplesize_python.json", "w") as f:
    json.dump(out, f, indent=1)

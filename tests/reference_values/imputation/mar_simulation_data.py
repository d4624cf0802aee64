"""Write the 500 simulated datasets of bench/bench_imputation.py as one CSV for mar_simulation.R.

Run from this folder: python mar_simulation_data.py /tmp/mar.csv  (about 25 MB, not committed:
the datasets are regenerated exactly from their seeds).
"""

import importlib.util
import sys
from pathlib import Path

import numpy as np

bench = Path(__file__).resolve().parents[3] / "bench" / "bench_imputation.py"
spec = importlib.util.spec_from_file_location("bench_imputation", bench)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
with open(sys.argv[1], "w") as out:
    out.write("rep,x1,x2,x3,y,f1,f2,f3\n")
    for rep in range(500):
        full, y, incomplete = module.simulate_data(rep)
        for row in np.column_stack([np.full(len(y), rep), incomplete, y, full]):
            out.write(",".join("NA" if np.isnan(v) else repr(float(v)) for v in row) + "\n")

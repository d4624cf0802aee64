"""``import leptodx.stats`` loads no heavy library (issue 16: < 150 ms on a quiet machine)."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("scipy", "pandas", "statsmodels", "numba", "glmnet", "skmisc", "lifelines", "sklearn",
         "matplotlib")  # fmt: skip


def test_importing_the_statistics_engine_is_cheap_and_lazy() -> None:
    code = (
        "import json, sys, time\n"
        "import numpy\n"
        "start = time.process_time()\n"
        "import leptodx.stats\n"
        "took = time.process_time() - start\n"
        f"print(json.dumps([took, [m for m in {HEAVY!r} if m in sys.modules]]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    took, loaded = json.loads(out.stdout)
    assert loaded == []  # imported inside the functions that need them
    assert took < 0.5  # CPU seconds, a generous guard that other load cannot trip; numpy excluded

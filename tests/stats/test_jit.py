"""Compiled kernels work where numba cannot write its disk cache (read-only installs)."""

from __future__ import annotations

import subprocess
import sys

NO_CACHE_LOCATION = """
from numba.core import caching
caching.CacheImpl._locator_classes = []  # as with a read-only package and no writable home
from leptodx.stats import auc_ci
print(auc_ci([0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.2, 0.9]).auc)
"""


def test_kernels_compile_without_a_writable_cache_location() -> None:
    out = subprocess.run(
        [sys.executable, "-c", NO_CACHE_LOCATION], capture_output=True, text=True, check=True
    )
    assert float(out.stdout) == 8 / 9  # 8 of 9 event/non-event pairs ordered correctly

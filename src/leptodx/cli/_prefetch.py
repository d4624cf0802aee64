"""Import a library a command needs later in a background thread, while it reads its input.

``csf-table`` needs SciPy only for the tests at the end (≈ 0.5 s to import), after reading and
mapping the cohort — work done mostly outside the interpreter lock (Parquet decoding, NumPy), so
on a second core the import costs no wall time (issue 16). The thread is not a daemon: the
process exits only after it, and a failed import is left to the command's own import, which
raises as usual.
"""

from __future__ import annotations

import contextlib
import importlib
import threading


def _import(modules: tuple[str, ...]) -> None:
    for module in modules:
        with contextlib.suppress(Exception):
            importlib.import_module(module)


def prefetch(*modules: str) -> threading.Thread:
    """Start importing ``modules`` in the background; returns the (started) thread."""
    thread = threading.Thread(target=_import, args=(modules,), name="leptodx-prefetch")
    thread.start()
    return thread

"""Numeric engine: plain arrays in, small frozen results out; inputs validated once at entry.

The public names load lazily (SPEC 1, ``lazy_loader.attach_stub``): ``import leptodx.stats``
imports none of the submodules, and the first use of a name imports only the submodule that
defines it, with NumPy, SciPy or Numba as that submodule needs. The names and where they live are
written once, in ``__init__.pyi``, which type checkers read as well
(docs/decisions/stats-lazy-import.md).
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)

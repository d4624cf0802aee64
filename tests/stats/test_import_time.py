"""``import leptodx.stats`` loads no heavy library (issue 16: < 150 ms on a quiet machine).

The package's names load lazily from ``__init__.pyi`` (``lazy_loader``): importing the package
imports no submodule and not even NumPy; the first use of a name imports its submodule only.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest

import leptodx.stats

HEAVY = ("numpy", "scipy", "pandas", "statsmodels", "numba", "glmnet", "skmisc", "lifelines",
         "sklearn", "matplotlib")  # fmt: skip


def _fresh(code: str) -> list[object]:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    result: list[object] = json.loads(out.stdout)
    return result


def test_importing_the_statistics_engine_is_cheap_and_lazy() -> None:
    took, loaded, submodules = _fresh(
        "import json, sys, time\n"
        "start = time.process_time()\n"
        "import leptodx.stats\n"
        "took = time.process_time() - start\n"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "subs = sorted(m for m in sys.modules if m.startswith('leptodx.stats.'))\n"
        "print(json.dumps([took, heavy, subs]))\n"
    )
    assert loaded == []
    assert submodules == []
    assert isinstance(took, float) and took < 0.5  # CPU seconds: a guard, not a benchmark


def test_first_use_of_a_name_imports_only_its_submodule() -> None:
    (loaded,) = _fresh(
        "import json, sys\n"
        "from leptodx.stats import wilson_ci\n"
        f"print(json.dumps([[m for m in {HEAVY!r} if m in sys.modules]]))\n"
    )
    assert isinstance(loaded, list) and "numpy" in loaded
    assert not {"statsmodels", "lifelines", "pandas", "matplotlib"} & set(loaded)


@pytest.mark.parametrize("name", leptodx.stats.__all__)
def test_every_public_name_resolves_to_its_submodule_object(name: str) -> None:
    value = getattr(leptodx.stats, name)
    module = importlib.import_module(value.__module__)
    assert value.__module__.startswith("leptodx.stats.")
    assert getattr(module, name) is value


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_function"):
        leptodx.stats.no_such_function  # type: ignore[attr-defined]  # noqa: B018
    assert "auc_ci" in dir(leptodx.stats)

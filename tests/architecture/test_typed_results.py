"""Results that cross the boundary are frozen objects that own their JSON (issue 16).

Two contracts, checked by introspection rather than by a list of today's classes, so a new
result that forgets them fails here:

- every result class of ``leptodx.stats``, ``leptodx.research``, ``leptodx.liquid_biopsy`` and
  ``leptodx.followup`` (a class a public function returns, or a public dataclass of those
  packages) is a frozen dataclass or a frozen pydantic model with ``to_dict()``; the exceptions
  are inputs, documents and engine parts, each named below with the reason;
- the CLI, web, report and FHIR/CDS layers never index a result's JSON by string keys (no
  ``x.to_dict()["key"]``, no ``d = x.to_dict(); d["key"]``): they read the object.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import pkgutil
import types
import typing
from pathlib import Path

import pydantic
import pytest

PACKAGES = ("leptodx.stats", "leptodx.research", "leptodx.liquid_biopsy", "leptodx.followup")
SRC = Path(__file__).resolve().parents[2] / "src" / "leptodx"
CONSUMERS = ("cli", "web", "reports", "interop")

NOT_RESULTS = {
    # inputs: parsed or validated data going in, not results coming out
    "leptodx.research.analysis_data.AnalysisData": "the loaded cohort (input)",
    "leptodx.research.develop.DevelopOptions": "what the user asked for (input)",
    "leptodx.research.imputed.ImputationOptions": "imputation settings asked for (input)",
    "leptodx.stats.samplesize_lp.LpDistribution": "assumed linear-predictor distribution (input)",
    "leptodx.liquid_biopsy.io.Sample": "one parsed sample of the variant table (input)",
    "leptodx.liquid_biopsy.io.Call": "one parsed call of the variant table (input)",
    "leptodx.liquid_biopsy.variants.Alteration": "normalised alteration (input value)",
    "leptodx.followup.events.Timeline": "follow-up input contract (frozen pydantic, model_dump)",
    "leptodx.followup.events.Diagnosis": "follow-up event (input contract)",
    "leptodx.followup.events.LumbarPuncture": "follow-up event (input contract)",
    "leptodx.followup.events.MriScan": "follow-up event (input contract)",
    "leptodx.followup.events.Treatment": "follow-up event (input contract)",
    "leptodx.followup.events.CtDna": "follow-up event (input contract)",
    "leptodx.followup.events.ResponseVisit": "follow-up event (input contract)",
    "leptodx.followup.events.Alteration": "ctDNA alteration of an event (input contract)",
    "leptodx.followup.events.MriScorecard": "MRI scorecard of an event (input contract)",
    # procedures and estimators: callables, not values
    "leptodx.stats.validation.LogisticProcedure": "a modelling procedure refitted per resample",
    # documents rendered to HTML/PDF by leptodx.reports, not JSON results
    "leptodx.reports.document.ReportDocument": "report document",
    "leptodx.reports.document.ReportTable": "report table",
    "leptodx.reports.document.Section": "report section",
    "leptodx.reports.document.TripodItem": "report checklist item",
    # parts serialised by the result that holds them (their JSON needs the owner's context)
    "leptodx.research.missing_data.MissingPattern": "written by MissingSummary (needs its names)",
    "leptodx.followup.ctdna.PairedAlteration": "written by CtDnaComparison per list",
    "leptodx.research.validate.ImputedValidation": "written by Validation.to_dict",
    "leptodx.research.develop_imputed.ImputedDevelopment": "written by Development.to_dict",
}

PLAIN_MAPPINGS = {
    "leptodx.stats.validation.indices": "index name → value inside the bootstrap kernels",
    "leptodx.stats.imputed_validation.performance_indices": "same, per imputed copy",
    "leptodx.stats.imputed_validation.mean_indices": "same, averaged over copies",
    "leptodx.research.develop.compare_single_tests": "ROC points per test name (figure input)",
    "leptodx.research.imputed.compare_tests_pooled": "ROC points and stacked tests per name",
    "leptodx.liquid_biopsy.study_row.read_diagnoses": "patient id → LM diagnosis (input)",
}


def _modules() -> list[types.ModuleType]:
    out = []
    for name in PACKAGES:
        package = importlib.import_module(name)
        out.append(package)
        for info in pkgutil.iter_modules(package.__path__):
            if not info.name.startswith("_"):
                out.append(importlib.import_module(f"{name}.{info.name}"))
    return out


def _public_functions() -> list[tuple[str, typing.Callable[..., object]]]:
    return [
        (f"{m.__name__}.{name}", fn)
        for m in _modules()
        for name, fn in vars(m).items()
        if inspect.isfunction(fn) and fn.__module__ == m.__name__ and not name.startswith("_")
    ]


def _types_in(annotation: object) -> set[object]:
    """Classes named in a return annotation (through unions, tuples, lists, dicts)."""
    found: set[object] = set()
    origin = typing.get_origin(annotation)
    if origin is None:
        if isinstance(annotation, type):
            found.add(annotation)
        return found
    if origin is dict:
        found.add(dict)
    for arg in typing.get_args(annotation):
        if arg is not Ellipsis:
            found |= _types_in(arg)
    return found


def _qualified(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _owns_json(cls: type) -> bool:
    if issubclass(cls, pydantic.BaseModel):
        frozen = bool(cls.model_config.get("frozen"))
    else:
        frozen = dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
    return frozen and callable(getattr(cls, "to_dict", None))


def _is_value_class(cls: type) -> bool:
    """A class whose instances are values (not an enum, exception or array)."""
    return not issubclass(cls, (BaseException, str, int, float)) and cls.__module__.startswith(
        "leptodx."
    )


def test_every_result_a_public_function_returns_is_frozen_and_owns_its_json() -> None:
    bad = []
    for name, fn in _public_functions():
        returned = _types_in(typing.get_type_hints(fn).get("return"))
        if dict in returned and name not in PLAIN_MAPPINGS:
            bad.append(f"{name} returns a plain dict")
        for cls in returned:
            if not isinstance(cls, type) or cls is dict or not _is_value_class(cls):
                continue
            if cls.__module__.startswith("leptodx.models."):
                assert _owns_json(cls) or issubclass(cls, pydantic.BaseModel), name
                continue
            if _qualified(cls) not in NOT_RESULTS and not _owns_json(cls):
                bad.append(f"{name} returns {_qualified(cls)} (not frozen, or no to_dict)")
    assert not bad, "\n".join(sorted(set(bad)))


def test_every_public_dataclass_of_the_result_packages_is_frozen_and_owns_its_json() -> None:
    bad = []
    for module in _modules():
        for name, cls in vars(module).items():
            if (
                name.startswith("_")
                or not inspect.isclass(cls)
                or cls.__module__ != module.__name__
            ):
                continue
            if not (dataclasses.is_dataclass(cls) or issubclass(cls, pydantic.BaseModel)):
                continue
            if _qualified(cls) not in NOT_RESULTS and not _owns_json(cls):
                bad.append(_qualified(cls))
    assert not bad, "not frozen or without to_dict(): " + ", ".join(bad)


def test_the_exemptions_name_existing_classes_and_functions() -> None:
    for dotted in (*NOT_RESULTS, *PLAIN_MAPPINGS):
        module, _, name = dotted.rpartition(".")
        assert hasattr(importlib.import_module(module), name), dotted


def _json_key_reads(tree: ast.AST) -> list[int]:
    """Lines that read a result's JSON by a string key, directly or through a local name
    (writing a key, as a result's owner extending its JSON does, is not a read)."""
    lines = []
    for scope in [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef))]:  # fmt: skip
        from_json: set[str] = set()
        for node in ast.walk(scope):
            if (
                isinstance(node, ast.Assign)
                and _is_to_dict_call(node.value)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
            ):
                from_json.add(node.targets[0].id)
        for node in ast.walk(scope):
            if not isinstance(node, ast.Subscript) or not _is_str(node.slice):
                continue
            if not isinstance(node.ctx, ast.Load):
                continue
            value = node.value
            if _is_to_dict_call(value) or (isinstance(value, ast.Name) and value.id in from_json):
                lines.append(node.lineno)
    return sorted(set(lines))


def _is_to_dict_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "to_dict"
    )


def _is_str(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


CONSUMER_FILES = sorted(
    p for layer in CONSUMERS for p in (SRC / layer).rglob("*.py") if "__pycache__" not in p.parts
) + sorted((SRC / "research").glob("*_report.py"))


@pytest.mark.parametrize("path", CONSUMER_FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_consumers_read_result_objects_not_their_json(path: Path) -> None:
    lines = _json_key_reads(ast.parse(path.read_text(encoding="utf-8")))
    assert not lines, f"{path.relative_to(SRC)} indexes a to_dict() result by key on lines {lines}"


def test_the_key_read_check_finds_both_forms() -> None:
    """The check itself: a direct and an indirect key read of a to_dict() result are found."""
    code = "def f(r):\n    d = r.to_dict()\n    a = d['x']\n    return r.to_dict()['y'], a\n"
    assert _json_key_reads(ast.parse(code)) == [3, 4]


def test_no_json_forms_of_typed_results_remain() -> None:
    """The dict twins of typed results were removed (their callers read the objects)."""
    import leptodx.followup.summary as summary
    import leptodx.research.survival as survival

    assert not hasattr(survival, "survival_analysis")
    assert not hasattr(summary, "followup_summary")

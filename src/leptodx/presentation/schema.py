"""The JSON Schema of the input contract with every allowed code and its label (``leptodx schema``).

Coded fields (``primary_tumour``, ``symptoms``, the three legs, ``biopsy``, ``sex``) are published
as ``oneOf`` lists of ``{"const": code, "title": label}``, so a form builder or an EHR team sees
the allowed values and what they mean; the labels are those of :mod:`leptodx.presentation.labels`.
"""

from __future__ import annotations

from typing import Any

from leptodx.domain.patient import input_json_schema
from leptodx.presentation.labels import CODED_FIELDS


def _labelled(codes: list[str], labels: dict[str, str]) -> dict[str, Any]:
    return {"type": "string", "oneOf": [{"const": c, "title": labels[c]} for c in codes]}


def _coded(node: dict[str, Any], labels: dict[str, str], defs: dict[str, Any]) -> dict[str, Any]:
    """Replace an enum (inline, in ``anyOf`` with null, or a ``$ref``) by a labelled ``oneOf``."""
    if "$ref" in node:
        target = defs[node["$ref"].rsplit("/", 1)[-1]]
        return {
            **_labelled(list(target["enum"]), labels),
            "description": target.get("description", ""),
        }
    if "enum" in node:
        rest = {k: v for k, v in node.items() if k not in {"enum", "type", "anyOf"}}
        labelled = _labelled(list(node["enum"]), labels)
        if "anyOf" in node:  # optional: the codes or null
            return {**rest, "anyOf": [labelled, {"type": "null"}]}
        return {**rest, **labelled}
    if "anyOf" in node:
        return {**node, "anyOf": [_coded(n, labels, defs) for n in node["anyOf"]]}
    if node.get("type") == "array" and "items" in node:
        return {**node, "items": _coded(node["items"], labels, defs)}
    return node


def input_schema() -> dict[str, Any]:
    """JSON Schema of :class:`PatientInput` with labelled codes."""
    schema = input_json_schema()
    defs = schema.get("$defs", {})
    for name, labels in CODED_FIELDS.items():
        schema["properties"][name] = _coded(schema["properties"][name], labels, defs)
    return schema

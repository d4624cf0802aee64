"""JSON Schema of an input-contract class inside a pydantic-generated schema (follow-up events).

The follow-up events are pydantic models; their lumbar-puncture ``csf`` is the assessment's
``CsfPanel``, validated and published by :mod:`leptodx.domain.contract`. This registers that
class (and its nested classes and enums) as definitions of the pydantic schema generator, so the
event schema refers to ``CsfPanel`` by ``$ref`` as it did when the panel was a pydantic model.
The registration uses the generator's definition tables (pydantic 2.x); the OpenAPI golden file
(``tests/domain/golden/openapi-bodies.json``) catches a change of those internals.
"""

from __future__ import annotations

from typing import Any

from pydantic.annotated_handlers import GetJsonSchemaHandler
from pydantic.json_schema import DefsRef, JsonRef, JsonSchemaValue

from leptodx.domain import contract


def contract_json_schema(model: type[Any], handler: GetJsonSchemaHandler) -> JsonSchemaValue:
    """``{"$ref": ...}`` to ``model``, whose schema is added to the generator's definitions."""
    gen = handler.generate_json_schema  # type: ignore[attr-defined]
    schema = contract.json_schema(model, ref_template=gen.ref_template)
    defs = schema.pop("$defs", {})
    for name, body in {**defs, model.__name__: schema}.items():
        defs_ref = DefsRef(name)
        json_ref = JsonRef(gen.ref_template.format(model=name))
        if defs_ref in gen.definitions:
            continue  # an enum pydantic already registered (e.g. Cytology)
        gen.definitions[defs_ref] = body
        gen.json_to_defs_refs[json_ref] = defs_ref
        gen._prioritized_defsref_choices[defs_ref] = [defs_ref]
    return {"$ref": gen.ref_template.format(model=model.__name__)}

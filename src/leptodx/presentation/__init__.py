"""How LeptoDx results read for people: wording, labels, units, rounding, readable text.

JSON keeps codes; every channel that shows an assessment to a person (CLI text, web pages, CDS
Hooks cards, the FHIR narrative) renders it through :func:`leptodx.presentation.assessment.present`,
so a level, a rule status or a unit reads the same everywhere
(docs/decisions/clinical-presentation.md). ``labels`` holds the wording of every code,
``numbers`` the rounding and display units.
"""

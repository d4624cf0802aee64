"""LeptoDx: decision support and prediction-model research for leptomeningeal metastasis.

LeptoDx supports clinical decisions; it never makes them.
"""

__version__ = "0.1.0"

DECISION_SUPPORT_NOTICE = (
    "Decision support, not a diagnosis: LeptoDx suggests and cites; the treating clinician decides."
)

"""Liquid biopsy: CSF and plasma ctDNA variant tables, normalisation and CSF–plasma comparison.

Outputs are descriptive statistics of the user's data and supportive evidence only
(``liquid-biopsy.md §LB-5``); LeptoDx does not recommend a targeted drug.
"""

"""Research workflows (develop, validate, CSF tables) combining cohort, stats and reports."""

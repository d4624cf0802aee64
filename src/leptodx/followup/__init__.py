"""Follow-up after diagnosis: dated events, response history (RANO/LANO), trends."""

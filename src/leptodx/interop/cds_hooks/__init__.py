"""CDS Hooks 2.0 ``patient-view`` service: discovery, cards, JWT authentication of the EHR."""

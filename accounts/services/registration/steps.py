"""The officers' case steps a registration goes through (workspace SLA steps, by code)."""

SLA_STEP = "hak_akses_grant"
VALIDATION_STEP = "hak_akses_validation"
FIELD_VERIFICATION_STEP = "hak_akses_field_verification"
INVALID_DECISION_STEP = "hak_akses_decision"

# The Hak Akses registrations of tests/accounts serve as cases here.
from tests.accounts.conftest import field_verifier, fields, submitted, uploads, validated  # noqa: F401

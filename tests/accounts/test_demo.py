import pytest
from django.core.management import call_command

from accounts.models import Company, Registration, RegistrationStatus
from accounts.rules import npwp_error

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_registrations_in_every_state_and_valid_npwps__HA_02(capsys):
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    assert set(Registration.objects.values_list("status", flat=True)) == set(RegistrationStatus.values)
    assert Registration.objects.count() == len(RegistrationStatus.values)
    from accounts.demo import COMPANIES, REGISTRATIONS

    demo_npwps = {row[3] for row in COMPANIES} | {row[1] for row in REGISTRATIONS}
    for npwp in Company.objects.filter(npwp__in=demo_npwps).values_list("npwp", flat=True):
        assert npwp_error(npwp) is None, npwp
    assert Company.objects.filter(npwp__in=demo_npwps).count() >= len(COMPANIES) + 1  # + the approved registration
    for npwp in demo_npwps:
        assert npwp_error(npwp) is None, npwp

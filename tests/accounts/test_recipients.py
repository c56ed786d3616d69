"""Issue 18: one definition of a company's recipients; revoked and blocked users get nothing."""

import pytest

from accounts.models import AccessStatus
from accounts.selectors import company_recipients
from tests.factories import CompanyFactory, ImporterFactory


@pytest.mark.django_db
def test_company_recipients_are_the_company_and_its_active_importers__HA_10_HA_12():
    company = CompanyFactory(email="kantor@gula.example.id")
    ImporterFactory(company=company, email="aktif@gula.example.id", preferred_language="en")
    ImporterFactory(company=company, email="dicabut@gula.example.id", access_status=AccessStatus.REVOKED)
    ImporterFactory(company=company, email="diblokir@gula.example.id", access_status=AccessStatus.BLOCKED)
    recipients = company_recipients(company)
    assert recipients.emails == ["aktif@gula.example.id", "kantor@gula.example.id"]
    assert recipients.language == "en"
